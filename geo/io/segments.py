"""Road segments with speed limits, read from OpenStreetMap or from the municipality's own road file.

* **OSM** (``.osm.pbf``/``.osm``): ``maxspeed`` as signed; roads without the tag get the country's implicit
  limit (``SE:urban`` = 50 km/h in Sweden) and say so in ``limit_source``; ways cut at the extract's edge keep
  the part inside and are marked ``truncated``.
* **Road files** (GeoPackage, GeoJSON, Shapefile, FlatGeobuf, GeoParquet) with line geometries and a limit
  column such as ``hastighet``/``limit_kmh``/``maxspeed``.

Every row not used (or used with a guess) is listed in a rejection table (``file,row,field,reason,status,
value``). Segments carry no times; :attr:`SegmentsRead.tz` gives the zone at their centre, the default zone
of measurement times without one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.crs import choose_crs, choose_tz
from geo.errors import InputError
from geo.io._columns import pick_column
from geo.io.osm import parse_maxspeed, read_osm
from geo.io.road_limits import (
    MOTOR_HIGHWAYS,
    NON_MOTOR_HIGHWAYS,
    country_at,
    implicit_limit,
    oneway_codes,
    segments_from_osm,
)
from geo.rejects import REJECT_COLUMNS, RejectLog

__all__ = ["SegmentsRead", "read_segments"]

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


@dataclass
class SegmentsRead:
    """Road segments read from a file.

    Attributes
    ----------
    segments
        One row a segment, columns :data:`geo.io.road_limits.SEGMENT_COLUMNS`, LineString geometry in
        `crs`.
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

    @property
    def tz(self) -> str:
        """The IANA time zone at the segments' centre (for measurement times given without a zone).

        Raises
        ------
        ValueError
            When no zone is known there.
        """
        centre = gpd.GeoSeries([self.segments.union_all().centroid], crs=self.crs).to_crs("EPSG:4326")
        return choose_tz(centre.iloc[0].x, centre.iloc[0].y)


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

    CRS rule: the input CRS is read from the file (OSM is WGS84). A road file without a CRS is an error naming
    the file unless `crs` is given, which is then taken as the file's CRS. The segments are always returned in
    `crs` when given; otherwise in the file's CRS when that is metric, else in the metric CRS chosen from the
    data (EPSG:3006 in Sweden, else the UTM zone). Segments hold no times (see :attr:`SegmentsRead.tz`).

    Parameters
    ----------
    path
        ``.osm.pbf``/``.osm`` (OSM ``maxspeed``, implicit limits for untagged roads), or GeoPackage, GeoJSON,
        Shapefile, FlatGeobuf, GeoParquet with line geometries and a limit column (``limit_kmh``,
        ``maxspeed``, ``hastighet``, ...; values like ``50``, ``30 mph`` or ``SE:urban``).
    crs
        Metric CRS for the segments; chosen from the data when ``None``.
    country, zone
        Implicit limits for roads without a limit (:func:`geo.io.road_limits.implicit_limit`); the country is
        found from
        the data's position when ``None``.
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
        If the file cannot be read, has no CRS, no limit column, or holds no usable segment.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", path=str(path))
    if path.name.lower().endswith((".osm.pbf", ".pbf", ".osm")):
        return _read_osm_segments(path, crs=crs, country=country, zone=zone, highways=highways)
    frame = _read_road_file(path, crs=crs)
    cols = _road_columns(frame, str(path), id_col=id_col, name_col=name_col, limit_col=limit_col)
    return _segments_from_roads(frame, cols, file=str(path), crs=crs, country=country, zone=zone)


def _read_osm_segments(
    path: Path, *, crs: pyproj.CRS | str | None, country: str | None, zone: str, highways: Sequence[str]
) -> SegmentsRead:
    name = str(path)
    layers = read_osm(path, crs=crs)
    segments, notes = segments_from_osm(layers.ways, country=country, zone=zone, highways=highways, file=name)
    rejects = pd.concat([layers.rejects, notes], ignore_index=True) if len(notes) else layers.rejects
    if segments.empty:
        raise InputError("holds no roads for motor traffic (highway=residential, primary, ...)", path=name)
    return SegmentsRead(
        segments,
        rejects[REJECT_COLUMNS].reset_index(drop=True),
        pyproj.CRS(layers.crs),
        country or country_at(segments),
    )


