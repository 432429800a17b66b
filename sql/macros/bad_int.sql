-- reason when a present value is not a plain integer ('12.5' and '1e3' are refused, not rounded)
create or replace temp macro bad_int(name, x) as
    case
        when x is null then null
        when not regexp_full_match(trim(x), '[+-]?[0-9]{1,9}') then format('{}: not an integer — ''{}''', name, x)
    end
