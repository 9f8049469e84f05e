"""Travel times between places: shortest paths on a street network (networkx), else the straight line."""

from __future__ import annotations

import json

import geopandas as gpd
import networkx as nx
import numpy as np
import pyproj
from scipy.spatial import cKDTree

__all__ = ["path_lonlat", "street_graph", "street_paths", "travel_minutes"]


def _add_line(graph: nx.Graph, coords: np.ndarray, node_of: dict[tuple[float, float], int]) -> None:
    """Add one line's segments to `graph`, numbering new vertices in `node_of` (shortest edge wins)."""
    pts = np.round(coords[:, :2], 1)
    ids = []
    for x, y in pts:
        key = (float(x), float(y))
        if key not in node_of:
            node_of[key] = len(node_of)
        ids.append(node_of[key])
    seg = np.hypot(np.diff(pts[:, 0]), np.diff(pts[:, 1]))
    for a, b, d in zip(ids[:-1], ids[1:], seg, strict=True):
        if a != b and (not graph.has_edge(a, b) or graph[a][b]["length"] > d):
            graph.add_edge(a, b, length=float(d))


def street_graph(streets: gpd.GeoDataFrame) -> tuple[nx.Graph, np.ndarray]:
    """Build an undirected graph of street vertices (rounded to 0.1 m) with edge lengths in metres.

    Parameters
    ----------
    streets
        Lines (LineString or MultiLineString) in a metric CRS.

    Returns
    -------
    graph, xy
        The graph (nodes numbered 0..n-1, edge attribute ``length`` in metres) and the nodes' coordinates
        (n × 2).
    """
    graph = nx.Graph()
    node_of: dict[tuple[float, float], int] = {}
    for geom in streets.geometry.to_numpy():
        if geom is None or geom.is_empty:
            continue
        parts = geom.geoms if geom.geom_type == "MultiLineString" else [geom]
        for line in parts:
            _add_line(graph, np.asarray(line.coords), node_of)
    xy = np.array(list(node_of), dtype="float64").reshape(-1, 2)
    return graph, xy


def _network_metres(xy: np.ndarray, straight: np.ndarray, streets: gpd.GeoDataFrame) -> np.ndarray | None:
    """Return distances on the street network (at least the straight line); ``None`` without lines."""
    graph, nodes = street_graph(streets)
    if not len(nodes):
        return None
    access, nearest = cKDTree(nodes).query(xy)
    net = np.full_like(straight, np.inf)
    for i, src in enumerate(nearest):
        lengths = nx.single_source_dijkstra_path_length(graph, int(src), weight="length")
        for j, dst in enumerate(nearest):
            if int(dst) in lengths:
                net[i, j] = access[i] + lengths[int(dst)] + access[j]
    np.fill_diagonal(net, 0.0)
    return np.where(np.isfinite(net), np.maximum(net, straight), straight)


def travel_minutes(
    points: gpd.GeoSeries,
    *,
    speed_kmh: float = 30.0,
    streets: gpd.GeoDataFrame | None = None,
) -> tuple[np.ndarray, np.ndarray, str]:
    """Travel times between places.

    Parameters
    ----------
    points
        One point per place, metric CRS.
    speed_kmh
        Average travel speed in km/h.
    streets
        Street lines (reprojected to the points' CRS when needed); when given, distances are shortest paths
        on the street network (networkx Dijkstra) plus the straight walk from each place to its nearest
        street vertex. Pairs the network does not connect fall back to the straight line.

    Returns
    -------
    minutes, metres, how
        Square matrices (whole minutes, rounded up; metres) and ``"gatunät"`` or ``"fågelvägen"``.

    Raises
    ------
    ValueError
        If `speed_kmh` is not positive.
    """
    if speed_kmh <= 0:
        raise ValueError(f"speed_kmh must be > 0, got {speed_kmh}")
    xy = np.column_stack([points.x.to_numpy(), points.y.to_numpy()])
    straight = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    metres, how = straight, "fågelvägen"
    if streets is not None and len(streets) and len(xy):
        streets = streets.to_crs(points.crs) if streets.crs != points.crs else streets
        net = _network_metres(xy, straight, streets)
        if net is not None:
            metres, how = net, "gatunät"
    minutes = np.ceil(metres / (speed_kmh * 1000.0 / 60.0) - 1e-9)
    np.fill_diagonal(minutes, 0)
    return minutes.astype("int64"), metres, how


def street_paths(visits: gpd.GeoDataFrame, streets: gpd.GeoDataFrame | None) -> list[np.ndarray | None]:
    """Return the street path from each visit's previous visit in its route (shift and unit).

    Parameters
    ----------
    visits
        The plan's visits (``shift_no``, optional ``unit``, in route order), Point geometry, metric CRS.
    streets
        Street lines; reprojected to the visits' CRS when needed.

    Returns
    -------
    paths
        Aligned to `visits`: ``None`` for the first visit of a route, a pair the network does not connect or
        without streets; else the ``n × 2`` coordinates of the street vertices between the two places
        (shortest path, networkx Dijkstra), to be joined by the straight walk to and from each place.
    """
    out: list[np.ndarray | None] = [None] * len(visits)
    if streets is None or not len(streets) or not len(visits):
        return out
    streets = streets.to_crs(visits.crs) if streets.crs != visits.crs else streets
    graph, nodes = street_graph(streets)
    if not len(nodes):
        return out
    xy = np.column_stack([visits.geometry.x.to_numpy(), visits.geometry.y.to_numpy()])
    _, near = cKDTree(nodes).query(xy)
    units = visits["unit"].to_numpy() if "unit" in visits.columns else np.ones(len(visits))
    key = list(zip(visits["shift_no"].to_numpy(), units, strict=True))
    for i in range(1, len(visits)):
        if key[i] != key[i - 1]:
            continue
        try:
            path = nx.shortest_path(graph, int(near[i - 1]), int(near[i]), weight="length")
        except nx.NetworkXNoPath:
            continue
        out[i] = nodes[np.asarray(path, dtype="int64")]
    return out


def path_lonlat(paths: list[np.ndarray | None], crs: object) -> list[str]:
    """Return each path as JSON ``[[lon, lat], ...]`` in WGS84 (6 decimals), ``""`` for none."""
    to_wgs = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    out = []
    for path in paths:
        if path is None or not len(path):
            out.append("")
            continue
        lon, lat = to_wgs.transform(path[:, 0], path[:, 1])
        pairs = [[round(float(a), 6), round(float(b), 6)] for a, b in zip(lon, lat, strict=True)]
        out.append(json.dumps(pairs))
    return out
