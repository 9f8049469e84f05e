"""What every map layer shares: colours, class breaks, legends, popups, number formats and frame checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import i18n
from geo.i18n import N_, gettext
from geo.maps.aggregate import feature_collection
from geo.maps.elements import DataLayer
from geo.maps.escape import Markup, as_html, escape
from geo.maps.registry import LeanMap

__all__ = [
    "CATEGORY_COLORS",
    "DENSITY_COLORS",
    "GISTAR_COLORS",
    "GISTAR_WORDS",
    "GRID_COLORS",
    "TREND_COLORS",
    "TREND_WORDS",
    "add_ranked",
    "as_points",
    "class_breaks",
    "class_of",
    "fmt_num",
    "legend_classes",
    "pct",
    "popup_html",
    "popup_template",
    "require_columns",
    "require_geo",
    "swatch_legend",
    "trend_word",
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

GISTAR_WORDS = {
    "hot_99": N_("het 99 %"),
    "hot_95": N_("het 95 %"),
    "hot_90": N_("het 90 %"),
    "cold_90": N_("kall 90 %"),
    "cold_95": N_("kall 95 %"),
    "cold_99": N_("kall 99 %"),
    "ns": N_("ej signifikant"),
}
"""Gi* class -> its name in the legend (a Swedish message id)."""

TREND_WORDS = {
    "new": N_("ny"),
    "intensifying": N_("ökande"),
    "persistent": N_("bestående"),
    "diminishing": N_("minskande"),
    "sporadic": N_("sporadisk"),
    "none": N_("ingen trend"),
}
"""Trend class -> its Swedish word (the message id; translated with :func:`geo.gettext`)."""


def trend_word(value: object, lang: str) -> str:
    """Return the trend class `value` in words (unknown values unchanged, a missing one "ingen trend")."""
    key = str(value) if value is not None and not pd.isna(value) and str(value) else "none"
    return gettext(TREND_WORDS[key], lang) if key in TREND_WORDS else key


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
"""Category colours of the clustered report points."""


def require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise ``ValueError`` naming the `columns` `frame` lacks (`what` names the layer)."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing columns {missing}; has {list(frame.columns)}")


def fmt_num(value: Any, lang: str, *, decimals: int = 0) -> str:
    """Format a number for `lang` with `decimals` decimals ("4 946,5" / "4,946.5"); ``–`` if missing."""
    if value is not None and isinstance(value, float) and not np.isfinite(value):
        return i18n.MISSING
    return i18n.number(value, lang, decimals=decimals)


def pct(value: Any, lang: str = "sv", *, decimals: int = 1) -> str:
    """Format a share (0..1) as a percentage with `decimals` decimals for `lang`; ``–`` when missing."""
    return i18n.pct(value, lang, decimals=decimals)


def popup_html(title: str, rows: Sequence[tuple[str, str]], *, extra: str = "", subtitle: str = "") -> Markup:
    """Build a popup: an escaped title, a two-column table of escaped label/value pairs, then `extra`.

    Parameters
    ----------
    title
        Heading (escaped here).
    rows
        ``(label, value)`` pairs (both escaped here).
    extra
        Appended below: HTML when a :class:`~markupsafe.Markup` (an SVG chart built by :mod:`geo.maps.svg`),
        otherwise escaped as text.
    subtitle
        Small grey line under the heading (escaped).
    """
    body = "".join(f"<tr><td>{escape(str(k))}</td><td>{escape(str(v))}</td></tr>" for k, v in rows)
    sub = f'<div style="color:#666;font-size:11px">{escape(subtitle)}</div>' if subtitle else ""
    head = f'<div class="lb-pop"><h4>{escape(title)}</h4>{sub}'
    return Markup(f"{head}<table>{body}</table>{as_html(extra)}</div>")


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


def class_of(values: np.ndarray, breaks: Sequence[int]) -> np.ndarray:
    """Return the class index of each value for the lower bounds `breaks`."""
    return np.clip(np.searchsorted(np.asarray(breaks), values, side="right") - 1, 0, len(breaks) - 1)


def legend_classes(title: str, breaks: Sequence[int], colors: Sequence[str], vmax: int) -> Markup:
    """Build a legend of count classes: one swatch per class with its range (the last up to `vmax`)."""
    parts = [f"<b>{escape(title)}</b>"]
    for i, b in enumerate(breaks):
        hi = breaks[i + 1] - 1 if i + 1 < len(breaks) else vmax
        label = f"{b}" if hi <= b else f"{b}–{hi}"
        parts.append(f'<div><span class="lb-sw" style="background:{escape(colors[i])}"></span>{label}</div>')
    return Markup("".join(parts))


def swatch_legend(
    title: str, items: Sequence[tuple[str, str]], *, note: str = "", line: bool = False
) -> Markup:
    """Build a legend of coloured swatches (or lines) with labels and an optional note."""
    parts = [f"<b>{escape(title)}</b>"]
    for color, label in items:
        style = (
            f"background:{color}"
            if not line
            else f"background:none;border:0;border-top:3px solid {color};height:0"
        )
        parts.append(f'<div><span class="lb-sw" style="{escape(style)}"></span>{escape(label)}</div>')
    if note:
        parts.append(f'<div style="color:#555">{escape(note)}</div>')
    return Markup("".join(parts))


def as_points(frame: pd.DataFrame, what: str) -> gpd.GeoDataFrame:
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


def require_geo(frame: pd.DataFrame, what: str) -> gpd.GeoDataFrame:
    """Return `frame` if it is a GeoDataFrame with a CRS, else raise ``ValueError`` naming `what`."""
    if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None:
        raise ValueError(f"{what}: needs a GeoDataFrame with a CRS")
    return frame


def popup_template(title: str, rows: Sequence[tuple[str, str]]) -> Markup:
    r"""Build a popup template (see :class:`geo.maps.elements.DataLayer`): ``{name}`` placeholders kept.

    Write the placeholders as ``\x00name\x01`` in `title` and `rows`; they survive the escaping of
    :func:`popup_html` and come back as ``{name}``.
    """
    return Markup(str(popup_html(title, rows)).replace("\x00", "{").replace("\x01", "}"))


def add_ranked(
    m: LeanMap,
    key: str,
    pts: gpd.GeoDataFrame,
    popups: list[list[tuple[str, str]]],
    *,
    style: dict[str, Any],
    name: str,
    legend: str,
    show: bool,
) -> LeanMap:
    """Draw points as badges numbered by ``rank`` in the layer `name`, each with a popup of its rows."""
    props = [
        {"_k": 0, "_n": int(rank), "_p": popup_html(f"{name} #{int(rank)}", rows)}
        for rank, rows in zip(pts["rank"], popups, strict=True)
    ]
    swatch = swatch_legend(name, [(style["fillColor"], legend)])
    DataLayer(key, name, feature_collection(pts, props), styles=[style], show=show, legend=swatch).add_to(m)
    return m
