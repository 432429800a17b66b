-- reason when a value is absent: null, empty or only spaces. A value that starts with a printable
-- ascii character (almost all of them) is present without trimming it: trim strips space characters only
create or replace temp macro missing(name, x) as
    case
        when x is null then format('{}: missing', name)
        when ascii(x) between 33 and 126 then null
        when trim(x) = '' then format('{}: missing', name)
    end
