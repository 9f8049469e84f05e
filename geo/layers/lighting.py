"""The lighting layer: where light reaches, which walkable ways are unlit, and the dark stretches between.

Sources a municipality has:

* its own **lamp register** (CSV, GeoPackage, Shapefile, GeoJSON of lamp points), optionally with a status
  column: ``ok``, ``broken`` or ``part_night`` (Swedish values too: ``trasig``, ``ur funktion``, ``släckt``,
  ``halvnatt``, ``halvnattsbelysning``, ``fungerar``, ...);
* **OpenStreetMap**: ``highway=street_lamp`` nodes and ways tagged ``lit=*`` (read with
  :func:`geo.io.osm.read_osm`), or any line file with ``highway``/``lit``/``name`` columns;
* residents' and safety-walk reports of dark places and broken lamps (handled in :mod:`geo.plan.lighting`).

Lit coverage is modelled simply and openly: every working lamp lights a disc of ``radius_m`` metres (default
:data:`DEFAULT_RADIUS_M` = 25 m, about half the usual 40-50 m spacing of residential street lamps mounted at
6-8 m, so that a well-lit street is covered end to end), and a way tagged ``lit=yes`` (or ``24/7``,
``automatic``, ``limited``, ...) lights a band of ``lit_way_buffer_m`` metres either side of its centre line.
Broken lamps light nothing, and their discs are cut out of the bands of ``lit=yes`` ways (the tag describes
the street in normal operation; the register says what works today). A *dark stretch* is a part of a
walkable way (foot, cycle, path, pedestrian, steps, residential, service, living street) outside that
coverage.

The readers at the top of this module touch files; :func:`build_lighting` and everything below it is pure.
"""

from __future__ import annotations

import json
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
from shapely.ops import substring

from geo.errors import InputError
from geo.model import require_metric_crs

__all__ = [
    "DEFAULT_LIT_WAY_BUFFER_M",
    "DEFAULT_RADIUS_M",
    "LAMP_STATUSES",
    "LIT_NO",
    "LIT_YES",
    "LightingLayer",
    "WALKABLE_HIGHWAYS",
    "build_lighting",
    "classify_lit",
    "normalise_status",
    "read_lamp_register",
    "read_lighting_sources",
    "read_way_file",
    "street_label",
]

DEFAULT_RADIUS_M = 25.0
"""Effective lit radius of one street lamp in metres (a disc; half the usual residential spacing)."""

DEFAULT_LIT_WAY_BUFFER_M = 12.0
"""Half-width in metres of the band a way tagged ``lit=yes`` lights (carriageway, pavements, verge)."""

WALKABLE_HIGHWAYS: tuple[str, ...] = (
    "footway",
    "cycleway",
    "path",
    "pedestrian",
    "steps",
    "bridleway",
    "track",
    "trail",
    "residential",
    "service",
    "living_street",
)
"""OSM ``highway`` values counted as walkable ways (where people walk or cycle after dark)."""

LIT_YES = frozenset(
    {"yes", "24/7", "automatic", "limited", "interval", "sunset-sunrise", "dusk-dawn", "night"}
)
"""``lit=*`` values meaning the way is lit (``limited``/``interval`` only part of the night)."""

LIT_NO = frozenset({"no", "disused", "none", "off"})
"""``lit=*`` values meaning the way is not lit."""

LAMP_STATUSES: tuple[str, ...] = ("ok", "part_night", "broken")
"""Normalised lamp statuses: working all night, switched off part of the night, not working."""

_STATUS_WORDS: dict[str, str] = {
    **dict.fromkeys(
        [
            "ok",
            "fungerar",
            "fungerande",
            "hel",
            "i drift",
            "drift",
            "normal",
            "tänd",
            "tand",
            "working",
            "on",
            "lit",
            "active",
            "aktiv",
            "in service",
            "helnatt",
            "helnattsbelysning",
            "all night",
            "all_night",
        ],
        "ok",
    ),
    **dict.fromkeys(
        [
            "broken",
            "trasig",
            "trasigt",
            "ur funktion",
            "ur drift",
            "ej fungerande",
            "fungerar ej",
            "fungerar inte",
            "släckt",
            "slackt",
            "defekt",
            "fel",
            "fault",
            "faulty",
            "failed",
            "out",
            "off",
            "not working",
            "out of order",
            "dead",
            "kaputt",
        ],
        "broken",
    ),
    **dict.fromkeys(
        [
            "part_night",
            "part-night",
            "part night",
            "partnight",
            "halvnatt",
            "halvnattsbelysning",
            "halvnattslampa",
            "halvnattsdrift",
            "nattsläckt",
            "nattslackt",
            "nattsläckning",
            "nattslackning",
            "dimmed",
            "dimmad",
            "nedsläckt natt",
        ],
        "part_night",
    ),
}

