"""Patrol stage: reports and places (hot-spots) in, the week's patrol plan out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
from pydantic import Field, field_validator

from geo.i18n import gettext
from geo.model import Reports
from geo.plan.patrol import PatrolPlan, empty_plan, plan_patrols
from geo.plan.patrol_places import patrollable
from geo.stages._base import Progress, StageResult, StageSettings, quiet
from geo.time.weeks import next_iso_week, parse_shift, parse_week

__all__ = ["PatrolResult", "PatrolSettings", "patrol_stage", "select_reports"]


class PatrolSettings(StageSettings):
    """Settings of the patrol stage (``[patrol]`` in the TOML, options of ``geo patrol``)."""

    week: str | None = Field(
        None, description="ISO week YYYY-Www to plan; default the week after the period (or after today)"
    )
    shifts: list[str] = Field(
        default_factory=lambda: ["15-23", "23-07"],
        min_length=1,
        description="Daily shifts HH-HH or HH:MM-HH:MM in local time, each on all seven days; may pass "
        "midnight (23-07)",
    )
    visits_per_shift: int = Field(
        6, ge=1, description="Most visits per shift and patrol unit (a ceiling: quiet time is left free)"
    )
    units: int = Field(1, ge=1, description="Patrol units per shift, each with its own route")
    min_gain_share: float = Field(
        0.1,
        ge=0,
        le=1,
        description="A visit is planned only when it covers at least this share of the best visit's "
        "expected incidents",
    )
    min_expected_per_hour: float = Field(
        1.0,
        ge=0,
        description="... and only when its place had at least this many incidents per hour of visit in the "
        "visit's weekly time window over the history (1: not where under one incident happened); time "
        "without such a visit is reported free",
    )
    visit_min: int = Field(15, ge=1, le=240, description="Length of one visit in minutes")
    history_days: int = Field(
        365, ge=1, description="Days of history counted before the planning week (or the data's end)"
    )
    speed_kmh: float = Field(30.0, gt=0, description="Travel speed between places in km/h")
    sources: list[str] = Field(
        default_factory=list,
        description="Count only reports of these sources, e.g. police (empty: all)",
    )

    @field_validator("week")
    @classmethod
    def _week(cls, v: str | None) -> str | None:
        if v is not None:
            parse_week(v)
        return v

    @field_validator("shifts")
    @classmethod
    def _shifts(cls, v: list[str]) -> list[str]:
        for s in v:
            parse_shift(s)
        return v


_TRAVEL = {
    "gatunät": "gatunät: kortaste väg på de givna gatorna",
    "fågelvägen": "fågelvägen: inga gator givna",
}


@dataclass
class PatrolResult(StageResult):
    """The week's patrol plan.

    Attributes
    ----------
    plan
        :class:`geo.plan.patrol.PatrolPlan` (``visits``: the plan; ``naive``: the naive comparison plan;
        ``routes``; shares and assumptions).
    places
        The places planned over (hot-spots), metric CRS.
    """

    plan: PatrolPlan
    places: gpd.GeoDataFrame


def select_reports(reports: Reports, settings: PatrolSettings) -> Reports:
    """Return the reports the patrol stage counts: those of `settings.sources` (all when empty)."""
    if not settings.sources:
        return reports
    keep = reports["source"].astype("string").isin(settings.sources).fillna(False).to_numpy(dtype=bool)
    return Reports(reports.loc[keep])


def _planning_week(settings: PatrolSettings, today: dt.date | None) -> tuple[str, str | None]:
    """Return the week to plan and, when the stage chose it, why."""
    if settings.week is not None:
        return settings.week, None
    when = today or dt.date.today()
    week = next_iso_week(when)
    return week, f"{week}: veckan efter {when:%Y-%m-%d}"


def _nothing_to_plan(
    reports: Reports, counted: Reports, places: gpd.GeoDataFrame, settings: PatrolSettings, lang: str
) -> str | None:
    """Return why there is nothing to plan (in `lang`), or ``None``; raise when no report has a point."""
    if not len(counted):
        if not settings.sources:
            return gettext("inga rapporter; ingen patrullplan", lang)
        have = sorted(reports["source"].dropna().astype(str).unique())
        return gettext(
            "inga rapporter från källorna %(sources)s (data har källorna %(have)s); ingen patrullplan",
            lang,
            sources=", ".join(settings.sources),
            have=", ".join(have) or gettext("inga", lang),
        )
    patrollable(counted)
    if not len(places):
        return gettext("inga platser (hot-spots) att planera för; ingen patrullplan", lang)
    return None


def patrol_stage(
    reports: Reports,
    places: gpd.GeoDataFrame,
    settings: PatrolSettings,
    *,
    streets: gpd.GeoDataFrame | None = None,
    today: dt.date | None = None,
    progress: Progress = quiet,
    lang: str = "sv",
) -> PatrolResult:
    """Plan the week's patrol visits over `places` (:func:`geo.plan.patrol.plan_patrols`).

    Parameters
    ----------
    reports
        Validated reports in a metric CRS; the point reports of `settings.sources` in the history window
        give each place's activity.
    places
        Places to visit, e.g. the hot-spot stage's hot-spots (``hotspot_id``, ``label``, polygons), in
        a metric CRS.
    settings
        The stage's settings.
    streets
        Street lines for travel times on the network (straight lines when ``None``).
    today
        The present date (``geo run``: the period's last day); the week planned is the ISO week after it
        unless `settings.week` is given. Default the clock's date.
    progress
        Called with a message per step.
    lang
        Language of the notes (``sv`` or ``en``).

    Returns
    -------
    result
        The plan (without visits, and a note saying why, when there is nothing to plan) and the places.

    Raises
    ------
    ValueError
        If the reports have no point position, the history window holds no incident, a shift is shorter than
        a visit, or the places lack an id column.
    """
    from geo.hotspots.segments import corridor_places

    week, why_week = _planning_week(settings, today)
    counted = select_reports(reports, settings)
    nothing = _nothing_to_plan(reports, counted, places, settings, lang)
    if nothing is not None:
        plan = empty_plan(
            week=week,
            shifts=settings.shifts,
            crs=places.crs,
            visits_per_shift=settings.visits_per_shift,
            visit_min=settings.visit_min,
            speed_kmh=settings.speed_kmh,
            notes=[nothing],
            units=settings.units,
        )
    else:
        progress(gettext("Patrullplan", lang))
        plan = plan_patrols(
            corridor_places(places),  # hot streets (lines) are visited along their corridor
            counted,
            week=week,
            shifts=settings.shifts,
            visits_per_shift=settings.visits_per_shift,
            visit_min=settings.visit_min,
            history_days=settings.history_days,
            speed_kmh=settings.speed_kmh,
            streets=streets,
            units=settings.units,
            min_gain_share=settings.min_gain_share,
            min_expected_per_hour=settings.min_expected_per_hour,
        )
    result = PatrolResult(settings=settings, plan=plan, places=places)
    if why_week is not None:
        result.chosen["week"] = why_week
    if nothing is not None:
        result.notes.append(nothing)
    else:
        result.chosen["travel"] = _TRAVEL[plan.travel]
        result.notes.extend([plan.gain_text(lang), plan.capacity_text(lang), *plan.free_text(lang)])
    return result
