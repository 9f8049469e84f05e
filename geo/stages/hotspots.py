"""Hot-spot stage: reports in, hot-spots (and the map's density and Gi* overview) out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
from pydantic import Field

from geo.stages._base import StageResult, StageSettings

__all__ = ["HotspotResult", "HotspotSettings"]


class HotspotSettings(StageSettings):
    """Settings of the hot-spot stage (``[hotspots]`` in the TOML, options of ``geo hotspots``)."""

    method: Literal["dbscan", "hdbscan", "kde", "gistar"] = Field(
        "dbscan", description="Hot-spot method: dbscan, hdbscan, kde or gistar"
    )
    eps_m: float | None = Field(None, gt=0, description="DBSCAN neighbourhood radius in metres")
    min_samples: int | None = Field(None, ge=1, description="DBSCAN/HDBSCAN reports needed for a core point")
    bandwidth_m: float | None = Field(None, gt=0, description="KDE bandwidth in metres")
    share: float = Field(0.5, gt=0, lt=1, description="KDE: share of reports inside the hot-spot contours")
    cell_m: float | None = Field(None, gt=0, description="Gi* cell side in metres")
    band_m: float | None = Field(None, gt=0, description="Gi* distance band in metres")
    alpha: float = Field(0.05, gt=0, lt=1, description="Gi*: false discovery rate")
    sources: list[str] = Field(default_factory=list, description="Only these sources (empty: all)")
    categories: list[str] = Field(default_factory=list, description="Only these categories (empty: all)")
    density_min_bandwidth_m: float = Field(
        50.0, gt=0, description="Smallest KDE bandwidth of the map's density overview, in metres"
    )
    overview: bool = Field(True, description="Also compute the map's density contours and Gi* cells")


@dataclass
class HotspotResult(StageResult):
    """What the hot-spot stage found.

    Attributes
    ----------
    hotspots
        One row a hot-spot (``hotspot_id``, ``method``, ``n_reports``, ``score``, ``label``, profile,
        ``peak_windows``, ``trend``, ...), polygons in the reports' metric CRS.
    density
        KDE density contours for the map's overview (``None`` unless ``settings.overview``).
    gistar
        Gi* cells with ``z``, ``p_fdr`` and ``class`` for the map (``None`` unless ``settings.overview``).
    """

    hotspots: gpd.GeoDataFrame
    density: gpd.GeoDataFrame | None = None
    gistar: gpd.GeoDataFrame | None = None
