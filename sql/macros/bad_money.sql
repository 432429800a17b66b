-- reason when a present money value is not a decimal(18,2), else null. The first test accepts
-- almost every value with two casts instead of four: equal to its 6-decimal reading, it has at
-- most 2 decimals, and as a decimal(18,2) it is below the 10^16 limit
create or replace temp macro bad_money(name, x) as
    case
        when x is null then null
        when try_cast(x as decimal(18, 2)) = try_cast(x as decimal(38, 6)) then null
        when try_cast(x as decimal(38, 6)) is null then format('{}: not a number — ''{}''', name, x)
        when try_cast(x as decimal(38, 6)) <> try_cast(x as decimal(38, 2)) then format('{}: more than 2 decimals — {}', name, x)
        when abs(try_cast(x as decimal(38, 2))) >= 10000000000000000 then format('{}: too large for decimal(18,2) — {}', name, x)
    end
