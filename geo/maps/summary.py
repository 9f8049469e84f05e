"""The one-page summary for the weekly EST meeting.

A map image, the hot-spots in focus with their times, the top proposals and the patrol plan, as HTML
with a print stylesheet (A4 landscape).

The map image is a static render with matplotlib (no tiles, no browser), so the page is ready the moment
it is written and prints the same everywhere; :func:`static_map_png` draws it from the prepared layers.
"""

from __future__ import annotations

import base64
import io
from html import escape

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.maps.build import MapLayers, view_bounds
from geo.maps.layers import GRID_COLORS, TREND_COLORS, _pct, class_breaks
from geo.maps.texts import text

__all__ = ["static_map_png", "summary_html"]

_CSS = """
@page { size: A4 landscape; margin: 9mm; }
body { font: 11px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 12px; color: #111; }
h1 { font-size: 18px; margin: 0 0 2px 0; } h2 { font-size: 13px; margin: 8px 0 3px 0; }
.meta { color: #555; margin-bottom: 6px; }
.demo { color: #fff; background: #b2182b; font-weight: bold; padding: 2px 6px; border-radius: 3px; }
.cols { display: grid; grid-template-columns: 46% 54%; gap: 12px; }
img.map { width: 100%; border: 1px solid #999; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 2px 5px; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #f0f0f0; }
.hint { color: #777; font-size: 10px; }
@media print { .hint { display: none; } body { margin: 0; } .cols { break-inside: avoid; } }
"""


