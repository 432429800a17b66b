create table if not exists core.postings (
    month date not null,
    as_of_date date not null,
    posting_id varchar not null,
    account_id varchar not null,
    posting_date date not null,
    entry_type varchar not null,
    amount decimal(18, 2) not null
)