def _read_road_file(path: Path, *, crs: pyproj.CRS | str | None) -> gpd.GeoDataFrame:
    low = path.name.lower()
    try:
        frame = (
            gpd.read_parquet(path)
            if low.endswith((".parquet", ".geoparquet"))
            else gpd.read_file(path, engine="pyogrio")
        )
    except Exception as err:  # noqa: BLE001 - any driver failure is a problem with the user's file
        raise InputError(f"cannot read road segments: {err}", path=str(path)) from err
    if frame.crs is None:
        if crs is None:
            raise InputError("has no CRS; save it with one (e.g. EPSG:3006) or give crs", path=str(path))
        frame = frame.set_crs(crs)
    return frame


def _road_columns(
    frame: gpd.GeoDataFrame, name: str, *, id_col: str | None, name_col: str | None, limit_col: str | None
) -> dict[str, str | None]:
    cols = [c for c in frame.columns if c != frame.geometry.name]
    found = {
        "limit": pick_column(cols, _SEGMENT_CANDIDATES["limit"], limit_col, path=name),
        "id": pick_column(cols, _SEGMENT_CANDIDATES["id"], id_col, path=name),
        "name": pick_column(cols, _SEGMENT_CANDIDATES["name"], name_col, path=name),
        "oneway": pick_column(cols, _SEGMENT_CANDIDATES["oneway"], path=name),
        "highway": pick_column(cols, _SEGMENT_CANDIDATES["highway"], path=name),
    }
    if found["limit"] is None:
        raise InputError(
            f"no speed-limit column found (looked for {', '.join(_SEGMENT_CANDIDATES['limit'][:6])}, ...); "
            f"give --limit-col; the file has {cols}",
            path=name,
        )
    return found


def _not_lines(frame: gpd.GeoDataFrame, rows: np.ndarray, log: RejectLog) -> np.ndarray:
    geom = frame.geometry
    gtype = geom.geom_type.fillna("").to_numpy()
    empty = geom.is_empty.fillna(True).to_numpy(dtype=bool)
    bad = ~np.isin(gtype, ["LineString", "MultiLineString"]) | empty
    log.add(
        rows[bad], field="geometry", reason="not a line; road segments must be LineStrings", value=gtype[bad]
    )
    return bad


def _non_motor(
    frame: gpd.GeoDataFrame, col: str | None, rows: np.ndarray, bad_geom: np.ndarray, log: RejectLog
) -> tuple[pd.Series | None, np.ndarray]:
    if col is None:
        return None, np.zeros(len(frame), dtype=bool)
    hw = frame[col].astype("string").str.strip().str.lower()
    non_motor = hw.isin(list(NON_MOTOR_HIGHWAYS)).fillna(False).to_numpy(dtype=bool) & ~bad_geom
    log.add(
        rows[non_motor],
        field=col,
        status="warning",
        value=hw.to_numpy(na_value="")[non_motor],
        reason="not a road for motor traffic; left out of the speed layer",
    )
    return hw, non_motor


def _limit_text(v: object) -> str | None:
    """Return the raw limit as ``maxspeed`` text: whole numbers without ``.0``; ``None`` when missing."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, int | np.integer):
        return str(int(v))
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _file_limits(
    raw: pd.Series,
    hw: pd.Series | None,
    usable: np.ndarray,
    *,
    rows: np.ndarray,
    country: str,
    zone: str,
    log: RejectLog,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse the limit column into limit, source and a mask of bad limits; empty takes the implicit limit."""
    field = str(raw.name)
    parsed = [parse_maxspeed(_limit_text(v)) for v in raw]
    limit = np.array([p[0] for p in parsed], dtype="float64")
    problem = np.array([p[1] for p in parsed], dtype=object)
    empty = (problem == "empty maxspeed") & usable
    highways = hw if hw is not None else [None] * len(raw)
    implicit = np.array([implicit_limit(h, country=country, zone=zone) for h in highways], dtype="float64")
    source = np.where(empty, "implicit", "file").astype(object)
    limit = np.where(empty, implicit, limit)
    log.add(
        rows[empty],
        field=field,
        status="warning",
        reason=f"no limit given; the implicit {zone} limit of {country} is used",
    )
    bad = ~np.isfinite(limit) & usable
    log.add(rows[bad], field=field, reason=problem[bad], value=raw.to_numpy()[bad])
    return limit, source, bad


