"""Map layers: each ``add_*`` function draws one layer with its own legend and popups.

Each takes a map and a prepared frame and returns the map.

The frames come from :func:`geo.maps.build.prepare_layers` (which also makes them public-safe) or straight
from the analysis modules; every function checks the columns it needs and names the missing ones.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from html import escape
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.maps.aggregate import feature_collection
from geo.maps.base import ClusterLayer, DataLayer, HtmlPanel, LeanMap
from geo.maps.svg import block_profile, hour_week_svg, sparkline_svg
from geo.maps.texts import text

__all__ = [
    "GISTAR_COLORS",
    "TREND_COLORS",
    "add_area",
    "add_dark_places",
    "add_dark_stretches",
    "add_density",
    "add_enforcement",
    "add_feed_panel",
    "add_gistar",
    "add_hotspots",
    "add_lamp_proposals",
    "add_lit_coverage",
    "add_patrol",
    "add_quick_fixes",
    "add_report_grid",
    "add_report_points",
    "add_speed_segments",
    "class_breaks",
    "popup_html",
]

GRID_COLORS = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
"""Sequential colours (YlOrRd) of the count classes, lowest first."""

TREND_COLORS: dict[str, str] = {
    "new": "#d7301f",
    "intensifying": "#f16913",
    "persistent": "#7f0000",
    "diminishing": "#4292c6",
    "sporadic": "#807dba",
    "none": "#cb181d",
}
"""Hot-spot outline colour per trend class."""

GISTAR_COLORS: dict[str, str] = {
    "hot_99": "#d7191c",
    "hot_95": "#fc8d59",
    "hot_90": "#fdcc8a",
    "cold_90": "#c6dbef",
    "cold_95": "#6baed6",
    "cold_99": "#2171b5",
}
"""Gi* class colours (``ns`` cells are not drawn)."""

DENSITY_COLORS = ("#54278f", "#756bb1", "#9e9ac8", "#cbc9e2", "#f2f0f7")
CATEGORY_COLORS = (
    "#e41a1c",
    "#377eb8",
    "#4daf4a",
    "#984ea3",
    "#ff7f00",
    "#a65628",
    "#f781bf",
    "#999999",
    "#66c2a5",
    "#e7298a",
)


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing columns {missing}; has {list(frame.columns)}")


def _fmt_num(value: Any, *, decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)) or pd.isna(value):
        return "–"
    v = float(value)
    if decimals == 0:
        return f"{round(v):,}".replace(",", "\u202f")
    return f"{v:,.{decimals}f}".replace(",", "\u202f")


def _pct(value: Any) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"{100.0 * float(value):.1f} %"


def popup_html(title: str, rows: Sequence[tuple[str, str]], *, extra: str = "", subtitle: str = "") -> str:
    """Build a popup: an escaped title, a two-column table of escaped label/value pairs, then `extra` HTML.

    Parameters
    ----------
    title
        Heading (escaped here).
    rows
        ``(label, value)`` pairs (both escaped here).
    extra
        Trusted HTML appended below (an SVG chart built by :mod:`geo.maps.svg`).
    subtitle
        Small grey line under the heading (escaped).
    """
    body = "".join(f"<tr><td>{escape(str(k))}</td><td>{escape(str(v))}</td></tr>" for k, v in rows)
    sub = f'<div style="color:#666;font-size:11px">{escape(subtitle)}</div>' if subtitle else ""
    return f'<div class="lb-pop"><h4>{escape(title)}</h4>{sub}<table>{body}</table>{extra}</div>'


def class_breaks(values: np.ndarray, *, n: int = len(GRID_COLORS), floor: int = 1) -> list[int]:
    """Integer class breaks for counts: the lower bound of each class, strictly increasing.

    The breaks are quantiles of the counts weighted by themselves, so each class holds about the same
    number of *reports* (not of cells): the many cells with one report share the lowest class and the
    busy cells are told apart.

    Parameters
    ----------
    values
        Counts.
    n
        Most classes wanted.
    floor
        Smallest lower bound (1, or k on the public map).
    """
    vals = np.sort(np.asarray(values, dtype=float))
    if vals.size == 0:
        return [floor]
    cum = np.cumsum(vals)
    if cum[-1] <= 0:
        return [floor]
    qs = [
        vals[min(int(np.searchsorted(cum, q * cum[-1])), len(vals) - 1)]
        for q in np.linspace(0, 1, n + 1)[:-1]
    ]
    breaks: list[int] = []
    for q in qs:
        b = max(int(np.floor(q)), floor)
        if not breaks or b > breaks[-1]:
            breaks.append(b)
    return breaks


def _class_of(values: np.ndarray, breaks: Sequence[int]) -> np.ndarray:
    return np.clip(np.searchsorted(np.asarray(breaks), values, side="right") - 1, 0, len(breaks) - 1)


def _legend_classes(title: str, breaks: Sequence[int], colors: Sequence[str], vmax: int) -> str:
    parts = [f"<b>{escape(title)}</b>"]
    for i, b in enumerate(breaks):
        hi = breaks[i + 1] - 1 if i + 1 < len(breaks) else vmax
        label = f"{b}" if hi <= b else f"{b}–{hi}"
        parts.append(f'<div><span class="lb-sw" style="background:{colors[i]}"></span>{label}</div>')
    return "".join(parts)


def _swatch_legend(
    title: str, items: Sequence[tuple[str, str]], *, note: str = "", line: bool = False
) -> str:
    parts = [f"<b>{escape(title)}</b>"]
    for color, label in items:
        style = (
            f"background:{color}"
            if not line
            else f"background:none;border:0;border-top:3px solid {color};height:0"
        )
        parts.append(f'<div><span class="lb-sw" style="{style}"></span>{escape(label)}</div>')
    if note:
        parts.append(f'<div style="color:#555">{escape(note)}</div>')
    return "".join(parts)


def _points(frame: pd.DataFrame, what: str) -> gpd.GeoDataFrame:
    """Return a frame as WGS84 points: its own geometry if it has one and a CRS, else its ``lat``/``lon``."""
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns and frame.crs is not None:
        return frame.to_crs("EPSG:4326")
    if {"lat", "lon"} <= set(frame.columns):
        geom = gpd.points_from_xy(pd.to_numeric(frame["lon"]), pd.to_numeric(frame["lat"]), crs="EPSG:4326")
        return gpd.GeoDataFrame(
            pd.DataFrame(frame).drop(columns=[c for c in ("geometry",) if c in frame.columns]),
            geometry=geom,
            crs="EPSG:4326",
        )
    raise ValueError(f"{what}: needs a geometry with a CRS or 'lat'/'lon' columns; has {list(frame.columns)}")


def _geo(frame: pd.DataFrame, what: str) -> gpd.GeoDataFrame:
    if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None:
        raise ValueError(f"{what}: needs a GeoDataFrame with a CRS")
    return frame


# --------------------------------------------------------------------------------------------- area, grid


def add_area(m: LeanMap, area: gpd.GeoDataFrame, *, lang: str = "sv") -> LeanMap:
    """Draw the study-area outline (not clickable).

    Parameters
    ----------
    m
        The map.
    area
        One or more polygons with a CRS.
    lang
        Language.
    """
    area = _geo(area, "area")
    fc = feature_collection(area, [{"_k": 0} for _ in range(len(area))], public=True)
    style = {"color": "#333333", "weight": 2, "fill": False, "dashArray": "6,4", "interactive": False}
    DataLayer("area", text("layer_area", lang), fc, styles=[style], show=True).add_to(m)
    return m


def add_report_grid(
    m: LeanMap,
    cells: gpd.GeoDataFrame,
    *,
    cell_m: float,
    public: bool = False,
    k: int = 5,
    lang: str = "sv",
    show: bool = True,
) -> LeanMap:
    """Draw report counts per grid cell, coloured by count class, with a popup per cell.

    Parameters
    ----------
    m
        The map.
    cells
        From :func:`geo.maps.aggregate.grid_counts` (``count``, optionally ``dark``), already suppressed
        below `k` when `public`.
    cell_m
        Cell side in metres (for the legend).
    public
        Public wording, counts only.
    k
        Suppression threshold (named in the legend when `public`).
    lang
        Language.
    show
        Visible on opening (default).
    """
    cells = _geo(cells, "grid")
    _require(cells, ["count"], "grid")
    counts = cells["count"].to_numpy(dtype=float)
    breaks = class_breaks(counts, floor=k if public else 1)
    klass = _class_of(counts, breaks)
    unit = text("incidents" if public else "reports", lang)
    dark = cells["dark"].to_numpy() if ("dark" in cells.columns and not public) else None
    props: list[dict[str, Any]] = []
    for i, c in enumerate(counts):
        p: dict[str, Any] = {"_k": int(klass[i]), "n": int(c)}
        if dark is not None:
            p["d"] = int(dark[i])
        props.append(p)
    title = f"{text('cell', lang).capitalize()} {cell_m:g} × {cell_m:g} m"
    rows = [(text("n_reports", lang), f"\x00n\x01 {unit}")]
    if dark is not None:
        rows.append((text("dark_share", lang), "\x00d\x01"))
    template = popup_html(title, rows).replace("\x00", "{").replace("\x01", "}")
    fc = feature_collection(cells, props, public=public, decimals=5)
    styles = [
        {"color": "#7a0177", "weight": 0.3, "fillColor": GRID_COLORS[i], "fillOpacity": 0.6}
        for i in range(len(breaks))
    ]
    title = (
        text("grid_legend_public", lang, cell=f"{cell_m:g}", k=k)
        if public
        else text("grid_legend", lang, cell=f"{cell_m:g}")
    )
    legend = _legend_classes(title, breaks, GRID_COLORS, int(counts.max()) if counts.size else 0)
    if public:
        legend += f'<div style="color:#555">{escape(text("suppressed", lang, k=k))}</div>'
    name = text("layer_grid_public" if public else "layer_grid", lang)
    DataLayer(
        "grid", name, fc, styles=styles, show=show, legend=legend, canvas=True, popup_template=template
    ).add_to(m)
    return m


# ------------------------------------------------------------------------------------- density, hot-spots


def add_density(m: LeanMap, contours: gpd.GeoDataFrame, *, lang: str = "sv", show: bool = True) -> LeanMap:
    """Draw kernel-density contours (computed in metres by :mod:`geo.hotspots.kde`) as filled polygons.

    Parameters
    ----------
    m
        The map.
    contours
        Polygons with ``share`` (0..1: the share of all reports inside) and ``level``.
    lang
        Language.
    show
        Visible on opening.
    """
    contours = _geo(contours, "density")
    _require(contours, ["share"], "density")
    order = contours.sort_values("share", ascending=False)
    shares = sorted({round(float(s), 4) for s in order["share"]})
    styles, items = [], []
    for i, s in enumerate(shares):
        color = DENSITY_COLORS[min(i, len(DENSITY_COLORS) - 1)]
        styles.append({"color": color, "weight": 1, "fillColor": color, "fillOpacity": 0.22})
        items.append((color, f"{100 * s:.0f} % {text('of_reports', lang)}"))
    props = []
    for _, row in order.iterrows():
        s = round(float(row["share"]), 4)
        label = f"{100 * s:.0f} % {text('of_reports', lang)}"
        rows = [(text("share", lang), label)]
        if "level" in row.index and pd.notna(row["level"]):
            rows.append((text("density", lang), f"{float(row['level']):.3g}"))
        props.append(
            {"_k": shares.index(s), "_p": popup_html(text("layer_density", lang), rows), "_t": label}
        )
    fc = feature_collection(order, props, decimals=5)
    legend = _swatch_legend(text("density_legend", lang), items)
    DataLayer("density", text("layer_density", lang), fc, styles=styles, show=show, legend=legend).add_to(m)
    return m


def _profile(value: Any) -> np.ndarray | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    arr = np.asarray(json.loads(value) if isinstance(value, str) else value, dtype=float)
    return arr if arr.shape == (168,) else None


def _blocks(value: Any) -> np.ndarray | None:
    """Public three-hour blocks: 56 values (weekday-major, -1 = suppressed) as a (7, 8) array."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    arr = np.asarray(json.loads(value) if isinstance(value, str) else value, dtype=float)
    return arr.reshape(7, 8) if arr.size == 56 else None