def static_map_png(layers: MapLayers, *, width_px: int = 900, height_px: int = 700, dpi: int = 120) -> bytes:
    """Draw the grid, study area, hot-spots (with ids) and lamp proposals as a PNG (no tiles).

    Parameters
    ----------
    layers
        From :func:`geo.maps.prepare_layers`.
    width_px, height_px, dpi
        Image size.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    f = layers.frames
    crs = None
    for key in ("grid", "hotspots", "area"):
        if key in f and isinstance(f[key], gpd.GeoDataFrame) and f[key].crs is not None:
            crs = f[key].crs
            break
    if "area" in f and crs is not None:
        f["area"].to_crs(crs).boundary.plot(ax=ax, color="#333", linewidth=0.8, linestyle="--")
    if "grid" in f and len(f["grid"]):
        g = f["grid"].to_crs(crs)
        counts = g["count"].to_numpy(dtype=float)
        breaks = class_breaks(counts, floor=layers.k if layers.public else 1)
        cls = np.clip(np.searchsorted(np.asarray(breaks), counts, side="right") - 1, 0, len(breaks) - 1)
        g.plot(ax=ax, color=[GRID_COLORS[c] for c in cls], edgecolor="#bbbbbb", linewidth=0.2, alpha=0.9)
    if "hotspots" in f and len(f["hotspots"]):
        hs = f["hotspots"].to_crs(crs)
        colors = [
            TREND_COLORS.get(str(t), TREND_COLORS["none"])
            for t in (hs["trend"] if "trend" in hs.columns else ["none"] * len(hs))
        ]
        hs.boundary.plot(ax=ax, color=colors, linewidth=1.6)
        top = hs.sort_values("n_reports", ascending=False).head(10)
        for _, r in top.iterrows():
            p = r.geometry.representative_point()
            ax.annotate(
                str(r["hotspot_id"]),
                (p.x, p.y),
                fontsize=7,
                ha="center",
                weight="bold",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            )
    if "lamp_proposals" in f and crs is not None:
        lp = f["lamp_proposals"]
        if not isinstance(lp, gpd.GeoDataFrame) or lp.crs is None:
            lp = gpd.GeoDataFrame(lp, geometry=gpd.points_from_xy(lp["lon"], lp["lat"]), crs="EPSG:4326")
        lp = lp.to_crs(crs)
        ax.scatter(
            lp.geometry.x, lp.geometry.y, s=22, c="#d4a000", edgecolors="black", linewidths=0.5, zorder=5
        )
    if "hotspots" in f and len(f["hotspots"]) and crs is not None:
        # the meeting looks at the hot-spots: frame them with a margin (at least 500 m)
        x0, y0, x1, y1 = f["hotspots"].to_crs(crs).total_bounds
        pad = max(500.0, 0.15 * max(x1 - x0, y1 - y0))
        ax.set_xlim(x0 - pad, x1 + pad)
        ax.set_ylim(y0 - pad, y1 + pad)
    elif (bounds := view_bounds(layers)) is not None and crs is not None:
        (s, w), (n, e) = bounds
        box = gpd.GeoSeries(gpd.points_from_xy([w, e], [s, n]), crs="EPSG:4326").to_crs(crs)
        ax.set_xlim(box.x.min(), box.x.max())
        ax.set_ylim(box.y.min(), box.y.max())
    ax.set_axis_off()
    ax.set_aspect("equal", adjustable="datalim")
    fig.tight_layout(pad=0.2)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return buf.getvalue()


def _table(headers: list[str], rows: list[list[str]], *, lang: str) -> str:
    """Render an HTML table with the texts of the `headers` keys as column heads."""
    if not rows:
        return f"<p>{escape(text('no_items', lang))}</p>"
    head = "".join(f"<th>{escape(text(h, lang))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def summary_html(
    layers: MapLayers,
    *,
    title: str,
    lang: str = "sv",
    demo: bool = False,
    generated_at: pd.Timestamp | None = None,
    map_png: bytes | None = None,
    top: int = 8,
) -> str:
    """Build the printable one-page summary for the weekly EST meeting.

    Parameters
    ----------
    layers
        From :func:`geo.maps.prepare_layers` (internal version).
    title
        Heading.
    lang
        ``"sv"`` or ``"en"``.
    demo
        Mark the page "syntetiska demodata".
    generated_at
        Shown under the heading.
    map_png
        Map image (default: :func:`static_map_png`).
    top
        Rows per table.

    Returns
    -------
    html
        A complete HTML page with the image embedded (no external resources).
    """
    f = layers.frames
    png = map_png if map_png is not None else static_map_png(layers)
    img = f'<img class="map" alt="{escape(title)}" src="data:image/png;base64,{base64.b64encode(png).decode()}">'
    meta = []
    if layers.period:
        meta.append(f"{text('period', lang)}: {layers.period}")
    if generated_at is not None:
        meta.append(f"{text('generated', lang)}: {generated_at:%Y-%m-%d %H:%M}")
    if layers.sources:
        meta.append(f"{text('sources', lang)}: {', '.join(layers.sources)}")
    parts = [f"<h1>{escape(title)} — {escape(text('summary_title', lang))}</h1>"]
    if demo:
        parts.append(f'<p><span class="demo">{escape(text("demo", lang))}</span></p>')
    parts.append(f'<div class="meta">{escape(" · ".join(meta))}</div>')
    right = []
    if "hotspots" in f and len(f["hotspots"]):
        hs = f["hotspots"].sort_values("n_reports", ascending=False).head(top)
        rows = [
            [
                str(r["hotspot_id"]),
                str(r.get("label", "") or ""),
                str(int(r["n_reports"])),
                _pct(r.get("share")),
                str(r.get("peak_windows", "") or ""),
                text(str(r.get("trend") or "none"), lang)
                if str(r.get("trend") or "none") in TREND_COLORS
                else str(r.get("trend")),
                _pct(r.get("dark_share")),
            ]
            for _, r in hs.iterrows()
        ]
        right.append(
            f"<h2>{escape(text('top_hotspots', lang))}</h2>"
            + _table(["id", "place", "n_reports", "share", "peak", "trend", "dark_share"], rows, lang=lang)
        )
    if "patrol" in f and len(f["patrol"]):
        v = f["patrol"]
        rows = [
            [
                f"{r['weekday']} {r['date']}",
                f"{r['start']}–{r['end']}",
                str(r["place"]),
                str(int(r["order"])),
                _pct(r.get("expected_share")),
            ]
            for _, r in v.head(top).iterrows()
        ]
        total = (
            pd.to_numeric(v["expected_share"], errors="coerce").sum()
            if "expected_share" in v.columns
            else np.nan
        )
        right.append(
            f"<h2>{escape(text('top_patrol', lang))} ({len(v)} {escape(text('visits', lang))}, "
            f"{escape(text('expected_share', lang))} {_pct(total)})</h2>"
            + _table(["date", "window", "place", "order", "expected_share"], rows, lang=lang)
        )
    if "lamp_proposals" in f and len(f["lamp_proposals"]):
        lp = f["lamp_proposals"].sort_values("rank").head(top)
        rows = [
            [
                str(int(r["rank"])),
                str(r.get("street", "") or ""),
                str(r.get("covered_reports", "")),
                str(r.get("reason", "") or ""),
            ]
            for _, r in lp.iterrows()
        ]
        right.append(
            f"<h2>{escape(text('top_lighting', lang))}</h2>"
            + _table(["rank", "street", "covered_reports", "reason"], rows, lang=lang)
        )
    if "enforcement" in f and len(f["enforcement"]):
        ep = f["enforcement"].sort_values("rank").head(top)
        rows = [
            [
                str(int(r["rank"])),
                str(r.get("street", "") or ""),
                f"{r.get('weekdays', '')} {r.get('start', '')}–{r.get('end', '')}",
                _pct(r.get("share_over_limit")),
            ]
            for _, r in ep.iterrows()
        ]
        right.append(
            f"<h2>{escape(text('top_enforcement', lang))}</h2>"
            + _table(["rank", "street", "window", "share_over_limit"], rows, lang=lang)
        )
    parts.append(f'<div class="cols"><div>{img}</div><div>{"".join(right)}</div></div>')
    parts.append(f'<p class="hint">{escape(text("print_hint", lang))}</p>')
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{_CSS}</style></head><body>{''.join(parts)}</body></html>"
    )
