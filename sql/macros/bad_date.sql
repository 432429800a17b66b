-- reason when a present value is not a yyyy-mm-dd date
create or replace temp macro bad_date(name, x) as
    case
        when x is null then null
        when not regexp_full_match(x, '[0-9]{4}-[0-9]{2}-[0-9]{2}') or try_cast(x as date) is null
            then format('{}: not a date (YYYY-MM-DD) — ''{}''', name, x)
    end
