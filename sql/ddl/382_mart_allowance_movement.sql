-- the allowance m−1 → m per product and stage; opening + every line = closing exactly
create table if not exists mart.allowance_movement (
    month date not null,
    product varchar not null,
    stage varchar not null,
    opening decimal(38, 10) not null,
    new_accounts decimal(38, 10) not null,
    derecognised decimal(38, 10) not null,
    written_off decimal(38, 10) not null,
    missing decimal(38, 10) not null,
    transfers_in decimal(38, 10) not null,
    transfers_out decimal(38, 10) not null,
    remeasurement decimal(38, 10) not null,
    closing decimal(38, 10) not null
)
