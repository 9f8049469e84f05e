"""Lighting stage: reports, lamps and ways in, the lighting layer, dark places and lamp proposals out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import pandas as pd
from pydantic import Field
from shapely.geometry.base import BaseGeometry

from geo.errors import InputError
from geo.i18n import gettext, number
from geo.layers.lighting.layer import DEFAULT_LIT_WAY_BUFFER_M, DEFAULT_RADIUS_M, build_lighting
from geo.model import Reports
from geo.plan.lighting.followup import FollowUp, follow_up
from geo.plan.lighting.plan import LightingPlan, plan_lighting
from geo.rejects import empty_rejects
from geo.stages._base import Progress, StageResult, StageSettings, quiet

__all__ = ["LightingResult", "LightingSettings", "lighting_stage"]


class LightingSettings(StageSettings):
    """Settings of the lighting stage (``[lighting]`` in the TOML, options of ``geo lighting``)."""

    budget: int = Field(10, ge=1, description="Number of new lamps to propose")
    radius_m: float = Field(
        DEFAULT_RADIUS_M, gt=0, description="Effective lit radius of a lamp (existing and new), in metres"
    )
    lit_way_buffer_m: float = Field(
        DEFAULT_LIT_WAY_BUFFER_M,
        ge=0,
        description="Half-width of the band a way tagged lit=yes lights, in metres (0 ignores lit tags)",
    )
    near_m: float = Field(
        30.0, gt=0, description="Largest distance from a report to the dark stretch it counts for, in metres"
    )
    place_weight: float = Field(
        2.0, ge=0, description="Weight of a resident/safety-walk dark-place report vs. a dark-time incident"
    )
    spacing_m: float = Field(
        10.0, ge=0.5, description="Spacing of candidate lamp positions along dark stretches, in metres"
    )
    method: Literal["mclp", "greedy"] = Field(
        "mclp", description="mclp (spopt + CBC, exact) or greedy (at least 63 % of the optimum)"
    )
    time_limit_s: float = Field(
        60.0, gt=0, description="Time limit of the exact solver (CBC) in seconds; then its best solution"
    )
    follow_up_date: dt.date | None = Field(
        None,
        description="Date lamps were fixed/added (YYYY-MM-DD): dark-time incidents before and after it in "
        "the follow-up area are compared (none: no follow-up)",
    )
    follow_up_days: int | None = Field(
        None,
        ge=1,
        description="Days before and after the follow-up date to compare (none: longest equal windows)",
    )


@dataclass
class LightingResult(StageResult):
    """The lighting layer and plan.

    Attributes
    ----------
    plan
        :class:`geo.plan.lighting.plan.LightingPlan`: ``layer``, ``evidence``, ``dark_places``,
        ``proposals``, ``fixes``; ``plan.map_layers()`` gives the map's frames.
    rejects
        Lamp/way rows not used (``file,row,field,reason,status,value``): the table the reader
        (:func:`geo.io.lamps.read_lighting_sources`) returned, passed through the stage.
    follow_up
        Before/after follow-up of an earlier change (:class:`geo.plan.lighting.followup.FollowUp`), or
        ``None``.
    """

    plan: LightingPlan
    rejects: pd.DataFrame
    follow_up: FollowUp | None = None


def _explain(result: LightingResult, lang: str) -> None:
    """Fill `chosen` with the optimiser's choice and `notes` with why nothing was found, if so."""
    plan, settings = result.plan, result.settings
    props = plan.proposals
    extra = f"; {'; '.join(props.notes)}" if props.notes else ""
    result.chosen["method"] = f"{props.method}: {props.status}{extra}"
    layer = plan.layer
    if not len(layer.ways):
        result.notes.append(
            gettext("inga gångbara vägar bland vägarna; inget att belysa och inga lampor föreslås", lang)
        )
    elif not len(layer.dark_stretches):
        result.notes.append(
            gettext(
                "inga mörka sträckor: alla gångbara vägar ligger inom belysningen (lampradie %(radius)s m); "
                "inga lampor föreslås",
                lang,
                radius=number(settings.radius_m, lang),
            )
        )
    elif not len(plan.evidence):
        result.notes.append(
            gettext(
                "inga rapporter i mörker eller om mörka platser inom %(near)s m från en mörk sträcka; "
                "inga lampor föreslås",
                lang,
                near=number(settings.near_m, lang),
            )
        )