def _mix(value: Any) -> dict[str, float]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return {}
    data = json.loads(value) if isinstance(value, str) else dict(value)
    return {str(k): float(v) for k, v in data.items()}


def _mix_text(mix: dict[str, float], *, k: int | None, lang: str, top: int = 4) -> str:
    items = sorted(mix.items(), key=lambda kv: -kv[1])
    if k is not None:
        shown = [(c, v) for c, v in items if v >= k]
        rest = sum(v for c, v in items if v < k)
        parts = [f"{c} {v:g}" for c, v in shown[:top]]
        rest += sum(v for _, v in shown[top:])
        if rest >= k:
            parts.append(f"{text('other', lang)} {rest:g}")
        return ", ".join(parts)
    parts = [f"{c} {v:g}" for c, v in items[:top]]
    rest = sum(v for _, v in items[top:])
    if rest:
        parts.append(f"{text('other', lang)} {rest:g}")
    return ", ".join(parts)


def _area_text(area_m2: Any) -> str:
    if area_m2 is None or pd.isna(area_m2):
        return "–"
    a = float(area_m2)
    return f"{a / 1e6:.2f} km²" if a >= 1e6 else f"{a / 1e4:.1f} ha"


def add_hotspots(
    m: LeanMap,
    hotspots: gpd.GeoDataFrame,
    *,
    public: bool = False,
    k: int = 5,
    lang: str = "sv",
    show: bool = True,
) -> LeanMap:
    """Draw hot-spot areas with a popup answering the first questions.

    The internal popup shows the stable id, label, count and share, area and density, category mix, share
    in darkness, peak windows, trend, method and the hour × weekday chart. The public popup (for the
    generalised areas from :func:`geo.maps.build.prepare_layers`) shows the count and share, categories with
    at least `k` incidents, peak windows, trend and a chart of three-hour blocks with blocks under `k`
    left blank.

    Parameters
    ----------
    m
        The map.
    hotspots
        The :class:`geo.hotspots` frame (``hotspot_id``, ``n_reports``, ``share``, ...), or its public version.
    public
        Public popups and wording.
    k
        Suppression threshold for the public popups.
    lang
        Language.
    show
        Visible on opening.
    """
    hotspots = _geo(hotspots, "hotspots")
    _require(hotspots, ["hotspot_id", "n_reports"], "hotspots")
    trends = [
        str(t) if "trend" in hotspots.columns and pd.notna(t) else "none"
        for t in (hotspots["trend"] if "trend" in hotspots.columns else [None] * len(hotspots))
    ]
    keys = list(TREND_COLORS)
    styles = [
        {"color": TREND_COLORS[t], "weight": 2.5, "fillColor": TREND_COLORS[t], "fillOpacity": 0.12}
        for t in keys
    ]
    props = []
    unit = text("incidents" if public else "reports", lang)
    for i, (_, row) in enumerate(hotspots.iterrows()):
        trend = trends[i] if trends[i] in TREND_COLORS else "none"
        hid = str(row["hotspot_id"])
        label = (
            str(row["label"])
            if "label" in row.index and pd.notna(row["label"]) and str(row["label"])
            else hid
        )
        rows: list[tuple[str, str]] = [(text("n_reports", lang), f"{int(row['n_reports'])} {unit}")]
        if "share" in row.index:
            rows.append((text("share_of_all", lang), _pct(row["share"])))
        if not public:
            if "area_m2" in row.index:
                rows.append((text("area", lang), _area_text(row["area_m2"])))
            if "density_km2" in row.index:
                rows.append(
                    (text("density", lang), f"{_fmt_num(row['density_km2'])} {text('per_km2', lang)}")
                )
        if "category_mix" in row.index:
            mix = _mix(row["category_mix"])
            if mix:
                rows.append((text("category_mix", lang), _mix_text(mix, k=k if public else None, lang=lang)))
        if "dark_share" in row.index and not public:
            rows.append((text("dark_share", lang), _pct(row["dark_share"])))
        if "peak_windows" in row.index and pd.notna(row["peak_windows"]):
            rows.append((text("peak", lang), str(row["peak_windows"])))
        rows.append((text("trend", lang), text(trend, lang)))
        if "method" in row.index and not public and pd.notna(row["method"]):
            rows.append((text("method", lang), str(row["method"])))
        chart = ""
        prof = _profile(row["profile"]) if "profile" in row.index else None
        blocks = _blocks(row["profile_3h"]) if "profile_3h" in row.index else None
        if public and blocks is None and prof is not None:
            blocks = block_profile(prof, block_h=3)
        if public and blocks is not None:
            chart = hour_week_svg(
                blocks, lang=lang, suppress_below=k, title=text("chart_title_public", lang, k=k)
            )
        elif not public and prof is not None:
            chart = hour_week_svg(prof, lang=lang, title=text("chart_title", lang))
        html = popup_html(label, rows, extra=chart, subtitle=f"{text('id', lang)} {hid}")
        props.append(
            {
                "_k": keys.index(trend),
                "_p": html,
                "_t": f"{label} ({int(row['n_reports'])})",
                "hotspot_id": hid,
                "n_reports": int(row["n_reports"]),
            }
        )
    fc = feature_collection(hotspots, props, public=public, decimals=5)
    present = [t for t in keys if t in set(trends)]
    legend = _swatch_legend(
        text("layer_hotspots_public" if public else "layer_hotspots", lang),
        [(TREND_COLORS[t], text(t, lang)) for t in present],
        note=text("hotspot_legend_public", lang, k=k) if public else text("hotspot_legend", lang),
    )
    name = text("layer_hotspots_public" if public else "layer_hotspots", lang)
    DataLayer("hotspots", name, fc, styles=styles, show=show, legend=legend).add_to(m)
    return m