_ID_COLUMNS = (
    "lamp_id",
    "lampid",
    "id",
    "armatur_id",
    "armaturid",
    "belysningspunkt",
    "stolpnummer",
    "stolpe",
    "ref",
    "nummer",
    "nr",
    "fid",
)
_STATUS_COLUMNS = (
    "status",
    "lamp_status",
    "state",
    "skick",
    "tillstånd",
    "tillstand",
    "driftstatus",
    "drift",
)
_LAT_COLUMNS = ("lat", "latitude", "latitud", "lat_wgs84", "wgs84_lat", "breddgrad")
_LON_COLUMNS = ("lon", "lng", "long", "longitude", "longitud", "lon_wgs84", "wgs84_lon", "längdgrad")
_X_COLUMNS = ("x", "easting", "east", "e", "x_sweref", "sweref_e", "x_coord", "xkoord", "n_sweref")
_Y_COLUMNS = ("y", "northing", "north", "n", "y_sweref", "sweref_n", "y_coord", "ykoord")
_PBF_SUFFIXES = (".pbf", ".osm")

_HIGHWAY_SV: dict[str, str] = {
    "footway": "gångväg",
    "cycleway": "cykelväg",
    "path": "stig",
    "pedestrian": "gågata",
    "steps": "trappa",
    "bridleway": "ridväg",
    "track": "skogsväg",
    "trail": "led",
    "residential": "bostadsgata",
    "service": "servicegata",
    "living_street": "gårdsgata",
}


def _fold(text: object) -> str:
    return unicodedata.normalize("NFC", str(text)).casefold().strip()


def normalise_status(value: object) -> str | None:
    """Map a lamp-register status to ``ok``, ``part_night`` or ``broken``.

    Parameters
    ----------
    value
        The register's value, Swedish or English (``trasig``, ``halvnatt``, ``fungerar``, ``broken``, ...);
        empty means ``ok`` (a register lists working lamps without comment).

    Returns
    -------
    status
        The normalised status, or ``None`` when the value is not recognised.

    Examples
    --------
    >>> normalise_status("Trasig"), normalise_status("halvnattsbelysning"), normalise_status("")
    ('broken', 'part_night', 'ok')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "ok"
    text = _fold(value).replace("_", " ") if _fold(value) not in _STATUS_WORDS else _fold(value)
    if text in ("", "nan", "<na>", "none"):
        return "ok"
    if text in _STATUS_WORDS:
        return _STATUS_WORDS[text]
    if text.replace(" ", "_") in _STATUS_WORDS:
        return _STATUS_WORDS[text.replace(" ", "_")]
    return None


def classify_lit(value: object) -> str:
    """Classify an OSM ``lit=*`` value.

    Parameters
    ----------
    value
        The tag value, or missing.

    Returns
    -------
    lit_class
        ``lit`` (yes, 24/7, automatic), ``limited`` (limited, interval, a time range such as
        ``sunset-01:00``), ``unlit`` (no, disused) or ``unknown`` (missing or unrecognised).

    Examples
    --------
    >>> [classify_lit(v) for v in ("yes", "limited", "no", None, "sunset-01:00")]
    ['lit', 'limited', 'unlit', 'unknown', 'limited']
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "unknown"
    text = _fold(value)
    if text in ("limited", "interval"):
        return "limited"
    if text in LIT_YES:
        return "lit"
    if text in LIT_NO:
        return "unlit"
    if any(ch.isdigit() for ch in text) and ("-" in text or ":" in text):
        return "limited"
    return "unknown"


def street_label(name: object, highway: object) -> str:
    """Human label of a way: its name, else its kind in Swedish (``gångväg``, ``cykelväg``, ...)."""
    if isinstance(name, str) and name.strip():
        return name.strip()
    return _HIGHWAY_SV.get(
        str(highway), str(highway) if isinstance(highway, str) and highway else "okänd väg"
    )


# --------------------------------------------------------------------------------------------------- readers


def _pick(
    columns: Sequence[str], candidates: Sequence[str], given: str | None, *, path: str, what: str
) -> str | None:
    if given is not None:
        if given in columns:
            return given
        folded = {_fold(c): c for c in columns}
        if _fold(given) in folded:
            return folded[_fold(given)]
        raise InputError(
            f"column '{given}' (given for {what}) is not in the file; it has {list(columns)}", path=path
        )
    folded = {}
    for c in columns:
        folded.setdefault(_fold(c), c)
    return next((folded[c] for c in candidates if c in folded), None)


def _statuses(values: pd.Series, rows: np.ndarray, *, path: str, column: str) -> np.ndarray:
    out = np.array([normalise_status(v) for v in values], dtype=object)
    bad = np.flatnonzero(pd.isna(out))
    if bad.size:
        first = ", ".join(f"row {rows[i]}: '{values.iloc[i]}'" for i in bad[:20])
        raise InputError(
            f"{bad.size} lamp(s) have an unknown status ({first}); allowed: ok/fungerar, broken/trasig, "
            "part_night/halvnatt (empty = ok)",
            path=path,
            row=int(rows[bad[0]]),
            field=column,
        )
    return out.astype(str)


