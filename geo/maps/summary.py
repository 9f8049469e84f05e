"""The one-page summary for the weekly EST meeting.

A map image, the hot-spots in focus with their times, the top proposals and the patrol plan (the plan's
visits, never the naive comparison plan), as HTML with a print stylesheet (A4 landscape). The map image is
a static render (:func:`geo.maps.static.static_map_png`).
"""

from __future__ import annotations

import base64
from html import escape
from typing import Any

import numpy as np
import pandas as pd

from geo.maps.measures_summary import measures_section
from geo.maps.prepare import MapLayers
from geo.maps.static import static_map_png
from geo.maps.style import TREND_COLORS, pct
from geo.maps.texts import text

__all__ = ["summary_html"]

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


def _table(headers: list[str], rows: list[list[str]], *, lang: str) -> str:
    """Render an HTML table with the texts of the `headers` keys as column heads."""
    if not rows:
        return f"<p>{escape(text('no_items', lang))}</p>"
    head = "".join(f"<th>{escape(text(h, lang))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _section(key: str, headers: list[str], rows: list[list[str]], *, lang: str, extra: str = "") -> str:
    return f"<h2>{escape(text(key, lang))}{extra}</h2>" + _table(headers, rows, lang=lang)


def _trend(value: object, lang: str) -> str:
    trend = str(value or "none")
    return text(trend, lang) if trend in TREND_COLORS else str(value)


def _hotspot_section(hotspots: pd.DataFrame, *, lang: str, top: int) -> str:
    hs = hotspots.sort_values("n_reports", ascending=False).head(top)
    rows = [
        [
            str(r["hotspot_id"]),
            str(r.get("label", "") or ""),
            str(int(r["n_reports"])),
            pct(r.get("share")),
            str(r.get("peak_windows", "") or ""),
            _trend(r.get("trend"), lang),
            pct(r.get("dark_share")),
        ]
        for _, r in hs.iterrows()
    ]
    headers = ["id", "place", "n_reports", "share", "peak", "trend", "dark_share"]
    return _section("top_hotspots", headers, rows, lang=lang)


def _patrol_section(visits: pd.DataFrame, *, lang: str, top: int) -> str:
    """Render the patrol plan's first `top` visits, with how many there are and what they should cover.

    A visit's expected share of all incidents is a fraction of a percent, so the rows give the expected
    incidents at the visit this week (when the plan has them) rather than a share that rounds to 0.0 %.
    """
    counted = "expected_incidents" in visits.columns
    column = "expected_incidents" if counted else "expected_share"

    def fmt(value: Any) -> str:
        return f"{float(value):.2f}" if counted and pd.notna(value) else pct(value)

    rows = [
        [
            f"{r['weekday']} {r['date']}",
            f"{r['start']}–{r['end']}",
            str(r["place"]),
            str(int(r["order"])),
            fmt(r.get(column)),
        ]
        for _, r in visits.head(top).iterrows()
    ]
    has = column in visits.columns
    total = pd.to_numeric(visits[column], errors="coerce").sum() if has else np.nan
    n_visits = f"{len(visits)} {escape(text('visits', lang))}"
    extra = f" ({n_visits}, {escape(text(column, lang))} {escape(fmt(total))})"
    headers = ["date", "window", "place", "order", column]
    return _section("top_patrol", headers, rows, lang=lang, extra=extra)


def _lighting_section(proposals: pd.DataFrame, *, lang: str, top: int) -> str:
    lp = proposals.sort_values("rank").head(top)
    rows = [
        [
            str(int(r["rank"])),
            str(r.get("street", "") or ""),
            str(r.get("covered_reports", "")),
            str(r.get("reason", "") or ""),
        ]
        for _, r in lp.iterrows()
    ]
    return _section("top_lighting", ["rank", "street", "covered_reports", "reason"], rows, lang=lang)


def _enforcement_section(plan: pd.DataFrame, *, lang: str, top: int) -> str:
    ep = plan.sort_values("rank").head(top)
    rows = [
        [
            str(int(r["rank"])),
            str(r.get("street", "") or ""),
            f"{r.get('weekdays', '')} {r.get('start', '')}–{r.get('end', '')}",
            pct(r.get("share_over_limit")),
        ]
        for _, r in ep.iterrows()
    ]
    return _section("top_enforcement", ["rank", "street", "window", "share_over_limit"], rows, lang=lang)


_SECTIONS = {
    "hotspots": _hotspot_section,
    "patrol": _patrol_section,
    "lamp_proposals": _lighting_section,
    "enforcement": _enforcement_section,
    "measures": measures_section,
}
"""Layer key -> the summary section drawn from it, in page order."""


def _meta(layers: MapLayers, *, lang: str, generated_at: pd.Timestamp | None) -> str:
    meta = []
    if layers.period:
        meta.append(f"{text('period', lang)}: {layers.period}")
    if generated_at is not None:
        meta.append(f"{text('generated', lang)}: {generated_at:%Y-%m-%d %H:%M}")
    if layers.sources:
        meta.append(f"{text('sources', lang)}: {', '.join(layers.sources)}")
    return f'<div class="meta">{escape(" · ".join(meta))}</div>'


def summary_html(
    layers: MapLayers,
    *,
    title: str | None = None,
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
        From :func:`geo.maps.prepare.prepare_layers` (internal version); the patrol section lists the
        ``patrol`` layer, the plan's visits.
    title
        Heading (default "Lägesbild").
    lang
        ``"sv"`` or ``"en"``.
    demo
        Mark the page "syntetiska demodata".
    generated_at
        Shown under the heading.
    map_png
        Map image (default: :func:`geo.maps.static.static_map_png`).
    top
        Rows per table.

    Returns
    -------
    html
        A complete HTML page with the image embedded (no external resources).
    """
    title = title or text("title_default", lang)
    png = map_png if map_png is not None else static_map_png(layers)
    src = f"data:image/png;base64,{base64.b64encode(png).decode()}"
    img = f'<img class="map" alt="{escape(title)}" src="{src}">'
    parts = [f"<h1>{escape(title)} — {escape(text('summary_title', lang))}</h1>"]
    if demo:
        parts.append(f'<p><span class="demo">{escape(text("demo", lang))}</span></p>')
    parts.append(_meta(layers, lang=lang, generated_at=generated_at))
    if layers.since_last:
        items = "".join(f"<li>{escape(line)}</li>" for line in layers.since_last)
        parts.append(f'<h2 id="since-last">{escape(text("since_last", lang))}</h2><ul>{items}</ul>')
    f = layers.frames
    right = []
    for key, section in _SECTIONS.items():
        if key in f and len(f[key]):
            right.append(section(f[key], lang=lang, top=top))
            if key == "hotspots" and layers.trend_text:  # every trend word says what it compared
                right.append(f'<p class="trend">{escape(layers.trend_text)}</p>')
    if layers.area_lines:
        items = "".join(f"<li>{escape(line)}</li>" for line in layers.area_lines)
        right.append(f"<h2>{escape(text('priority_areas', lang))}</h2><ul>{items}</ul>")
    if layers.notes:
        items = "".join(f"<li>{escape(n)}</li>" for n in layers.notes)
        right.append(f"<h2>{escape(text('why_empty', lang))}</h2><ul>{items}</ul>")
    parts.append(f'<div class="cols"><div>{img}</div><div>{"".join(right)}</div></div>')
    parts.append(f'<p class="hint">{escape(text("print_hint", lang))}</p>')
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{_CSS}</style></head><body>{''.join(parts)}</body></html>"
    )
