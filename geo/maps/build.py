"""Building the whole lägesbild map: prepare every layer (public-safe when asked), then draw it.

:func:`prepare_layers` is pure: it turns the analysis results into the frames the map shows (and the
GeoPackage stores). On the public map it keeps only what may be published: report counts on the fixed grid
with counts of at least ``k``, and hot-spot areas of at least ``k`` incidents replaced by the grid cells they
touch, with category mixes and time charts coarsened and suppressed below ``k``. No report coordinate, id,
time or free text enters a public frame.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.maps import layers as L
from geo.maps.aggregate import cells_covering, choose_cell_m, grid_counts, suppress, wgs84_bounds
from geo.maps.base import HtmlPanel, LeanMap, base_map
from geo.maps.svg import block_profile
from geo.maps.texts import LANGS, text
from geo.model import point_reports

__all__ = [
    "MapLayers",
    "build_map",
    "draw_map",
    "feed_trend",
    "prepare_layers",
    "render_html",
    "view_bounds",
]

INTERNAL_ONLY = (
    "density",
    "gistar",
    "points",
    "lit_coverage",
    "dark_stretches",
    "dark_places",
    "lamp_proposals",
    "quick_fixes",
    "speed",
    "enforcement",
    "patrol",
)
"""Layers that never appear on the public map."""

_LIGHTING_KEYS = {
    "lamp_proposals": ("proposals", "lighting_proposals", "lamp_proposals"),
    "dark_places": ("dark_places",),
    "lit_coverage": ("coverage", "lit_coverage", "lit"),
    "dark_stretches": ("dark_stretches", "unlit_ways", "stretches"),
    "quick_fixes": ("quick_fixes", "broken", "repairs"),
}
_SPEED_KEYS = {
    "speed": ("segments", "speed_segments"),
    "enforcement": ("enforcement", "enforcement_plan", "plan"),
}


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
    feed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["week", "category", "count"]))

    def feature_counts(self) -> dict[str, int]:
        """Features each layer will draw (Gi* without its not-significant cells)."""
        out = {}
        for key, frame in self.frames.items():
            if key == "gistar":
                out[key] = L.gistar_feature_count(frame)
            elif key == "patrol":
                n_routes = sum(1 for _, g in frame.groupby(L.shifts_of(frame)) if len(g) >= 2)
                out[key] = int(frame["place_id"].nunique()) + n_routes
            else:
                out[key] = len(frame)
        return out


def _pick(obj: Any, names: tuple[str, ...]) -> Any:
    if obj is None:
        return None
    for n in names:
        if isinstance(obj, Mapping) and n in obj and obj[n] is not None:
            return obj[n]
        if not isinstance(obj, Mapping) and getattr(obj, n, None) is not None:
            return getattr(obj, n)
    return None


def feed_trend(reports: pd.DataFrame) -> pd.DataFrame:
    """Weekly counts per event type of the Police events feed's reports.

    Parameters
    ----------
    reports
        Reports; the feed's rows are those with ``source == "polisen_feed"`` (their ``category`` is the event
        type).

    Returns
    -------
    weekly
        ``week`` (local Monday, naive date-time), ``category``, ``count``.
    """
    if reports is None or "source" not in reports.columns or reports.empty:
        return pd.DataFrame(columns=["week", "category", "count"])
    feed = reports[reports["source"].astype(str) == "polisen_feed"]
    if feed.empty:
        return pd.DataFrame(columns=["week", "category", "count"])
    t = feed["occurred_at"]
    week = (t.dt.tz_localize(None).dt.normalize() - pd.to_timedelta(t.dt.day_of_week, unit="D")).to_numpy()
    table = pd.DataFrame({"week": week, "category": feed["category"].astype(str).to_numpy()})
    return table.groupby(["week", "category"], as_index=False).size().rename(columns={"size": "count"})


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


_HOUSE_NUMBER = re.compile(r"(?<=[^\W\d_])\s+\d+\s*[A-Za-z]?\b")


def _drop_specks(geom: Any, min_area: float) -> Any:
    """Keep the polygon parts of `geom` with at least `min_area` square metres (holes kept)."""
    if geom is None or geom.is_empty or min_area <= 0:
        return geom
    parts = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
    keep = [p for p in parts if p.area >= min_area]
    if not keep:
        return max(parts, key=lambda p: p.area)
    return keep[0] if len(keep) == 1 else shapely.MultiPolygon(keep)


def _public_label(label: Any, descriptions: set[str]) -> str | None:
    """Make a hot-spot label fit for the public page.

    House numbers are removed (``"Finkvägen 24, Värnamo"`` → ``"Finkvägen, Värnamo"``: an address names a
    home), and a label that repeats a report's free text is dropped.
    """
    if label is None or pd.isna(label):
        return None
    s = _HOUSE_NUMBER.sub("", str(label)).strip()
    if not s:
        return None
    low = s.casefold()
    for d in descriptions:
        if d and (d in low or low in d):
            return None
    return s


def _public_mix(value: Any, k: int, lang: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "{}"
    mix = json.loads(value) if isinstance(value, str) else dict(value)
    out: dict[str, float] = {}
    rest = 0.0
    for c, v in sorted(mix.items(), key=lambda kv: -float(kv[1])):
        if float(v) >= k:
            out[str(c)] = float(v)
        else:
            rest += float(v)
    if rest >= k:
        out[text("other", lang)] = rest
    return json.dumps(out, ensure_ascii=False)


def _public_profile(value: Any, k: int) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    arr = np.asarray(json.loads(value) if isinstance(value, str) else value, dtype=float)
    if arr.shape != (168,):
        return None
    blocks = block_profile(arr, block_h=3)
    blocks = np.where((blocks > 0) & (blocks < k), -1.0, np.round(blocks, 1))
    return json.dumps(blocks.ravel().tolist())


def prepare_layers(
    reports: gpd.GeoDataFrame | None,
    *,
    hotspots: gpd.GeoDataFrame | None = None,
    density: Any = None,
    gistar: gpd.GeoDataFrame | None = None,
    lighting: Any = None,
    speed: Any = None,
    patrol: Any = None,
    feed: pd.DataFrame | None = None,
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
    """Turn analysis results into the frames a map draws; the public version keeps only aggregates.

    Parameters
    ----------
    reports
        Reports in the report model (any precision; only point-precision rows reach the grid), or ``None``
        when drawing saved results.
    hotspots
        :func:`geo.hotspots.find_hotspots` output.
    density
        Density contours (``share``, ``level``) or a :class:`geo.hotspots.kde.DensitySurface`.
    gistar
        :func:`geo.hotspots.gistar_cells` output.
    lighting
        Mapping or object with ``proposals`` (``lighting_proposals`` table), ``dark_places``, ``coverage``,
        ``dark_stretches``, ``quick_fixes`` (any may be missing).
    speed
        Mapping or object with ``segments`` and ``enforcement`` (the enforcement plan table).
    patrol
        Patrol-plan visits (``patrol_plan.csv`` columns) or an object with a ``visits`` frame.
    feed
        Weekly Police-feed counts; default: computed from `reports` with :func:`feed_trend`.
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
    crs = reports.crs if reports is not None else None
    if crs is None and hotspots is not None:
        crs = _metric(hotspots, None).crs
    out = MapLayers(public=public, k=k)
    out.crs_name = _crs_name(crs)
    pts = point_reports(reports) if reports is not None and len(reports) else None
    if reports is not None:
        out.period = _period(reports)
        files = (
            sorted({Path(str(f)).name for f in reports["source_file"].dropna().unique()})
            if "source_file" in reports
            else []
        )
        out.sources = files
    out.feed = feed if feed is not None else feed_trend(reports)
    area_f = _area_frame(area, crs)
    if area_f is not None:
        out.frames["area"] = area_f[[area_f.geometry.name]]
    cell = cell_m or (choose_cell_m(pts, max_cells=max_cells) if pts is not None and len(pts) else 100.0)
    out.cell_m = float(cell)
    if pts is not None and len(pts):
        out.n_reports = len(pts)
        cells = grid_counts(pts, cell_m=cell)
        if public:
            cells = suppress(cells, k=k)[["cell_id", "count", "geometry"]]
        out.frames["grid"] = cells
    if density is not None and not public:
        if hasattr(density, "density") and not isinstance(density, pd.DataFrame):
            from geo.hotspots.contours import density_contours

            density = density_contours(density)
        dens = _metric(density, crs)
        geoms = [_drop_specks(g.simplify(simplify_m), min_part_m2) for g in dens.geometry]
        out.frames["density"] = dens.set_geometry(gpd.GeoSeries(geoms, index=dens.index, crs=dens.crs))
    if hotspots is not None and len(hotspots):
        hs = _metric(hotspots, crs)
        if public:
            descs: set[str] = set()
            if reports is not None and "description" in reports.columns:
                descs = {
                    str(d).strip().casefold()
                    for d in reports["description"].dropna()
                    if len(str(d).strip()) >= 4
                }
            keep = hs[pd.to_numeric(hs["n_reports"]) >= k]
            rows = []
            for _, r in keep.iterrows():
                rows.append(
                    {
                        "hotspot_id": str(r["hotspot_id"]),
                        "label": _public_label(r.get("label"), descs),
                        "n_reports": int(r["n_reports"]),
                        "share": float(r["share"]) if "share" in r.index and pd.notna(r["share"]) else np.nan,
                        "category_mix": _public_mix(r.get("category_mix"), k, lang),
                        "peak_windows": r.get("peak_windows"),
                        "trend": r.get("trend"),
                        "profile_3h": _public_profile(r.get("profile"), k),
                        "geometry": cells_covering(r.geometry, cell_m=cell),
                    }
                )
            hs = (
                gpd.GeoDataFrame(rows, geometry="geometry", crs=hs.crs)
                if rows
                else gpd.GeoDataFrame({"hotspot_id": [], "n_reports": []}, geometry=[], crs=hs.crs)
            )
        out.frames["hotspots"] = hs
    if gistar is not None and not public:
        out.frames["gistar"] = _metric(gistar, crs)
    if pts is not None and len(pts) and not public:
        n = min(max_points, len(pts))
        if len(pts) > n:
            order = np.argsort(pts["occurred_at"].to_numpy(), kind="stable")[::-1][:n]
            out.frames["points"] = pts.iloc[np.sort(order)]
        else:
            out.frames["points"] = pts
    if not public:
        if lighting is not None and hasattr(lighting, "map_layers"):
            lighting = lighting.map_layers()  # a geo.plan.lighting.LightingPlan
        light: dict[str, Any] = {}
        for key, names in _LIGHTING_KEYS.items():
            frame = _pick(lighting, names)
            if frame is not None and len(frame):
                light[key] = frame
        # the lighting plan hands its ranked dark places over as "dark_stretches"; unranked lines are unlit ways
        if (
            "dark_places" not in light
            and "dark_stretches" in light
            and "rank" in light["dark_stretches"].columns
        ):
            light["dark_places"] = light.pop("dark_stretches")
            unlit = _pick(lighting, ("unlit_ways",))
            if unlit is not None and len(unlit):
                light["dark_stretches"] = unlit
        out.frames.update(light)
        for key, names in _SPEED_KEYS.items():
            frame = _pick(speed, names)
            if frame is not None and len(frame):
                out.frames[key] = frame
        visits = patrol if isinstance(patrol, pd.DataFrame) else _pick(patrol, ("visits", "plan"))
        if visits is not None and len(visits):
            out.frames["patrol"] = visits
    return out


