"""Patrol stage: reports and places (hot-spots) in, the week's patrol plan out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
from pydantic import Field

from geo.stages._base import StageResult, StageSettings

__all__ = ["PatrolResult", "PatrolSettings"]


class PatrolSettings(StageSettings):
    """Settings of the patrol stage (``[patrol]`` in the TOML, options of ``geo patrol``)."""

    week: str | None = Field(None, description="ISO week YYYY-Www to plan; default the week after the period")
    shifts: list[str] = Field(
        default_factory=lambda: ["15-23", "23-07"], description="Daily shifts HH-HH, may pass midnight"
    )
    visits_per_shift: int = Field(6, ge=1, description="Most visits per shift")
    visit_min: int = Field(15, ge=1, description="Length of a visit in minutes")
    history_days: int = Field(365, ge=1, description="Days of history that count")


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

    plan: Any
    places: gpd.GeoDataFrame
