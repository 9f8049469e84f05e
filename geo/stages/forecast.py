"""Forecast stage: reports up to a moment in, next days' risk per grid cell out."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from pydantic import Field

from geo.stages._base import StageResult, StageSettings

__all__ = ["ForecastResult", "ForecastSettings"]


class ForecastSettings(StageSettings):
    """Settings of the forecast stage (``[forecast]`` in the TOML, options of ``geo forecast``)."""

    horizon_days: int = Field(7, ge=1, description="Days ahead to forecast")
    method: str | None = Field(None, description="Forecast method; default the recommended one")
    cell_m: float = Field(150.0, gt=0, description="Cell side in metres")
    top: int = Field(50, ge=1, description="Highest-risk cells drawn on the map")


@dataclass
class ForecastResult(StageResult):
    """Next days' risk per cell.

    Attributes
    ----------
    table
        One row a cell, best first: ``cell_id, x, y, lat, lon, risk, rank, method, as_of, horizon_days``.
    cells
        The `settings.top` best cells as squares (metric CRS), for the map.
    method
        The method used.
    as_of
        The forecast moment (local midnight).
    """

    table: pd.DataFrame
    cells: gpd.GeoDataFrame
    method: str
    as_of: pd.Timestamp