def _footer(
    layers: MapLayers,
    *,
    title: str,
    lang: str,
    demo: bool,
    generated_at: pd.Timestamp | None,
    filter_text: str | None,
) -> str:
    parts = [f"<b>{escape(title)}</b>"]
    if demo:
        parts.append(f'<span class="lb-demo">{escape(text("demo", lang))}</span>')
    facts = []
    if layers.period:
        facts.append(f"{escape(text('period', lang))}: {escape(layers.period)}")
    if filter_text:
        facts.append(f"{escape(text('filter', lang))}: {escape(filter_text)}")
    if layers.sources:
        facts.append(f"{escape(text('sources', lang))}: {escape(', '.join(layers.sources))}")
    if layers.crs_name:
        facts.append(f"{escape(text('crs', lang))}: {escape(layers.crs_name)}")
    if generated_at is not None:
        facts.append(f"{escape(text('generated', lang))}: {generated_at:%Y-%m-%d %H:%M %Z}".strip())
    parts.append(" · ".join(facts))
    parts.append(f"<i>{escape(text('public_note' if layers.public else 'internal_note', lang))}</i>")
    return "<br>".join(p for p in parts if p)


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    order = np.argsort(values)
    cum = np.cumsum(weights[order])
    return float(values[order][min(np.searchsorted(cum, q * cum[-1]), len(cum) - 1)])