def read_lamp_register(
    path: str | Path,
    *,
    crs: pyproj.CRS | str,
    source_crs: str | None = None,
    id_col: str | None = None,
    status_col: str | None = None,
    lat_col: str | None = None,
    lon_col: str | None = None,
    x_col: str | None = None,
    y_col: str | None = None,
) -> gpd.GeoDataFrame:
    """Read a municipality's lamp register (CSV with coordinates, or a point GeoPackage/Shapefile/GeoJSON).

    Parameters
    ----------
    path
        The register file.
    crs
        Metric CRS to return the lamps in (the study's CRS).
    source_crs
        CRS of projected ``x``/``y`` columns in a CSV, or of a vector file that has none (``EPSG:3006``).
        Without it a CSV is read by latitude/longitude columns.
    id_col, status_col, lat_col, lon_col, x_col, y_col
        Column names; detected when left out (``lamp_id``/``id``/``stolpnummer``, ``status``/``skick``,
        ``lat``/``lon``, ``x``/``y``).

    Returns
    -------
    lamps
        ``lamp_id``, ``status`` (ok, part_night, broken), ``source`` (``register``), ``source_file``,
        ``source_row`` (spreadsheet row for CSV, 1-based feature number otherwise), Point geometry.

    Raises
    ------
    InputError
        Naming the file, row and field of every unusable position or unknown status (the first 20 and the
        count), or when no coordinates are found.
    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError("file not found", path=name)
    suffix = "".join(path.suffixes[-2:]).lower() if path.suffix.lower() == ".gz" else path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv", ".csv.gz"):
        from geo.io.tabular import read_csv_raw

        raw, rows, _, _ = read_csv_raw(path)
        cols = list(raw.columns)
        projected = source_crs is not None and not (lat_col or lon_col)
        if projected:
            xc = _pick(cols, _X_COLUMNS, x_col, path=name, what="x")
            yc = _pick(cols, _Y_COLUMNS, y_col, path=name, what="y")
            if xc is None or yc is None:
                raise InputError(
                    f"no x/y columns found (have {cols}); name them with --lamps-x-col/--lamps-y-col",
                    path=name,
                )
            c1, c2, geo_crs = xc, yc, source_crs
        else:
            latc = _pick(cols, _LAT_COLUMNS, lat_col, path=name, what="latitude")
            lonc = _pick(cols, _LON_COLUMNS, lon_col, path=name, what="longitude")
            if latc is None or lonc is None:
                raise InputError(
                    f"no latitude/longitude columns found (have {cols}); for projected x/y give the CRS "
                    "(--lamps-crs EPSG:3006)",
                    path=name,
                )
            c1, c2, geo_crs = lonc, latc, "EPSG:4326"

        def num(col: str) -> pd.Series:
            text = raw[col].astype("string").str.strip().str.replace(",", ".", regex=False)
            return pd.to_numeric(text, errors="coerce")

        a, b = num(c1), num(c2)
        bad = a.isna() | b.isna() | ~np.isfinite(a.fillna(0)) | ~np.isfinite(b.fillna(0))
        if geo_crs == "EPSG:4326":
            bad |= (a.abs() > 180) | (b.abs() > 90)
        if bad.any():
            idx = np.flatnonzero(bad.to_numpy())
            first = ", ".join(f"row {rows[i]}: '{raw[c2].iloc[i]}', '{raw[c1].iloc[i]}'" for i in idx[:20])
            raise InputError(
                f"{idx.size} lamp(s) without a usable position ({first})",
                path=name,
                row=int(rows[idx[0]]),
                field=c2 if b.isna().iloc[idx[0]] else c1,
            )
        geometry = gpd.GeoSeries(shapely.points(a.to_numpy(), b.to_numpy()), crs=geo_crs)
        table = raw
    elif suffix in (".gpkg", ".shp", ".geojson", ".json", ".fgb", ".gml", ".kml"):
        try:
            frame = gpd.read_file(path, engine="pyogrio")
        except Exception as err:  # noqa: BLE001 - any driver failure is the user's file problem
            raise InputError(f"cannot read: {err}", path=name) from err
        rows = np.arange(1, len(frame) + 1)
        if frame.crs is None:
            if source_crs is None:
                raise InputError("the file has no CRS; give it with --lamps-crs (e.g. EPSG:3006)", path=name)
            frame = frame.set_crs(source_crs)
        geoms = frame.geometry
        multi = geoms.geom_type == "MultiPoint"
        if multi.any():
            single = shapely.get_num_geometries(geoms[multi].to_numpy()) == 1
            geoms = geoms.copy()
            geoms.loc[multi[multi].index[single]] = shapely.get_geometry(geoms[multi].to_numpy()[single], 0)
        bad = geoms.isna() | geoms.is_empty | (geoms.geom_type != "Point")
        if bad.any():
            idx = np.flatnonzero(bad.to_numpy())
            kinds = geoms.geom_type.iloc[idx[:5]].fillna("missing").tolist()
            raise InputError(
                f"{idx.size} feature(s) are not single points (rows {list(rows[idx[:20]])}, "
                f"types {kinds}); a lamp register holds one point per lamp",
                path=name,
                row=int(rows[idx[0]]),
                field="geometry",
            )
        geometry = gpd.GeoSeries(geoms.to_numpy(), crs=frame.crs)
        table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        cols = list(table.columns)
    else:
        raise InputError(
            f"unknown lamp file type '{suffix}'; use CSV, GeoPackage, Shapefile, GeoJSON or an OSM PBF",
            path=name,
        )
    idc = _pick(cols, _ID_COLUMNS, id_col, path=name, what="lamp id")
    stc = _pick(cols, _STATUS_COLUMNS, status_col, path=name, what="status")
    ids = (
        table[idc].astype("string").fillna("").to_numpy()
        if idc
        else np.array([""] * len(table), dtype=object)
    )
    ids = np.array(
        [str(i) if str(i).strip() else f"{path.name}:{r}" for i, r in zip(ids, rows, strict=True)],
        dtype=object,
    )
    status = (
        _statuses(table[stc].reset_index(drop=True), rows, path=name, column=stc)
        if stc
        else np.full(len(table), "ok", dtype=object)
    )
    out = gpd.GeoDataFrame(
        {
            "lamp_id": pd.array(ids, dtype="string"),
            "status": pd.array(status, dtype="string"),
            "source": pd.array(["register"] * len(table), dtype="string"),
            "source_file": pd.array([name] * len(table), dtype="string"),
            "source_row": pd.array(rows, dtype="Int64"),
        },
        geometry=geometry.reset_index(drop=True),
    ).to_crs(crs)
    return out


def _osm_lamps(lamps: gpd.GeoDataFrame, *, name: str) -> gpd.GeoDataFrame:
    status = []
    for tags in lamps.get("tags", pd.Series([None] * len(lamps))):
        t = json.loads(tags) if isinstance(tags, str) else {}
        op = _fold(t.get("operational_status", t.get("lamp_operational_status", "")))
        status.append("broken" if op in ("broken", "out_of_order", "not_working") else "ok")
    return gpd.GeoDataFrame(
        {
            "lamp_id": pd.array([f"osm:n{i}" for i in lamps["osm_id"]], dtype="string"),
            "status": pd.array(status, dtype="string"),
            "source": pd.array(["osm"] * len(lamps), dtype="string"),
            "source_file": pd.array([name] * len(lamps), dtype="string"),
            "source_row": pd.array(np.arange(1, len(lamps) + 1), dtype="Int64"),
        },
        geometry=lamps.geometry.reset_index(drop=True),
        crs=lamps.crs,
    )


def _osm_ways(ways: gpd.GeoDataFrame, *, name: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "way_id": pd.array([f"osm:w{i}" for i in ways["osm_id"]], dtype="string"),
            "highway": pd.array(ways["highway"], dtype="string"),
            "name": pd.array(ways["name"], dtype="string"),
            "lit": pd.array(ways["lit"], dtype="string"),
            "truncated": ways["truncated"].astype(bool).to_numpy(),
            "source_file": pd.array([name] * len(ways), dtype="string"),
        },
        geometry=ways.geometry.reset_index(drop=True),
        crs=ways.crs,
    )


def read_way_file(
    path: str | Path, *, crs: pyproj.CRS | str, source_crs: str | None = None
) -> gpd.GeoDataFrame:
    """Read ways from a line file (GeoPackage, Shapefile, GeoJSON) with ``highway``, ``lit``, ``name``.

    Parameters
    ----------
    path
        The file.
    crs
        Metric CRS to return the ways in.
    source_crs
        The file's CRS when it states none.

    Returns
    -------
    ways
        ``way_id``, ``highway`` (``footway`` when the file has no such column: every line is taken as
        walkable), ``name``, ``lit``, ``truncated`` (False), ``source_file``, LineString geometry.

    Raises
    ------
    InputError
        If the file cannot be read, has no CRS, or holds features that are not lines (named by row).
    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError("file not found", path=name)
    try:
        frame = gpd.read_file(path, engine="pyogrio")
    except Exception as err:  # noqa: BLE001
        raise InputError(f"cannot read: {err}", path=name) from err
    if frame.crs is None:
        if source_crs is None:
            raise InputError("the file has no CRS; give it with --lamps-crs (e.g. EPSG:3006)", path=name)
        frame = frame.set_crs(source_crs)
    kinds = frame.geom_type
    bad = frame.geometry.isna() | frame.geometry.is_empty | ~kinds.isin(["LineString", "MultiLineString"])
    if bad.any():
        idx = np.flatnonzero(bad.to_numpy())
        raise InputError(
            f"{idx.size} feature(s) are not lines (rows {list(idx[:20] + 1)})",
            path=name,
            row=int(idx[0] + 1),
            field="geometry",
        )
    cols = list(frame.columns)
    hw = _pick(cols, ("highway", "vägtyp", "vagtyp", "typ", "type", "kind"), None, path=name, what="highway")
    lit = _pick(cols, ("lit", "belyst", "belysning", "lighting"), None, path=name, what="lit")
    nm = _pick(cols, ("name", "namn", "gatunamn", "street"), None, path=name, what="name")
    idc = _pick(cols, ("way_id", "segment_id", "osm_id", "id", "fid"), None, path=name, what="id")
    frame = frame.explode(index_parts=False).reset_index(drop=False)
    rows = frame["index"].to_numpy() + 1
    lit_values = frame[lit] if lit else pd.Series([None] * len(frame))
    if lit is not None and lit_values.dtype == bool:
        lit_values = lit_values.map({True: "yes", False: "no"})
    return gpd.GeoDataFrame(
        {
            "way_id": pd.array(
                [
                    f"{path.name}:{frame[idc].iloc[i]}" if idc else f"{path.name}:{r}"
                    for i, r in enumerate(rows)
                ],
                dtype="string",
            ),
            "highway": pd.array(frame[hw] if hw else ["footway"] * len(frame), dtype="string"),
            "name": pd.array(frame[nm] if nm else [None] * len(frame), dtype="string"),
            "lit": pd.array(
                [
                    None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
                    for v in lit_values
                ],
                dtype="string",
            ),
            "truncated": np.zeros(len(frame), dtype=bool),
            "source_file": pd.array([name] * len(frame), dtype="string"),
        },
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    ).to_crs(crs)


