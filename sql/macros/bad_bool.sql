-- reason when a present value is not true/false
create or replace temp macro bad_bool(name, x) as
    case
        when x is null then null
        when lower(trim(x)) not in ('true', 'false') then format('{}: not true/false — ''{}''', name, x)
    end