def view_bounds(layers: MapLayers, *, trim: float = 0.002) -> list[list[float]] | None:
    """Compute the map's opening view.

    Where the reports are (the grid without its outermost `trim` share at each
    side, so one stray report far away does not zoom the map out to a whole county), widened to hold every
    hot-spot; the study area only when there is nothing else. Rounded outward (see
    :func:`~geo.maps.aggregate.wgs84_bounds`).

    Parameters
    ----------
    layers
        Prepared layers.
    trim
        Share of reports left out at each edge.
    """
    f = layers.frames
    parts: list[gpd.GeoDataFrame] = []
    if "grid" in f and len(f["grid"]):
        g = f["grid"].to_crs("EPSG:4326")
        c = g.geometry.representative_point()
        x, y, w = c.x.to_numpy(), c.y.to_numpy(), g["count"].to_numpy(dtype=float)
        x0, x1 = _weighted_quantile(x, w, trim), _weighted_quantile(x, w, 1 - trim)
        y0, y1 = _weighted_quantile(y, w, trim), _weighted_quantile(y, w, 1 - trim)
        inside = g[(x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)]
        parts.append(inside)
    if "hotspots" in f and len(f["hotspots"]) and isinstance(f["hotspots"], gpd.GeoDataFrame):
        parts.append(f["hotspots"].to_crs("EPSG:4326"))
    if not parts and "area" in f and len(f["area"]):
        parts.append(f["area"].to_crs("EPSG:4326"))
    if not parts:
        parts = [
            v.to_crs("EPSG:4326")
            for v in f.values()
            if isinstance(v, gpd.GeoDataFrame) and v.crs is not None and len(v)
        ]
    if not parts:
        return None
    geoms = pd.concat(
        [gpd.GeoSeries(p.geometry.to_numpy(), crs="EPSG:4326") for p in parts], ignore_index=True
    )
    return wgs84_bounds(gpd.GeoDataFrame(geometry=geoms, crs="EPSG:4326"))