def _segment_ids(
    frame: gpd.GeoDataFrame, col: str | None, rows: np.ndarray, bad_geom: np.ndarray, log: RejectLog
) -> tuple[np.ndarray, np.ndarray]:
    """Return the ids (feature number where none is given) and a mask of repeated ids (rejected)."""
    given = frame[col].astype("string").str.strip() if col else pd.Series(rows.astype(str), index=frame.index)
    ids = given.to_numpy()
    ids = np.where(pd.isna(ids) | (ids == ""), rows.astype(str), ids).astype(object)
    dup = pd.Series(ids).duplicated().to_numpy() & ~bad_geom
    log.add(rows[dup], field=col or "id", reason="repeated segment id", value=ids[dup])
    return ids, dup


def _metric_target(frame: gpd.GeoDataFrame, crs: pyproj.CRS | str | None) -> pyproj.CRS:
    if crs is not None:
        return pyproj.CRS(crs)
    if frame.crs.is_projected and {a.unit_name for a in frame.crs.axis_info} <= {"metre", "meter"}:
        return pyproj.CRS(frame.crs)
    pts = shapely.get_coordinates(frame.to_crs("EPSG:4326").geometry.to_numpy())
    target, _ = choose_crs(pts[:, 0], pts[:, 1])
    return pyproj.CRS(target)


def _segments_from_roads(
    frame: gpd.GeoDataFrame,
    cols: dict[str, str | None],
    *,
    file: str,
    crs: pyproj.CRS | str | None,
    country: str | None,
    zone: str,
) -> SegmentsRead:
    log = RejectLog(file)
    rows = np.arange(1, len(frame) + 1)
    bad_geom = _not_lines(frame, rows, log)
    hw, non_motor = _non_motor(frame, cols["highway"], rows, bad_geom, log)
    country = country or country_at(frame.loc[~bad_geom])
    c_limit = str(cols["limit"])
    limit, source, bad_limit = _file_limits(
        frame[c_limit], hw, ~bad_geom & ~non_motor, rows=rows, country=country, zone=zone, log=log
    )
    ids, dup = _segment_ids(frame, cols["id"], rows, bad_geom, log)
    keep = ~bad_geom & ~bad_limit & ~dup & ~non_motor
    if not keep.any():
        raise InputError(
            f"holds no usable road segment ({int(bad_geom.sum())} not lines, "
            f"{int(bad_limit.sum())} without a usable limit in '{c_limit}')",
            path=file,
        )
    n = int(keep.sum())

    def text(col: str | None) -> object:
        return frame[col].astype("string").to_numpy()[keep] if col else pd.array([pd.NA] * n, dtype="string")

    out = gpd.GeoDataFrame(
        {
            "segment_id": pd.array(ids[keep], dtype="string"),
            "street": text(cols["name"]),
            "highway": text(cols["highway"]),
            "limit_kmh": limit[keep],
            "limit_source": source[keep],
            "oneway": oneway_codes(frame[cols["oneway"]])[keep]
            if cols["oneway"]
            else np.zeros(n, dtype="int8"),
            "truncated": False,
        },
        geometry=shapely.line_merge(frame.geometry.to_numpy()[keep]),
        crs=frame.crs,
    )
    target = _metric_target(out, crs)
    out = out.to_crs(target)
    out["length_m"] = out.geometry.length.to_numpy()
    return SegmentsRead(out.reset_index(drop=True), log.frame(), target, country)
