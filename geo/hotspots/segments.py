"""Hot streets: reports snapped to street segments, counts per 100 m, the 80/20 curve, the top segments.

Segments. Pieces of one named street that meet end to end are joined first (OpenStreetMap splits a street
into many ways, at every bridge, lane or tag change), then a street is cut where it meets another (a vertex
it shares with another line: OSM ways share their junction nodes), so a segment is a stretch of one street
between junctions, the unit of street-segment criminology. Ways that are not streets (``highway``
footway, cycleway, path, steps, ..., and unnamed service roads) are left out when the lines carry a
``highway`` column.

Snapping. Each report goes to the nearest segment within ``snap_m`` metres; reports farther from every
segment are counted apart and reported, never forced onto a street.

Hot segments. Segments ranked by reports (ties: more per 100 m first); the hot-spots are the top segments
that together hold ``share`` of the snapped reports, each with at least ``min_samples`` reports. Each is a
hot-spot object as other methods make them (:func:`geo.hotspots.objects.build_hotspots`: profile, peak
windows, trend, ids continued from a previous run) with the segment's line as geometry and ``rank``
(1 = most reports), ``per_100m``, ``length_m``, ``segment_id`` and ``snap_m``; ``area_m2`` and ``density_km2``
are those of the corridor within ``snap_m`` of the segment, where its reports were counted.

The concentration curve. Segments sorted by reports per 100 m, densest first: the smallest share of the
network's length that holds a given share of the snapped reports ("12 % av gatunätet har 50 % av
händelserna").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.hotspots.dbscan import suggest_min_samples
from geo.hotspots.methods import Choices, positions
from geo.hotspots.objects import HOTSPOT_COLUMNS, Hotspots, build_hotspots, empty_hotspots
from geo.hotspots.segments_network import NOT_STREETS, snap_to_segments, split_at_junctions

__all__ = [
    "NOT_STREETS",
    "SEGMENT_COLUMNS",
    "SegmentSummary",
    "concentration",
    "corridor_places",
    "segment_hotspots",
    "snap_to_segments",
    "split_at_junctions",
]

SEGMENT_COLUMNS: tuple[str, ...] = ("segment_id", "name", "length_m", "n_reports", "per_100m", "rank")
"""Columns of the segment table (plus ``geometry``)."""

EXTRA_COLUMNS: tuple[str, ...] = ("rank", "per_100m", "length_m", "segment_id", "snap_m")
"""Columns a segments hot-spot has beyond :data:`~geo.hotspots.objects.HOTSPOT_COLUMNS`."""


@dataclass
class SegmentSummary:
    """What snapping and counting found.

    Attributes
    ----------
    n_reports, n_snapped, n_far
        Point reports, those snapped to a segment, and those farther than ``snap_m`` from every segment.
    snap_m
        The snapping distance in metres.
    n_segments, network_km
        Segments and the network's length in km.
    curve
        Share of reports -> the smallest share of the network's length holding it (densest first).
    """

    n_reports: int
    n_snapped: int
    n_far: int
    snap_m: float
    n_segments: int
    network_km: float
    curve: dict[float, float] = field(default_factory=dict)

    def sentence(self, lang: str = "sv") -> str:
        """Say the concentration curve in words: "12 % av gatunätet har 50 % av händelserna"."""
        parts = []
        for share, length in self.curve.items():
            pct = f"{100 * length:.1f}" if length < 0.1 else f"{100 * length:.0f}"
            if lang == "en":
                parts.append(f"{pct} % of the street network has {100 * share:.0f} % of the incidents")
            else:
                parts.append(f"{pct} % av gatunätet har {100 * share:.0f} % av händelserna")
        return "; ".join(parts)

    def far_sentence(self) -> str:
        """Say how many reports were not snapped (Swedish / English)."""
        share = self.n_far / self.n_reports if self.n_reports else 0.0
        return (
            f"{self.n_snapped:,} av {self.n_reports:,} rapporter inom {self.snap_m:g} m från en gata; "
            f"{self.n_far:,} ({share:.0%}) längre bort räknas inte / {self.n_far:,} reports farther than "
            f"{self.snap_m:g} m from every street are not counted"
        )


def concentration(
    n_reports: np.ndarray, length_m: np.ndarray, *, shares: tuple[float, ...] = (0.5, 0.8)
) -> dict[float, float]:
    """Return, for each share of reports, the smallest share of the network's length holding it.

    Segments are taken densest (reports per metre) first.

    Parameters
    ----------
    n_reports, length_m
        Per segment (every segment of the network, empty ones included).
    shares
        Shares of the reports (0..1].
    """
    n = np.asarray(n_reports, dtype="float64")
    length = np.asarray(length_m, dtype="float64")
    if not len(n) or n.sum() <= 0 or length.sum() <= 0:
        return {}
    order = np.lexsort((length, -n / np.maximum(length, 1e-9)))
    cum_n = np.cumsum(n[order]) / n.sum()
    cum_len = np.cumsum(length[order]) / length.sum()
    return {s: float(cum_len[min(np.searchsorted(cum_n, s - 1e-12), len(cum_len) - 1)]) for s in shares}


def _corridors(lines: gpd.GeoSeries | np.ndarray, snap_m: float) -> np.ndarray:
    return shapely.buffer(np.asarray(lines, dtype=object), snap_m, quad_segs=4)


def segment_hotspots(
    reports: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame,
    *,
    snap_m: float = 25.0,
    share: float = 0.5,
    min_samples: int | None = None,
    previous: gpd.GeoDataFrame | None = None,
    period_end: pd.Timestamp | None = None,
    lang: str = "sv",
) -> tuple[Hotspots, gpd.GeoDataFrame, SegmentSummary]:
    """Find hot streets: the top street segments by reports (see the module notes).

    Parameters
    ----------
    reports
        Point reports in a metric CRS.
    streets
        Street lines (any CRS, reprojected to the reports'), ``name`` and ``highway`` used when present.
    snap_m
        A report counts for the nearest segment within this many metres.
    share
        The hot segments are the top ones holding this share (0..1] of the snapped reports.
    min_samples
        Fewest reports a hot segment holds; default ``max(5, √n/4)`` of the snapped reports.
    previous
        Hot-spots of an earlier run (segment lines or polygons): a hot segment on one keeps its id.
    period_end, lang
        As in :func:`geo.hotspots.find_hotspots`.

    Returns
    -------
    hotspots
        The hot segments: :data:`~geo.hotspots.objects.HOTSPOT_COLUMNS`, then :data:`EXTRA_COLUMNS`; the
        choices in ``attrs`` as other methods record them.
    segments
        Every segment with at least one report (:data:`SEGMENT_COLUMNS`), by rank.
    summary
        Snapped and far reports, network size and the concentration curve.

    Raises
    ------
    ValueError
        If `snap_m` <= 0, `share` is outside (0, 1] or `min_samples` < 1.
    """
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], got {share}")
    if min_samples is not None and min_samples < 1:
        raise ValueError(f"min_samples must be >= 1, got {min_samples}")
    if streets.crs is not None and reports.crs is not None and streets.crs != reports.crs:
        streets = streets.to_crs(reports.crs)
    pts = reports.reset_index(drop=True)
    network = split_at_junctions(streets)
    seg, _ = snap_to_segments(positions(pts), network, snap_m=snap_m)
    counts = np.bincount(seg[seg >= 0], minlength=len(network))
    length = network["length_m"].to_numpy()
    summary = SegmentSummary(
        n_reports=len(pts),
        n_snapped=int((seg >= 0).sum()),
        n_far=int((seg < 0).sum()),
        snap_m=snap_m,
        n_segments=len(network),
        network_km=float(length.sum() / 1000),
        curve=concentration(counts, length),
    )
    table = network.assign(n_reports=counts, per_100m=100 * counts / np.maximum(length, 1e-9))
    table = table[table["n_reports"] > 0]
    table = table.iloc[np.lexsort((-table["per_100m"].to_numpy(), -table["n_reports"].to_numpy()))]
    table = table.assign(rank=np.arange(1, len(table) + 1)).reset_index()
    rec = Choices()
    rec.choices["snap_m"] = (snap_m, summary.far_sentence())
    ms = int(rec.choose("min_samples", min_samples, lambda: suggest_min_samples(summary.n_snapped)))
    cum = np.cumsum(table["n_reports"].to_numpy()) / max(summary.n_snapped, 1)
    top = int(np.searchsorted(cum, share - 1e-12) + 1) if len(table) else 0
    hot = table.head(top)
    hot = hot[hot["n_reports"] >= ms]
    segments = gpd.GeoDataFrame(table[[*SEGMENT_COLUMNS, "geometry"]], geometry="geometry", crs=reports.crs)
    if not len(hot):
        return rec.stamp(_empty(reports.crs), len(pts)), segments, summary
    members = [np.flatnonzero(seg == k) for k in hot["index"]]
    prev = previous
    if prev is not None and len(prev):
        lines = prev.geom_type.isin(("LineString", "MultiLineString")).to_numpy()
        if lines.any():
            prev = prev.copy()
            prev.loc[lines, prev.geometry.name] = _corridors(prev.geometry[lines].to_numpy(), snap_m)
    found = build_hotspots(
        pts,
        list(_corridors(hot.geometry.to_numpy(), snap_m)),
        members,
        method="segments",
        previous=prev,
        period_end=period_end,
        lang=lang,
    )
    found["label"] = _names(hot, network)
    for col in ("rank", "per_100m", "length_m", "segment_id"):
        found[col] = hot[col].to_numpy()
    found["snap_m"] = float(snap_m)
    found = found.set_geometry(hot.geometry.to_numpy(), crs=reports.crs)
    return (
        rec.stamp(Hotspots(found[[*HOTSPOT_COLUMNS, *EXTRA_COLUMNS, "geometry"]]), len(pts)),
        segments,
        summary,
    )


def _names(hot: gpd.GeoDataFrame, network: gpd.GeoDataFrame) -> np.ndarray:
    """Each hot segment's street name; an unnamed one takes the nearest named segment's name."""
    names = hot["name"].fillna("").astype(str).to_numpy()
    named = network[network["name"].notna()]
    blank = np.flatnonzero(names == "")
    if len(blank) and len(named):
        tree = shapely.STRtree(named.geometry.to_numpy())
        near = tree.query_nearest(hot.geometry.to_numpy()[blank], all_matches=False)
        names[blank[near[0]]] = named["name"].astype(str).to_numpy()[near[1]]
    return np.where(names != "", names, hot["segment_id"].to_numpy())


def _empty(crs: object) -> Hotspots:
    out = empty_hotspots(crs)
    for col in EXTRA_COLUMNS:
        out[col] = pd.Series([], dtype="object" if col == "segment_id" else "float64")
    return Hotspots(out[[*HOTSPOT_COLUMNS, *EXTRA_COLUMNS, "geometry"]])


def corridor_places(places: gpd.GeoDataFrame, *, default_m: float = 25.0) -> gpd.GeoDataFrame:
    """Return `places` with each line (a hot street) widened to the corridor its reports were counted in.

    Planners that place reports in areas (the patrol plan) take hot streets this way. The width is the
    place's ``snap_m`` (as :func:`segment_hotspots` writes it), else `default_m`; other geometries stay.

    Parameters
    ----------
    places
        Hot-spots or other places, in a metric CRS.
    default_m
        Half-width in metres of a line without ``snap_m``.
    """
    lines = places.geom_type.isin(("LineString", "MultiLineString")).to_numpy()
    if not lines.any():
        return places
    width = (
        pd.to_numeric(places["snap_m"], errors="coerce").fillna(default_m).to_numpy()
        if "snap_m" in places.columns
        else np.full(len(places), default_m)
    )
    out = places.copy()
    geoms = out.geometry.to_numpy().copy()
    geoms[lines] = shapely.buffer(geoms[lines], width[lines], quad_segs=4)
    return out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=out.crs))
