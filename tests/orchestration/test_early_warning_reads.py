"""What the pack reads of a stored early-warning model: the score bands each month was scored with."""

from datetime import date

import polars as pl

from orchestration.warehouse import append, connect, frame
from reports.early_warning_section import SCORED_WITH
from transforms.early_warning import FEATURES, Model, ScoreSettings, Thresholds, model_frame

JULY, OCTOBER = date(2026, 7, 1), date(2026, 10, 1)


def _model(month: date, settings: ScoreSettings) -> Model:
    return Model(month=month, fit_first_month=date(2025, 8, 1), fit_last_month=date(2026, 6, 1), fit_months=11,
                 accounts=1_000, bads=30, features=FEATURES, coefficients=tuple(0.1 for _ in FEATURES),
                 intercept=-3.0, thresholds=Thresholds(), settings=settings, sklearn_version="1.5.2")


def test_the_model_facts_and_the_back_test_bands_carry_the_cuts_they_were_scored_with(tmp_path):
    """July scored with the cuts of its day, October with new ones: October's facts carry October's,
    its back-test of July's scores carries July's."""
    july = ScoreSettings(band_cuts=(0.03, 0.06, 0.15, 0.25), watchlist_band="E")
    october = ScoreSettings(band_cuts=(0.01, 0.02, 0.04, 0.08), watchlist_band="C")
    bands = pl.DataFrame({"month": [OCTOBER] * 2, "scored_month": [JULY] * 2, "band": ["A", "E"],
                          "accounts": [900, 100], "bads": [10, 20], "bad_rate": [10 / 900, 0.2],
                          "lift": [0.37, 6.7], "mean_score": [0.01, 0.3], "account_share": [0.9, 0.1]})
    with connect(tmp_path / "warehouse.duckdb") as con:
        append(con, "mart.early_warning_model", pl.concat([model_frame(_model(JULY, july)),
                                                            model_frame(_model(OCTOBER, october))]))
        append(con, "mart.early_warning_bands", bands)
        facts = frame(con, "read/early_warning_model_facts", {"month": OCTOBER})
        backtest = frame(con, "read/month_early_warning_bands", {"month": OCTOBER})
        none_yet = frame(con, "read/early_warning_model_facts", {"month": date(2026, 11, 1)})
    assert facts.select(SCORED_WITH).rows() == [(0.01, 0.02, 0.04, 0.08, 2.0)]
    assert backtest.select(SCORED_WITH).unique().rows() == [(0.03, 0.06, 0.15, 0.25, 4.0)]
    assert backtest.height == 2 and none_yet.height == 0
