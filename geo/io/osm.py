"""Map layers from OpenStreetMap PBF files: street lamps, ways with ``lit=*``, roads with ``maxspeed=*``.

Ways cut at an extract's edge reference nodes the file does not hold; they keep the part inside the extract
and are marked ``truncated``. Malformed ``maxspeed`` values are listed in a rejection table with the way's
feature number and OSM id, never silently turned into a number.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import osmium
import pandas as pd
import pyproj
import shapely
from shapely.geometry import LineString, Point

from geo.crs import choose_crs
from geo.errors import InputError
from geo.rejects import RejectLog

__all__ = ["IMPLICIT_MAXSPEED_KMH", "OsmLayers", "parse_maxspeed", "read_osm"]

IMPLICIT_MAXSPEED_KMH: dict[str, float] = {
    # Sweden: bashastighet 50 in built-up areas, 70 outside; motorways 110 unless signed; walking speed 7.
    "SE:urban": 50,
    "SE:rural": 70,
    "SE:motorway": 110,
    "SE:trunk": 70,
    "SE:living_street": 7,
    "SE:walk": 7,
    "FI:urban": 50,
    "FI:rural": 80,
    "FI:motorway": 120,
    "FI:living_street": 20,
    "NO:urban": 50,
    "NO:rural": 80,
    "NO:motorway": 110,
    "NO:living_street": 7,
    "DK:urban": 50,
    "DK:rural": 80,
    "DK:motorway": 130,
    "DE:urban": 50,
    "DE:rural": 100,
    "DE:living_street": 7,
    "GB:nsl_single": 96.56,
    "GB:nsl_dual": 112.65,
    "GB:motorway": 112.65,
}
"""Implicit speed limits (km/h) behind the ``XX:zone`` values of OSM's ``maxspeed``."""

_NUMBER_RE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(km/h|kmh|kph|mph|knots)?\s*$", re.IGNORECASE)
_NON_NUMERIC_OK = {"none", "signals", "variable", "walk", "unposted", "implicit"}
_WALK_KMH = 7.0
_MPH = 1.609344


def parse_maxspeed(value: str | None) -> tuple[float, str]:
    """Parse an OSM ``maxspeed`` value into km/h.

    Parameters
    ----------
    value
        The tag value: ``"50"``, ``"30 mph"``, ``"SE:urban"``, ``"50;30"`` (the lower limit is used),
        ``"walk"``.

    Returns
    -------
    kmh, problem
        The limit in km/h (NaN when there is none) and an empty string, or NaN and the reason the value is
        not usable (``"signals"`` and ``"variable"`` are valid OSM but state no fixed limit).

    Examples
    --------
    >>> parse_maxspeed("SE:rural")
    (70.0, '')
    >>> parse_maxspeed("30 mph")[0]
    48.28032
    """
    if value is None or str(value).strip() == "":
        return math.nan, "empty maxspeed"
    text = str(value).strip()
    if ";" in text:
        parts = [parse_maxspeed(p) for p in text.split(";")]
        ok = [k for k, prob in parts if not prob]
        if not ok:
            return math.nan, f"no usable limit in '{text}'"
        return float(min(ok)), ""
    if text in IMPLICIT_MAXSPEED_KMH:
        return float(IMPLICIT_MAXSPEED_KMH[text]), ""
    if re.match(r"^[A-Z]{2}:", text):
        return math.nan, f"unknown implicit limit '{text}'"
    low = text.lower()
    if low == "walk":
        return _WALK_KMH, ""
    if low in _NON_NUMERIC_OK:
        return math.nan, f"'{text}' states no fixed limit"
    m = _NUMBER_RE.match(text)
    if not m:
        return math.nan, f"cannot parse maxspeed '{text}' (expected km/h like 50, '30 mph' or SE:urban)"
    number = float(m.group(1).replace(",", "."))
    unit = (m.group(2) or "km/h").lower()
    kmh = number * _MPH if unit == "mph" else number * 1.852 if unit == "knots" else number
    if not 1 <= kmh <= 200:
        return math.nan, f"maxspeed {text} is outside 1-200 km/h"
    return round(kmh, 5), ""


@dataclass
class OsmLayers:
    """Layers read from one PBF file, in a metric CRS.

    Attributes
    ----------
    lamps
        ``highway=street_lamp`` nodes: ``osm_id``, ``ref``, ``lamp_type``, ``tags`` (JSON), Point geometry.
    ways
        ``highway=*`` ways: ``osm_id``, ``highway``, ``name``, ``lit``, ``maxspeed`` (raw), ``maxspeed_kmh``,
        ``oneway``, ``truncated``, ``missing_nodes``, ``tags`` (JSON), LineString geometry.
    cameras
        ``highway=speed_camera`` nodes.
    rejects
        ``file,row,field,reason,status,value`` for ways that cannot be used or tags that cannot be parsed;
        ``row`` is the way's 1-based number among the file's highway ways.
    crs
        The metric CRS of the layers.
    """

    lamps: gpd.GeoDataFrame
    ways: gpd.GeoDataFrame
    cameras: gpd.GeoDataFrame
    rejects: pd.DataFrame
    crs: pyproj.CRS


@dataclass
class _Collected:
    """Records collected while the file is read."""

    log: RejectLog
    lamps: list[dict[str, object]] = field(default_factory=list)
    cameras: list[dict[str, object]] = field(default_factory=list)
    ways: list[dict[str, object]] = field(default_factory=list)
    way_no: int = 0


_LAMP_COLUMNS = ["osm_id", "ref", "lamp_type", "maxspeed", "tags"]
_WAY_COLUMNS = [
    "osm_id",
    "highway",
    "name",
    "lit",
    "maxspeed",
    "maxspeed_kmh",
    "oneway",
    "truncated",
    "missing_nodes",
    "tags",
]


