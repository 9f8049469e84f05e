"""Preparing the map: the frames a map shows (public-safe when asked) and the footer facts about them.

:func:`prepare_layers` is pure: it turns the reports and the other stages' frames (a
:class:`~geo.stages.maps.MapInputs`) into the frames the map draws and the GeoPackage stores. On the public
map it keeps only what may be published: report counts on the fixed grid with counts of at least ``k``, and
hot-spot areas of at least ``k`` incidents replaced by the grid cells they touch (:mod:`geo.maps.public`).
No report coordinate, id, time or free text enters a public frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.i18n import LANGS
from geo.maps.aggregate import choose_cell_m, grid_counts, suppress
from geo.maps.layers.feed import feed_trend
from geo.maps.layers.insecurity import public_insecurity
from geo.maps.layers.overview import gistar_feature_count
from geo.maps.public import public_hotspots
from geo.model import point_reports

if TYPE_CHECKING:
    from geo.stages.maps import MapInputs

__all__ = ["INTERNAL_ONLY", "MapLayers", "prepare_layers"]

INTERNAL_FRAMES: dict[str, str] = {
    "lit_coverage": "lit_coverage",
    "dark_stretches": "dark_stretches",
    "dark_places": "dark_places",
    "lamp_proposals": "lamp_proposals",
    "quick_fixes": "quick_fixes",
    "speed_segments": "speed",
    "enforcement": "enforcement",
    "patrol_visits": "patrol",
    "forecast_cells": "forecast",
    "measures": "measures",
    "nearrepeat_zones": "nearrepeat",
}
""":class:`~geo.stages.maps.MapInputs` frame -> map layer key, for the internal-only plan layers."""

INTERNAL_ONLY = ("density", "gistar", "points", "streets", *INTERNAL_FRAMES.values())
"""Layers that never appear on the public map."""


@dataclass
class MapLayers:
    """The frames a map shows, in drawing order, and what the footer says about them.

    Attributes
    ----------
    frames
        Layer key → frame (metric CRS, or WGS84 points for tables given with ``lat``/``lon``).
    cell_m
        Grid cell side in metres.
    public, k
        Whether the frames are the public version, and its suppression threshold.
    n_reports
        Point reports behind the grid (before suppression).
    period, sources, crs_name
        Footer facts.
    feed
        Weekly Police-feed counts (``week``, ``category``, ``count``), possibly empty.
    """

    frames: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    cell_m: float = 0.0
    public: bool = False
    k: int = 5
    n_reports: int = 0
    period: str = ""
    sources: list[str] = field(default_factory=list)
    crs_name: str = ""
    notes: list[str] = field(default_factory=list)
    """Why a layer is missing: a stage ran and found nothing (Swedish, shown on the map and summary)."""
    since_last: list[str] = field(default_factory=list)
    """What changed since the previous kept run (the summary page opens with it)."""
    trend_text: str = ""
    """What the hot-spots' trend classes compared, shown with every trend word."""
    area_lines: list[str] = field(default_factory=list)
    """The priority areas' figures (the summary page)."""
    feed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["week", "category", "count"]))

    def feature_counts(self) -> dict[str, int]:
        """Features each layer will draw (Gi* without its not-significant cells)."""
        out = {}
        for key, frame in self.frames.items():
            if key == "gistar":
                out[key] = gistar_feature_count(frame)
            elif key == "patrol":
                out[key] = int(frame["place_id"].nunique())  # the routes are the patrol_route layer
            elif key == "insecurity":  # the cells classed neither are not drawn
                out[key] = int((frame["class"].astype(str) != "neither").sum())
            else:
                out[key] = len(frame)
        return out


def _metric(frame: gpd.GeoDataFrame, crs: Any) -> gpd.GeoDataFrame:
    if frame.crs is None:
        raise ValueError("a layer has no CRS")
    if crs is not None:
        return frame.to_crs(crs)
    if frame.crs.is_geographic:
        return frame.to_crs(frame.estimate_utm_crs())
    return frame


def _area_frame(area: Any, crs: Any) -> gpd.GeoDataFrame | None:
    if area is None:
        return None
    if isinstance(area, gpd.GeoDataFrame):
        return area.to_crs(crs) if crs is not None else area
    if isinstance(area, BaseGeometry):
        return gpd.GeoDataFrame(geometry=[area], crs=crs)
    geom = getattr(area, "geometry", None)  # StudyArea (WGS84)
    if isinstance(geom, BaseGeometry):
        frame = gpd.GeoDataFrame(geometry=[geom], crs="EPSG:4326")
        return frame.to_crs(crs) if crs is not None else frame
    raise ValueError(f"area must be a GeoDataFrame, a polygon or a StudyArea, got {type(area).__name__}")


def _crs_name(crs: Any) -> str:
    if crs is None:
        return ""
    import pyproj

    c = pyproj.CRS(crs)
    code = c.to_epsg()
    return f"{c.name} (EPSG:{code})" if code else c.name


def _period(reports: pd.DataFrame | None) -> str:
    if reports is None or reports.empty or "occurred_at" not in reports.columns:
        return ""
    t = reports["occurred_at"]
    return f"{t.min():%Y-%m-%d} – {t.max():%Y-%m-%d}"


def _drop_specks(geom: Any, min_area: float) -> Any:
    """Keep the polygon parts of `geom` with at least `min_area` square metres (holes kept)."""
    if geom is None or geom.is_empty or min_area <= 0:
        return geom
    parts = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
    keep = [p for p in parts if p.area >= min_area]
    if not keep:
        return max(parts, key=lambda p: p.area)
    return keep[0] if len(keep) == 1 else shapely.MultiPolygon(keep)