GISTAR_MAX_CELLS = 5000
"""Above this many significant cells the Gi* layer is drawn as one merged shape per class."""


def gistar_feature_count(cells: gpd.GeoDataFrame, *, max_cells: int = GISTAR_MAX_CELLS) -> int:
    """Features :func:`add_gistar` draws: significant cells, or one shape per class above `max_cells`."""
    sig = cells["class"].astype(str).isin(list(GISTAR_COLORS))
    n = int(sig.sum())
    return n if n <= max_cells else int(cells.loc[sig, "class"].astype(str).nunique())


def add_gistar(
    m: LeanMap,
    cells: gpd.GeoDataFrame,
    *,
    lang: str = "sv",
    show: bool = False,
    max_cells: int = GISTAR_MAX_CELLS,
) -> LeanMap:
    """Draw Getis-Ord Gi* cells by class; ``ns`` (not significant) cells are left out.

    Each cell has a popup with its count, z-score and FDR-adjusted p. With more than `max_cells`
    significant cells (a million reports on 50 m cells), the cells of each class are merged into one shape
    whose popup gives the class and its number of cells, which keeps the page small and quick.

    Parameters
    ----------
    m
        The map.
    cells
        From :func:`geo.hotspots.gistar_cells`: ``count``, ``z``, ``p``, ``p_fdr``, ``class``.
    lang
        Language.
    show
        Visible on opening (default off).
    max_cells
        See above.
    """
    cells = _geo(cells, "gistar")
    _require(cells, ["class", "z"], "gistar")
    sig = cells[cells["class"].astype(str).isin(list(GISTAR_COLORS))]
    keys = list(GISTAR_COLORS)
    styles = [
        {"color": GISTAR_COLORS[c], "weight": 0.3, "fillColor": GISTAR_COLORS[c], "fillOpacity": 0.55}
        for c in keys
    ]
    if len(sig) > max_cells:
        classes = sig["class"].astype(str)
        rows = []
        for c in keys:
            part = sig[classes == c]
            if len(part):
                geom = shapely.union_all(part.geometry.to_numpy(), grid_size=0.01)
                rows.append((geom, {"_k": keys.index(c), "l": text(c, lang), "n": len(part)}))
        merged = gpd.GeoDataFrame(geometry=[g for g, _ in rows], crs=sig.crs)
        template = (
            popup_html("\x00l\x01", [(text("cells", lang), "\x00n\x01")])
            .replace("\x00", "{")
            .replace("\x01", "}")
        )
        fc = feature_collection(merged, [p for _, p in rows], decimals=5)
    else:
        props = []
        for _, row in sig.iterrows():
            c = str(row["class"])
            p: dict[str, Any] = {"_k": keys.index(c), "l": text(c, lang), "z": round(float(row["z"]), 2)}
            p["n"] = int(row["count"]) if "count" in row.index else "–"
            p["q"] = float(f"{float(row['p_fdr']):.3g}") if "p_fdr" in row.index else "–"
            props.append(p)
        template = (
            popup_html(
                "\x00l\x01",
                [(text("n_reports", lang), "\x00n\x01"), ("Gi* z", "\x00z\x01"), ("p (FDR)", "\x00q\x01")],
            )
            .replace("\x00", "{")
            .replace("\x01", "}")
        )
        fc = feature_collection(sig, props, decimals=5)
    legend = _swatch_legend(text("gistar_legend", lang), [(GISTAR_COLORS[c], text(c, lang)) for c in keys])
    DataLayer(
        "gistar",
        text("layer_gistar", lang),
        fc,
        styles=styles,
        show=show,
        legend=legend,
        canvas=True,
        popup_template=template,
    ).add_to(m)
    return m


