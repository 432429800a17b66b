-- one field as it would be written in a csv line, to show a quarantined row as delivered
create or replace temp macro csv_field(x) as
    case
        when x is null then ''
        when contains(x, ',') or contains(x, '"') or contains(x, chr(10)) then '"' || replace(x, '"', '""') || '"'
        else x
    end