def _footer_facts(out: MapLayers, reports: gpd.GeoDataFrame | None, crs: Any) -> None:
    out.crs_name = _crs_name(crs)
    if reports is not None:
        out.period = _period(reports)
        if "source_file" in reports:
            out.sources = sorted({Path(str(f)).name for f in reports["source_file"].dropna().unique()})


def _latest(pts: gpd.GeoDataFrame, n: int) -> gpd.GeoDataFrame:
    """Return the `n` latest reports, in their original order."""
    if len(pts) <= n:
        return pts
    order = np.argsort(pts["occurred_at"].to_numpy(), kind="stable")[::-1][:n]
    return pts.iloc[np.sort(order)]


def _grid(out: MapLayers, pts: gpd.GeoDataFrame | None, *, cell_m: float | None, max_cells: int) -> None:
    has_pts = pts is not None and len(pts) > 0
    cell = cell_m or (choose_cell_m(pts, max_cells=max_cells) if has_pts else 100.0)
    out.cell_m = float(cell)
    if pts is not None and has_pts:
        out.n_reports = len(pts)
        cells = grid_counts(pts, cell_m=cell)
        out.frames["grid"] = (
            suppress(cells, k=out.k)[["cell_id", "count", "geometry"]] if out.public else cells
        )


def _density(
    contours: gpd.GeoDataFrame, crs: Any, *, simplify_m: float, min_part_m2: float
) -> gpd.GeoDataFrame:
    dens = _metric(contours, crs)
    geoms = [_drop_specks(g.simplify(simplify_m), min_part_m2) for g in dens.geometry]
    return dens.set_geometry(gpd.GeoSeries(geoms, index=dens.index, crs=dens.crs))


def _frame(inputs: MapInputs | None, name: str) -> Any:
    return getattr(inputs, name, None) if inputs is not None else None


def prepare_layers(
    reports: gpd.GeoDataFrame | None,
    inputs: MapInputs | None = None,
    *,
    area: Any = None,
    public: bool = False,
    k: int = 5,
    cell_m: float | None = None,
    max_cells: int = 4000,
    max_points: int = 20_000,
    simplify_m: float = 25.0,
    min_part_m2: float = 2500.0,
    lang: str = "sv",
) -> MapLayers:
    """Turn reports and the stages' frames into the frames a map draws; the public version keeps aggregates.

    Parameters
    ----------
    reports
        Reports in the report model (any precision; only point-precision rows reach the grid), or ``None``
        when drawing saved results.
    inputs
        The other stages' frames; the internal plan layers (lighting, speed, patrol, forecast), density and
        Gi* are left out of the public map.
    area
        Study area (GeoDataFrame, polygon in the reports' CRS, or :class:`~geo.io.area.StudyArea`).
    public
        Build the public version (aggregates with counts >= `k` only, no internal layers).
    k
        Smallest count published.
    cell_m
        Grid cell side in metres; default: the smallest of 50, 100, 200, 250, 500, ... m giving at most
        `max_cells` non-empty cells.
    max_cells
        See `cell_m`.
    max_points
        Most individual reports embedded in the internal clustered-points layer.
    simplify_m
        Tolerance in metres for simplifying density contours (a contour traced on a fine grid has tens of
        thousands of vertices; 25 m keeps its shape at town scale).
    min_part_m2
        Density-contour parts smaller than this (square metres) are left out: with a small bandwidth the
        outer contour breaks into thousands of specks around single reports, which say nothing at map
        scale and would weigh megabytes.
    lang
        Language (for the public category mix's "other").

    Returns
    -------
    layers
        The frames and footer facts.

    Raises
    ------
    ValueError
        If `k` < 1, `lang` is unknown or a layer lacks the columns it needs.
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    if lang not in LANGS:
        raise ValueError(f"lang must be 'sv' or 'en', got '{lang}'")
    hotspots = _frame(inputs, "hotspots")
    crs = reports.crs if reports is not None else None
    if crs is None and hotspots is not None:
        crs = _metric(hotspots, None).crs
    out = MapLayers(public=public, k=k)
    _footer_facts(out, reports, crs)
    feed = _frame(inputs, "feed")
    out.feed = feed if feed is not None else feed_trend(reports)
    area_f = _area_frame(area, crs)
    if area_f is not None:
        out.frames["area"] = area_f[[area_f.geometry.name]]
    pts = point_reports(reports) if reports is not None and len(reports) else None
    _grid(out, pts, cell_m=cell_m, max_cells=max_cells)
    density = _frame(inputs, "density")
    if density is not None and not public:
        out.frames["density"] = _density(density, crs, simplify_m=simplify_m, min_part_m2=min_part_m2)
    if hotspots is not None and len(hotspots):
        hs = _metric(hotspots, crs)
        out.frames["hotspots"] = (
            public_hotspots(hs, reports, k=k, cell_m=out.cell_m, lang=lang) if public else hs
        )
    insecurity = _frame(inputs, "insecurity")
    if insecurity is not None and len(insecurity):  # the public map: findings with at least k reports
        out.frames["insecurity"] = public_insecurity(insecurity, k=k) if public else insecurity
    if public:
        return out
    gistar = _frame(inputs, "gistar")
    if gistar is not None:
        out.frames["gistar"] = _metric(gistar, crs)
    if pts is not None and len(pts):
        out.frames["points"] = _latest(pts, max_points)
    streets = _frame(inputs, "streets")
    if streets is not None and len(streets):  # the offline base map
        out.frames["streets"] = _metric(streets, crs)
    for name, key in INTERNAL_FRAMES.items():
        frame = _frame(inputs, name)
        if frame is not None and len(frame):
            out.frames[key] = frame
    return out
