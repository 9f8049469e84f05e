"""Dark-time evidence: the reports that argue for more light, and the dark stretches ranked by them.

1. :func:`dark_evidence` — the reports that speak for more light: incidents that happened in darkness
   (``is_dark``, the sun below civil twilight) and residents'/safety-walk reports of dark or unsafe places
   (any time), outside today's lit coverage and within ``near_m`` of a dark stretch.
2. :func:`rank_dark_places` — dark stretches ranked by the score

   ``score = (Σ w(dark-time incidents) + place_weight × Σ w(place reports)) / (max(length_m, 100) / 100)``

   i.e. weighted evidence per 100 m of dark way (stretches shorter than 100 m count as 100 m, so that a
   10 m sliver with one report does not outrank a 100 m path with five). The evidence behind each score is
   kept: which reports (``report_ids``) and which hours (``hours``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.layers.lighting.layer import LightingLayer
from geo.model import Reports, point_reports
from geo.plan.lighting.words import DARK_WORDS, hours_text, is_place_report

__all__ = ["EVIDENCE_COLUMNS", "dark_evidence", "rank_dark_places"]

EVIDENCE_COLUMNS = [
    "report_id",
    "kind",
    "category",
    "source",
    "occurred_at",
    "hour",
    "weight",
    "evidence_weight",
    "stretch_id",
    "distance_m",
]
"""The columns of :func:`dark_evidence` (besides the geometry)."""

_PLACE_ORDER = [
    "rank",
    "lat",
    "lon",
    "length_m",
    "score",
    "dark_reports",
    "stretch_id",
    "street",
    "highway",
    "lit",
    "incidents",
    "place_reports",
    "evidence_weight",
    "peak_hours",
    "hours",
    "categories",
    "report_ids",
    "way_ids",
    "score_rule",
]

_NO_EVIDENCE: dict[str, object] = {
    "dark_reports": 0,
    "incidents": 0,
    "place_reports": 0,
    "evidence_weight": 0.0,
    "hours": "{}",
    "peak_hours": "",
    "categories": "{}",
    "report_ids": "[]",
}


def _inside_coverage(layer: LightingLayer, geoms: np.ndarray) -> np.ndarray:
    cover = layer.coverage_geometry
    if cover.is_empty:
        return np.zeros(len(geoms), dtype=bool)
    shapely.prepare(cover)  # one large polygon tested against many points
    return shapely.contains_xy(cover, shapely.get_x(geoms), shapely.get_y(geoms))


def dark_evidence(
    reports: Reports,
    layer: LightingLayer,
    *,
    near_m: float = 30.0,
    place_weight: float = 2.0,
    dark_words: Sequence[str] = DARK_WORDS,
) -> gpd.GeoDataFrame:
    """Select the reports that argue for more light and tie each to its nearest dark stretch.

    A report is evidence when it has a point position (see :func:`geo.model.point_reports`), lies outside the
    lit coverage, is within `near_m` of a dark stretch, and either is a report of a dark or unsafe place
    (``category`` containing one of `dark_words`: ``mörkt``, ``trasig belysning``, ``otrygg passage``, ...;
    residents and safety walks file these, often by day) which counts at any hour, or happened in darkness
    (``is_dark``, the sun below civil twilight): any crime or disturbance, whatever its source.

    Parameters
    ----------
    reports
        Validated reports in the layer's CRS.
    layer
        The lighting layer.
    near_m
        Largest distance in metres from a report to the dark stretch it is tied to (inclusive).
    place_weight
        Weight multiplier of a place report relative to a dark-time incident (>= 0).
    dark_words
        How place reports are recognised (case-insensitive substrings of ``category``).

    Returns
    -------
    evidence
        ``report_id``, ``kind`` (``incident`` or ``place_report``), ``category``, ``source``, ``occurred_at``,
        ``hour``, ``weight`` (the report's), ``evidence_weight`` (weight × `place_weight` for place reports),
        ``stretch_id``, ``distance_m``, Point geometry. Empty when there are no dark stretches.

    Raises
    ------
    ValueError
        If `near_m` <= 0 or `place_weight` < 0, or the CRSs differ.
    """
    if not near_m > 0:
        raise ValueError(f"near_m must be > 0 metres, got {near_m}")
    if not place_weight >= 0:
        raise ValueError(f"place_weight must be >= 0, got {place_weight}")
    if len(reports) and reports.crs != layer.crs:
        raise ValueError(f"reports are in {reports.crs} but the lighting layer in {layer.crs}; reproject one")
    if not near_m > 0:
        raise ValueError(f"near_m must be > 0 metres, got {near_m}")
    if not place_weight >= 0:
        raise ValueError(f"place_weight must be >= 0, got {place_weight}")
    if len(reports) and reports.crs != layer.crs:
        raise ValueError(f"reports are in {reports.crs} but the lighting layer in {layer.crs}; reproject one")
    pts = point_reports(reports)
    is_place = is_place_report(pts, dark_words=dark_words)
    keep = is_place | pts["is_dark"].to_numpy(dtype=bool)
    cand = pts.loc[keep]
    is_place = is_place[keep]
    dark = layer.dark_stretches
    if len(cand) == 0 or len(dark) == 0:
        return gpd.GeoDataFrame(
            {c: pd.Series(dtype="object") for c in EVIDENCE_COLUMNS},
            geometry=gpd.GeoSeries([], crs=layer.crs),
        )
    geoms = cand.geometry.to_numpy()
    inside = _inside_coverage(layer, geoms)
    tree = shapely.STRtree(dark.geometry.to_numpy())
    idx, dist = tree.query_nearest(geoms, max_distance=near_m, return_distance=True, all_matches=False)
    ri, si = idx
    ok = ~inside[ri]
    ri, si, dist = ri[ok], si[ok], dist[ok]
    sub = cand.iloc[ri].reset_index(drop=True)
    w = sub["weight"].to_numpy(dtype=float)
    place = is_place[ri]
    out = gpd.GeoDataFrame(
        {
            "report_id": sub["report_id"].astype("string"),
            "kind": np.where(place, "place_report", "incident"),
            "category": sub["category"].astype("string"),
            "source": sub["source"].astype("string"),
            "occurred_at": sub["occurred_at"],
            "hour": sub["hour"].astype(int),
            "weight": w,
            "evidence_weight": np.where(place, w * place_weight, w),
            "stretch_id": dark["stretch_id"].to_numpy()[si],
            "distance_m": dist,
        },
        geometry=sub.geometry.to_numpy(),
        crs=layer.crs,
    )
    return out.reset_index(drop=True)


def _evidence_stats(evidence: gpd.GeoDataFrame) -> dict[str, dict[str, object]]:
    """Stretch id -> its evidence counts, weight, hours, categories and report ids."""
    if not len(evidence):
        return {}
    ev = pd.DataFrame(
        {
            "sid": evidence["stretch_id"].astype(str).to_numpy(),
            "hour": evidence["hour"].to_numpy(dtype=int),
            "inc": (evidence["kind"] == "incident").to_numpy(dtype=int),
            "w": evidence["evidence_weight"].to_numpy(dtype=float),
            "cat": evidence["category"].astype(str).to_numpy(),
            "rid": evidence["report_id"].astype(str).to_numpy(),
        }
    )
    g = ev.groupby("sid", sort=False)
    size, inc, weight = g.size(), g["inc"].sum(), g["w"].sum()
    ids = g["rid"].agg(lambda r: json.dumps(sorted(r), ensure_ascii=False))
    hours = pd.crosstab(ev["sid"], ev["hour"])
    cats = ev.groupby(["sid", "cat"]).size().reset_index(name="n")
    cats = cats.sort_values(["sid", "n", "cat"], ascending=[True, False, True], kind="stable")
    cat_json = {
        sid: json.dumps(dict(zip(c["cat"], c["n"].astype(int).tolist(), strict=True)), ensure_ascii=False)
        for sid, c in cats.groupby("sid", sort=False)
    }
    stats: dict[str, dict[str, object]] = {}
    for sid in size.index:
        h = {int(k): int(v) for k, v in hours.loc[sid].items() if v > 0}
        stats[sid] = {
            "dark_reports": int(size[sid]),
            "incidents": int(inc[sid]),
            "place_reports": int(size[sid] - inc[sid]),
            "evidence_weight": float(weight[sid]),
            "hours": json.dumps(h),
            "peak_hours": hours_text({k: float(v) for k, v in h.items()}),
            "categories": cat_json[sid],
            "report_ids": ids[sid],
        }
    return stats


def rank_dark_places(
    layer: LightingLayer, evidence: gpd.GeoDataFrame, *, place_weight: float = 2.0, per_m: float = 100.0
) -> gpd.GeoDataFrame:
    """Rank the dark stretches by weighted dark-time evidence per 100 m.

    Parameters
    ----------
    layer
        The lighting layer (its ``dark_stretches``).
    evidence
        From :func:`dark_evidence`.
    place_weight
        Only used to describe the score (the weighting is already in ``evidence_weight``).
    per_m
        The length unit of the score in metres; shorter stretches count as this long.

    Returns
    -------
    dark_places
        One row per dark stretch, best first: ``rank``, ``stretch_id``, ``street``, ``highway``, ``lit``,
        ``lat``, ``lon`` (WGS84 midpoint), ``length_m``, ``score``, ``dark_reports`` (evidence reports),
        ``incidents``, ``place_reports``, ``evidence_weight``, ``hours`` (JSON {hour: reports}),
        ``peak_hours`` (Swedish text), ``categories`` (JSON {category: reports}), ``report_ids`` (JSON list),
        ``score_rule``, LineString geometry. Stretches without evidence follow with score 0, longest first.
    """
    dark = layer.dark_stretches.copy()
    n = len(dark)
    mids = shapely.line_interpolate_point(dark.geometry.to_numpy(), 0.5, normalized=True)
    wgs = gpd.GeoSeries(mids, crs=layer.crs).to_crs("EPSG:4326")
    dark["lat"] = np.round(wgs.y.to_numpy(), 6)
    dark["lon"] = np.round(wgs.x.to_numpy(), 6)
    stats = _evidence_stats(evidence)
    for key, value in _NO_EVIDENCE.items():
        dark[key] = [stats.get(str(s), {}).get(key, value) for s in dark["stretch_id"]]
    for key in ("dark_reports", "incidents", "place_reports"):
        dark[key] = dark[key].astype("int64")
    dark["score"] = np.round(
        dark["evidence_weight"].to_numpy(dtype=float) / (np.maximum(dark["length_m"], per_m) / per_m), 4
    )
    dark = dark.sort_values(
        ["score", "dark_reports", "length_m", "stretch_id"],
        ascending=[False, False, False, True],
        kind="stable",
    ).reset_index(drop=True)
    dark.insert(0, "rank", np.arange(1, n + 1))
    dark["length_m"] = dark["length_m"].round(1)
    dark["score_rule"] = (
        f"(dark-time incidents + {place_weight:g} × place reports, weighted) per {per_m:g} m "
        f"of dark way (min {per_m:g} m)"
    )
    return gpd.GeoDataFrame(dark[_PLACE_ORDER], geometry=dark.geometry.to_numpy(), crs=layer.crs)
