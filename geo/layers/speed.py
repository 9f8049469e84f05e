"""The traffic-speed layer: road segments with speed limits, measured speeds per segment and time window.

Three inputs, each read with every row accounted for (``file,row,field,reason,status,value``, as the report
readers do):

* **Road segments** with a speed limit: an OpenStreetMap PBF (``maxspeed``; roads without the tag get the
  country's implicit limit, ``SE:urban`` = 50 km/h in Sweden, and say so in ``limit_source``) or the
  municipality's own road data (GeoPackage, GeoJSON, Shapefile, ... with a limit column such as
  ``hastighet``/``limit_kmh``/``maxspeed``). Ways cut at an extract's edge keep the part inside and are marked
  ``truncated``.
* **Speed measurements**, either individual passes (``measured_at``, ``speed_kmh``, ``lat``/``lon`` or
  ``segment_id``, optional ``direction``) or per-hour aggregates (``hour_start``, ``count``, ``mean_kmh``,
  optional ``p85_kmh``), matched to the nearest segment within ``tolerance_m`` metres. A given direction
  (degrees or compass letters) picks the carriageway whose axis agrees with it.
* **Traffic-related reports** (residents' "hög hastighet", police traffic offences, Police feed accidents
  with a point position), attached to the nearest segment.

:func:`speed_by_window` then gives, per segment and time window (weekday group × hour band): passes, share
over the limit, share over the limit + 10 km/h, mean and 85th percentile against the limit, and speeders per
observed hour. Per-hour aggregates enter through a normal approximation: the spread comes from
``p85_kmh − mean_kmh`` (the 85th percentile of a normal lies 1.036 standard deviations above the mean) or,
without ``p85_kmh``, from ``default_cv`` × mean.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from scipy.special import ndtr

from geo.crs import choose_crs, choose_tz
from geo.errors import InputError
from geo.io.osm import IMPLICIT_MAXSPEED_KMH, parse_maxspeed, read_osm
from geo.io.rejects import REJECT_COLUMNS, RejectLog
from geo.model import Reports, point_reports, require_metric_crs
from geo.texts import WEEKDAYS_SHORT
from geo.time.parse import parse_times

__all__ = [
    "DAY_GROUPS",
    "MOTOR_HIGHWAYS",
    "NON_MOTOR_HIGHWAYS",
    "SEGMENT_COLUMNS",
    "TRAFFIC_PATTERN",
    "Measurements",
    "SegmentsRead",
    "SpeedLayer",
    "attach_reports",
    "build_speed_layer",
    "implicit_limit",
    "match_measurements",
    "read_measurements",
    "read_segments",
    "segments_from_osm",
    "speed_by_window",
    "speed_spread",
    "summarise_segments",
    "traffic_reports",
]

MOTOR_HIGHWAYS: tuple[str, ...] = (
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "road",
)
"""OSM ``highway`` values that carry motor traffic (footways, cycleways, paths and steps are left out)."""

NON_MOTOR_HIGHWAYS: tuple[str, ...] = (
    "footway",
    "cycleway",
    "path",
    "pedestrian",
    "steps",
    "bridleway",
    "corridor",
    "platform",
    "elevator",
    "track",
    "trail",
    "construction",
    "proposed",
)
"""``highway`` values of a road file that carry no motor traffic; such rows are left out with a warning."""

SEGMENT_COLUMNS: tuple[str, ...] = (
    "segment_id",
    "street",
    "highway",
    "limit_kmh",
    "limit_source",
    "oneway",
    "truncated",
    "length_m",
)
"""Columns of a segments frame (plus a LineString ``geometry`` in a metric CRS)."""

DAY_GROUPS: dict[str, tuple[tuple[str, tuple[int, ...]], ...]] = {
    "weekday_weekend": (("mån–fre", (0, 1, 2, 3, 4)), ("lör–sön", (5, 6))),
    "each_day": tuple((d, (i,)) for i, d in enumerate(WEEKDAYS_SHORT["sv"])),
    "all": (("mån–sön", (0, 1, 2, 3, 4, 5, 6)),),
}
"""Named ways to group weekdays into windows (Monday = 0); labels are Swedish as in the plans."""

TRAFFIC_PATTERN = (
    r"hastighet|fortkörn|fortkorn|trafik|rattfyll|olovlig körning|vårdslöshet i trafik|speed|traffic|"
    r"reckless driving|drunk driving"
)
"""Categories (case-insensitive regular expression) counted as traffic-related reports."""

_EXCLUDE_TRAFFIC = r"trafikkontroll|kontroll"
"""Police activity, not incidents: ``Trafikkontroll`` is the police checking, not a complaint."""

_Z85 = 1.0364333894937898  # 85th percentile of the standard normal
_MAX_KMH = 300.0

_SEGMENT_CANDIDATES: dict[str, tuple[str, ...]] = {
    "id": (
        "segment_id",
        "segment",
        "id",
        "road_id",
        "link_id",
        "way_id",
        "route_id",
        "objectid",
        "fid",
        "osm_id",
    ),
    "name": ("street", "name", "namn", "gatunamn", "gata", "vagnamn", "vägnamn", "road_name"),
    "limit": (
        "limit_kmh",
        "maxspeed",
        "speed_limit",
        "hastighet",
        "hastighetsgrans",
        "hastighetsgräns",
        "skyltad_hastighet",
        "hogsta_tillatna_hastighet",
        "högsta_tillåtna_hastighet",
        "hthast",
        "max_speed",
        "limit",
    ),
    "oneway": ("oneway", "enkelriktad", "one_way"),
    "highway": ("highway", "vagtyp", "vägtyp", "road_class", "klass"),
}

_MEASURE_CANDIDATES: dict[str, tuple[str, ...]] = {
    "time": (
        "measured_at",
        "timestamp",
        "passage_time",
        "passed_at",
        "tidpunkt",
        "mättid",
        "matt_tid",
        "datetime",
        "time",
        "tid",
    ),
    "speed": ("speed_kmh", "speed", "hastighet", "hastighet_kmh", "kmh", "v_kmh"),
    "hour_start": ("hour_start", "timme_start", "hour", "timme", "period_start"),
    "count": ("count", "antal", "passes", "volume", "flöde", "flode", "n"),
    "mean": ("mean_kmh", "mean_speed", "medelhastighet", "avg_kmh", "mean", "medel"),
    "p85": ("p85_kmh", "v85_kmh", "p85", "v85", "v85_kmh"),
    "lat": ("lat", "latitude", "latitud"),
    "lon": ("lon", "lng", "longitude", "longitud"),
    "segment_id": ("segment_id", "segment", "road_id", "link_id", "way_id"),
    "direction": ("direction", "riktning", "heading", "bearing", "kurs"),
}

_COMPASS = {
    "n": 0.0,
    "nne": 22.5,
    "ne": 45.0,
    "no": 45.0,
    "ene": 67.5,
    "e": 90.0,
    "ö": 90.0,
    "o": 90.0,
    "ese": 112.5,
    "se": 135.0,
    "so": 135.0,
    "sö": 135.0,
    "sse": 157.5,
    "s": 180.0,
    "ssw": 202.5,
    "sw": 225.0,
    "sv": 225.0,
    "wsw": 247.5,
    "w": 270.0,
    "v": 270.0,
    "wnw": 292.5,
    "nw": 315.0,
    "nv": 315.0,
    "nnw": 337.5,
    "north": 0.0,
    "east": 90.0,
    "south": 180.0,
    "west": 270.0,
    "norr": 0.0,
    "öster": 90.0,
    "söder": 180.0,
    "väster": 270.0,
    "northbound": 0.0,
    "eastbound": 90.0,
    "southbound": 180.0,
    "westbound": 270.0,
}
_DIRECTION_SLACK_DEG = 60.0


def _fold(name: object) -> str:
    return unicodedata.normalize("NFC", str(name)).casefold().strip()


def _find(
    columns: Sequence[str], candidates: Sequence[str], explicit: str | None = None, *, path: str = ""
) -> str | None:
    by_fold: dict[str, str] = {}
    for c in columns:
        by_fold.setdefault(_fold(c), c)
    if explicit is not None:
        if _fold(explicit) not in by_fold:
            raise InputError(f"column '{explicit}' is not in the file; it has {list(columns)}", path=path)
        return by_fold[_fold(explicit)]
    return next((by_fold[c] for c in candidates if c in by_fold), None)


def _numbers(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(values):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    text = (
        values.astype("string")
        .str.strip()
        .str.replace("\u2212", "-", regex=False)
        .str.replace(",", ".", regex=False)
    )
    return pd.to_numeric(text, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def _blank(values: pd.Series) -> np.ndarray:
    s = values.astype("string")
    return (s.isna() | (s.str.strip() == "")).to_numpy(dtype=bool)


# ---------------------------------------------------------------------------------------------- segments


@dataclass
class SegmentsRead:
    """Road segments read from a file.

    Attributes
    ----------
    segments
        One row a segment, columns :data:`SEGMENT_COLUMNS`, LineString geometry in `crs`.
    rejects
        ``file,row,field,reason,status,value`` for rows not used or limits not understood.
    crs
        The metric CRS of the segments.
    country
        Two-letter country code whose implicit limits were used.
    """

    segments: gpd.GeoDataFrame
    rejects: pd.DataFrame
    crs: pyproj.CRS
    country: str


_TZ_COUNTRY = {
    "Europe/Stockholm": "SE",
    "Europe/Helsinki": "FI",
    "Europe/Mariehamn": "FI",
    "Europe/Oslo": "NO",
    "Europe/Copenhagen": "DK",
    "Europe/Berlin": "DE",
    "Europe/London": "GB",
}


def _country_at(frame: gpd.GeoDataFrame) -> str:
    """Country code (for implicit limits) at the frame's centre, from its time zone; ``SE`` when unknown."""
    if len(frame) == 0:
        return "SE"
    c = gpd.GeoSeries([frame.union_all().centroid], crs=frame.crs).to_crs("EPSG:4326").iloc[0]
    try:
        return _TZ_COUNTRY.get(choose_tz(c.x, c.y), "SE")
    except ValueError:
        return "SE"


