"""Hot-spot stage: reports in, hot-spots (and the map's density and Gi* overview) out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import pandas as pd
from pydantic import Field
from shapely.geometry.base import BaseGeometry

from geo.model import Reports, point_reports
from geo.stages._base import Progress, StageResult, StageSettings, quiet

__all__ = ["HotspotResult", "HotspotSettings", "hotspots_stage"]


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
    shape: Literal["square", "hex"] = Field("square", description="Gi* cell shape: square or hex")
    min_cluster_size: int | None = Field(None, ge=2, description="HDBSCAN smallest cluster in reports")
    overview: bool = Field(True, description="Also compute the map's density contours and Gi* cells")

    def method_kwargs(self) -> dict[str, object]:
        """Return the keyword arguments of :func:`geo.hotspots.find_hotspots` these settings give."""
        keys = ("method", "eps_m", "min_samples", "bandwidth_m", "share", "cell_m", "band_m", "alpha")
        extra = {"shape": self.shape, "min_cluster_size": self.min_cluster_size}
        return {k: getattr(self, k) for k in keys} | extra


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


def select_reports(reports: Reports, settings: HotspotSettings) -> Reports:
    """Return the point reports the hot-spot stage counts: `settings.sources` and `settings.categories`."""
    pts = point_reports(reports)
    if settings.sources:
        pts = pts[pts["source"].isin(settings.sources)]
    if settings.categories:
        pts = pts[pts["category"].isin(settings.categories)]
    return Reports(pts.reset_index(drop=True))


def hotspots_stage(
    reports: Reports,
    settings: HotspotSettings,
    *,
    area: BaseGeometry | None = None,
    streets: gpd.GeoDataFrame | None = None,
    previous: gpd.GeoDataFrame | None = None,
    period_end: pd.Timestamp | None = None,
    lang: str = "sv",
    progress: Progress = quiet,
) -> HotspotResult:
    """Find hot-spots, and the map's density contours and Gi* cells.

    Parameters
    ----------
    reports
        Validated reports in a metric CRS; only point reports of `settings.sources`/`settings.categories`
        count.
    settings
        The stage's settings.
    area
        Study polygon in the reports' CRS (KDE edge correction, Gi* cells).
    streets
        Lines with a ``name`` column in the reports' CRS: each hot-spot is labelled by its nearest street.
    previous
        Hot-spots of an earlier run: matching ones keep their id.
    period_end
        End of the period (exclusive), for trends; default the last report.
    lang
        Language of the peak-window texts.
    progress
        Called with a message per step.

    Returns
    -------
    result
        Hot-spots (possibly none, with a note saying why), and the overview layers.
    """
    from geo.hotspots import find_hotspots, gistar_cells
    from geo.hotspots.kde import density_contours, kde_surface

    pts = select_reports(reports, settings)
    empty = gpd.GeoDataFrame({"hotspot_id": pd.Series(dtype="string")}, geometry=[], crs=reports.crs)
    result = HotspotResult(settings=settings, hotspots=empty)
    if not len(pts):
        have = sorted(point_reports(reports)["source"].dropna().astype(str).unique())
        result.notes.append(
            f"inga punktrapporter från källorna {settings.sources or 'alla'} / kategorierna "
            f"{settings.categories or 'alla'} (data har källorna {', '.join(have) or 'inga'}); inga hot-spots"
        )
        return result
    progress(f"Hot-spots ({settings.method})")
    hotspots = find_hotspots(
        pts,
        **settings.method_kwargs(),  # type: ignore[arg-type]
        area=area,
        streets=streets,
        previous=previous,
        period_end=period_end,
        lang=lang,
    )
    result.hotspots = hotspots
    for name, choice in hotspots.attrs.get("choices", {}).items():
        value, reason = choice if isinstance(choice, tuple) and len(choice) == 2 else (choice, "")
        result.chosen[name] = f"{value}: {reason}" if reason else str(value)
    if not len(hotspots):
        result.notes.append(
            f"{settings.method} fann inga hot-spots bland {len(pts):,} rapporter med dessa inställningar"
        )
    if settings.overview:
        progress("Täthet / density (KDE) och Gi*")
        surface = kde_surface(pts, area=area)
        if surface.bandwidth_m < settings.density_min_bandwidth_m:
            # the automatic bandwidth shrinks with n (n^-1/6): at a million reports it is a few metres and
            # the contours trace single addresses; the overview uses at least density_min_bandwidth_m
            surface = kde_surface(pts, area=area, bandwidth_m=settings.density_min_bandwidth_m)
        result.chosen["density_bandwidth_m"] = surface.bandwidth_reason or f"{surface.bandwidth_m:g} m"
        result.density = density_contours(surface)
        result.gistar = gistar_cells(
            pts, cell_m=settings.cell_m, band_m=settings.band_m, area=area, shape=settings.shape
        )
    return result
