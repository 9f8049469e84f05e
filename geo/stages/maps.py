"""Map stage: reports and the other stages' results in, the lägesbild map (internal or public) out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
from pydantic import Field

from geo.stages._base import StageResult, StageSettings
from geo.stages.forecast import ForecastResult
from geo.stages.hotspots import HotspotResult
from geo.stages.lighting import LightingResult
from geo.stages.patrol import PatrolResult
from geo.stages.speed import SpeedResult

__all__ = ["MapInputs", "MapResult", "MapSettings"]


class MapSettings(StageSettings):
    """Settings of the map stage (``[maps]`` in the TOML, options of ``geo map``)."""

    public: bool = Field(True, description="geo run: also write the public map")
    k: int = Field(5, ge=1, description="Public map: fewest reports a shown cell or area may have")
    tiles: str = Field("osm", description="Background tiles: osm, none or a tile URL")
    max_points: int = Field(20_000, ge=0, description="Internal map: most report points embedded")
    cell_m: float | None = Field(None, gt=0, description="Public map cell side in metres (automatic)")


@dataclass
class MapInputs:
    """The results a map draws; every one is optional.

    Attributes
    ----------
    hotspots, lighting, patrol, speed, forecast
        The stages' results (the patrol layer is always ``patrol.plan.visits``, never the naive plan).
    """

    hotspots: HotspotResult | None = None
    lighting: LightingResult | None = None
    patrol: PatrolResult | None = None
    speed: SpeedResult | None = None
    forecast: ForecastResult | None = None


@dataclass
class MapResult(StageResult):
    """A drawn map.

    Attributes
    ----------
    map
        The self-contained map (:class:`geo.maps.base.LeanMap`, a folium map).
    public
        Whether it is the public map.
    summary_html
        The EST summary page (internal map only), else ``None``.
    package
        GeoPackage layers (name -> frame) of what the map shows.
    counts
        Features per layer.
    """

    map: Any
    public: bool
    summary_html: str | None = None
    package: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