def implicit_limit(highway: str | None, *, country: str = "SE", zone: str = "urban") -> float:
    """Return the speed limit a road has when no sign says otherwise.

    Parameters
    ----------
    highway
        OSM ``highway`` value (``residential``, ``motorway``, ``living_street``, ...).
    country
        Two-letter country code (``SE``, ``FI``, ``NO``, ``DK``, ``DE``, ``GB``).
    zone
        ``urban`` (inside a built-up area; Swedish bashastighet 50 km/h) or ``rural`` (70 km/h in Sweden).

    Returns
    -------
    kmh
        The implicit limit in km/h, NaN when the country has no entry in
        :data:`geo.io.osm.IMPLICIT_MAXSPEED_KMH`.
    """
    if zone not in {"urban", "rural"}:
        raise ValueError(f"zone must be 'urban' or 'rural', got '{zone}'")
    kind = zone
    if highway in {"motorway", "motorway_link"}:
        kind = "motorway"
    elif highway == "living_street":
        kind = "living_street"
    for key in (f"{country}:{kind}", f"{country}:{zone}"):
        if key in IMPLICIT_MAXSPEED_KMH:
            return float(IMPLICIT_MAXSPEED_KMH[key])
    return math.nan


def _oneway(values: pd.Series, highway: pd.Series | None = None) -> np.ndarray:
    text = values.astype("string").str.strip().str.lower().fillna("")
    out = np.where(
        text.isin(["yes", "1", "true", "ja", "j"]), 1, np.where(text.isin(["-1", "reverse"]), -1, 0)
    )
    if highway is not None:
        implied = (
            highway.astype("string").isin(["motorway", "motorway_link"]).to_numpy(dtype=bool)
            & (text == "").to_numpy()
        )
        out = np.where(implied, 1, out)
    return out.astype("int8")


