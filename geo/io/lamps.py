"""Readers of street lamps: a municipality's lamp register, OpenStreetMap lamps, and lamps + ways together.

Sources a municipality has:

* its own **lamp register** (CSV, GeoPackage, Shapefile, GeoJSON of lamp points), optionally with a status
  column: ``ok``, ``broken`` or ``part_night`` (Swedish values too: ``trasig``, ``ur funktion``, ``släckt``,
  ``halvnatt``, ``halvnattsbelysning``, ``fungerar``, ...), read by :func:`read_lamp_register`;
* **OpenStreetMap**: ``highway=street_lamp`` nodes (:func:`osm_lamps`) and ways tagged ``lit=*``
  (:func:`geo.io.ways.osm_ways`), read from a PBF with :func:`geo.io.osm.read_osm`.

:func:`read_lighting_sources` reads lamps and ways for the lighting stage in one call.

CRS rule: a CSV register's ``lat``/``lon`` columns are WGS84 degrees; projected ``x``/``y`` columns are read
in ``source_crs`` (required for them). A vector file's CRS is read from the file; a file without one is an
error naming the file unless ``source_crs`` is given. Lamps always come back reprojected to the ``crs``
asked for.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from geo.errors import InputError
from geo.io._columns import fold, pick_column
from geo.io._register import register_points
from geo.io.ways import osm_ways, read_way_file

__all__ = [
    "LAMP_STATUSES",
    "normalise_status",
    "osm_lamps",
    "read_lamp_register",
    "read_lighting_sources",
]

LAMP_STATUSES: tuple[str, ...] = ("ok", "part_night", "broken")
"""Normalised lamp statuses: working all night, switched off part of the night, not working."""

_STATUS_WORDS: dict[str, str] = {
    **dict.fromkeys(
        "ok|fungerar|fungerande|hel|i drift|drift|normal|tänd|tand|working|on|lit|active|aktiv|in service|"
        "helnatt|helnattsbelysning|all night|all_night".split("|"),
        "ok",
    ),
    **dict.fromkeys(
        "broken|trasig|trasigt|ur funktion|ur drift|ej fungerande|fungerar ej|fungerar inte|släckt|slackt|"
        "defekt|fel|fault|faulty|failed|out|off|not working|out of order|dead|kaputt".split("|"),
        "broken",
    ),
    **dict.fromkeys(
        "part_night|part-night|part night|partnight|halvnatt|halvnattsbelysning|halvnattslampa|"
        "halvnattsdrift|nattsläckt|nattslackt|nattsläckning|nattslackning|dimmed|dimmad|nedsläckt natt".split(
            "|"
        ),
        "part_night",
    ),
}
"""Register status words (folded) -> normalised status."""

_ID_COLUMNS = (
    "lamp_id lampid id armatur_id armaturid belysningspunkt stolpnummer stolpe ref nummer nr fid".split()
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
_PBF_SUFFIXES = (".pbf", ".osm")


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
    text = fold(value).replace("_", " ") if fold(value) not in _STATUS_WORDS else fold(value)
    if text in ("", "nan", "<na>", "none"):
        return "ok"
    if text in _STATUS_WORDS:
        return _STATUS_WORDS[text]
    if text.replace(" ", "_") in _STATUS_WORDS:
        return _STATUS_WORDS[text.replace(" ", "_")]
    return None


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

    CRS rule: CSV ``lat``/``lon`` are WGS84; CSV ``x``/``y`` are in `source_crs` (given: read by x/y); a
    vector file's own CRS, or `source_crs` when it states none (else an error naming the file). The lamps are
    returned in `crs`.

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
    columns = {"lat": lat_col, "lon": lon_col, "x": x_col, "y": y_col}
    table, rows, geometry = register_points(path, source_crs=source_crs, columns=columns)
    cols = list(table.columns)
    idc = pick_column(cols, _ID_COLUMNS, id_col, path=name, what="lamp id")
    stc = pick_column(cols, _STATUS_COLUMNS, status_col, path=name, what="status")
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
    return gpd.GeoDataFrame(
        {
            "lamp_id": pd.array(ids, dtype="string"),
            "status": pd.array(status, dtype="string"),
            "source": pd.array(["register"] * len(table), dtype="string"),
            "source_file": pd.array([name] * len(table), dtype="string"),
            "source_row": pd.array(rows, dtype="Int64"),
        },
        geometry=geometry.reset_index(drop=True),
    ).to_crs(crs)


def osm_lamps(lamps: gpd.GeoDataFrame, *, name: str) -> gpd.GeoDataFrame:
    """Put the street lamps of :func:`geo.io.osm.read_osm` into the shape of :func:`read_lamp_register`.

    Parameters
    ----------
    lamps
        ``OsmLayers.lamps`` (``osm_id``, ``tags`` as JSON text), in the CRS it was read in (kept).
    name
        The PBF file, recorded in ``source_file``.

    Returns
    -------
    lamps
        ``lamp_id`` (``osm:n<id>``), ``status`` (``broken`` when ``operational_status`` says so, else
        ``ok``), ``source`` (``osm``), ``source_file``, ``source_row``.
    """
    status = []
    for tags in lamps.get("tags", pd.Series([None] * len(lamps))):
        t = json.loads(tags) if isinstance(tags, str) else {}
        op = fold(t.get("operational_status", t.get("lamp_operational_status", "")))
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


def _is_pbf(path: Path) -> bool:
    return path.name.lower().endswith(_PBF_SUFFIXES)


def read_lighting_sources(
    lamps_path: str | Path,
    ways_path: str | Path | None = None,
    *,
    crs: pyproj.CRS | str,
    lamps_crs: str | None = None,
    status_col: str | None = None,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    """Read lamps and ways for the lighting stage (:func:`geo.stages.lighting.lighting_stage`).

    CRS rule: a PBF is WGS84 by definition; a register or line file as in :func:`read_lamp_register` and
    :func:`geo.io.ways.read_way_file` (`lamps_crs` for files without one and for a CSV's x/y). Lamps and ways
    come back in `crs`.

    Parameters
    ----------
    lamps_path
        A lamp register (CSV/GPKG/SHP/GeoJSON) or an OSM PBF (its ``highway=street_lamp`` nodes).
    ways_path
        Ways: an OSM PBF or a line file. When ``None`` and `lamps_path` is a PBF, the ways come from it.
    crs
        The CRS to return lamps and ways in (the study's metric CRS).
    lamps_crs
        CRS of a register's projected coordinates (or of a file without one).
    status_col
        The register's status column (detected when ``None``).

    Returns
    -------
    lamps, ways, rejects
        Lamps and ways in `crs`, and the OSM reader's table of unusable ways and tags
        (``file,row,field,reason,status,value``; empty for files other than PBF). The stage passes the
        rejects on to its result (``LightingResult.rejects``), and the writer writes them.

    Raises
    ------
    InputError
        If no ways can be had (a register without ``--ways``) or a file cannot be read.
    """
    from geo.io.osm import OsmLayers, read_osm
    from geo.rejects import REJECT_COLUMNS

    lamps_path = Path(lamps_path)
    if ways_path is None and not _is_pbf(lamps_path):
        raise InputError(
            "a lamp register holds no ways; give the walkable ways with --ways (an OSM PBF or a line file)",
            path=str(lamps_path),
        )
    ways_path = Path(ways_path) if ways_path is not None else lamps_path
    read: dict[Path, OsmLayers] = {}

    def osm(p: Path) -> OsmLayers:
        if p not in read:
            read[p] = read_osm(p, crs=crs)
        return read[p]

    if _is_pbf(lamps_path):
        lamps = osm_lamps(osm(lamps_path).lamps, name=str(lamps_path))
    else:
        lamps = read_lamp_register(lamps_path, crs=crs, source_crs=lamps_crs, status_col=status_col)
    if _is_pbf(ways_path):
        ways = osm_ways(osm(ways_path).ways, name=str(ways_path))
    else:
        ways = read_way_file(ways_path, crs=crs, source_crs=lamps_crs)
    frames = [layers.rejects for layers in read.values() if len(layers.rejects)]
    rejects = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=REJECT_COLUMNS)
    return lamps, ways, rejects
