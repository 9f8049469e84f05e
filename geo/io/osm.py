"""Map layers from OpenStreetMap PBF files: street lamps, ways with ``lit=*``, roads with ``maxspeed=*``.

Ways cut at an extract's edge reference nodes the file does not hold; they keep the part inside the extract and
are marked ``truncated``. Malformed ``maxspeed`` values are listed in a rejection table with the way's feature
number and OSM id, never silently turned into a number.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
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
from geo.io.rejects import RejectLog

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
        The tag value: ``"50"``, ``"30 mph"``, ``"SE:urban"``, ``"50;30"`` (the lower limit is used), ``"walk"``.

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


def read_osm(path: str | Path, *, crs: pyproj.CRS | str | None = None) -> OsmLayers:
    """Read street lamps, highway ways (with ``lit`` and ``maxspeed``) and speed cameras from a PBF file.

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
    lamps: list[dict[str, object]] = []
    cameras: list[dict[str, object]] = []
    ways: list[dict[str, object]] = []
    log = RejectLog(str(path))
    way_no = 0
    try:
        processor = osmium.FileProcessor(str(path)).with_locations()
        for obj in processor:
            if obj.is_node():
                hw = obj.tags.get("highway")
                if hw in ("street_lamp", "speed_camera") and obj.location.valid():
                    rec = {
                        "osm_id": int(obj.id),
                        "ref": obj.tags.get("ref"),
                        "lamp_type": obj.tags.get("lamp_type") or obj.tags.get("light:method"),
                        "maxspeed": obj.tags.get("maxspeed"),
                        "tags": json.dumps(dict(obj.tags), ensure_ascii=False, sort_keys=True),
                        "geometry": Point(obj.location.lon, obj.location.lat),
                    }
                    (lamps if hw == "street_lamp" else cameras).append(rec)
            elif obj.is_way() and "highway" in obj.tags:
                way_no += 1
                coords = [(n.location.lon, n.location.lat) for n in obj.nodes if n.location.valid()]
                missing = len(obj.nodes) - len(coords)
                tags = dict(obj.tags)
                if len(coords) < 2:
                    log.add(
                        [way_no],
                        field="nodes",
                        reason=f"way {obj.id} has fewer than 2 nodes inside the extract",
                        value=[f"{len(coords)} of {len(obj.nodes)}"],
                    )
                    continue
                raw_speed = tags.get("maxspeed")
                kmh, problem = (math.nan, "") if raw_speed is None else parse_maxspeed(raw_speed)
                if raw_speed is not None and problem:
                    status = "warning" if raw_speed.strip().lower() in _NON_NUMERIC_OK else "rejected"
                    log.add(
                        [way_no],
                        field="maxspeed",
                        reason=f"way {obj.id}: {problem}",
                        status=status,
                        value=[raw_speed],
                    )
                if missing:
                    log.add(
                        [way_no],
                        field="nodes",
                        status="warning",
                        reason=f"way {obj.id} is cut at the extract's edge; {missing} of {len(obj.nodes)} nodes missing, the part inside is kept",
                    )
                ways.append(
                    {
                        "osm_id": int(obj.id),
                        "highway": tags.get("highway"),
                        "name": tags.get("name"),
                        "lit": tags.get("lit"),
                        "maxspeed": raw_speed,
                        "maxspeed_kmh": kmh,
                        "oneway": tags.get("oneway"),
                        "truncated": bool(missing),
                        "missing_nodes": int(missing),
                        "tags": json.dumps(tags, ensure_ascii=False, sort_keys=True),
                        "geometry": LineString(coords),
                    }
                )
    except RuntimeError as err:
        raise InputError(f"cannot read OSM data: {err}", path=str(path)) from err

    def frame(records: list[dict[str, object]], columns: list[str]) -> gpd.GeoDataFrame:
        if not records:
            return gpd.GeoDataFrame(
                {c: pd.Series(dtype="object") for c in columns}, geometry=gpd.GeoSeries([], crs="EPSG:4326")
            )
        return gpd.GeoDataFrame(records, geometry="geometry", crs="EPSG:4326")

    lamp_cols = ["osm_id", "ref", "lamp_type", "maxspeed", "tags"]
    way_cols = [
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
    g_lamps, g_cams, g_ways = frame(lamps, lamp_cols), frame(cameras, lamp_cols), frame(ways, way_cols)
    if crs is None:
        pts = np.concatenate(
            [
                shapely.get_coordinates(g_lamps.geometry.to_numpy()),
                shapely.get_coordinates(g_ways.geometry.to_numpy()),
            ]
        )
        xs, ys = pts[:, 0], pts[:, 1]
        if xs.size == 0:
            raise InputError("holds no street lamps and no highway ways", path=str(path))
        crs_obj, _ = choose_crs(xs, ys)
    else:
        crs_obj = pyproj.CRS(crs)
    g_ways["maxspeed_kmh"] = pd.to_numeric(g_ways["maxspeed_kmh"], errors="coerce").astype("float64")
    return OsmLayers(
        lamps=g_lamps.to_crs(crs_obj),
        ways=g_ways.to_crs(crs_obj),
        cameras=g_cams.to_crs(crs_obj),
        rejects=log.frame(),
        crs=crs_obj,
    )
