"""The overview page of a many-area run (``overview.html``): a map of the areas and a table, in Swedish.

The map (self-contained, as every lägesbild map: Leaflet embedded, no request but tiles) colours each
municipality by reports per km²; its popup gives the figures and links to the area's own maps. The table
below lists every area sorted by what changed (new plus ended hot-spots); failed areas come first, with
their error.
"""

from __future__ import annotations

from html import escape

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element
from folium.utilities import _parse_size

from geo.maps.base import base_map
from geo.maps.elements import DataLayer

__all__ = ["changed", "overview_html"]

_COLOURS = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")
"""Five classes of reports per km², light to dark."""

_HEADERS = (
    ("code", "Kod"),
    ("name", "Kommun"),
    ("status", "Status"),
    ("reports", "Rapporter"),
    ("hotspots", "Hot-spots"),
    ("new", "Nya"),
    ("continuing", "Kvarstår"),
    ("ended", "Upphört"),
    ("proposals", "Förslag"),
    ("measures", "Åtgärder"),
    ("verdict_decrease", "Minskning"),
    ("verdict_increase", "Ökning"),
    ("verdict_no_clear_effect", "Ingen tydlig effekt"),
    ("verdict_too_early", "För tidigt"),
    ("reports_per_km2", "Rapporter per km²"),
    ("reports_per_1000", "Per 1 000 invånare"),
)

_STYLE = """<style>
body{font-family:system-ui,sans-serif;margin:0}
.ov{padding:12px 18px}
.ov h1{font-size:1.35em;margin:4px 0}
.ov p{margin:4px 0}
.ov table{border-collapse:collapse;font-size:.9em;margin-top:8px}
.ov th,.ov td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right}
.ov th:nth-child(-n+3),.ov td:nth-child(-n+3){text-align:left}
.ov tr.failed td{background:#fde0dc}
.ov .demo{color:#b00;font-weight:bold}
</style>"""


def _fmt(value: object, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "–"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}".replace(",", "\u00a0")
    if isinstance(value, float | np.floating):
        text = f"{float(value):,.{digits}f}".replace(",", "\u00a0").replace(".", ",")
        return text
    return escape(str(value))


def _link(row: pd.Series, text: str) -> str:
    target = str(row.get("map") or "")
    return f'<a href="{escape(target, quote=True)}">{escape(text)}</a>' if target else escape(text)


def _popup(row: pd.Series) -> str:
    status = "" if row["status"] == "ok" else f"<br><b>Misslyckades:</b> {escape(str(row['error']))}"
    lines = [f"<b>{escape(str(row['name']))}</b> ({escape(str(row['code']))}){status}"]
    for key, label in _HEADERS[3:]:
        digits = 2 if key.startswith("reports_per") else 0
        lines.append(f"{escape(label)}: {_fmt(row[key], digits)}")
    if row.get("map"):
        lines.append(_link(row, "Öppna kommunens karta"))
    return "<br>".join(lines)


def _classes(values: pd.Series) -> list[str]:
    x = pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()
    ok = np.isfinite(x)
    if not ok.any():
        return ["#cccccc"] * len(x)
    edges = np.unique(np.quantile(x[ok], [0.2, 0.4, 0.6, 0.8]))
    cls = np.searchsorted(edges, np.where(ok, x, 0.0), side="right")
    return [_COLOURS[min(int(c), 4)] if good else "#cccccc" for c, good in zip(cls, ok, strict=True)]


def changed(table: pd.DataFrame) -> pd.DataFrame:
    """Return the table sorted by what changed: failed first, then new plus ended hot-spots, reports."""
    change = table["new"].fillna(0).astype(int) + table["ended"].fillna(0).astype(int)
    return (
        table.assign(_change=change, _failed=table["status"] != "ok")
        .sort_values(["_failed", "_change", "hotspots", "reports"], ascending=False, na_position="last")
        .drop(columns=["_change", "_failed"])
    )


