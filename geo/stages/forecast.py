"""Forecast stage: reports up to a moment in, next days' risk per grid cell out."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from pydantic import Field, field_validator
from shapely.geometry.base import BaseGeometry

from geo.forecast.events import Events, events_from_reports, past_only, to_days
from geo.forecast.methods import METHODS
from geo.forecast.predict import DEFAULT_METHOD, as_of_moment, cells_frame, check_method, grid_risk
from geo.i18n import gettext, ngettext
from geo.model import Reports
from geo.stages._base import Progress, StageResult, StageSettings, quiet

__all__ = ["ForecastResult", "ForecastSettings", "forecast_stage"]

TABLE_COLUMNS = ("cell_id", "x", "y", "risk", "rank", "lat", "lon", "method", "as_of", "horizon_days")
"""Columns of :attr:`ForecastResult.table`, in order (``forecast.csv``)."""


class ForecastSettings(StageSettings):
    """Settings of the forecast stage (``[forecast]`` in the TOML, options of ``geo forecast``)."""

    horizon_days: int = Field(7, ge=1, description="Days ahead the risk refers to")
    method: str | None = Field(
        None,
        description=f"Method: {', '.join(METHODS)}. Default: {DEFAULT_METHOD} "
        "(won the project's reference backtests)",
    )
    cell_m: float = Field(150.0, gt=0, description="Cell side in metres")
    top: int = Field(50, ge=1, description="Highest-risk cells drawn on the map")
    history_days: int | None = Field(
        None, ge=1, description="Use at most this many days of history before the forecast moment (none: all)"
    )
    seed: int = Field(0, description="Random seed for the learned method")

    @field_validator("method")
    @classmethod
    def _known_method(cls, value: str | None) -> str | None:
        return None if value is None else check_method(value)


@dataclass
class ForecastResult(StageResult):
    """Next days' risk per cell.

    Attributes
    ----------
    table
        One row a cell, best first: ``cell_id, x, y, risk, rank, lat, lon, method, as_of, horizon_days``
        (``x``, ``y``: cell centre in the reports' CRS; ``lat``, ``lon``: WGS84; ``as_of`` ISO text).
    cells
        The `settings.top` best cells as squares (metric CRS) with ``method``, for the map.
    method
        The method used.
    as_of
        The forecast moment (local midnight); ``NaT`` when there were no reports to date it from.
    at_risk
        Risk at each position given as ``at``, in their order (``None`` without ``at``).
    """

    table: pd.DataFrame
    cells: gpd.GeoDataFrame
    method: str
    as_of: pd.Timestamp
    at_risk: np.ndarray | None = None


def _empty(reports: Reports, settings: ForecastSettings, method: str) -> ForecastResult:
    """Return a result without cells (columns and CRS as a full one)."""
    table = pd.DataFrame({c: pd.Series(dtype="object") for c in TABLE_COLUMNS})
    cells = gpd.GeoDataFrame(table[["cell_id", "x", "y", "risk", "rank"]], geometry=[], crs=reports.crs)
    cells["method"] = pd.Series(dtype="object")
    return ForecastResult(
        settings=settings, table=table, cells=cells, method=method, as_of=pd.Timestamp("NaT")
    )


def _moment(
    reports: Reports, as_of: pd.Timestamp | str | None, result: ForecastResult, lang: str
) -> pd.Timestamp | None:
    """Return local midnight of `as_of`, by default the one after the latest report (``None``: no reports)."""
    tz = str(reports["occurred_at"].dt.tz)
    if as_of is not None:
        return as_of_moment(as_of, tz)
    last = reports["occurred_at"].max()
    if pd.isna(last):
        return None
    moment = as_of_moment((last + pd.Timedelta(days=1)).normalize(), tz)
    result.chosen["as_of"] = gettext(
        "%(moment)s: lokal midnatt efter sista rapporten", lang, moment=moment.isoformat()
    )
    return moment


def _unused_reports(reports: Reports, moment: pd.Timestamp) -> int:
    """Count the reports at or after the moment, or whose time window ends at or after it: never used."""
    start, end = reports["occurred_at"], reports["occurred_to"]
    return int((start >= moment).sum() + ((end >= moment) & (start < moment)).sum())


def _table(cells: gpd.GeoDataFrame, method: str, moment: pd.Timestamp, horizon_days: int) -> pd.DataFrame:
    """Return the cells as the result's table: centre in WGS84 beside the metric one, method and moment."""
    centres = gpd.GeoSeries(gpd.points_from_xy(cells["x"], cells["y"]), crs=cells.crs).to_crs("EPSG:4326")
    table = pd.DataFrame(cells.drop(columns="geometry"))
    table["lat"] = centres.y.round(6).to_numpy()
    table["lon"] = centres.x.round(6).to_numpy()
    table["method"] = method
    table["as_of"] = moment.isoformat()
    table["horizon_days"] = horizon_days
    return table


def _in_area(cells: gpd.GeoDataFrame, area: BaseGeometry) -> gpd.GeoDataFrame:
    """Return the cells touching `area`, ranked again among themselves."""
    kept = cells[cells.intersects(area)].copy()
    kept["rank"] = kept["risk"].rank(ascending=False, method="min").astype("int64")
    return kept


def _forecast(
    events: Events,
    settings: ForecastSettings,
    method: str,
    moment: pd.Timestamp,
    at: tuple[np.ndarray, np.ndarray] | None,
    crs: object,
) -> tuple[gpd.GeoDataFrame, np.ndarray | None]:
    """Return the risk per cell (and at the `at` positions) from the events known before `moment`."""
    x, y = (np.asarray(at[0], dtype=float), np.asarray(at[1], dtype=float)) if at else (np.empty(0),) * 2
    grid, risk = grid_risk(
        events,
        x,
        y,
        as_of=moment,
        horizon_days=settings.horizon_days,
        method=method,
        cell_m=settings.cell_m,
        history_days=settings.history_days,
        seed=settings.seed,
    )
    at_risk = risk[grid.flat_index(x, y)] if at is not None else None
    return cells_frame(grid, risk, crs=crs), at_risk


def forecast_stage(
    reports: Reports,
    settings: ForecastSettings,
    *,
    as_of: pd.Timestamp | str | None = None,
    at: tuple[np.ndarray, np.ndarray] | None = None,
    area: BaseGeometry | None = None,
    progress: Progress = quiet,
    lang: str = "sv",
) -> ForecastResult:
    """Forecast the next `settings.horizon_days` days' risk per grid cell from the reports before `as_of`.

    Reports known at or after the forecast moment are never used, even when `reports` holds them.

    Parameters
    ----------
    reports
        Validated reports in a metric CRS (only point reports count).
    settings
        The stage's settings.
    as_of
        Forecast date (or timestamp): its local midnight in the reports' zone is the forecast moment.
        Default: the local midnight after the latest report.
    at
        Positions ``(x, y)`` in the reports' CRS (metres) to give the risk at (``geo forecast --at``); the
        grid then also covers them. Each gets the risk of the `settings.cell_m` cell it falls in.
    area
        Study polygon in the reports' CRS: only cells touching it are kept (and ranked among themselves).
    progress
        Called with a message per step.
    lang
        Language of the notes, the reasons in ``chosen`` and the progress messages (``"sv"`` or ``"en"``).

    Returns
    -------
    result
        The cells best first (none, with a note saying why, when no report lies before the moment).

    Raises
    ------
    ValueError
        If the reports spread too wide for a grid (see :func:`geo.grid.grid_for`).
    """
    method = settings.method or DEFAULT_METHOD
    result = _empty(reports, settings, method)
    if settings.method is None:
        result.chosen["method"] = gettext("%(method)s: vann referens-backtesten", lang, method=method)
    moment = _moment(reports, as_of, result, lang)
    if moment is None:
        result.notes.append(gettext("inga rapporter: ingen prognos", lang))
        return result
    result.as_of = moment
    unused = _unused_reports(reports, moment)
    if unused:
        result.notes.append(
            ngettext(
                "%(num)s rapport vid eller efter prognostillfället används inte",
                "%(num)s rapporter vid eller efter prognostillfället används inte",
                unused,
                lang,
            )
        )
    events = events_from_reports(reports)
    if len(past_only(events, float(to_days(moment)))) == 0:
        result.notes.append(
            gettext(
                "inga punktrapporter före %(moment)s: inget att göra prognos från",
                lang,
                moment=moment.isoformat(),
            )
        )
        return result
    progress(gettext("Prognos (%(method)s)", lang, method=method))
    cells, result.at_risk = _forecast(events, settings, method, moment, at, reports.crs)
    if area is not None:
        cells = _in_area(cells, area)
    cells = cells.sort_values("rank", kind="stable").reset_index(drop=True)
    result.table = _table(cells, method, moment, settings.horizon_days)
    result.cells = cells.head(settings.top).assign(method=method)
    if area is not None and cells.empty:
        result.notes.append(gettext("inga celler i studieområdet", lang))
    return result