def add_report_points(
    m: LeanMap,
    reports: gpd.GeoDataFrame,
    *,
    max_points: int = 20_000,
    lang: str = "sv",
    show: bool = False,
) -> LeanMap:
    """Draw individual reports as clustered points (internal map only; off by default).

    At most `max_points` reports are embedded, the latest first; the legend says how many of how many.
    Popups show category, local time, id and the free-text description (HTML-escaped).

    Parameters
    ----------
    m
        The map.
    reports
        Point reports (the report model).
    max_points
        Cap on embedded points (each costs about 70 bytes of page).
    lang
        Language.
    show
        Visible on opening (default off: the grid is the overview).
    """
    reports = _geo(reports, "reports")
    total = len(reports)
    sel = reports
    if total > max_points:
        order = np.argsort(reports["occurred_at"].to_numpy(), kind="stable")[::-1][:max_points]
        sel = reports.iloc[np.sort(order)]
    wgs = sel.to_crs("EPSG:4326")
    lat = np.round(wgs.geometry.y.to_numpy(), 6)
    lon = np.round(wgs.geometry.x.to_numpy(), 6)
    cats = sel["category"].astype(str).to_numpy()
    names = [str(c) for c in pd.Series(cats).value_counts().index]
    index = {c: i for i, c in enumerate(names)}
    local = sel["occurred_at"].dt.tz_localize(None).to_numpy(dtype="datetime64[m]").astype("int64")
    ids = [str(i) for i in sel["report_id"]]
    prefix = os.path.commonprefix(ids) if len(ids) > 1 else ""
    prefix = prefix[: max(prefix.rfind(":"), prefix.rfind("-"), prefix.rfind("_")) + 1]
    desc = (
        sel["description"].astype("string").fillna("").to_numpy()
        if "description" in sel.columns
        else np.full(len(sel), "")
    )
    rows = [
        [float(lat[i]), float(lon[i]), index[cats[i]], int(local[i]), ids[i][len(prefix) :], str(desc[i])]
        for i in range(len(sel))
    ]
    colors = [CATEGORY_COLORS[i % len(CATEGORY_COLORS)] for i in range(len(names))]
    note = (
        text("points_legend", lang, shown=_fmt_num(len(sel)), total=_fmt_num(total))
        if total > len(sel)
        else text("points_legend_all", lang, total=_fmt_num(total))
    )
    legend = _swatch_legend(text("layer_points", lang), list(zip(colors, names, strict=True))[:10], note=note)
    ClusterLayer(
        "points",
        text("layer_points", lang),
        rows,
        categories=names,
        colors=colors,
        id_prefix=prefix,
        show=show,
        legend=legend,
    ).add_to(m)
    return m