def segments_from_osm(
    ways: gpd.GeoDataFrame,
    *,
    country: str | None = None,
    zone: str = "urban",
    highways: Sequence[str] = MOTOR_HIGHWAYS,
    file: str = "osm",
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Turn OSM highway ways (from :func:`geo.io.osm.read_osm`) into speed-limit segments.

    A signed ``maxspeed`` is used as it is (``limit_source = "maxspeed"``); a way without the tag gets the
    implicit limit of its country and zone (``limit_source = "implicit"``); a way whose tag cannot be read
    (``maxspeed=fast``) keeps no limit (``limit_source = "unknown"``) and is listed as a warning, since
    guessing would hide the error. Ways cut at the extract's edge keep their ``truncated`` flag.

    Parameters
    ----------
    ways
        The ``ways`` layer of :class:`geo.io.osm.OsmLayers`, metric CRS.
    country
        Country code for implicit limits; found from the data's position when ``None``.
    zone
        ``urban`` or ``rural``: the implicit limit for untagged roads.
    highways
        ``highway`` values kept.
    file
        Name used in the rejection table.

    Returns
    -------
    segments, notes
        Segments (:data:`SEGMENT_COLUMNS`) and a rejection table of the limits not understood.
    """
    require_metric_crs(ways, what=file)
    roads = ways[ways["highway"].isin(list(highways))].copy()
    country = country or _country_at(roads if len(roads) else ways)
    raw = roads["maxspeed"].astype("string")
    signed = pd.to_numeric(roads["maxspeed_kmh"], errors="coerce").to_numpy(dtype="float64")
    has_tag = raw.notna().to_numpy() & (raw.str.strip() != "").fillna(False).to_numpy(dtype=bool)
    implicit = np.array(
        [implicit_limit(h, country=country, zone=zone) for h in roads["highway"]], dtype="float64"
    )
    limit = np.where(has_tag, signed, implicit)
    source = np.where(
        has_tag,
        np.where(np.isfinite(signed), "maxspeed", "unknown"),
        np.where(np.isfinite(implicit), "implicit", "unknown"),
    )
    log = RejectLog(file)
    bad = np.flatnonzero(has_tag & ~np.isfinite(signed))
    if bad.size:
        ids = roads["osm_id"].to_numpy()[bad]
        log.add(
            bad + 1,
            field="maxspeed",
            status="warning",
            value=raw.to_numpy()[bad],
            reason=[f"way {i}: maxspeed not usable; segment kept without a limit" for i in ids],
        )
    out = gpd.GeoDataFrame(
        {
            "segment_id": ["W" + str(int(i)) for i in roads["osm_id"]],
            "street": roads["name"].astype("string").to_numpy(),
            "highway": roads["highway"].astype("string").to_numpy(),
            "limit_kmh": limit,
            "limit_source": source,
            "oneway": _oneway(roads["oneway"], roads["highway"]),
            "truncated": roads["truncated"].astype(bool).to_numpy(),
            "length_m": roads.geometry.length.to_numpy(),
        },
        geometry=roads.geometry.to_numpy(),
        crs=roads.crs,
    )
    return out.reset_index(drop=True), log.frame()


def read_segments(
    path: str | Path,
    *,
    crs: pyproj.CRS | str | None = None,
    country: str | None = None,
    zone: str = "urban",
    id_col: str | None = None,
    name_col: str | None = None,
    limit_col: str | None = None,
    highways: Sequence[str] = MOTOR_HIGHWAYS,
) -> SegmentsRead:
    """Read road segments with speed limits from an OSM PBF or a vector file of the municipality's roads.

    Parameters
    ----------
    path
        ``.osm.pbf``/``.osm`` (OSM ``maxspeed``, implicit limits for untagged roads), or GeoPackage, GeoJSON,
        Shapefile, FlatGeobuf, GeoParquet with line geometries and a limit column (``limit_kmh``,
        ``maxspeed``, ``hastighet``, ...; values like ``50``, ``30 mph`` or ``SE:urban``).
    crs
        Metric CRS for the segments; chosen from the data (EPSG:3006 in Sweden, else UTM) when ``None``.
    country, zone
        Implicit limits for OSM roads without ``maxspeed`` (see :func:`implicit_limit`).
    id_col, name_col, limit_col
        Columns of a vector file holding the segment id, street name and limit (detected when ``None``;
        the id defaults to the feature number).
    highways
        OSM ``highway`` values kept.

    Returns
    -------
    read
        Segments, their rejection table, the CRS and the country used.

    Raises
    ------
    InputError
        If the file cannot be read, has no limit column, or holds no usable segment.
    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError("file not found", path=name)
    low = path.name.lower()
    if low.endswith((".osm.pbf", ".pbf", ".osm")):
        layers = read_osm(path, crs=crs)
        segments, notes = segments_from_osm(
            layers.ways, country=country, zone=zone, highways=highways, file=name
        )
        rejects = pd.concat([layers.rejects, notes], ignore_index=True) if len(notes) else layers.rejects
        if segments.empty:
            raise InputError(
                "holds no roads for motor traffic (highway=residential, primary, ...)", path=name
            )
        return SegmentsRead(
            segments,
            rejects[REJECT_COLUMNS].reset_index(drop=True),
            pyproj.CRS(layers.crs),
            country or _country_at(segments),
        )
    try:
        frame = (
            gpd.read_parquet(path)
            if low.endswith((".parquet", ".geoparquet"))
            else gpd.read_file(path, engine="pyogrio")
        )
    except Exception as err:  # noqa: BLE001 - any driver failure is a problem with the user's file
        raise InputError(f"cannot read road segments: {err}", path=name) from err
    if frame.crs is None:
        raise InputError("has no CRS; save it with one (e.g. EPSG:3006)", path=name)
    cols = [c for c in frame.columns if c != frame.geometry.name]
    c_limit = _find(cols, _SEGMENT_CANDIDATES["limit"], limit_col, path=name)
    if c_limit is None:
        raise InputError(
            f"no speed-limit column found (looked for {', '.join(_SEGMENT_CANDIDATES['limit'][:6])}, ...); "
            f"give --limit-col; the file has {cols}",
            path=name,
        )
    c_id = _find(cols, _SEGMENT_CANDIDATES["id"], id_col, path=name)
    c_name = _find(cols, _SEGMENT_CANDIDATES["name"], name_col, path=name)
    c_oneway = _find(cols, _SEGMENT_CANDIDATES["oneway"], path=name)
    c_highway = _find(cols, _SEGMENT_CANDIDATES["highway"], path=name)
    log = RejectLog(name)
    rows = np.arange(1, len(frame) + 1)
    geom = frame.geometry
    gtype = geom.geom_type.fillna("").to_numpy()
    bad_geom = ~np.isin(gtype, ["LineString", "MultiLineString"]) | geom.is_empty.fillna(True).to_numpy(
        dtype=bool
    )
    log.add(
        rows[bad_geom],
        field="geometry",
        reason="not a line; road segments must be LineStrings",
        value=gtype[bad_geom],
    )
    non_motor = np.zeros(len(frame), dtype=bool)
    hw = frame[c_highway].astype("string").str.strip().str.lower() if c_highway else None
    if hw is not None:
        non_motor = hw.isin(list(NON_MOTOR_HIGHWAYS)).fillna(False).to_numpy(dtype=bool) & ~bad_geom
        log.add(
            rows[non_motor],
            field=c_highway,
            status="warning",
            value=hw.to_numpy(na_value="")[non_motor],
            reason="not a road for motor traffic; left out of the speed layer",
        )
    country = country or _country_at(frame.loc[~bad_geom])
    raw_limit = frame[c_limit]
    parsed = [
        parse_maxspeed(
            None
            if (v is None or (isinstance(v, float) and math.isnan(v)))
            else (
                str(int(v))
                if isinstance(v, (int, np.integer)) or (isinstance(v, float) and v.is_integer())
                else str(v)
            )
        )
        for v in raw_limit
    ]
    limit = np.array([p[0] for p in parsed], dtype="float64")
    problem = np.array([p[1] for p in parsed], dtype=object)
    empty = np.array([p[1] == "empty maxspeed" for p in parsed], dtype=bool) & ~bad_geom & ~non_motor
    implicit = np.array(
        [
            implicit_limit(h, country=country, zone=zone)
            for h in (hw if hw is not None else [None] * len(frame))
        ],
        dtype="float64",
    )
    source = np.where(empty, "implicit", "file").astype(object)
    limit = np.where(empty, implicit, limit)
    log.add(
        rows[empty],
        field=c_limit,
        status="warning",
        reason=f"no limit given; the implicit {zone} limit of {country} is used",
    )
    bad_limit = ~np.isfinite(limit) & ~bad_geom & ~non_motor
    log.add(rows[bad_limit], field=c_limit, reason=problem[bad_limit], value=raw_limit.to_numpy()[bad_limit])
    ids = (
        frame[c_id].astype("string").str.strip() if c_id else pd.Series(rows.astype(str), index=frame.index)
    ).to_numpy()
    ids = np.where(pd.isna(ids) | (ids == ""), rows.astype(str), ids).astype(object)
    dup = pd.Series(ids).duplicated().to_numpy() & ~bad_geom
    log.add(rows[dup], field=c_id or "id", reason="repeated segment id", value=ids[dup])
    keep = ~bad_geom & ~bad_limit & ~dup & ~non_motor
    if not keep.any():
        raise InputError(
            f"holds no usable road segment ({int(bad_geom.sum())} not lines, "
            f"{int(bad_limit.sum())} without a usable limit in '{c_limit}')",
            path=name,
        )
    lines = shapely.line_merge(geom.to_numpy()[keep])
    out = gpd.GeoDataFrame(
        {
            "segment_id": pd.array(ids[keep], dtype="string"),
            "street": frame[c_name].astype("string").to_numpy()[keep]
            if c_name
            else pd.array([pd.NA] * int(keep.sum()), dtype="string"),
            "highway": frame[c_highway].astype("string").to_numpy()[keep]
            if c_highway
            else pd.array([pd.NA] * int(keep.sum()), dtype="string"),
            "limit_kmh": limit[keep],
            "limit_source": source[keep],
            "oneway": _oneway(frame[c_oneway])[keep] if c_oneway else np.zeros(int(keep.sum()), dtype="int8"),
            "truncated": False,
        },
        geometry=lines,
        crs=frame.crs,
    )
    if crs is not None:
        target = pyproj.CRS(crs)
    elif out.crs.is_projected and {a.unit_name for a in out.crs.axis_info} <= {"metre", "meter"}:
        target = out.crs
    else:
        pts = shapely.get_coordinates(out.to_crs("EPSG:4326").geometry.to_numpy())
        target, _ = choose_crs(pts[:, 0], pts[:, 1])
    out = out.to_crs(target)
    out["length_m"] = out.geometry.length.to_numpy()
    return SegmentsRead(out.reset_index(drop=True), log.frame(), pyproj.CRS(target), country)


# ------------------------------------------------------------------------------------------ measurements


@dataclass
class Measurements:
    """Speed measurements read from a file, not yet matched to segments.

    Attributes
    ----------
    frame
        One row an accepted input row: ``row`` (as the user sees it), ``kind`` (``pass``/``hour``),
        ``time`` (local, timezone-aware: the pass or the start of the hour), ``count`` (1 for a pass),
        ``speed_kmh`` (the pass; NaN for aggregates), ``mean_kmh``, ``p85_kmh``, ``segment_id`` (when given),
        ``direction_deg`` (NaN unless given), and Point geometry in the segments' CRS (empty when only a
        ``segment_id`` was given).
    kind
        ``passes`` or ``hourly``.
    rejects
        ``file,row,field,reason,status,value``.
    tz
        The local zone of the times.
    file
        The file's name as given.
    """

    frame: gpd.GeoDataFrame
    kind: str
    rejects: pd.DataFrame
    tz: str
    file: str


def _parse_direction(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Read degrees (0 = north, clockwise) from numbers or compass words; also mark values not understood."""
    text = values.astype("string").str.strip().str.lower().fillna("")
    num = _numbers(values)
    out = np.where(np.isfinite(num) & (num >= 0) & (num <= 360), num % 360, np.nan)
    words = text.map(lambda t: _COMPASS.get(t, np.nan)).to_numpy(dtype="float64")
    out = np.where(np.isfinite(out), out, words)
    blank = (text == "").to_numpy()
    return out, ~blank & ~np.isfinite(out)


def read_measurements(
    path: str | Path,
    *,
    crs: pyproj.CRS | str,
    tz: str | None = None,
    now: pd.Timestamp | None = None,
) -> Measurements:
    """Read speed measurements: individual passes or per-hour aggregates.

    The kind is recognised by the columns: ``measured_at`` + ``speed_kmh`` are passes; ``hour_start`` +
    ``count`` + ``mean_kmh`` (+ ``p85_kmh``) are hourly aggregates. The position is ``lat``/``lon`` (WGS84),
    a ``segment_id``, or the geometry of a vector file. Every row not accepted is listed with its reason.

    Parameters
    ----------
    path
        CSV (also ``.csv.gz``), GeoPackage, GeoJSON, Shapefile or GeoParquet.
    crs
        The segments' metric CRS (positions are projected into it).
    tz
        Zone of naive local times; the zone at the data's position when ``None``.
    now
        Times after this are rejected (default: no check).

    Returns
    -------
    measurements
        Accepted rows, the kind and the rejection table.

    Raises
    ------
    InputError
        If the file cannot be read, has neither layout, or no row is usable.
    """
    from geo.io.tabular import read_csv_raw

    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError("file not found", path=name)
    low = path.name.lower()
    geometry: gpd.GeoSeries | None = None
    if low.endswith((".csv", ".csv.gz", ".txt", ".tsv", ".gz")):
        raw, rows, _, _ = read_csv_raw(path)
    else:
        try:
            frame = (
                gpd.read_parquet(path)
                if low.endswith((".parquet", ".geoparquet"))
                else gpd.read_file(path, engine="pyogrio")
            )
        except Exception as err:  # noqa: BLE001 - driver failure is the user's file problem
            raise InputError(f"cannot read measurements: {err}", path=name) from err
        geometry = frame.geometry if frame.crs is not None else None
        raw = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        rows = np.arange(1, len(raw) + 1, dtype="int64")
    cols = list(raw.columns)
    found = {k: _find(cols, v) for k, v in _MEASURE_CANDIDATES.items()}
    if found["speed"] and found["time"] and not (found["count"] and found["mean"]):
        kind = "passes"
    elif found["hour_start"] and found["count"] and found["mean"]:
        kind = "hourly"
    elif found["time"] and found["count"] and found["mean"]:
        kind, found["hour_start"] = "hourly", found["time"]
    else:
        raise InputError(
            "cannot tell the measurement layout: individual passes need 'measured_at' and 'speed_kmh'; "
            f"per-hour aggregates need 'hour_start', 'count' and 'mean_kmh'; the file has {cols}",
            path=name,
        )
    has_pos = (found["lat"] and found["lon"]) or found["segment_id"] or geometry is not None
    if not has_pos:
        raise InputError(
            f"no position: give 'lat'/'lon' (WGS84) or 'segment_id' columns; the file has {cols}", path=name
        )
    n = len(raw)
    log = RejectLog(name)
    bad = np.zeros(n, dtype=bool)

    # position
    lat = _numbers(raw[found["lat"]]) if found["lat"] and found["lon"] else np.full(n, np.nan)
    lon = _numbers(raw[found["lon"]]) if found["lat"] and found["lon"] else np.full(n, np.nan)
    seg = (
        raw[found["segment_id"]].astype("string").str.strip().to_numpy(dtype=object, na_value="")
        if found["segment_id"]
        else np.full(n, "", dtype=object)
    )
    seg = np.where(pd.isna(seg), "", seg).astype(object)
    has_seg = seg != ""
    if geometry is not None:
        wgs = geometry.to_crs("EPSG:4326")
        ok_geom = (wgs.geom_type == "Point").to_numpy() & ~wgs.is_empty.fillna(True).to_numpy(dtype=bool)
        gx = np.where(
            ok_geom, wgs.x.where(ok_geom, np.nan).to_numpy(dtype="float64", na_value=np.nan), np.nan
        )
        gy = np.where(
            ok_geom, wgs.y.where(ok_geom, np.nan).to_numpy(dtype="float64", na_value=np.nan), np.nan
        )
        lon = np.where(np.isfinite(lon), lon, gx)
        lat = np.where(np.isfinite(lat), lat, gy)
    lat_raw = (
        raw[found["lat"]].astype("string").to_numpy(dtype=object, na_value="")
        if found["lat"]
        else np.full(n, "", dtype=object)
    )
    has_ll = np.isfinite(lat) & np.isfinite(lon)
    out_of_range = has_ll & ((np.abs(lat) > 90) | (np.abs(lon) > 180))
    log.add(
        rows[out_of_range & ~has_seg],
        field=found["lat"] or "geometry",
        reason="latitude/longitude outside the globe",
        value=lat_raw[out_of_range & ~has_seg],
    )
    bad |= out_of_range & ~has_seg
    given_ll = np.zeros(n, dtype=bool)
    if found["lat"]:
        given_ll = ~_blank(raw[found["lat"]]) | ~_blank(raw[found["lon"]])
    unparsed = given_ll & ~has_ll & ~has_seg
    log.add(
        rows[unparsed],
        field=found["lat"] or "lat",
        reason="latitude/longitude is not a number",
        value=lat_raw[unparsed],
    )
    bad |= unparsed
    nopos = ~has_ll & ~has_seg & ~unparsed
    log.add(
        rows[nopos],
        field=found["lat"] or found["segment_id"] or "position",
        reason="no position: neither lat/lon nor segment_id given",
    )
    bad |= nopos

    # time
    tz = tz or _zone_of(lat[has_ll & ~out_of_range], lon[has_ll & ~out_of_range], crs)
    time_col = found["time"] if kind == "passes" else found["hour_start"]
    assert time_col is not None
    pt = parse_times(raw[time_col], tz=tz)
    for mask, reason in (
        (pt.blank, "time is missing"),
        (pt.unparseable, "cannot parse time (expected ISO 8601 like 2024-05-03 22:14)"),
        (pt.nonexistent, f"local time does not exist in {tz} (clocks jump forward)"),
    ):
        m = mask & ~bad
        log.add(
            rows[m],
            field=time_col,
            reason=reason,
            value=raw[time_col].astype("string").to_numpy(na_value="")[m],
        )
        bad |= mask
    times = pt.times
    if now is not None:
        future = times.notna().to_numpy() & (times > now).fillna(False).to_numpy(dtype=bool) & ~bad
        log.add(
            rows[future],
            field=time_col,
            reason="time is in the future",
            value=raw[time_col].astype("string").to_numpy(na_value="")[future],
        )
        bad |= future

    count = np.ones(n, dtype="float64")
    speed = np.full(n, np.nan)
    mean = np.full(n, np.nan)
    p85 = np.full(n, np.nan)
    if kind == "passes":
        c = found["speed"]
        assert c is not None
        speed = _numbers(raw[c])
        text = raw[c].astype("string").to_numpy(na_value="")
        m = ~np.isfinite(speed) & ~bad
        log.add(rows[m], field=c, reason="speed is not a number", value=text[m])
        bad |= m
        m = np.isfinite(speed) & ((speed <= 0) | (speed > _MAX_KMH)) & ~bad
        log.add(
            rows[m], field=c, reason=f"speed must be above 0 and at most {_MAX_KMH:.0f} km/h", value=text[m]
        )
        bad |= m
    else:
        cc, cm, cp = found["count"], found["mean"], found["p85"]
        assert cc is not None and cm is not None
        count = _numbers(raw[cc])
        ctext = raw[cc].astype("string").to_numpy(na_value="")
        m = (~np.isfinite(count) | (count < 0) | (np.isfinite(count) & (count != np.round(count)))) & ~bad
        log.add(rows[m], field=cc, reason="count must be a whole number >= 0", value=ctext[m])
        bad |= m
        mean = _numbers(raw[cm])
        mtext = raw[cm].astype("string").to_numpy(na_value="")
        m = (count > 0) & (~np.isfinite(mean) | (mean <= 0) | (mean > _MAX_KMH)) & ~bad
        log.add(
            rows[m],
            field=cm,
            reason=f"mean speed must be a number above 0 and at most {_MAX_KMH:.0f} km/h",
            value=mtext[m],
        )
        bad |= m
        if cp:
            p85 = _numbers(raw[cp])
            ptext = raw[cp].astype("string").to_numpy(na_value="")
            given = ~_blank(raw[cp])
            m = given & ~np.isfinite(p85) & ~bad
            log.add(rows[m], field=cp, reason="85th percentile is not a number", value=ptext[m])
            bad |= m
            m = np.isfinite(p85) & np.isfinite(mean) & (p85 < mean) & ~bad
            log.add(
                rows[m],
                field=cp,
                status="warning",
                value=ptext[m],
                reason="85th percentile below the mean; ignored, the spread is assumed instead",
            )
            p85 = np.where(np.isfinite(p85) & np.isfinite(mean) & (p85 < mean), np.nan, p85)

    direction = np.full(n, np.nan)
    if found["direction"]:
        direction, not_understood = _parse_direction(raw[found["direction"]])
        m = not_understood & ~bad
        log.add(
            rows[m],
            field=found["direction"],
            status="warning",
            reason="direction not understood (expected degrees 0-360 or N/NE/E/...); matched without it",
            value=raw[found["direction"]].astype("string").to_numpy(na_value="")[m],
        )

    keep = ~bad
    pts = gpd.GeoSeries.from_xy(
        np.where(has_ll, lon, np.nan)[keep], np.where(has_ll, lat, np.nan)[keep], crs="EPSG:4326"
    )
    pts = pts.where(has_ll[keep], None).to_crs(crs)
    out = gpd.GeoDataFrame(
        {
            "row": rows[keep],
            "kind": "pass" if kind == "passes" else "hour",
            "time": times[keep].reset_index(drop=True),
            "count": count[keep],
            "speed_kmh": speed[keep],
            "mean_kmh": np.where(kind == "passes", speed, mean)[keep],
            "p85_kmh": p85[keep],
            "segment_id": pd.array(np.where(has_seg, seg, None)[keep], dtype="string"),
            "direction_deg": direction[keep],
        },
        geometry=pts.reset_index(drop=True),
        crs=crs,
    )
    if out.empty:
        rej = log.frame()
        first = rej.iloc[0] if len(rej) else None
        raise InputError(
            f"no usable measurement among {n} rows"
            + (
                f" (first problem: row {first['row']}, '{first['field']}': {first['reason']})"
                if first is not None
                else ""
            ),
            path=name,
        )
    return Measurements(out, kind, log.frame(), tz, name)


def _zone_of(lat: np.ndarray, lon: np.ndarray, crs: pyproj.CRS | str) -> str:
    if lat.size:
        return choose_tz(float(np.median(lon)), float(np.median(lat)))
    # positions only by segment id: use the CRS's area of use
    aou = pyproj.CRS(crs).area_of_use
    if aou is None:
        return "UTC"
    return choose_tz((aou.west + aou.east) / 2, (aou.south + aou.north) / 2)


# ------------------------------------------------------------------------------------------- matching


def _bearing_at(lines: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Return the bearing (degrees, 0 = north) of each line's digitised direction nearest each point."""
    pos = shapely.line_locate_point(lines, points)
    length = shapely.length(lines)
    a = shapely.line_interpolate_point(lines, np.clip(pos - 2.0, 0, length))
    b = shapely.line_interpolate_point(lines, np.clip(pos + 2.0, 0, length))
    dx = shapely.get_x(b) - shapely.get_x(a)
    dy = shapely.get_y(b) - shapely.get_y(a)
    return np.degrees(np.arctan2(dx, dy)) % 360


def _angle_diff(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    d = np.abs(a - b) % 360
    return np.minimum(d, 360 - d)


def match_measurements(
    measurements: Measurements,
    segments: gpd.GeoDataFrame,
    *,
    tolerance_m: float = 30.0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Give each measurement its road segment.

    A row with a ``segment_id`` must name an existing segment (an OSM way id may omit the ``W``). A row with
    a position goes to the nearest segment within `tolerance_m`; when it has a direction, only segments whose
    axis at that spot agrees with it within 60° are considered (for a one-way segment, its digitised
    direction; otherwise either way), so a pass on a dual carriageway goes to its own lane. A segment without
    a usable limit still counts volume and is noted as a warning.

    Parameters
    ----------
    measurements
        From :func:`read_measurements`, in the segments' CRS.
    segments
        Segments (:data:`SEGMENT_COLUMNS`), metric CRS.
    tolerance_m
        Largest distance in metres from a measurement to its segment (inclusive).

    Returns
    -------
    matched, rejects
        The accepted measurements with ``segment_id``, ``distance_m`` and ``with_digitised`` (True/False,
        NA without a direction), and the rejection table for rows without a segment.

    Raises
    ------
    ValueError
        If `tolerance_m` is not positive.
    """
    if not tolerance_m > 0:
        raise ValueError(f"tolerance_m must be > 0, got {tolerance_m}")
    require_metric_crs(segments, what="segments")
    frame = measurements.frame
    log = RejectLog(measurements.file)
    n = len(frame)
    seg_ids = segments["segment_id"].astype("string").to_numpy(dtype=object)
    index_of = {s: i for i, s in enumerate(seg_ids)}
    chosen = np.full(n, -1, dtype="int64")
    dist = np.full(n, np.nan)
    given = frame["segment_id"].astype("string").to_numpy(dtype=object, na_value="")
    by_id = given != ""
    for i in np.flatnonzero(by_id):
        chosen[i] = index_of.get(given[i], index_of.get(f"W{given[i]}", -1))  # OSM way ids without the W
    unknown = by_id & (chosen < 0)
    log.add(
        frame["row"].to_numpy()[unknown],
        field="segment_id",
        reason="no road segment with this id",
        value=given[unknown],
    )
    by_pos = ~by_id
    if by_pos.any():
        pts = frame.geometry.to_numpy()[by_pos]
        lines = segments.geometry.to_numpy()
        tree = shapely.STRtree(lines)
        pi, si = tree.query(pts, predicate="dwithin", distance=tolerance_m)
        d = shapely.distance(pts[pi], lines[si])
        dirs = frame["direction_deg"].to_numpy(dtype="float64")[by_pos][pi]
        has_dir = np.isfinite(dirs)
        ok = np.ones(len(pi), dtype=bool)
        if has_dir.any():
            bearing = _bearing_at(lines[si[has_dir]], pts[pi[has_dir]])
            ow = segments["oneway"].to_numpy()[si[has_dir]]
            bearing = np.where(ow == -1, (bearing + 180) % 360, bearing)
            diff_fwd = _angle_diff(dirs[has_dir], bearing)
            diff = np.where(ow != 0, diff_fwd, np.minimum(diff_fwd, 180 - diff_fwd))
            ok[has_dir] = diff <= _DIRECTION_SLACK_DEG
        pairs = pd.DataFrame({"p": pi, "s": si, "d": d, "ok": ok})
        # prefer segments agreeing with the direction; among those the nearest
        pairs = pairs.sort_values(["p", "ok", "d"], ascending=[True, False, True], kind="stable")
        best = pairs.drop_duplicates("p")
        pos_idx = np.flatnonzero(by_pos)
        chosen[pos_idx[best["p"].to_numpy()]] = best["s"].to_numpy()
        dist[pos_idx[best["p"].to_numpy()]] = best["d"].to_numpy()
        wrong_dir = best[~best["ok"]]
        if len(wrong_dir):
            log.add(
                frame["row"].to_numpy()[pos_idx[wrong_dir["p"].to_numpy()]],
                field="direction",
                status="warning",
                reason=f"no segment within {tolerance_m:g} m runs in the given direction; nearest used",
            )
        far = by_pos & (chosen < 0)
        if far.any():
            nearest = segments.sindex.nearest(
                frame.geometry.to_numpy()[far], return_distance=True, return_all=False
            )
            nd = nearest[1]
            log.add(
                frame["row"].to_numpy()[far],
                field="lat/lon",
                reason=[f"no road segment within {tolerance_m:g} m (nearest {x:.0f} m)" for x in nd],
                value=[f"{p.x:.1f} {p.y:.1f}" for p in frame.geometry.to_numpy()[far]],
            )
    matched = pd.DataFrame(frame.drop(columns="geometry")).copy()
    matched["segment_index"] = chosen
    matched["distance_m"] = dist
    matched = matched[chosen >= 0].copy()
    idx = matched["segment_index"].to_numpy()
    matched["segment_id"] = pd.array(seg_ids[idx], dtype="string")
    if matched["direction_deg"].notna().any():
        pts_m = frame.geometry.to_numpy()[chosen >= 0]
        lines_m = segments.geometry.to_numpy()[idx]
        has = (
            matched["direction_deg"].notna().to_numpy()
            & ~shapely.is_empty(pts_m)
            & ~shapely.is_missing(pts_m)
        )
        with_dig = pd.array([pd.NA] * len(matched), dtype="boolean")
        if has.any():
            b = _bearing_at(lines_m[has], pts_m[has])
            with_dig[has] = _angle_diff(matched["direction_deg"].to_numpy()[has], b) <= 90
        matched["with_digitised"] = with_dig
    else:
        matched["with_digitised"] = pd.array([pd.NA] * len(matched), dtype="boolean")
    no_limit = ~np.isfinite(segments["limit_kmh"].to_numpy(dtype="float64")[idx])
    if no_limit.any():
        log.add(
            matched["row"].to_numpy()[no_limit],
            field="segment_id",
            status="warning",
            reason="segment has no usable speed limit; counted in volume only",
            value=matched["segment_id"].to_numpy()[no_limit],
        )
    return matched.drop(columns="segment_index").reset_index(drop=True), log.frame()


# ----------------------------------------------------------------------------------------- statistics


def _windows(band_hours: int, day_groups: str) -> tuple[tuple[tuple[str, tuple[int, ...]], ...], int]:
    if day_groups not in DAY_GROUPS:
        raise ValueError(f"day_groups must be one of {sorted(DAY_GROUPS)}, got '{day_groups}'")
    if band_hours not in {1, 2, 3, 4, 6, 8, 12, 24}:
        raise ValueError(f"band_hours must divide 24 (1, 2, 3, 4, 6, 8, 12 or 24), got {band_hours}")
    return DAY_GROUPS[day_groups], band_hours


def _window_keys(
    times: pd.Series, groups: tuple[tuple[str, tuple[int, ...]], ...], band_hours: int
) -> tuple[np.ndarray, np.ndarray]:
    wd = times.dt.day_of_week.to_numpy()
    group_of = np.empty(7, dtype=object)
    for label, days in groups:
        for d in days:
            group_of[d] = label
    return group_of[wd], (times.dt.hour.to_numpy() // band_hours) * band_hours


def _mixture_quantile(
    speeds: np.ndarray, means: np.ndarray, sds: np.ndarray, counts: np.ndarray, q: float
) -> float:
    """Return the q-quantile of passes plus normal components (hourly aggregates), by bisection."""
    total = speeds.size + counts.sum()
    if total <= 0:
        return math.nan
    if means.size == 0:
        return float(np.quantile(speeds, q))
    lo, hi = 0.0, _MAX_KMH * 1.5
    s_sorted = np.sort(speeds)
    for _ in range(50):
        mid = (lo + hi) / 2
        cdf = np.searchsorted(s_sorted, mid, side="right") + float((counts * ndtr((mid - means) / sds)).sum())
        if cdf / total < q:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def speed_spread(measurements: pd.DataFrame, *, default_cv: float = 0.12, min_count: int = 8) -> np.ndarray:
    """Estimate the spread of speeds (km/h) behind each hourly aggregate, for the normal approximation.

    An hour with at least `min_count` passes and a ``p85_kmh`` gives its own spread, ``(p85 − mean) / 1.036``.
    Hours with fewer passes (whose 85th percentile says little) take the count-weighted spread of their
    segment's well-filled hours; a segment without any takes ``default_cv × mean``. Passes get 1 (unused).

    Parameters
    ----------
    measurements
        Rows with ``segment_id``, ``kind``, ``count``, ``mean_kmh``, ``p85_kmh``.
    default_cv
        Spread relative to the mean when nothing better is known.
    min_count
        Passes an hour needs for its own spread.

    Returns
    -------
    sd
        One value per row, at least 0.5 km/h for aggregates.
    """
    mean = measurements["mean_kmh"].to_numpy(dtype="float64")
    p85 = measurements["p85_kmh"].to_numpy(dtype="float64")
    count = measurements["count"].to_numpy(dtype="float64")
    is_hour = (measurements["kind"] == "hour").to_numpy()
    own = np.where(np.isfinite(p85) & (count >= min_count), (p85 - mean) / _Z85, np.nan)
    ok = np.isfinite(own)
    seg = measurements["segment_id"].astype("string").to_numpy(dtype=object)
    pooled = (
        pd.DataFrame({"s": seg[ok], "w": count[ok], "wsd": count[ok] * own[ok]})
        .groupby("s")[["w", "wsd"]]
        .sum()
    )
    pooled_sd = (pooled["wsd"] / pooled["w"]).to_dict() if len(pooled) else {}
    fallback = np.array([pooled_sd.get(x, np.nan) for x in seg], dtype="float64")
    sd = np.where(ok, own, np.where(np.isfinite(fallback), fallback, default_cv * mean))
    sd = np.maximum(np.nan_to_num(sd, nan=1.0), 0.5)
    return np.where(is_hour, sd, 1.0)


def speed_by_window(
    matched: pd.DataFrame,
    segments: gpd.GeoDataFrame,
    *,
    band_hours: int = 2,
    day_groups: str = "weekday_weekend",
    default_cv: float = 0.12,
) -> pd.DataFrame:
    """Summarise speeds per segment and time window (weekday group × hour band).

    Parameters
    ----------
    matched
        Measurements with ``segment_id`` from :func:`match_measurements`.
    segments
        The segments (for the limit).
    band_hours
        Hours per band; bands start at midnight (``2`` gives 00–02, 02–04, ...).
    day_groups
        ``weekday_weekend`` (mån–fre, lör–sön), ``each_day`` or ``all``.
    default_cv
        Spread of speeds (standard deviation / mean) assumed for hourly rows without ``p85_kmh``.

    Returns
    -------
    windows
        One row per segment and window with measurements: ``segment_id``, ``weekdays`` (label),
        ``start_hour``, ``end_hour``, ``limit_kmh``, ``passes``, ``hours_observed``, ``passes_per_hour``,
        ``over_limit`` (estimated number of passes above the limit), ``over_limit_per_hour``,
        ``share_over_limit``, ``share_over_limit_10``, ``mean_kmh``, ``p85_kmh``, ``p85_minus_limit_kmh``,
        ``estimated`` (True when per-hour aggregates entered through the normal approximation).
    """
    groups, band_hours = _windows(band_hours, day_groups)
    cols = [
        "segment_id",
        "weekdays",
        "start_hour",
        "end_hour",
        "limit_kmh",
        "passes",
        "hours_observed",
        "passes_per_hour",
        "over_limit",
        "over_limit_per_hour",
        "share_over_limit",
        "share_over_limit_10",
        "mean_kmh",
        "p85_kmh",
        "p85_minus_limit_kmh",
        "estimated",
    ]
    if matched.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    limits = dict(
        zip(segments["segment_id"].astype("string"), segments["limit_kmh"].astype("float64"), strict=True)
    )
    m = matched.copy()
    m["limit_kmh"] = m["segment_id"].map(limits).astype("float64")
    m["weekdays"], m["start_hour"] = _window_keys(m["time"], groups, band_hours)
    is_hour = (m["kind"] == "hour").to_numpy()
    mean = m["mean_kmh"].to_numpy(dtype="float64")
    sd = speed_spread(m, default_cv=default_cv)
    m["sd"] = sd
    speed = m["speed_kmh"].to_numpy(dtype="float64")
    lim = m["limit_kmh"].to_numpy(dtype="float64")
    cnt = m["count"].to_numpy(dtype="float64")
    over = np.where(is_hour, cnt * (1 - ndtr((lim - mean) / sd)), (speed > lim).astype(float))
    over10 = np.where(is_hour, cnt * (1 - ndtr((lim + 10 - mean) / sd)), (speed > lim + 10).astype(float))
    m["over"] = np.where(np.isfinite(lim), over, np.nan)
    m["over10"] = np.where(np.isfinite(lim), over10, np.nan)
    m["speed_sum"] = np.where(is_hour, cnt * mean, speed)
    # observed hours: the span of a pass campaign, every hour in it; the rows of hourly aggregates
    hours: list[pd.DataFrame] = []
    passes = m[~is_hour]
    if len(passes):
        span = passes.groupby("segment_id")["time"].agg(["min", "max"])
        for sid, (t0, t1) in span.iterrows():
            rng = pd.date_range(t0.floor("h"), t1.floor("h"), freq="h")
            hours.append(pd.DataFrame({"segment_id": sid, "hour": rng}))
    if is_hour.any():
        hours.append(
            pd.DataFrame(
                {
                    "segment_id": m.loc[is_hour, "segment_id"].to_numpy(),
                    "hour": m.loc[is_hour, "time"].dt.floor("h").to_numpy(),
                }
            )
        )
    hh = pd.concat(hours, ignore_index=True).drop_duplicates()
    hh["hour"] = pd.to_datetime(hh["hour"], utc=True).dt.tz_convert(m["time"].dt.tz)
    hh["weekdays"], hh["start_hour"] = _window_keys(hh["hour"], groups, band_hours)
    observed = hh.groupby(["segment_id", "weekdays", "start_hour"]).size().rename("hours_observed")
    rows = []
    for (sid, wd, sh), g in m.groupby(["segment_id", "weekdays", "start_hour"], sort=False):
        gp = g[g["kind"] == "pass"]
        gh = g[(g["kind"] == "hour") & (g["count"] > 0)]
        n = float(len(gp) + gh["count"].sum())
        if n <= 0:
            continue
        limit = float(g["limit_kmh"].iloc[0])
        p85 = _mixture_quantile(
            gp["speed_kmh"].to_numpy(dtype="float64"),
            gh["mean_kmh"].to_numpy(dtype="float64"),
            gh["sd"].to_numpy(dtype="float64"),
            gh["count"].to_numpy(dtype="float64"),
            0.85,
        )
        hours_obs = int(observed.get((sid, wd, sh), 0)) or 1
        over_n = float(g["over"].sum()) if math.isfinite(limit) else math.nan
        rows.append(
            {
                "segment_id": sid,
                "weekdays": wd,
                "start_hour": int(sh),
                "end_hour": int(sh) + band_hours,
                "limit_kmh": limit,
                "passes": int(round(n)),
                "hours_observed": hours_obs,
                "passes_per_hour": n / hours_obs,
                "over_limit": over_n,
                "over_limit_per_hour": over_n / hours_obs,
                "share_over_limit": over_n / n,
                "share_over_limit_10": float(g["over10"].sum()) / n if math.isfinite(limit) else math.nan,
                "mean_kmh": float(g["speed_sum"].sum()) / n,
                "p85_kmh": p85,
                "p85_minus_limit_kmh": p85 - limit,
                "estimated": bool(len(gh)),
            }
        )
    out = pd.DataFrame(rows, columns=cols)
    order = {label: i for i, (label, _) in enumerate(groups)}
    out = out.sort_values(
        ["segment_id", "weekdays", "start_hour"], key=lambda s: s.map(order) if s.name == "weekdays" else s
    )
    return out.reset_index(drop=True)


def summarise_segments(
    segments: gpd.GeoDataFrame,
    matched: pd.DataFrame,
    windows: pd.DataFrame,
    attached: pd.DataFrame | None = None,
    *,
    default_cv: float = 0.12,
) -> gpd.GeoDataFrame:
    """Add whole-period speed figures and report counts to every segment.

    Parameters
    ----------
    segments
        The segments.
    matched
        Matched measurements (:func:`match_measurements`).
    windows
        Per-window figures (:func:`speed_by_window`), for the worst window.
    attached
        Traffic reports with ``segment_id`` (:func:`attach_reports`), or ``None``.
    default_cv
        As in :func:`speed_by_window`.

    Returns
    -------
    segments
        A copy with ``passes``, ``share_over_limit``, ``share_over_limit_10``, ``mean_kmh``, ``p85_kmh``,
        ``p85_minus_limit_kmh``, ``n_reports`` and ``worst_window`` (the window with most speeders per hour,
        e.g. ``"lör–sön 22–24"``).
    """
    out = segments.copy()
    whole = (
        speed_by_window(matched, segments, band_hours=24, day_groups="all", default_cv=default_cv)
        if len(matched)
        else None
    )
    cols = ("passes", "share_over_limit", "share_over_limit_10", "mean_kmh", "p85_kmh", "p85_minus_limit_kmh")
    for c in cols:
        out[c] = np.nan
    if whole is not None and len(whole):
        w = whole.set_index("segment_id")
        for c in cols:
            out[c] = out["segment_id"].map(w[c]).astype("float64")
    out["passes"] = out["passes"].fillna(0).astype("int64")
    if attached is not None and len(attached):
        out["n_reports"] = (
            out["segment_id"].map(attached.groupby("segment_id").size()).fillna(0).astype("int64")
        )
    else:
        out["n_reports"] = 0
    out["worst_window"] = pd.array([pd.NA] * len(out), dtype="string")
    if len(windows) and windows["over_limit_per_hour"].notna().any():
        best = (
            windows.dropna(subset=["over_limit_per_hour"])
            .sort_values("over_limit_per_hour", ascending=False)
            .drop_duplicates("segment_id")
        )
        label = (
            best["weekdays"]
            + " "
            + best["start_hour"].map("{:02d}".format)
            + "–"
            + best["end_hour"].map("{:02d}".format)
        )
        out["worst_window"] = (
            out["segment_id"].map(dict(zip(best["segment_id"], label, strict=True))).astype("string")
        )
    return out


# -------------------------------------------------------------------------------------- traffic reports


def traffic_reports(reports: Reports, *, pattern: str = TRAFFIC_PATTERN) -> Reports:
    """Select traffic-related reports with a usable (point) position.

    Residents' "hög hastighet", police traffic offences and Police feed accidents match by ``category``
    (and the feed's ``event_type``); police checks (``Trafikkontroll``) are activity, not incidents, and are
    left out. Feed events placed only at a municipality or county centre are dropped by
    :func:`geo.model.point_reports`: they cannot be put on a street.

    Parameters
    ----------
    reports
        Validated reports.
    pattern
        Case-insensitive regular expression on the category.
    """
    pts = point_reports(reports)
    text = pts["category"].astype("string").fillna("")
    if "event_type" in pts.columns:
        text = text + " " + pts["event_type"].astype("string").fillna("")
    hit = text.str.contains(pattern, case=False, regex=True) & ~text.str.contains(
        _EXCLUDE_TRAFFIC, case=False, regex=True
    )
    return Reports(pts.loc[hit.fillna(False).to_numpy(dtype=bool)])


def attach_reports(
    reports: Reports, segments: gpd.GeoDataFrame, *, tolerance_m: float = 50.0
) -> gpd.GeoDataFrame:
    """Attach (traffic) reports to the nearest road segment within `tolerance_m` metres.

    Parameters
    ----------
    reports
        Reports in the segments' CRS (use :func:`traffic_reports` first).
    segments
        The segments.
    tolerance_m
        Largest distance in metres (inclusive); farther reports are not attached.

    Returns
    -------
    attached
        The reports near a segment: ``report_id``, ``category``, ``source``, ``occurred_at``, ``hour``,
        ``weekday``, ``segment_id``, ``distance_m``, Point geometry. Free text is not carried.
    """
    if not tolerance_m > 0:
        raise ValueError(f"tolerance_m must be > 0, got {tolerance_m}")
    keep = ["report_id", "category", "source", "occurred_at", "hour", "weekday", "source_file", "source_row"]
    if len(reports) == 0 or len(segments) == 0:
        return gpd.GeoDataFrame(
            {c: pd.Series(dtype="object") for c in [*keep, "segment_id", "distance_m"]},
            geometry=gpd.GeoSeries([], crs=segments.crs),
            crs=segments.crs,
        )
    rep = reports.to_crs(segments.crs)
    idx, dist = segments.sindex.nearest(
        rep.geometry.to_numpy(), return_distance=True, return_all=False, max_distance=tolerance_m
    )
    ri, si = idx
    out = gpd.GeoDataFrame(
        rep.iloc[ri][keep].reset_index(drop=True), geometry=rep.geometry.to_numpy()[ri], crs=segments.crs
    )
    out["segment_id"] = pd.array(segments["segment_id"].astype("string").to_numpy()[si], dtype="string")
    out["distance_m"] = dist
    return out


# ----------------------------------------------------------------------------------------------- layer


@dataclass
class SpeedLayer:
    """The traffic-speed layer, ready for the enforcement plan and the map.

    Attributes
    ----------
    segments
        Segments with whole-period figures (:func:`summarise_segments`), metric CRS.
    windows
        Per segment × window figures (:func:`speed_by_window`) with ``complaints`` (traffic reports in that
        window) and ``street``.
    measurements
        Matched measurements.
    reports
        Traffic reports attached to segments (:func:`attach_reports`).
    rejects
        Every measurement row not used (and limits not understood), ``file,row,field,reason,status,value``.
    kind
        ``passes`` or ``hourly``.
    band_hours, day_groups
        The windows used.
    """

    segments: gpd.GeoDataFrame
    windows: pd.DataFrame
    measurements: pd.DataFrame
    reports: gpd.GeoDataFrame
    rejects: pd.DataFrame
    kind: str
    band_hours: int
    day_groups: str
    notes: list[str] = field(default_factory=list)


def build_speed_layer(
    segments: gpd.GeoDataFrame,
    measurements: Measurements,
    *,
    reports: Reports | None = None,
    tolerance_m: float = 30.0,
    report_tolerance_m: float = 50.0,
    band_hours: int = 2,
    day_groups: str = "weekday_weekend",
    default_cv: float = 0.12,
) -> SpeedLayer:
    """Match measurements and traffic reports to segments and summarise them per segment and window.

    Parameters
    ----------
    segments
        Road segments with limits (:func:`read_segments`).
    measurements
        Speed measurements (:func:`read_measurements`) in the segments' CRS.
    reports
        Any reports; the traffic-related ones with a point position are attached (:func:`traffic_reports`).
    tolerance_m
        Largest distance in metres from a measurement to its segment.
    report_tolerance_m
        Largest distance in metres from a report to its segment.
    band_hours, day_groups, default_cv
        Windows and spread, as in :func:`speed_by_window`.

    Returns
    -------
    layer
        The speed layer.
    """
    matched, rejects = match_measurements(measurements, segments, tolerance_m=tolerance_m)
    windows = speed_by_window(
        matched, segments, band_hours=band_hours, day_groups=day_groups, default_cv=default_cv
    )
    attached = (
        attach_reports(traffic_reports(reports), segments, tolerance_m=report_tolerance_m)
        if reports is not None
        else None
    )
    if attached is None:
        attached = attach_reports(
            Reports(gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=segments.crs))), segments
        )
    groups, _ = _windows(band_hours, day_groups)
    complaints = pd.Series(dtype="int64")
    if len(attached):
        wd, sh = _window_keys(attached["occurred_at"], groups, band_hours)
        complaints = (
            pd.DataFrame({"segment_id": attached["segment_id"].to_numpy(), "weekdays": wd, "start_hour": sh})
            .groupby(["segment_id", "weekdays", "start_hour"])
            .size()
        )
    # windows with complaints but no measurements still appear (a check there is worth considering)
    if len(complaints):
        extra = complaints.reset_index()[["segment_id", "weekdays", "start_hour"]]
        extra = extra.merge(windows[["segment_id", "weekdays", "start_hour"]], how="left", indicator=True)
        extra = extra[extra["_merge"] == "left_only"].drop(columns="_merge")
        if len(extra):
            lim = dict(zip(segments["segment_id"].astype("string"), segments["limit_kmh"], strict=True))
            extra["end_hour"] = extra["start_hour"] + band_hours
            extra["limit_kmh"] = extra["segment_id"].map(lim)
            extra["passes"] = 0
            extra["hours_observed"] = 0
            extra["estimated"] = False
            windows = pd.concat([windows, extra], ignore_index=True)
    key = (
        pd.MultiIndex.from_frame(windows[["segment_id", "weekdays", "start_hour"]]) if len(windows) else None
    )
    windows["complaints"] = (
        complaints.reindex(key).fillna(0).astype("int64").to_numpy()
        if key is not None
        else pd.Series(dtype="int64")
    )
    names = dict(zip(segments["segment_id"].astype("string"), segments["street"], strict=True))
    windows["street"] = windows["segment_id"].map(names).astype("string")
    summary = summarise_segments(segments, matched, windows, attached, default_cv=default_cv)
    notes = [f"{len(matched):,} of {len(measurements.frame):,} measurement rows matched to segments"]
    parts = [r for r in (measurements.rejects, rejects) if len(r)]
    all_rejects = (
        pd.concat(parts, ignore_index=True).sort_values(["file", "row"], kind="stable").reset_index(drop=True)
        if parts
        else measurements.rejects
    )
    return SpeedLayer(
        summary, windows, matched, attached, all_rejects, measurements.kind, band_hours, day_groups, notes
    )