def _follow_up(
    reports: Reports, area: BaseGeometry, settings: LightingSettings, result: LightingResult, lang: str
) -> FollowUp | None:
    """Compare dark-time incidents before and after `settings.follow_up_date`; a note when it cannot."""
    when = pd.Timestamp(settings.follow_up_date)
    try:
        follow = follow_up(reports, affected=area, changed_at=when, window_days=settings.follow_up_days)
    except ValueError:
        result.notes.append(
            gettext(
                "uppföljning: inga brott i mörker både före och efter %(date)s; ingen jämförelse gjord",
                lang,
                date=str(when.date()),
            )
        )
        return None
    if settings.follow_up_days is None:
        days = int(follow.table["days_before"].iloc[0])
        result.chosen["follow_up_days"] = f"{days}: the longest equal windows before and after the data allow"
    return follow


def lighting_stage(
    reports: Reports,
    lamps: gpd.GeoDataFrame,
    ways: gpd.GeoDataFrame,
    settings: LightingSettings,
    *,
    follow_up_area: BaseGeometry | None = None,
    rejects: pd.DataFrame | None = None,
    progress: Progress = quiet,
    lang: str = "sv",
) -> LightingResult:
    """Build the lighting layer, rank dark places, propose new lamps and quick fixes, and follow up.

    Parameters
    ----------
    reports
        Validated reports in a metric CRS; everything is computed in their CRS.
    lamps
        Lamps (``lamp_id``, ``status``) as :func:`geo.io.lamps.read_lighting_sources` returns them, in any
        CRS (reprojected to the reports' CRS).
    ways
        Ways (``way_id``, ``highway``, ``name``, ``lit``), in any CRS (reprojected to the reports' CRS).
    settings
        The stage's settings.
    follow_up_area
        Where lamps were fixed or added (polygon in the reports' CRS); with ``settings.follow_up_date``
        dark-time incidents before and after are compared with a ring around it.
    rejects
        The reader's table of lamp/way rows not used; passed through to ``result.rejects`` (empty when
        ``None``).
    progress
        Called with a message per step.
    lang
        Language of the proposals' reasons and the notes (``sv`` or ``en``).

    Returns
    -------
    result
        The plan (possibly without proposals, with a note saying why), the rejects and the follow-up.

    Raises
    ------
    InputError
        If the reports, lamps or ways have no CRS, or only one of the follow-up date and area is given.
    """
    for name, frame in (("reports", reports), ("lamps", lamps), ("ways", ways)):
        if frame.crs is None:
            raise InputError(f"the {name} have no CRS")
    if (settings.follow_up_date is None) != (follow_up_area is None):
        raise InputError("follow-up needs both a date (--follow-up-date) and an area (--follow-up-area)")
    progress(gettext("Bygger belysningslager", lang))
    layer = build_lighting(
        lamps.to_crs(reports.crs),
        ways.to_crs(reports.crs),
        radius_m=settings.radius_m,
        lit_way_buffer_m=settings.lit_way_buffer_m,
    )
    progress(gettext("Rangordnar mörka platser och placerar lampor", lang))
    plan = plan_lighting(
        reports,
        layer,
        budget=settings.budget,
        near_m=settings.near_m,
        place_weight=settings.place_weight,
        spacing_m=settings.spacing_m,
        method=settings.method,
        time_limit_s=settings.time_limit_s,
        lang=lang,
    )
    table = rejects if rejects is not None else empty_rejects()
    result = LightingResult(settings=settings, plan=plan, rejects=table)
    _explain(result, lang)
    if follow_up_area is not None:
        progress(gettext("Uppföljning", lang))
        result.follow_up = _follow_up(reports, follow_up_area, settings, result, lang)
    return result
