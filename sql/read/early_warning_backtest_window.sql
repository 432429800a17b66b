select *
from mart.early_warning_backtest
where month between $first_month and $month
order by month