def _node(obj: osmium.osm.Node, got: _Collected) -> None:
    """Collect a street lamp or speed camera node."""
    hw = obj.tags.get("highway")
    if hw not in ("street_lamp", "speed_camera") or not obj.location.valid():
        return
    rec = {
        "osm_id": int(obj.id),
        "ref": obj.tags.get("ref"),
        "lamp_type": obj.tags.get("lamp_type") or obj.tags.get("light:method"),
        "maxspeed": obj.tags.get("maxspeed"),
        "tags": json.dumps(dict(obj.tags), ensure_ascii=False, sort_keys=True),
        "geometry": Point(obj.location.lon, obj.location.lat),
    }
    (got.lamps if hw == "street_lamp" else got.cameras).append(rec)


def _way_speed(obj: osmium.osm.Way, tags: dict[str, str], got: _Collected) -> float:
    """Return the way's ``maxspeed`` in km/h (NaN when none or unusable, listed in the rejection table)."""
    raw_speed = tags.get("maxspeed")
    if raw_speed is None:
        return math.nan
    kmh, problem = parse_maxspeed(raw_speed)
    if problem:
        status = "warning" if raw_speed.strip().lower() in _NON_NUMERIC_OK else "rejected"
        got.log.add(
            [got.way_no],
            field="maxspeed",
            reason=f"way {obj.id}: {problem}",
            status=status,
            value=[raw_speed],
        )
    return kmh


def _way(obj: osmium.osm.Way, got: _Collected) -> None:
    """Collect a highway way: the part inside the extract, with its tags and speed limit."""
    got.way_no += 1
    coords = [(n.location.lon, n.location.lat) for n in obj.nodes if n.location.valid()]
    n_nodes = len(obj.nodes)
    missing = n_nodes - len(coords)
    if len(coords) < 2:
        got.log.add(
            [got.way_no],
            field="nodes",
            reason=f"way {obj.id} has fewer than 2 nodes inside the extract",
            value=[f"{len(coords)} of {n_nodes}"],
        )
        return
    tags = dict(obj.tags)
    kmh = _way_speed(obj, tags, got)
    if missing:
        got.log.add(
            [got.way_no],
            field="nodes",
            status="warning",
            reason=f"way {obj.id} is cut at the extract's edge; {missing} of {n_nodes} nodes missing, "
            "the part inside is kept",
        )
    got.ways.append(
        {
            "osm_id": int(obj.id),
            "highway": tags.get("highway"),
            "name": tags.get("name"),
            "lit": tags.get("lit"),
            "maxspeed": tags.get("maxspeed"),
            "maxspeed_kmh": kmh,
            "oneway": tags.get("oneway"),
            "truncated": bool(missing),
            "missing_nodes": int(missing),
            "tags": json.dumps(tags, ensure_ascii=False, sort_keys=True),
            "geometry": LineString(coords),
        }
    )


def _frame(records: list[dict[str, object]], columns: list[str]) -> gpd.GeoDataFrame:
    if not records:
        return gpd.GeoDataFrame(
            {c: pd.Series(dtype="object") for c in columns}, geometry=gpd.GeoSeries([], crs="EPSG:4326")
        )
    return gpd.GeoDataFrame(records, geometry="geometry", crs="EPSG:4326")


def _metric_crs(lamps: gpd.GeoDataFrame, ways: gpd.GeoDataFrame, *, path: Path) -> pyproj.CRS:
    """Choose the metric CRS from the lamps' and ways' positions."""
    pts = np.concatenate(
        [
            shapely.get_coordinates(lamps.geometry.to_numpy()),
            shapely.get_coordinates(ways.geometry.to_numpy()),
        ]
    )
    if pts.shape[0] == 0:
        raise InputError("holds no street lamps and no highway ways", path=str(path))
    return choose_crs(pts[:, 0], pts[:, 1])[0]


def read_osm(path: str | Path, *, crs: pyproj.CRS | str | None = None) -> OsmLayers:
    """Read street lamps, highway ways (with ``lit`` and ``maxspeed``) and speed cameras from a PBF file.

    The file's positions are WGS84 (OpenStreetMap's only CRS); the layers are returned in `crs`.

    Parameters
    ----------
    path
        An ``.osm.pbf`` (or ``.osm``) file.
    crs
        Metric CRS for the layers; chosen from the data (EPSG:3006 in Sweden, else UTM) when ``None``.

    Returns
    -------
    layers
        Lamps, ways, cameras and the rejection table.

    Raises
    ------
    InputError
        If the file cannot be read.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", path=str(path))
    got = _Collected(RejectLog(str(path)))
    try:
        for obj in osmium.FileProcessor(str(path)).with_locations():
            if isinstance(obj, osmium.osm.Node):
                _node(obj, got)
            elif isinstance(obj, osmium.osm.Way) and "highway" in obj.tags:
                _way(obj, got)
    except RuntimeError as err:
        raise InputError(f"cannot read OSM data: {err}", path=str(path)) from err
    lamps, cams = _frame(got.lamps, _LAMP_COLUMNS), _frame(got.cameras, _LAMP_COLUMNS)
    ways = _frame(got.ways, _WAY_COLUMNS)
    crs_obj = _metric_crs(lamps, ways, path=path) if crs is None else pyproj.CRS(crs)
    ways["maxspeed_kmh"] = pd.to_numeric(ways["maxspeed_kmh"], errors="coerce").astype("float64")
    return OsmLayers(
        lamps=lamps.to_crs(crs_obj),
        ways=ways.to_crs(crs_obj),
        cameras=cams.to_crs(crs_obj),
        rejects=got.log.frame(),
        crs=crs_obj,
    )
