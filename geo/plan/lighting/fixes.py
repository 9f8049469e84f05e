"""Quick fixes: broken and part-night lamps with dark-time evidence around them — repair before building."""

from __future__ import annotations

import json
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import i18n
from geo.layers.lighting.layer import LightingLayer
from geo.model import Reports, point_reports
from geo.plan.lighting.words import BROKEN_WORDS, DARK_WORDS, contains_any, hours_text, is_place_report

__all__ = ["FIX_COLUMNS", "quick_fixes"]

FIX_COLUMNS = [
    "rank",
    "lamp_id",
    "status",
    "lat",
    "lon",
    "street",
    "dark_reports",
    "broken_reports",
    "peak_hours",
    "report_ids",
    "reason",
]
"""The columns of :func:`quick_fixes` (besides the geometry)."""


def _nearest_streets(layer: LightingLayer, lamps: np.ndarray) -> np.ndarray:
    """Label of the walkable way nearest each lamp index in `lamps` (others stay empty)."""
    streets = np.full(len(layer.lamps), "", dtype=object)
    if len(layer.ways) and lamps.size:
        near_l, near_w = shapely.STRtree(layer.ways.geometry.to_numpy()).query_nearest(
            layer.lamps.geometry.to_numpy()[lamps], all_matches=False
        )
        streets[lamps[near_l]] = layer.ways["street"].astype(str).to_numpy()[near_w]
    return streets


def _reason(
    status: str,
    lamp_id: str,
    street: str,
    *,
    n_dark: int,
    n_broken: int,
    peak: str,
    radius: float,
    off: Sequence[int],
    lang: str,
) -> str:
    """Return the reason of one quick fix in `lang` (plural forms by count)."""
    off_hours = f"{min(off):02d}–{(max(off) + 1) % 24:02d}"
    where = {"lamp": lamp_id, "street": street, "radius": i18n.number(radius, lang), "off": off_hours}
    if status == "broken":
        reason = i18n.ngettext(
            "Laga trasig lampa %(lamp)s (%(street)s): %(num)s rapport i mörker inom %(radius)s m",
            "Laga trasig lampa %(lamp)s (%(street)s): %(num)s rapporter i mörker inom %(radius)s m",
            n_dark,
            lang,
            **where,
        )
    elif status == "part_night":
        reason = i18n.ngettext(
            "Halvnattslampa %(lamp)s (%(street)s): %(num)s rapport inom %(radius)s m när den är släckt "
            "(kl %(off)s); överväg helnatt",
            "Halvnattslampa %(lamp)s (%(street)s): %(num)s rapporter inom %(radius)s m när den är släckt "
            "(kl %(off)s); överväg helnatt",
            n_dark,
            lang,
            **where,
        )
    else:
        reason = i18n.gettext("Kontrollera lampa %(lamp)s (%(street)s)", lang, lamp=lamp_id, street=street)
    if peak:
        reason += i18n.gettext(", mest %(peak)s", lang, peak=peak)
    if n_broken:
        reason += i18n.ngettext(
            "; %(num)s invånarrapport om trasig lampa",
            "; %(num)s invånarrapporter om trasig lampa",
            n_broken,
            lang,
        )
    return reason + "."


def _evidence_at(status: str, r: np.ndarray, dark_ev: np.ndarray, off: np.ndarray) -> np.ndarray:
    """Return the reports `r` near a lamp of `status` that speak for fixing it (dark evidence while off)."""
    if status == "broken":
        return r[dark_ev[r]]
    if status == "part_night":
        return r[dark_ev[r] & off[r]]
    return np.array([], dtype=int)