def read_lighting_sources(
    lamps_path: str | Path,
    ways_path: str | Path | None = None,
    *,
    crs: pyproj.CRS | str,
    lamps_crs: str | None = None,
    status_col: str | None = None,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    """Read lamps and ways for :func:`build_lighting`.

    Parameters
    ----------
    lamps_path
        A lamp register (CSV/GPKG/SHP/GeoJSON) or an OSM PBF (its ``highway=street_lamp`` nodes).
    ways_path
        Ways: an OSM PBF or a line file. When ``None`` and `lamps_path` is a PBF, the ways come from it.
    crs
        The study's metric CRS.
    lamps_crs
        CRS of a register's projected coordinates (or of a file without one).
    status_col
        The register's status column (detected when ``None``).

    Returns
    -------
    lamps, ways, rejects
        Lamps and ways in `crs`, and the OSM reader's table of unusable ways and tags
        (``file,row,field,reason,status,value``).

    Raises
    ------
    InputError
        If no ways can be had (a register without ``--ways``) or a file cannot be read.
    """
    from geo.io.osm import read_osm
    from geo.io.rejects import REJECT_COLUMNS

    lamps_path = Path(lamps_path)
    rejects: list[pd.DataFrame] = []
    osm_cache: dict[Path, object] = {}

    def osm(p: Path):  # noqa: ANN202 - OsmLayers
        if p not in osm_cache:
            layers = read_osm(p, crs=crs)
            osm_cache[p] = layers
            if len(layers.rejects):
                rejects.append(layers.rejects)
        return osm_cache[p]

    is_pbf = lamps_path.name.lower().endswith(_PBF_SUFFIXES)
    if ways_path is None:
        if not is_pbf:
            raise InputError(
                "a lamp register holds no ways; give the walkable ways with --ways (an OSM PBF or a "
                "line file)",
                path=str(lamps_path),
            )
        ways_path = lamps_path
    if is_pbf:
        lamps = _osm_lamps(osm(lamps_path).lamps, name=str(lamps_path))  # type: ignore[attr-defined]
    else:
        lamps = read_lamp_register(lamps_path, crs=crs, source_crs=lamps_crs, status_col=status_col)
    ways_path = Path(ways_path)
    if ways_path.name.lower().endswith(_PBF_SUFFIXES):
        ways = _osm_ways(osm(ways_path).ways, name=str(ways_path))  # type: ignore[attr-defined]
    else:
        ways = read_way_file(ways_path, crs=crs, source_crs=lamps_crs)
    frames = [r for r in rejects if len(r)]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=REJECT_COLUMNS)
    return lamps, ways, table


