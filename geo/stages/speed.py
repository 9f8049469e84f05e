"""Speed stage: road segments and speed measurements in, the speed layer and enforcement plan out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import geopandas as gpd
import pandas as pd
from pydantic import Field, field_validator

from geo.i18n import gettext, number
from geo.model import Reports
from geo.stages._base import Progress, StageResult, StageSettings, quiet

if TYPE_CHECKING:
    from geo.layers.speed.layer import SpeedLayer

__all__ = ["SpeedResult", "SpeedSettings", "speed_stage"]

_SEGMENT_NEEDS = ("segment_id", "street", "limit_kmh", "oneway")
_MEASUREMENT_NEEDS = ("row", "kind", "time", "count", "speed_kmh", "mean_kmh", "p85_kmh", "segment_id")


class SpeedSettings(StageSettings):
    """Settings of the speed stage (``[speed]`` in the TOML, options of ``geo speed``)."""

    checks: int = Field(10, ge=1, description="Number of speed checks the capacity allows (e.g. per week)")
    check_min: int = Field(60, ge=1, description="Length of one check in minutes")
    margin_kmh: float = Field(
        10.0, ge=0, description="A pass counts as a catch when faster than the limit + this margin, in km/h"
    )
    band_hours: int = Field(
        2,
        ge=1,
        le=24,
        description="Hours per time band speeds are summarised in (1, 2, 3, 4, 6, 8, 12 or 24)",
    )
    day_groups: Literal["weekday_weekend", "each_day", "all"] = Field(
        "weekday_weekend",
        description="Weekday groups of the time windows: weekday_weekend (mån–fre, lör–sön), each_day or all",
    )
    tolerance_m: float = Field(
        30.0, gt=0, description="Largest distance from a measurement to its road segment, in metres"
    )
    report_tolerance_m: float = Field(
        50.0, gt=0, description="Largest distance from a traffic report to its road segment, in metres"
    )

    @field_validator("band_hours")
    @classmethod
    def _divides_the_day(cls, v: int) -> int:
        if 24 % v:
            raise ValueError(f"must divide 24 (1, 2, 3, 4, 6, 8, 12 or 24), got {v}")
        return v


@dataclass
class SpeedResult(StageResult):
    """The speed layer and enforcement plan.

    Attributes
    ----------
    layer
        :class:`geo.layers.speed.layer.SpeedLayer` (``segments``, ``windows``, ``reports``, ...).
    plan
        The enforcement plan (:func:`geo.plan.enforcement.plan_enforcement`), one row a check, metric CRS.
    rejects
        Segment and measurement rows not used or warned about (``file,row,field,reason,status,value``): the
        readers' rows given to :func:`speed_stage`, then the matching's, merged by file and row.
    """

    layer: SpeedLayer
    plan: gpd.GeoDataFrame
    rejects: pd.DataFrame


def speed_stage(
    segments: gpd.GeoDataFrame,
    measurements: gpd.GeoDataFrame,
    settings: SpeedSettings,
    *,
    reports: Reports | None = None,
    rejects: Sequence[pd.DataFrame] = (),
    progress: Progress = quiet,
    lang: str = "sv",
) -> SpeedResult:
    """Match measurements and traffic reports to road segments, summarise speeds and plan speed checks.

    Parameters
    ----------
    segments
        Road segments with limits (:func:`geo.io.segments.read_segments`), metric CRS.
    measurements
        Speed measurements (the ``frame`` of :func:`geo.io.measurements.read_measurements`); reprojected to
        the segments' CRS if needed.
    settings
        The stage's settings.
    reports
        Reports (any CRS); the traffic-related ones with a point position are attached to segments and raise
        the value of a check in their window.
    rejects
        The readers' rejection tables (segments', then measurements'), carried into ``result.rejects``.
    progress
        Called with a message per step.
    lang
        Language of the notes (``sv`` or ``en``).

    Returns
    -------
    result
        The layer, the plan (possibly empty, with a note saying why) and the rejection table.

    Raises
    ------
    ValueError
        If a frame lacks a column the stage needs, or the segments are not in a metric CRS.
    """
    from geo.layers.speed.layer import build_speed_layer
    from geo.plan.enforcement import plan_enforcement

    _require(segments, _SEGMENT_NEEDS, "segments")
    _require(measurements, _MEASUREMENT_NEEDS, "measurements")
    if measurements.crs is not None and segments.crs is not None and measurements.crs != segments.crs:
        measurements = measurements.to_crs(segments.crs)
    progress(gettext("Hastighet per vägsegment", lang))
    layer = build_speed_layer(
        segments,
        measurements,
        reports=reports,
        tolerance_m=settings.tolerance_m,
        report_tolerance_m=settings.report_tolerance_m,
        band_hours=settings.band_hours,
        day_groups=settings.day_groups,
    )
    progress(gettext("Hastighetskontroller", lang))
    plan = plan_enforcement(
        layer, checks=settings.checks, check_min=settings.check_min, margin_kmh=settings.margin_kmh
    )
    result = SpeedResult(
        settings=settings,
        layer=layer,
        plan=plan,
        rejects=_merge_rejects(rejects, layer.rejects, measurements),
    )
    result.chosen["kind"] = _kind_reason(layer.kind)
    result.notes.extend(_notes(layer, plan, len(measurements), settings, lang))
    return result


def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lack the columns {missing}; read them with geo.io ({what} reader)")


def _merge_rejects(
    readers: Sequence[pd.DataFrame], matching: pd.DataFrame, measurements: pd.DataFrame
) -> pd.DataFrame:
    """Return the readers' rows with the matching's merged into their measurement file's, by row."""
    from geo.rejects import REJECT_COLUMNS

    given = [r[REJECT_COLUMNS] for r in readers if len(r)]
    table = pd.concat(given, ignore_index=True) if given else pd.DataFrame(columns=REJECT_COLUMNS)
    files = set(measurements["file"]) if "file" in measurements.columns else set()
    is_meas = table["file"].isin(files).to_numpy(dtype=bool)
    of_files = [r for r in (table[is_meas], matching) if len(r)]
    merged = (
        pd.concat(of_files, ignore_index=True).sort_values(["file", "row"], kind="stable")
        if of_files
        else None
    )
    parts = [r for r in (table[~is_meas], merged) if r is not None and len(r)]
    if not parts:
        return pd.DataFrame(columns=REJECT_COLUMNS)
    return pd.concat(parts, ignore_index=True)[REJECT_COLUMNS].reset_index(drop=True)