# ----------------------------------------------------------------------------------------------- lighting


def add_lit_coverage(
    m: LeanMap, coverage: gpd.GeoDataFrame, *, lang: str = "sv", show: bool = False
) -> LeanMap:
    """Draw the lit coverage polygons (lamp reach and lit ways).

    Parameters
    ----------
    m
        The map.
    coverage
        Polygons with a CRS.
    lang
        Language.
    show
        Visible on opening.
    """
    coverage = _geo(coverage, "lit coverage")
    fc = feature_collection(coverage, [{"_k": 0} for _ in range(len(coverage))])
    style = {
        "color": "#e6b800",
        "weight": 0.5,
        "fillColor": "#ffe066",
        "fillOpacity": 0.35,
        "interactive": False,
    }
    legend = _swatch_legend(text("layer_lit", lang), [("#ffe066", text("lit_legend", lang))])
    DataLayer("lit_coverage", text("layer_lit", lang), fc, styles=[style], show=show, legend=legend).add_to(m)
    return m


def add_dark_stretches(
    m: LeanMap, stretches: gpd.GeoDataFrame, *, lang: str = "sv", show: bool = True
) -> LeanMap:
    """Draw walkable ways outside lit coverage (lines).

    Parameters
    ----------
    m
        The map.
    stretches
        Lines with a CRS; ``length_m`` and ``name``/``street`` are shown when present.
    lang
        Language.
    show
        Visible on opening.
    """
    stretches = _geo(stretches, "dark stretches")
    props = []
    for _, row in stretches.iterrows():
        rows = []
        for col in ("street", "name"):
            if col in row.index and pd.notna(row[col]):
                rows.append((text("street", lang), str(row[col])))
                break
        length = row["length_m"] if "length_m" in row.index else row.geometry.length
        rows.append((text("length_m", lang), _fmt_num(length)))
        props.append({"_k": 0, "_p": popup_html(text("layer_dark_stretches", lang), rows)})
    fc = feature_collection(stretches, props)
    style = {"color": "#252525", "weight": 4, "opacity": 0.8, "dashArray": "4,3"}
    legend = _swatch_legend(
        text("layer_dark_stretches", lang), [("#252525", text("dark_stretch_legend", lang))], line=True
    )
    DataLayer(
        "dark_stretches", text("layer_dark_stretches", lang), fc, styles=[style], show=show, legend=legend
    ).add_to(m)
    return m