# ------------------------------------------------------------------------------------------------ the layer


@dataclass
class LightingLayer:
    """Lit coverage, walkable ways and dark stretches, all in one metric CRS.

    Attributes
    ----------
    lamps
        ``lamp_id``, ``status`` (ok, part_night, broken), ``source`` (register, osm), ``lights``
        (False for broken lamps), Point geometry.
    ways
        Walkable ways: ``way_id``, ``highway``, ``name``, ``street``, ``lit`` (tag), ``lit_class`` (lit,
        limited, unlit, unknown), ``length_m``, ``covered_m`` (metres inside lit coverage), ``truncated``.
    coverage
        One row: the lit coverage (lamp discs ∪ lit-way bands) with ``area_m2``, ``n_lamps`` (lamps that
        light), ``n_lit_ways``, ``radius_m``, ``lit_way_buffer_m``.
    unlit_ways
        The walkable ways tagged unlit (``lit=no``/``disused``), with ``length_m``.
    dark_stretches
        Parts of walkable ways outside the coverage, merged along each street and cut to at most
        ``max_stretch_m``: ``stretch_id``, ``street``, ``highway``, ``lit``, ``way_ids`` (JSON list),
        ``length_m``, LineString geometry.
    radius_m, lit_way_buffer_m
        The parameters used (metres).
    gaps
        Dark pieces shorter than ``min_stretch_m`` left out of `dark_stretches`: ``pieces`` and ``length_m``;
        and ``overlap_m``, dark metres where ways lie on top of each other (counted once in the stretches).
    """

    lamps: gpd.GeoDataFrame
    ways: gpd.GeoDataFrame
    coverage: gpd.GeoDataFrame
    unlit_ways: gpd.GeoDataFrame
    dark_stretches: gpd.GeoDataFrame
    radius_m: float
    lit_way_buffer_m: float
    gaps: dict[str, float] = field(default_factory=dict)

    @property
    def crs(self) -> pyproj.CRS:
        """The layer's metric CRS."""
        return self.ways.crs

    @property
    def coverage_geometry(self) -> shapely.Geometry:
        """The lit coverage as one (multi)polygon."""
        return self.coverage.geometry.iloc[0]

    def summary(self) -> dict[str, float]:
        """Key figures: lamps by status, coverage area, walkable/lit/unlit/dark lengths in metres."""
        st = self.lamps["status"].value_counts()
        walk = float(self.ways["length_m"].sum())
        return {
            "lamps": len(self.lamps),
            "lamps_ok": int(st.get("ok", 0)),
            "lamps_part_night": int(st.get("part_night", 0)),
            "lamps_broken": int(st.get("broken", 0)),
            "coverage_area_m2": float(self.coverage["area_m2"].iloc[0]),
            "walkable_m": walk,
            "walkable_lit_m": float(self.ways["covered_m"].sum()),
            "walkable_tagged_lit_m": float(
                self.ways.loc[self.ways["lit_class"].isin(["lit", "limited"]), "length_m"].sum()
            ),
            "unlit_tagged_m": float(self.unlit_ways["length_m"].sum()),
            "unknown_tag_m": float(self.ways.loc[self.ways["lit_class"] == "unknown", "length_m"].sum()),
            "dark_m": float(self.dark_stretches["length_m"].sum()),
            "dark_stretches": len(self.dark_stretches),
            "gap_pieces": self.gaps.get("pieces", 0),
            "gap_m": self.gaps.get("length_m", 0.0),
            "overlap_m": self.gaps.get("overlap_m", 0.0),
        }