def draw_map(
    layers: MapLayers,
    *,
    lang: str = "sv",
    tiles: str = "osm",
    title: str | None = None,
    demo: bool = False,
    generated_at: pd.Timestamp | None = None,
    filter_text: str | None = None,
) -> LeanMap:
    """Draw prepared layers on a new map, with legends, the feed panel and the footer.

    Parameters
    ----------
    layers
        From :func:`prepare_layers`.
    lang
        ``"sv"`` or ``"en"``.
    tiles
        ``osm``, ``light``, ``dark``, ``none`` or a tile URL template.
    title
        Map title (default "Lägesbild").
    demo
        Say "syntetiska demodata" prominently (the demo world).
    generated_at
        Generation time shown in the footer.
    filter_text
        Description of a weekday/hour filter applied to the reports.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be 'sv' or 'en', got '{lang}'")
    title = title or text("title_default", lang)
    f = layers.frames
    bounds = view_bounds(layers)
    m = base_map(bounds, tiles=tiles, lang=lang, title=f"{title}{' – ' + text('demo', lang) if demo else ''}")
    public = layers.public
    if "area" in f:
        L.add_area(m, f["area"], lang=lang)
    if "density" in f:
        L.add_density(m, f["density"], lang=lang, show="hotspots" not in f)
    if "grid" in f:
        L.add_report_grid(m, f["grid"], cell_m=layers.cell_m, public=public, k=layers.k, lang=lang)
    if "gistar" in f:
        L.add_gistar(m, f["gistar"], lang=lang, show=False)
    if "hotspots" in f:
        L.add_hotspots(m, f["hotspots"], public=public, k=layers.k, lang=lang)
    if "points" in f:
        L.add_report_points(m, f["points"], max_points=len(f["points"]), lang=lang, show=False)
    if "lit_coverage" in f:
        L.add_lit_coverage(m, f["lit_coverage"], lang=lang)
    if "dark_stretches" in f:
        L.add_dark_stretches(m, f["dark_stretches"], lang=lang, show=False)
    if "dark_places" in f:
        L.add_dark_places(m, f["dark_places"], lang=lang, show=False)
    if "quick_fixes" in f:
        L.add_quick_fixes(m, f["quick_fixes"], lang=lang, show=False)
    if "lamp_proposals" in f:
        L.add_lamp_proposals(m, f["lamp_proposals"], lang=lang, show=True)
    if "speed" in f:
        L.add_speed_segments(m, f["speed"], lang=lang, show=False)
    if "enforcement" in f:
        L.add_enforcement(m, f["enforcement"], lang=lang, show=False)
    if "patrol" in f:
        L.add_patrol(m, f["patrol"], lang=lang, show=False)
    if layers.feed is not None and len(layers.feed):
        L.add_feed_panel(m, layers.feed, lang=lang)
    footer = _footer(
        layers, title=title, lang=lang, demo=demo, generated_at=generated_at, filter_text=filter_text
    )
    HtmlPanel(footer, position="bottomleft", css_class="lb-panel lb-footer").add_to(m)
    if demo:
        HtmlPanel(
            f'<span class="lb-demo">{escape(text("demo", lang))}</span>',
            position="topleft",
            css_class="lb-panel",
        ).add_to(m)
    return m


def build_map(
    reports: gpd.GeoDataFrame | None,
    *,
    hotspots: gpd.GeoDataFrame | None = None,
    density: Any = None,
    gistar: gpd.GeoDataFrame | None = None,
    lighting: Any = None,
    speed: Any = None,
    patrol: Any = None,
    feed_trend: pd.DataFrame | None = None,
    public: bool = False,
    k: int = 5,
    lang: str = "sv",
    tiles: str = "osm",
    title: str | None = None,
    demo: bool = False,
    area: Any = None,
    cell_m: float | None = None,
    max_points: int = 20_000,
    generated_at: pd.Timestamp | None = None,
    filter_text: str | None = None,
) -> LeanMap:
    """Build the lägesbild map, internal (default) or public.

    Parameters are those of :func:`prepare_layers` and :func:`draw_map`; `feed_trend` is the weekly
    Police-feed table (default: from `reports`). Render with :func:`render_html` (or save with
    :func:`geo.maps.save_map`).

    Returns
    -------
    m
        A self-contained map (``offlinefolium.Map`` subclass).
    """
    layers = prepare_layers(
        reports,
        hotspots=hotspots,
        density=density,
        gistar=gistar,
        lighting=lighting,
        speed=speed,
        patrol=patrol,
        feed=feed_trend,
        area=area,
        public=public,
        k=k,
        cell_m=cell_m,
        max_points=max_points,
        lang=lang,
    )
    return draw_map(
        layers,
        lang=lang,
        tiles=tiles,
        title=title,
        demo=demo,
        generated_at=generated_at,
        filter_text=filter_text,
    )


def render_html(m: LeanMap) -> str:
    """Render the map's complete, self-contained HTML page."""
    return m.get_root().render()
