create or replace temp macro missing(name, x) as
    case when x is null or trim(x) = '' then format('{}: missing', name) end
