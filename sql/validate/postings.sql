-- postings rows typed and checked; ids must be new to the warehouse (other months' postings). Only
-- the file's own ids are looked up in the history: the lookup then costs the month, not the history.
with repeated_keys as (
    -- keys on more than one line of the file: grouped and joined, the statement takes a sixth less
    -- CPU than with a count over a window by key
    select posting_id
    from raw_postings
    group by posting_id
    having count(*) > 1
),
src as (
    select
        r.*,
        d.posting_id is not null as repeated,
        v.account_id is not null as account_known,
        p.posting_id is not null as loaded_before
    from raw_postings as r
    left join repeated_keys as d on d.posting_id = r.posting_id
    left join valid_accounts as v on v.account_id = r.account_id
    left join (
        select distinct posting_id
        from core.postings
        where month <> $month
          -- the file's id range first: where ids follow the load order (the demo's do), the
          -- history's other row groups are skipped on their min/max instead of read
          and posting_id between (select min(posting_id) from raw_postings) and (select max(posting_id) from raw_postings)
          and posting_id in (select posting_id from raw_postings)
    ) as p on p.posting_id = r.posting_id
),
checked as (
    select
        *,
        concat_ws('; ',
            missing('posting_id', posting_id),
            case when repeated then format('posting_id: not unique in the file — {}', posting_id) end,
            case when loaded_before then format('posting_id: already loaded from another extract — {}', posting_id) end,
            coalesce(missing('account_id', account_id),
                case when not account_known then format('account_id: not among the loaded accounts — {}', account_id) end),
            coalesce(missing('posting_date', posting_date), bad_date('posting_date', posting_date),
                case when try_cast(posting_date as date) > $as_of_date
                          or try_cast(posting_date as date) <= $previous_as_of_date
                    then format('posting_date: outside the extract period — {} not in ({}, {}]', posting_date, coalesce($previous_as_of_date::varchar, '…'), $as_of_date) end),
            coalesce(missing('entry_type', entry_type),
                case when entry_type not in ('disbursement', 'interest', 'penalty_interest', 'late_fee',
                                             'repayment', 'waiver', 'charge_off', 'recovery')
                    then format('entry_type: unknown value — ''{}''', entry_type) end),
            coalesce(missing('amount', amount), bad_money('amount', amount),
                case when try_cast(amount as decimal(38, 2)) <= 0 then 'amount: must be > 0' end)
        ) as reasons
    from src
)
select
    line,
    nullif(reasons, '') as reason,
    case when reasons <> '' then concat_ws(',', csv_field(posting_id), csv_field(account_id), csv_field(posting_date),
        csv_field(entry_type), csv_field(amount)) end as raw_text,
    posting_id,
    account_id,
    try_cast(posting_date as date) as posting_date,
    entry_type,
    try_cast(amount as decimal(18, 2)) as amount
from checked
order by line
