"""Backtest stage: reports in, the rolling-origin comparison of forecast methods and the one to trust out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from pydantic import Field, field_validator, model_validator

from geo.forecast.backtest import backtest
from geo.forecast.events import events_from_reports
from geo.forecast.methods import METHODS
from geo.forecast.predict import as_of_moment, check_method
from geo.i18n import gettext, pct
from geo.model import Reports
from geo.stages._base import Progress, StageResult, StageSettings, quiet

__all__ = ["BacktestResult", "BacktestSettings", "backtest_stage"]

_DAY = pd.Timedelta(days=1)


class BacktestSettings(StageSettings):
    """Settings of the backtest (options of ``geo backtest``); the weeks tested are arguments of the stage."""

    cell_m: float = Field(150.0, gt=0, description="Cell side in metres")
    methods: list[str] = Field(
        default_factory=list,
        description=f"Methods to compare, comma-separated (the baselines are always added): "
        f"{', '.join(METHODS)}; none given: every method",
    )
    active_from: dt.date | None = Field(
        None, description="Start date of a fixed reference period for active cells (with active_to)"
    )
    active_to: dt.date | None = Field(None, description="End date (inclusive) of that reference period")
    active_days: int = Field(
        365,
        ge=1,
        description="Otherwise: active = >= 1 incident in this many days before each week",
    )
    history_days: int | None = Field(
        None, ge=1, description="Limit every method to this many days of history (none: all before each week)"
    )
    seed: int = Field(0, description="Random seed for the learned method")

    @field_validator("methods")
    @classmethod
    def _known_methods(cls, value: list[str]) -> list[str]:
        return [check_method(m) for m in value]

    @model_validator(mode="after")
    def _period(self) -> BacktestSettings:
        if (self.active_from is None) != (self.active_to is None):
            raise ValueError("give both --active-from and --active-to, or neither")
        if self.active_from is not None and self.active_to is not None and self.active_to < self.active_from:
            raise ValueError("--active-to must not be before --active-from")
        return self


@dataclass
class BacktestResult(StageResult):
    """What a backtest found.

    Attributes
    ----------
    weeks, summary, recommended
        As in :class:`geo.forecast.backtest.BacktestResult` (the weekly scores, their summary per method
        and coverage, and the method to trust; ``""`` when nothing could be tested).
    start
        The first forecast moment (local midnight).
    """

    weeks: pd.DataFrame
    summary: pd.DataFrame
    recommended: str
    start: pd.Timestamp


def backtest_stage(
    reports: Reports,
    settings: BacktestSettings,
    *,
    start: pd.Timestamp | str,
    weeks: int,
    progress: Progress = quiet,
    lang: str = "sv",
) -> BacktestResult:
    """Run the rolling-origin backtest: each week fit on the past only, forecast the next 7 days, score it.

    Parameters
    ----------
    reports
        Validated reports in a metric CRS (only point reports count).
    settings
        The stage's settings.
    start
        First forecast date: its local midnight in the reports' zone is the first forecast moment.
    weeks
        Number of weekly forecasts.
    progress
        Called with a message after each forecast (``"3/18 2016-03-14 sepp"``).
    lang
        Language of the notes and the reason in ``chosen`` (``"sv"`` or ``"en"``).

    Returns
    -------
    result
        Weekly and summary scores and the recommended method (empty tables and a note when there are no
        point reports).

    Raises
    ------
    ValueError
        If `weeks` < 1.
    """
    tz = str(reports["occurred_at"].dt.tz)
    first = as_of_moment(start, tz)
    empty = pd.DataFrame()
    result = BacktestResult(settings=settings, weeks=empty, summary=empty, recommended="", start=first)
    events = events_from_reports(reports)
    if len(events) == 0:
        result.notes.append(gettext("inga punktrapporter att backtesta på", lang))
        return result
    fixed = settings.active_from is not None and settings.active_to is not None
    res = backtest(
        events,
        start=first,
        weeks=weeks,
        methods=settings.methods or None,
        cell_m=settings.cell_m,
        active_from=as_of_moment(pd.Timestamp(settings.active_from), tz) if fixed else None,
        active_to=as_of_moment(pd.Timestamp(settings.active_to), tz) + _DAY if fixed else None,
        active_days=settings.active_days,
        history_days=settings.history_days,
        seed=settings.seed,
        progress=lambda step, total, message: progress(f"{step}/{total} {message}"),
    )
    result.weeks, result.summary, result.recommended = res.weeks, res.summary, res.recommended
    result.chosen["recommended"] = gettext(
        "%(method)s: högst relativ PAI bland metoderna minst lika bra som count_365 vid %(share)s",
        lang,
        method=res.recommended,
        share=pct(0.05, lang, decimals=0),
    )
    return result
