"""Forecasting where incidents will happen next week, and an honest rolling-origin backtest.

Public API::

    forecast_cells(reports, *, as_of, horizon_days=7, method=DEFAULT_METHOD, cell_m=150) -> GeoDataFrame
    forecast_points(reports, x, y, *, as_of, ...) -> ndarray
    backtest(events_from_reports(reports), *, start, weeks, methods=None, cell_m=150, ...) -> BacktestResult
    score_forecast(risk, truth, *, coverage_pct) -> WeekScore

Only data known strictly before the forecast moment is used (:func:`geo.forecast.events.past_only`).
"""

from geo.forecast.backtest import COVERAGES_PCT, BacktestResult, backtest, recommend, summarise
from geo.forecast.events import Events, events_from_reports, past_only, to_days
from geo.forecast.methods import BASELINES, METHODS, Method
from geo.forecast.predict import DEFAULT_METHOD, as_of_moment, forecast_cells, forecast_points, risk_on_grid
from geo.forecast.score import WeekScore, score_forecast

__all__ = [
    "BASELINES",
    "COVERAGES_PCT",
    "DEFAULT_METHOD",
    "METHODS",
    "BacktestResult",
    "Events",
    "Method",
    "WeekScore",
    "as_of_moment",
    "backtest",
    "events_from_reports",
    "forecast_cells",
    "forecast_points",
    "past_only",
    "recommend",
    "risk_on_grid",
    "score_forecast",
    "summarise",
    "to_days",
]