def add_dark_places(m: LeanMap, places: pd.DataFrame, *, lang: str = "sv", show: bool = True) -> LeanMap:
    """Draw ranked dark places.

    ``dark_places.csv`` of ``geo lighting`` (``rank``, ``lat``, ``lon``, ``length_m``, ``score``,
    ``dark_reports``), as lines when the frame has line geometry, else as points.

    Parameters
    ----------
    m
        The map.
    places
        The table or a GeoDataFrame.
    lang
        Language.
    show
        Visible on opening.
    """
    _require(places, ["rank"], "dark places")
    lines = (
        isinstance(places, gpd.GeoDataFrame)
        and places.crs is not None
        and places.geometry.geom_type.isin(["LineString", "MultiLineString"]).all()
    )
    frame = places if lines else _points(places, "dark places")
    props = []
    for _, row in frame.iterrows():
        rows = [(text("rank", lang), str(int(row["rank"])))]
        for col in ("street", "length_m", "score", "dark_reports"):
            if col in row.index and pd.notna(row[col]):
                val = row[col]
                rows.append(
                    (
                        text(col, lang),
                        _fmt_num(val, decimals=1)
                        if col == "score"
                        else (str(val) if col == "street" else _fmt_num(val)),
                    )
                )
        props.append(
            {
                "_k": 0,
                "_p": popup_html(f"{text('layer_dark_places', lang)} #{int(row['rank'])}", rows),
                "_n": int(row["rank"]) if not lines else None,
            }
        )
    if lines:
        for p in props:
            p.pop("_n")
    else:
        for p in props:
            if p["_n"] is None:
                p.pop("_n")
    fc = feature_collection(frame, props)
    style = {"color": "#4a1486", "weight": 5, "opacity": 0.9, "fillColor": "#4a1486", "fillOpacity": 0.9}
    legend = _swatch_legend(text("layer_dark_places", lang), [("#4a1486", text("dark_places_legend", lang))])
    DataLayer(
        "dark_places", text("layer_dark_places", lang), fc, styles=[style], show=show, legend=legend
    ).add_to(m)
    return m


def _add_ranked(
    m: LeanMap,
    key: str,
    pts: gpd.GeoDataFrame,
    popups: list[list[tuple[str, str]]],
    *,
    style: dict[str, Any],
    legend: str,
    lang: str,
    show: bool,
) -> LeanMap:
    """Draw points as badges numbered by ``rank``, each with a popup of its label/value rows."""
    name = text(f"layer_{key}", lang)
    props = [
        {"_k": 0, "_n": int(rank), "_p": popup_html(f"{name} #{int(rank)}", rows)}
        for rank, rows in zip(pts["rank"], popups, strict=True)
    ]
    swatch = _swatch_legend(name, [(style["fillColor"], text(legend, lang))])
    DataLayer(key, name, feature_collection(pts, props), styles=[style], show=show, legend=swatch).add_to(m)
    return m


def add_lamp_proposals(
    m: LeanMap, proposals: pd.DataFrame, *, lang: str = "sv", show: bool = True
) -> LeanMap:
    """Draw proposed lamps.

    ``lighting_proposals.csv`` (``rank``, ``lat``, ``lon``, ``street``, ``covered_reports``, ``gain``,
    ``reason``) as numbered badges with the justification in the popup.

    Parameters
    ----------
    m
        The map.
    proposals
        The table or a GeoDataFrame of points.
    lang
        Language.
    show
        Visible on opening.
    """
    _require(proposals, ["rank"], "lighting proposals")
    pts = _points(proposals, "lighting proposals")
    popups = []
    for _, row in pts.iterrows():
        rows = []
        for col in ("street", "covered_reports", "gain", "reason"):
            if col in row.index and pd.notna(row[col]):
                v = row[col]
                rows.append(
                    (
                        text(col, lang),
                        _fmt_num(v, decimals=1) if col == "gain" and isinstance(v, float) else str(v),
                    )
                )
        popups.append(rows)
    style = {"color": "#b8860b", "fillColor": "#d4a000", "fillOpacity": 1}
    return _add_ranked(
        m, "lamp_proposals", pts, popups, style=style, legend="lamp_legend", lang=lang, show=show
    )


