"""Speed stage: road segments and speed measurements in, the speed layer and enforcement plan out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
from pydantic import Field

from geo.stages._base import StageResult, StageSettings

__all__ = ["SpeedResult", "SpeedSettings"]


class SpeedSettings(StageSettings):
    """Settings of the speed stage (``[speed]`` in the TOML, options of ``geo speed``)."""

    checks: int = Field(10, ge=1, description="Speed checks to plan")
    check_min: int = Field(60, ge=1, description="Length of one check in minutes")
    margin_kmh: float = Field(10.0, ge=0, description="Speeds above limit + margin count as serious, km/h")
    band_hours: int = Field(2, ge=1, le=24, description="Width of the hour bands speeds are summarised in")
    tolerance_m: float = Field(
        30.0, gt=0, description="Largest distance from a measurement to its segment, in metres"
    )


@dataclass
class SpeedResult(StageResult):
    """The speed layer and enforcement plan.

    Attributes
    ----------
    layer
        :class:`geo.layers.speed.SpeedLayer` (``segments``, ``windows``, ``reports``, ...).
    plan
        The enforcement plan, one row a check, metric CRS.
    rejects
        Segment and measurement rows not used or warned about (``file,row,field,reason,status,value``).
    """

    layer: Any
    plan: gpd.GeoDataFrame
    rejects: pd.DataFrame
