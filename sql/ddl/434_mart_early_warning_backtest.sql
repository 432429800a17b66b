-- out-of-time back-test: in reporting month m, the scores of m − horizon against the outcome now known
create table if not exists mart.early_warning_backtest (
    month date not null,
    scored_month date not null,
    accounts bigint not null,
    bads bigint not null,
    bad_rate double,
    mean_score double,
    auc double,
    gini double,
    ks double,
    watchlist_accounts bigint not null,
    watchlist_bads bigint not null,
    watchlist_hit_rate double,
    rest_accounts bigint not null,
    rest_bads bigint not null,
    rest_bad_rate double,
    watchlist_vs_rest double,
    watchlist_capture_rate double,
    gini_floor double not null,
    gini_below_floor boolean
)