def _pairs(
    lamps: gpd.GeoDataFrame,
    pts: gpd.GeoDataFrame,
    *,
    radius: float,
    status: np.ndarray,
    dark_ev: np.ndarray,
    off: np.ndarray,
    broken_rep: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Return lamp and report indices within `radius` that can make a quick fix, ordered by lamp.

    Those are dark evidence at a broken lamp, at a part-night lamp while it is off, or a broken-lamp report
    at any lamp.
    """
    tree = shapely.STRtree(pts.geometry.to_numpy())
    li, ri = tree.query(lamps.geometry.to_numpy(), predicate="dwithin", distance=radius)
    st_pair = status[li]
    useful = (
        ((st_pair == "broken") & dark_ev[ri])
        | ((st_pair == "part_night") & dark_ev[ri] & off[ri])
        | broken_rep[ri]
    )
    li, ri = li[useful], ri[useful]
    order = np.argsort(li, kind="stable")
    return li[order], ri[order]


def quick_fixes(
    reports: Reports,
    layer: LightingLayer,
    *,
    radius_m: float | None = None,
    part_night_off_hours: Sequence[int] = (1, 2, 3, 4),
    dark_words: Sequence[str] = DARK_WORDS,
    broken_words: Sequence[str] = BROKEN_WORDS,
    lang: str = "sv",
) -> gpd.GeoDataFrame:
    """Broken and part-night lamps with dark-time evidence around them: repair before building.

    A lamp is a quick fix when it is ``broken`` (register) and dark-time incidents or dark-place reports lie
    within `radius_m`; when it is ``part_night`` and such reports lie within `radius_m` in the hours it is
    switched off (`part_night_off_hours`); or when a resident reported a broken lamp (category or description
    with one of `broken_words`) within `radius_m` of it.

    Parameters
    ----------
    reports
        Validated reports in the layer's CRS.
    layer
        The lighting layer.
    radius_m
        Distance in metres (default: the layer's lamp radius).
    part_night_off_hours
        Local hours (0-23) in which part-night lamps are off (Swedish halvnattsbelysning: about 01-05).
    dark_words, broken_words
        How dark-place and broken-lamp reports are recognised.
    lang
        Language of the reasons (``sv`` or ``en``).

    Returns
    -------
    fixes
        Best first: ``rank``, ``lamp_id``, ``status``, ``lat``, ``lon``, ``street`` (nearest walkable way),
        ``dark_reports``, ``broken_reports`` (residents reporting a broken lamp), ``peak_hours``,
        ``report_ids``
        (JSON), ``reason`` (Swedish), Point geometry.
    """
    radius = float(layer.radius_m if radius_m is None else radius_m)
    empty = gpd.GeoDataFrame(
        {c: pd.Series(dtype="object") for c in FIX_COLUMNS}, geometry=gpd.GeoSeries([], crs=layer.crs)
    )
    lamps = layer.lamps
    pts = point_reports(reports)
    if len(lamps) == 0 or len(pts) == 0:
        return empty
    text = (
        pts["category"].astype("string").fillna("")
        + " "
        + (pts["description"].astype("string").fillna("") if "description" in pts.columns else "")
    )
    broken_rep = contains_any(text, broken_words)
    dark_ev = is_place_report(pts, dark_words=dark_words) | pts["is_dark"].to_numpy(dtype=bool)
    status = lamps["status"].astype("string").to_numpy()
    hours = pts["hour"].to_numpy(dtype=int)
    off = np.isin(hours, list(part_night_off_hours))
    li, ri = _pairs(lamps, pts, radius=radius, status=status, dark_ev=dark_ev, off=off, broken_rep=broken_rep)
    report_ids = pts["report_id"].astype(str).to_numpy()
    lamp_ids = lamps["lamp_id"].astype(str).to_numpy()
    uniq, start = np.unique(li, return_index=True)
    stop = np.append(start[1:], li.size) if start.size else start
    streets = _nearest_streets(layer, uniq)
    rows = []
    for i, a, b in zip(uniq, start, stop, strict=True):
        r = ri[a:b]
        ev = _evidence_at(status[i], r, dark_ev, off)
        br = r[broken_rep[r]]
        if ev.size == 0 and br.size == 0:
            continue
        counts = zip(*np.unique(hours[ev], return_counts=True), strict=True)
        peak = hours_text({int(h): float(c) for h, c in counts}, lang) if ev.size else ""
        reason = _reason(
            status[i],
            str(lamp_ids[i]),
            str(streets[i]),
            n_dark=int(ev.size),
            n_broken=int(br.size),
            peak=peak,
            radius=radius,
            off=part_night_off_hours,
            lang=lang,
        )
        rows.append(
            {
                "lamp_id": str(lamp_ids[i]),
                "status": status[i],
                "street": str(streets[i]),
                "dark_reports": int(ev.size),
                "broken_reports": int(br.size),
                "peak_hours": peak,
                "report_ids": json.dumps(sorted(set(report_ids[np.concatenate([ev, br])]))),
                "reason": reason,
                "_i": i,
                "_w": ev.size + br.size,
            }
        )
    if not rows:
        return empty
    return _fix_table(rows, layer)


def _fix_table(rows: list[dict[str, object]], layer: LightingLayer) -> gpd.GeoDataFrame:
    table = (
        pd.DataFrame(rows)
        .sort_values(["_w", "lamp_id"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )
    geoms = layer.lamps.geometry.to_numpy()[table["_i"].to_numpy()]
    wgs = gpd.GeoSeries(geoms, crs=layer.crs).to_crs("EPSG:4326")
    table["lat"] = np.round(wgs.y.to_numpy(), 6)
    table["lon"] = np.round(wgs.x.to_numpy(), 6)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return gpd.GeoDataFrame(table[FIX_COLUMNS], geometry=geoms, crs=layer.crs)