def add_quick_fixes(m: LeanMap, lamps: pd.DataFrame, *, lang: str = "sv", show: bool = True) -> LeanMap:
    """Draw broken or part-night lamps near dark hot-spots (repair before building).

    Parameters
    ----------
    m
        The map.
    lamps
        Points (geometry with CRS, or ``lat``/``lon``); ``status`` and ``reason`` are shown when present.
    lang
        Language.
    show
        Visible on opening.
    """
    pts = _points(lamps, "quick fixes")
    props = []
    for _, row in pts.iterrows():
        rows = [
            (c, str(row[c]))
            for c in ("status", "reason", "lamp_id", "street")
            if c in row.index and pd.notna(row[c])
        ]
        props.append({"_k": 0, "_p": popup_html(text("layer_quick_fixes", lang), rows)})
    fc = feature_collection(pts, props)
    style = {"color": "#000", "weight": 2, "fillColor": "#ff00ff", "fillOpacity": 0.9}
    legend = _swatch_legend(text("layer_quick_fixes", lang), [("#ff00ff", text("quick_fix_legend", lang))])
    DataLayer(
        "quick_fixes",
        text("layer_quick_fixes", lang),
        fc,
        styles=[style],
        show=show,
        legend=legend,
        point_radius=6,
    ).add_to(m)
    return m


# ------------------------------------------------------------------------------------------ speed, patrol

SPEED_COLORS = ("#1a9850", "#a6d96a", "#fee08b", "#f46d43", "#a50026")
SPEED_BREAKS = (0.0, 0.1, 0.25, 0.5, 0.75)


def add_speed_segments(
    m: LeanMap, segments: gpd.GeoDataFrame, *, lang: str = "sv", show: bool = False
) -> LeanMap:
    """Draw road segments coloured by the share of vehicles over the limit (grey when not measured).

    Parameters
    ----------
    m
        The map.
    segments
        Lines with a CRS; uses ``share_over_limit``, ``limit_kmh``, ``p85_kmh``, ``street``/``name``,
        ``segment_id`` when present.
    lang
        Language.
    show
        Visible on opening.
    """
    segments = _geo(segments, "speed segments")
    share = (
        pd.to_numeric(segments["share_over_limit"], errors="coerce").to_numpy()
        if "share_over_limit" in segments.columns
        else np.full(len(segments), np.nan)
    )
    styles = [{"color": c, "weight": 4, "opacity": 0.9} for c in SPEED_COLORS] + [
        {"color": "#969696", "weight": 2, "opacity": 0.6}
    ]
    props = []
    for i, (_, row) in enumerate(segments.iterrows()):
        kcls = (
            len(SPEED_COLORS)
            if np.isnan(share[i])
            else int(np.searchsorted(SPEED_BREAKS, share[i], side="right") - 1)
        )
        rows = []
        for col in ("street", "name"):
            if col in row.index and pd.notna(row[col]):
                rows.append((text("street", lang), str(row[col])))
                break
        if "limit_kmh" in row.index:
            rows.append((text("limit_kmh", lang), _fmt_num(row["limit_kmh"])))
        for col in ("share_over_limit", "share_over_limit_10"):
            if col in row.index:
                rows.append((text(col, lang), _pct(row[col])))
        if "p85_kmh" in row.index:
            rows.append((text("p85_kmh", lang), _fmt_num(row["p85_kmh"], decimals=1)))
        title = str(row["segment_id"]) if "segment_id" in row.index else text("layer_speed", lang)
        props.append({"_k": max(kcls, 0), "_p": popup_html(title, rows)})
    fc = feature_collection(segments, props)
    items = [(SPEED_COLORS[i], f"{100 * b:.0f} %+") for i, b in enumerate(SPEED_BREAKS)] + [("#969696", "–")]
    legend = _swatch_legend(text("speed_legend", lang), items, line=True)
    DataLayer("speed", text("layer_speed", lang), fc, styles=styles, show=show, legend=legend).add_to(m)
    return m


def add_enforcement(m: LeanMap, plan: pd.DataFrame, *, lang: str = "sv", show: bool = False) -> LeanMap:
    """Draw the speed-enforcement plan.

    ``enforcement_plan.csv`` (``rank``, ``segment_id``, ``street``,
    ``lat``, ``lon``, ``limit_kmh``, ``weekdays``, ``start``, ``end``, ``passes``, ``share_over_limit``,
    ``share_over_limit_10``, ``p85_kmh``) as numbered sites.

    Parameters
    ----------
    m
        The map.
    plan
        The table or a GeoDataFrame of points.
    lang
        Language.
    show
        Visible on opening.
    """
    _require(plan, ["rank"], "enforcement plan")
    pts = _points(plan, "enforcement plan")
    popups = []
    for _, row in pts.iterrows():
        rows = []
        if "street" in row.index and pd.notna(row["street"]):
            rows.append((text("street", lang), str(row["street"])))
        if {"weekdays", "start", "end"} <= set(row.index):
            rows.append((text("window", lang), f"{row['weekdays']} {row['start']}–{row['end']}"))
        for col in ("limit_kmh", "passes"):
            if col in row.index and pd.notna(row[col]):
                rows.append((text(col, lang), _fmt_num(row[col])))
        for col in ("share_over_limit", "share_over_limit_10"):
            if col in row.index and pd.notna(row[col]):
                rows.append((text(col, lang), _pct(row[col])))
        if "p85_kmh" in row.index and pd.notna(row["p85_kmh"]):
            rows.append((text("p85_kmh", lang), _fmt_num(row["p85_kmh"], decimals=1)))
        popups.append(rows)
    style = {"color": "#08519c", "fillColor": "#08519c"}
    return _add_ranked(
        m, "enforcement", pts, popups, style=style, legend="enforcement_legend", lang=lang, show=show
    )


