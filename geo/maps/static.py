"""A static image of the map for the summary page: drawn with matplotlib, no tiles and no browser.

The page is ready the moment it is written and prints the same everywhere.
"""

from __future__ import annotations

import io
from typing import Any

import geopandas as gpd
import numpy as np

from geo.maps.draw import view_bounds
from geo.maps.prepare import MapLayers
from geo.maps.style import GRID_COLORS, TREND_COLORS, class_breaks

__all__ = ["static_map_png"]


def _crs(f: dict[str, Any]) -> Any:
    """Return the CRS to draw in: that of the grid, the hot-spots or the area, else ``None``."""
    for key in ("grid", "hotspots", "area"):
        if key in f and isinstance(f[key], gpd.GeoDataFrame) and f[key].crs is not None:
            return f[key].crs
    return None


def _draw_grid(ax: Any, layers: MapLayers, crs: Any) -> None:
    g = layers.frames["grid"].to_crs(crs)
    counts = g["count"].to_numpy(dtype=float)
    breaks = class_breaks(counts, floor=layers.k if layers.public else 1)
    cls = np.clip(np.searchsorted(np.asarray(breaks), counts, side="right") - 1, 0, len(breaks) - 1)
    g.plot(ax=ax, color=[GRID_COLORS[c] for c in cls], edgecolor="#bbbbbb", linewidth=0.2, alpha=0.9)


def _draw_hotspots(ax: Any, hotspots: gpd.GeoDataFrame, crs: Any) -> None:
    """Outline the hot-spots by trend and label the ten largest with their ids."""
    hs = hotspots.to_crs(crs)
    trends = hs["trend"] if "trend" in hs.columns else ["none"] * len(hs)
    hs.boundary.plot(
        ax=ax, color=[TREND_COLORS.get(str(t), TREND_COLORS["none"]) for t in trends], linewidth=1.6
    )
    for _, r in hs.sort_values("n_reports", ascending=False).head(10).iterrows():
        p = r.geometry.representative_point()
        box = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8}
        ax.annotate(str(r["hotspot_id"]), (p.x, p.y), fontsize=7, ha="center", weight="bold", bbox=box)


def _draw_lamps(ax: Any, proposals: Any, crs: Any) -> None:
    lp = proposals
    if not isinstance(lp, gpd.GeoDataFrame) or lp.crs is None:
        lp = gpd.GeoDataFrame(lp, geometry=gpd.points_from_xy(lp["lon"], lp["lat"]), crs="EPSG:4326")
    lp = lp.to_crs(crs)
    ax.scatter(lp.geometry.x, lp.geometry.y, s=22, c="#d4a000", edgecolors="black", linewidths=0.5, zorder=5)


def _fit_aspect(x0: float, y0: float, x1: float, y1: float, ratio: float) -> tuple[float, ...]:
    """Widen the box ``(x0, y0, x1, y1)`` about its centre until width / height equals `ratio`."""
    w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    if w / h < ratio:
        w = h * ratio
    else:
        h = w / ratio
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _frame_view(ax: Any, layers: MapLayers, crs: Any, ratio: float) -> None:
    """Frame the hot-spots with a margin (at least 500 m: the meeting looks at them), else the map's view.

    The box is widened to the image's `ratio` (width / height) so that metres are square without
    matplotlib having to move the limits (which it warns about).
    """
    f = layers.frames
    if "hotspots" in f and len(f["hotspots"]) and crs is not None:
        x0, y0, x1, y1 = f["hotspots"].to_crs(crs).total_bounds
        pad = max(500.0, 0.15 * max(x1 - x0, y1 - y0))
        box = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    elif (bounds := view_bounds(layers)) is not None and crs is not None:
        (s, w), (n, e) = bounds
        pts = gpd.GeoSeries(gpd.points_from_xy([w, e], [s, n]), crs="EPSG:4326").to_crs(crs)
        box = (pts.x.min(), pts.y.min(), pts.x.max(), pts.y.max())
    else:
        ax.set_aspect("equal", adjustable="datalim")
        return
    bx0, by0, bx1, by1 = _fit_aspect(*box, ratio)
    ax.set_xlim(bx0, bx1)
    ax.set_ylim(by0, by1)
    ax.set_aspect("equal", adjustable="box")


def static_map_png(layers: MapLayers, *, width_px: int = 900, height_px: int = 700, dpi: int = 120) -> bytes:
    """Draw the grid, study area, hot-spots (with ids) and lamp proposals as a PNG (no tiles).

    Parameters
    ----------
    layers
        From :func:`geo.maps.prepare.prepare_layers`.
    width_px, height_px, dpi
        Image size.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    f = layers.frames
    crs = _crs(f)
    if "area" in f and crs is not None:
        f["area"].to_crs(crs).boundary.plot(ax=ax, color="#333", linewidth=0.8, linestyle="--")
    if "grid" in f and len(f["grid"]):
        _draw_grid(ax, layers, crs)
    if "hotspots" in f and len(f["hotspots"]):
        _draw_hotspots(ax, f["hotspots"], crs)
    if "lamp_proposals" in f and crs is not None:
        _draw_lamps(ax, f["lamp_proposals"], crs)
    ax.set_axis_off()
    fig.subplots_adjust(left=0.005, right=0.995, bottom=0.005, top=0.995)
    _frame_view(ax, layers, crs, width_px / height_px)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return buf.getvalue()