def _kind_reason(kind: str) -> str:
    if kind == "hourly":
        return (
            "hourly: timaggregat; andelar och 85:e percentil via normalapproximation "
            "(spridning från p85 − medel, annars 12 % av medel)"
        )
    return "passes: enskilda passager räknas som de är"


def _notes(
    layer: SpeedLayer, plan: gpd.GeoDataFrame, n_rows: int, settings: SpeedSettings, lang: str
) -> list[str]:
    n_matched = len(layer.measurements)
    matched = number(n_matched, lang)
    notes = [
        gettext(
            "%(matched)s av %(rows)s mätrader kopplade till vägsegment",
            lang,
            matched=matched,
            rows=number(n_rows, lang),
        )
    ]
    if n_rows == 0:
        notes.append(gettext("inga mätningar; ingen kontroll föreslås", lang))
    elif n_matched == 0:
        notes.append(
            gettext(
                "ingen mätning låg inom %(tolerance)s m från ett vägsegment (eller angav ett känt "
                "segment-id); ingen kontroll föreslås",
                lang,
                tolerance=number(settings.tolerance_m, lang),
            )
        )
    elif not len(plan):
        notes.append(
            gettext(
                "ingen kontroll föreslås: inget tidsfönster med minst 20 passager har fordon över gränsen + "
                "%(margin)s km/h, och inga trafikklagomål utan mätning",
                lang,
                margin=number(settings.margin_kmh, lang),
            )
        )
    return notes