def shifts_of(visits: pd.DataFrame) -> np.ndarray:
    """Give each visit of a patrol plan its shift number (new date, or an order that does not increase).

    Uses a ``shift`` column when the plan has one.
    """
    if "shift" in visits.columns:
        keys = visits["date"].astype(str) + "|" + visits["shift"].astype(str)
        return pd.factorize(keys)[0]
    out = np.zeros(len(visits), dtype=int)
    prev_date, prev_order, n = None, None, -1
    for i, (d, o) in enumerate(zip(visits["date"].astype(str), pd.to_numeric(visits["order"]), strict=True)):
        if d != prev_date or prev_order is None or o <= prev_order:
            n += 1
        out[i] = n
        prev_date, prev_order = d, o
    return out


def add_patrol(m: LeanMap, visits: pd.DataFrame, *, lang: str = "sv", show: bool = False) -> LeanMap:
    """Draw the patrol plan.

    One badge per place (number = visits there) listing day, time window and order, and each shift's route
    as a line in visit order.

    Parameters
    ----------
    m
        The map.
    visits
        ``patrol_plan.csv`` rows (:data:`geo.plan.patrol.PATROL_COLUMNS`) or a plan's ``visits`` frame.
    lang
        Language.
    show
        Visible on opening.
    """
    from geo.plan.patrol import PATROL_COLUMNS

    _require(visits, list(PATROL_COLUMNS[:9]), "patrol plan")
    pts = _points(visits, "patrol plan").reset_index(drop=True)
    pts["_shift"] = shifts_of(pts)
    feats: list[dict[str, Any]] = []
    place_rows = []
    for pid, grp in pts.groupby("place_id", sort=False):
        first = grp.iloc[0]
        lines = [
            (
                f"{r['weekday']} {r['date']}",
                f"{r['start']}–{r['end']} · {text('order', lang)} {int(r['order'])}",
            )
            for _, r in grp.iterrows()
        ]
        share = (
            pd.to_numeric(grp["expected_share"], errors="coerce").sum() if "expected_share" in grp else np.nan
        )
        lines.append((text("expected_share", lang), _pct(share)))
        place_rows.append(
            (
                first.geometry,
                {"_k": 0, "_n": len(grp), "_p": popup_html(str(first["place"]), lines, subtitle=str(pid))},
            )
        )
    from shapely.geometry import LineString

    route_rows = []
    for _shift, grp in pts.groupby("_shift", sort=True):
        grp = grp.sort_values("order")
        if len(grp) >= 2:
            line = LineString([(p.x, p.y) for p in grp.geometry])
            first = grp.iloc[0]
            route_rows.append(
                (
                    line,
                    {
                        "_k": 1,
                        "_t": f"{first['weekday']} {first['date']} {first['start']}–{grp.iloc[-1]['end']}",
                    },
                )
            )
    rows = route_rows + place_rows
    frame = gpd.GeoDataFrame(geometry=[g for g, _ in rows], crs="EPSG:4326")
    fc = feature_collection(frame, [p for _, p in rows])
    feats = fc["features"]
    fc["features"] = feats
    styles = [
        {"color": "#006d2c", "fillColor": "#006d2c"},
        {"color": "#31a354", "weight": 2, "opacity": 0.7, "dashArray": "5,4"},
    ]
    legend = _swatch_legend(text("layer_patrol", lang), [("#006d2c", text("patrol_legend", lang))])
    DataLayer("patrol", text("layer_patrol", lang), fc, styles=styles, show=show, legend=legend).add_to(m)
    return m


# ------------------------------------------------------------------------------------------------- panels


def add_feed_panel(m: LeanMap, weekly: pd.DataFrame, *, lang: str = "sv", weeks: int = 4) -> LeanMap:
    """Add a panel with the Police events feed's trend.

    Weekly totals as bars, the last `weeks` weeks against the `weeks` before, and the most common event
    types.

    Parameters
    ----------
    m
        The map.
    weekly
        From :func:`geo.maps.build.feed_trend`: ``week`` (Monday date), ``category``, ``count``.
    lang
        Language.
    weeks
        Length of the compared windows.
    """
    _require(weekly, ["week", "category", "count"], "feed trend")
    if weekly.empty:
        return m
    totals = weekly.groupby("week")["count"].sum().sort_index()
    full = pd.date_range(totals.index.min(), totals.index.max(), freq="7D")
    totals = totals.reindex(full, fill_value=0)
    cur = int(totals.iloc[-weeks:].sum())
    before = int(totals.iloc[-2 * weeks : -weeks].sum()) if len(totals) > weeks else 0
    change = f"{cur - before:+d}"
    last = weekly[weekly["week"] >= totals.index[-min(weeks, len(totals))]]
    top = last.groupby("category")["count"].sum().sort_values(ascending=False).head(3)
    top_txt = ", ".join(f"{escape(str(c))} {int(v)}" for c, v in top.items())
    html = (
        f"<b>{escape(text('feed_title', lang))}</b><br>"
        f"{sparkline_svg(totals.iloc[-52:].to_numpy())}<br>"
        f"<span style='font-size:11px'>{escape(text('feed_total', lang, n=weeks, cur=cur, change=change))}"
        f"<br>{escape(text('feed_top', lang))}: {top_txt}</span>"
    )
    HtmlPanel(html, position="bottomright", css_class="lb-panel lb-feed").add_to(m)
    return m