def _split_long(lines: np.ndarray, max_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Cut lines longer than `max_m` into equal parts; return the parts and the index of their source line."""
    out: list[shapely.Geometry] = []
    src: list[int] = []
    lengths = shapely.length(lines)
    for i, (g, length) in enumerate(zip(lines, lengths, strict=True)):
        n = max(1, math.ceil(length / max_m - 1e-9)) if math.isfinite(max_m) and max_m > 0 else 1
        if n == 1:
            out.append(g)
            src.append(i)
            continue
        step = length / n
        for k in range(n):
            out.append(substring(g, k * step, (k + 1) * step))
            src.append(i)
    return np.array(out, dtype=object), np.array(src, dtype=int)


def _outside(lines: np.ndarray, pieces: np.ndarray) -> np.ndarray:
    """Each line minus the union of the lit pieces (discs, bands) that touch it.

    Working from the small pieces instead of the dissolved coverage keeps each difference local: in a
    well-lit town the dissolved coverage is one polygon with thousands of holes, and subtracting it from every
    way would copy it thousands of times.
    """
    result = lines.copy()
    if len(pieces) == 0 or len(lines) == 0:
        return result
    tree = shapely.STRtree(pieces)
    li, pi = tree.query(lines, predicate="intersects")
    if li.size == 0:
        return result
    order = np.argsort(li, kind="stable")
    li, pi = li[order], pi[order]
    uniq, start = np.unique(li, return_index=True)
    stop = np.append(start[1:], li.size) if start.size else start
    local = np.array(
        [shapely.union_all(pieces[pi[a:b]]) for a, b in zip(start, stop, strict=True)], dtype=object
    )
    result[uniq] = shapely.difference(lines[uniq], local)
    return result


def _cut(bands: np.ndarray, holes: np.ndarray) -> np.ndarray:
    """Each band minus the holes (broken lamps' discs) that touch it."""
    if len(holes) == 0 or len(bands) == 0:
        return bands
    out = bands.copy()
    tree = shapely.STRtree(holes)
    bi, hi = tree.query(bands, predicate="intersects")
    for b in np.unique(bi):
        out[b] = shapely.difference(bands[b], shapely.union_all(holes[hi[bi == b]]))
    return out


def build_lighting(
    lamps: gpd.GeoDataFrame,
    ways: gpd.GeoDataFrame,
    *,
    radius_m: float = DEFAULT_RADIUS_M,
    lit_way_buffer_m: float = DEFAULT_LIT_WAY_BUFFER_M,
    walkable: Sequence[str] = WALKABLE_HIGHWAYS,
    min_stretch_m: float = 10.0,
    max_stretch_m: float = 200.0,
) -> LightingLayer:
    """Build lit coverage, unlit walkable ways and dark stretches.

    Parameters
    ----------
    lamps
        Lamp points with ``lamp_id`` and ``status`` (as from :func:`read_lighting_sources`), metric CRS.
    ways
        Ways with ``way_id``, ``highway``, ``name``, ``lit`` (the OSM tag, may be missing), same CRS.
    radius_m
        Effective lit radius of a lamp in metres (> 0). Broken lamps light nothing; part-night lamps count
        as lighting (they are flagged as quick fixes in :mod:`geo.plan.lighting`).
    lit_way_buffer_m
        Half-width in metres of the band lit by a way tagged lit (>= 0; 0 ignores the ``lit`` tags).
    walkable
        ``highway`` values of walkable ways (default :data:`WALKABLE_HIGHWAYS`).
    min_stretch_m
        Dark pieces shorter than this (metres) are gaps between light discs, not dark stretches; they are
        counted in ``LightingLayer.gaps``.
    max_stretch_m
        Longer dark stretches are cut into equal parts no longer than this (metres), so that each is a
        place one can point at.

    Returns
    -------
    layer
        The :class:`LightingLayer`.

    Raises
    ------
    ValueError
        If a parameter is out of range or the frames are not in one metric CRS.
    """
    if not radius_m > 0:
        raise ValueError(f"radius_m must be > 0 metres, got {radius_m}")
    if not lit_way_buffer_m >= 0:
        raise ValueError(f"lit_way_buffer_m must be >= 0 metres, got {lit_way_buffer_m}")
    if not (min_stretch_m >= 0 and max_stretch_m > 0):
        raise ValueError(
            f"min_stretch_m must be >= 0 and max_stretch_m > 0, got {min_stretch_m}, {max_stretch_m}"
        )
    require_metric_crs(ways, what="ways")
    crs = ways.crs
    if len(lamps):
        require_metric_crs(lamps, what="lamps")
        if lamps.crs != crs:
            raise ValueError(f"lamps are in {lamps.crs} but ways in {crs}; reproject one (to_crs)")
    lamps = (
        lamps.copy()
        if len(lamps)
        else gpd.GeoDataFrame(
            {
                "lamp_id": pd.Series(dtype="string"),
                "status": pd.Series(dtype="string"),
                "source": pd.Series(dtype="string"),
            },
            geometry=gpd.GeoSeries([], crs=crs),
        )
    )
    lamps = lamps.set_crs(crs, allow_override=True)
    lamps["lights"] = (lamps["status"].astype("string") != "broken").to_numpy(dtype=bool)

    lines = ways.explode(index_parts=False).reset_index(drop=True) if len(ways) else ways.copy()
    lines = lines[lines.geometry.notna() & ~lines.geometry.is_empty].reset_index(drop=True)
    lit_class = (
        np.array([classify_lit(v) for v in lines["lit"]], dtype=object)
        if len(lines)
        else np.array([], dtype=object)
    )
    lit_geoms = lines.geometry.to_numpy()[np.isin(lit_class, ["lit", "limited"])]

    lights = lamps["lights"].to_numpy(dtype=bool)
    lamp_geoms = lamps.geometry.to_numpy()
    discs = np.asarray(shapely.buffer(lamp_geoms[lights], radius_m, quad_segs=8), dtype=object)
    bands = (
        np.asarray(shapely.buffer(lit_geoms, lit_way_buffer_m, quad_segs=4), dtype=object)
        if lit_way_buffer_m > 0
        else np.array([], dtype=object)
    )
    # a lit=yes tag describes the street in normal operation; where the register says the lamps are broken,
    # that part of the street is dark until they are repaired
    holes = np.asarray(shapely.buffer(lamp_geoms[~lights], radius_m, quad_segs=8), dtype=object)
    bands = _cut(bands, holes)
    pieces = np.concatenate([discs, bands])
    pieces = pieces[~shapely.is_empty(pieces)] if len(pieces) else pieces
    union = shapely.union_all(pieces) if len(pieces) else shapely.Polygon()
    union = shapely.make_valid(union) if not shapely.is_valid(union) else union
    coverage = gpd.GeoDataFrame(
        {
            "area_m2": [float(shapely.area(union))],
            "n_lamps": [int(lamps["lights"].sum())],
            "n_lit_ways": [int(len(lit_geoms))],
            "radius_m": [float(radius_m)],
            "lit_way_buffer_m": [float(lit_way_buffer_m)],
        },
        geometry=[union if not union.is_empty else shapely.MultiPolygon()],
        crs=crs,
    )

    walk_mask = lines["highway"].astype("string").isin(list(walkable)).fillna(False).to_numpy(dtype=bool)
    walk = lines[walk_mask].reset_index(drop=True)
    walk["lit_class"] = lit_class[walk_mask]
    wgeoms = walk.geometry.to_numpy()
    outside = _outside(wgeoms, pieces)
    walk["length_m"] = shapely.length(wgeoms)
    walk["covered_m"] = np.clip(walk["length_m"].to_numpy() - shapely.length(outside), 0, None)
    walk["street"] = [street_label(n, h) for n, h in zip(walk["name"], walk["highway"], strict=True)]
    keep_cols = [
        "way_id",
        "highway",
        "name",
        "street",
        "lit",
        "lit_class",
        "length_m",
        "covered_m",
        "truncated",
    ]
    for c in keep_cols:
        if c not in walk.columns:
            walk[c] = False if c == "truncated" else pd.NA
    walk = gpd.GeoDataFrame(walk[keep_cols], geometry=wgeoms, crs=crs)
    unlit = walk[walk["lit_class"] == "unlit"].reset_index(drop=True)

    dark, gaps = _dark_stretches(walk, outside, min_stretch_m=min_stretch_m, max_stretch_m=max_stretch_m)
    return LightingLayer(
        lamps=gpd.GeoDataFrame(lamps, geometry=lamps.geometry.name, crs=crs),
        ways=walk,
        coverage=coverage,
        unlit_ways=unlit,
        dark_stretches=dark,
        radius_m=float(radius_m),
        lit_way_buffer_m=float(lit_way_buffer_m),
        gaps=gaps,
    )


def _dark_stretches(
    walk: gpd.GeoDataFrame, outside: np.ndarray, *, min_stretch_m: float, max_stretch_m: float
) -> tuple[gpd.GeoDataFrame, dict[str, float]]:
    crs = walk.crs
    cols = ["stretch_id", "street", "highway", "lit", "way_ids", "length_m"]
    empty = gpd.GeoDataFrame(
        {c: pd.Series(dtype="float64" if c == "length_m" else "string") for c in cols},
        geometry=gpd.GeoSeries([], crs=crs),
    )
    if len(walk) == 0:
        return empty, {"pieces": 0, "length_m": 0.0}
    parts, owner = shapely.get_parts(outside, return_index=True)
    # LineStrings; points from tangencies and empty remainders are dropped
    lines_mask = (shapely.get_type_id(parts) == 1) & ~shapely.is_empty(parts)
    parts, owner = parts[lines_mask], owner[lines_mask]
    if parts.size == 0:
        return empty, {"pieces": 0, "length_m": 0.0}
    names = walk["name"].astype("string").fillna("").str.strip().to_numpy()
    keys = names[owner]
    merged: list[shapely.Geometry] = []
    for key in pd.unique(keys):
        sel = parts[keys == key]
        m = shapely.line_merge(shapely.union_all(sel)) if len(sel) > 1 else sel[0]
        merged.extend(shapely.get_parts(m))
    merged_arr = np.array(merged, dtype=object)
    cut, _ = _split_long(merged_arr, max_stretch_m)
    lengths = shapely.length(cut)
    small = lengths < min_stretch_m
    overlap = max(0.0, float(shapely.length(parts).sum() - shapely.length(merged_arr).sum()))
    gaps = {"pieces": int(small.sum()), "length_m": float(lengths[small].sum()), "overlap_m": overlap}
    cut, lengths = cut[~small], lengths[~small]
    if cut.size == 0:
        return empty, gaps
    # attributes from the way pieces each stretch lies on: the piece under its midpoint names it
    tree = shapely.STRtree(parts)
    mids = shapely.line_interpolate_point(cut, 0.5, normalized=True)
    near_s, near_p = tree.query_nearest(mids, return_distance=False, all_matches=False)
    main = np.full(cut.size, -1)
    main[near_s] = near_p
    si, pi = tree.query(cut, predicate="intersects")
    band = shapely.buffer(cut, 0.05, cap_style="flat")
    along = shapely.length(shapely.intersection(parts[pi], band[si])) > 0.5
    si, pi = si[along], pi[along]
    way_of_piece = walk["way_id"].astype("string").to_numpy()[owner]
    ids_by_stretch: dict[int, set[str]] = {}
    for s, p in zip(si, pi, strict=True):
        ids_by_stretch.setdefault(int(s), set()).add(str(way_of_piece[p]))
    street = walk["street"].astype("string").to_numpy()
    highway = walk["highway"].astype("string").to_numpy()
    lit = walk["lit"].astype("string").to_numpy()
    rows = []
    for s in range(cut.size):
        w = owner[main[s]]
        rows.append(
            {
                "street": str(street[w]),
                "highway": str(highway[w]) if not pd.isna(highway[w]) else "",
                "lit": None if pd.isna(lit[w]) else str(lit[w]),
                "way_ids": json.dumps(
                    sorted(ids_by_stretch.get(s, {str(way_of_piece[main[s]])})), ensure_ascii=False
                ),
            }
        )
    table = pd.DataFrame(rows)
    table["length_m"] = lengths
    # stable ids: ordered by position (west to east, south to north) so reruns give the same ids
    order = np.lexsort((np.round(shapely.get_y(mids), 1), np.round(shapely.get_x(mids), 1)))
    table = table.iloc[order].reset_index(drop=True)
    table.insert(0, "stretch_id", [f"DS-{i + 1:04d}" for i in range(len(table))])
    dark = gpd.GeoDataFrame(table, geometry=cut[order], crs=crs)
    dark["street"] = dark["street"].astype("string")
    return dark, gaps