def _table(table: pd.DataFrame) -> str:
    head = "".join(f"<th>{escape(label)}</th>" for _, label in _HEADERS)
    rows = []
    for _, row in changed(table).iterrows():
        cells = []
        for key, _label in _HEADERS:
            if key == "name":
                cells.append(f"<td>{_link(row, str(row['name']))}</td>")
            elif key == "status":
                text = "ok" if row["status"] == "ok" else f"misslyckades: {row['error']}"
                cells.append(f"<td>{escape(text)}</td>")
            else:
                cells.append(f"<td>{_fmt(row[key], 2 if key.startswith('reports_per') else 0)}</td>")
        cls = "" if row["status"] == "ok" else ' class="failed"'
        rows.append(f"<tr{cls}>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def overview_html(
    table: pd.DataFrame,
    areas: gpd.GeoDataFrame,
    *,
    title: str = "Lägesbild",
    outside: dict[str, int] | None = None,
    tiles: str = "osm",
    demo: bool = False,
) -> str:
    """Return the overview page: a map of the areas with their figures, and the table sorted by change.

    Parameters
    ----------
    table
        ``overview.csv``'s rows (:data:`geo.region.overview.OVERVIEW_COLUMNS`).
    areas
        The areas' polygons (``code``, WGS84).
    title
        The run's title.
    outside
        Reports in a municipality not chosen (``elsewhere``) and in none (``nowhere``).
    tiles
        The base map (:func:`geo.maps.base.parse_tiles`).
    demo
        Label the page "syntetiska demodata".
    """
    shapes = areas[["code", "geometry"]].merge(table, on="code", how="left")
    shapes = gpd.GeoDataFrame(shapes, geometry="geometry", crs=areas.crs).to_crs("EPSG:4326")
    w, s, e, n = (round(float(v), 4) for v in shapes.total_bounds)
    m = base_map([[s, w], [n, e]], tiles=tiles, lang="sv", title=f"{title} – översikt")
    m.height = _parse_size("62vh")
    colours = _classes(shapes["reports_per_km2"])
    styles = [
        {"fillColor": c, "color": "#333", "weight": 1, "fillOpacity": 0.7} for c in (*_COLOURS, "#cccccc")
    ]
    styles.append({"fillColor": "#cccccc", "color": "#c00", "weight": 3, "fillOpacity": 0.7})
    features = []
    for (_, row), colour in zip(shapes.iterrows(), colours, strict=True):
        k = _COLOURS.index(colour) if colour in _COLOURS else len(_COLOURS)
        if row["status"] != "ok":
            k = len(styles) - 1
        props = {
            "_k": k,
            "_p": _popup(row),
            "_t": f"{row['name']} ({row['code']}): {_fmt(row['reports'])} rapporter",
        }
        geom = shapely.set_precision(row.geometry.simplify(0.002), 1e-5)
        features.append({"type": "Feature", "properties": props, "geometry": geom.__geo_interface__})
    legend = "Rapporter per km² (femtedelar); rött: området misslyckades"
    fc = {"type": "FeatureCollection", "features": features}
    DataLayer("areas", "Kommuner", fc, styles=styles, legend=escape(legend)).add_to(m)
    out = outside or {}
    counts = (
        f"{_fmt(int(table['reports'].fillna(0).sum()))} rapporter i perioden i {len(table)} områden; "
        f"{_fmt(out.get('elsewhere', 0))} i kommuner utanför urvalet och {_fmt(out.get('nowhere', 0))} "
        "utan kommun (se outside.csv)."
    )
    failed = int((table["status"] != "ok").sum())
    fail_text = (
        f" <b>{failed} områden misslyckades</b> (röda i kartan och först i tabellen)." if failed else ""
    )
    demo_text = '<p class="demo">syntetiska demodata</p>' if demo else ""
    root = m.get_root()
    root.header.add_child(Element(_STYLE), name="lb_overview_style")  # type: ignore[attr-defined]
    intro = (
        f'<div class="ov"><h1>{escape(title)} – översikt</h1>{demo_text}<p>{counts}{fail_text}</p>'
        "<p>Färgen visar rapporter per km². Klicka på en kommun för dess siffror och karta.</p></div>"
    )
    root.html.add_child(Element(intro), index=0)  # type: ignore[attr-defined]
    page = str(root.render())
    below = f'<div class="ov"><h2>Vad har ändrats</h2>{_table(table)}</div>'  # under the map
    head, sep, tail = page.rpartition("</body>")
    return f"{head}{below}{sep}{tail}" if sep else page + below
