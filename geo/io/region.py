"""Files of a many-area run (``geo run CONFIG --county 06``): the areas, the export split, the overview.

- :func:`load_region_areas` reads the municipalities chosen (a county, a list of codes) from
  ``data/swedish_municipalities.geojson``, or the polygons of an areas file, with their population when given;
- :func:`partition_folder` is the temporary folder a task reads its own area's partition from (the export is
  read and split chunk by chunk by :mod:`geo.io.export_chunks` and :mod:`geo.io.partitions`);
- :func:`write_register_parts` splits a measures register by area;
- :func:`write_overview` writes ``overview.csv`` and ``overview.html``.
"""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from geo.errors import InputError
from geo.io.area import MUNICIPALITIES_FILE
from geo.io.export import write_csv, write_frame, write_text

__all__ = [
    "AREA_COLUMNS",
    "area_folder",
    "load_region_areas",
    "partition_folder",
    "read_population",
    "read_register_places",
    "write_register_parts",
    "write_overview",
]

AREA_COLUMNS = ("code", "name", "county", "population", "geometry")
"""The columns of the areas frame: code, name, county code, inhabitants (``NaN`` unknown), WGS84 polygon."""

_WHOLE_COUNTRY = ("all", "alla", "se", "sverige")
"""``--county`` values meaning every municipality of the country."""

_POPULATION_NAMES = ("population", "befolkning", "invanare", "invånare", "folkmangd", "folkmängd")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).casefold().strip()


def _municipalities(path: Path) -> gpd.GeoDataFrame:
    table = gpd.read_file(path).to_crs("EPSG:4326")
    code = table["id"].astype(str).str.zfill(4)
    return gpd.GeoDataFrame(
        {
            "code": code,
            "name": table["kom_namn"].astype(str).map(lambda s: unicodedata.normalize("NFC", s)),
            "county": code.str[:2],
            "population": np.nan,
        },
        geometry=table.geometry.to_numpy(),
        crs="EPSG:4326",
    )


def _areas_file(path: Path) -> gpd.GeoDataFrame:
    """Read the polygons of an areas file: ``code`` (or ``id``), ``name`` (or ``kom_namn``), population."""
    if not path.exists():
        raise InputError("areas file not found", path=str(path))
    frame = gpd.read_parquet(path) if path.suffix.lower() == ".parquet" else gpd.read_file(path)
    frame = frame[frame.geometry.notna() & frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    if frame.empty:
        raise InputError("holds no polygon to use as areas", path=str(path))
    frame = frame.set_crs("EPSG:4326") if frame.crs is None else frame.to_crs("EPSG:4326")
    cols = {_fold(c): c for c in frame.columns}
    code_col = cols.get("code") or cols.get("id") or cols.get("kod")
    name_col = cols.get("name") or cols.get("kom_namn") or cols.get("namn")
    if name_col is None:
        raise InputError("needs a column 'name' (or 'namn', 'kom_namn') naming each area", path=str(path))
    names = frame[name_col].astype(str).map(lambda s: unicodedata.normalize("NFC", s).strip())
    codes = (
        frame[code_col].astype(str).str.strip()
        if code_col is not None
        else pd.Series([f"{i + 1:02d}" for i in range(len(frame))], index=frame.index)
    )
    pop_col = next((cols[p] for p in _POPULATION_NAMES if p in cols), None)
    population = (
        pd.to_numeric(frame[pop_col], errors="coerce")
        if pop_col is not None
        else pd.Series(np.nan, frame.index)
    )
    out = gpd.GeoDataFrame(
        {
            "code": codes.to_numpy(),
            "name": names.to_numpy(),
            "county": "",
            "population": population.to_numpy(),
        },
        geometry=frame.geometry.to_numpy(),
        crs="EPSG:4326",
    )
    for col in ("code", "name"):
        repeated = sorted(set(out[col][out[col].duplicated()]))
        if repeated:
            raise InputError(
                f"areas must have distinct {col}s; repeated: {', '.join(repeated)}", path=str(path)
            )
    return out


def read_population(path: Path) -> pd.Series:
    """Read inhabitants per area code from a CSV (``code`` or ``id``, and ``population``/``befolkning``)."""
    if not path.exists():
        raise InputError("population file not found", path=str(path))
    table = pd.read_csv(path, dtype=str, sep=None, engine="python")
    cols = {_fold(c): c for c in table.columns}
    code_col = cols.get("code") or cols.get("id") or cols.get("kod")
    pop_col = next((cols[p] for p in _POPULATION_NAMES if p in cols), None)
    if code_col is None or pop_col is None:
        raise InputError("needs the columns 'code' and 'population'", path=str(path))
    values = pd.to_numeric(table[pop_col].str.replace(r"\s", "", regex=True), errors="coerce")
    return pd.Series(values.to_numpy(), index=table[code_col].str.strip().str.zfill(4).to_numpy())


def load_region_areas(
    *,
    county: str | None = None,
    codes: list[str] | None = None,
    areas_file: Path | None = None,
    population: Path | None = None,
    municipalities: Path = MUNICIPALITIES_FILE,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Return the areas chosen and every polygon a report can fall in (to tell "elsewhere" from "nowhere").

    Parameters
    ----------
    county
        County code (``"06"``: Jönköpings län): its municipalities, whose codes start with it; ``all`` (or
        ``SE``): all 290 municipalities of the country.
    codes
        Municipality codes (``["0683", "0662"]``).
    areas_file
        Polygons with ``name`` (and ``code``, ``population``), in place of municipalities.
    population
        CSV with inhabitants per code (``code,population``).
    municipalities
        The municipality boundary file.

    Returns
    -------
    chosen, every
        The chosen areas (:data:`AREA_COLUMNS`, sorted by code) and every known area (all 290 municipalities,
        or the areas file's polygons).

    Raises
    ------
    InputError
        If a code or the county is unknown, or the areas file unusable.
    """
    if sum(x is not None for x in (county, codes, areas_file)) != 1:
        raise InputError("give exactly one of --county, --municipalities or --areas")
    if areas_file is not None:
        every = _areas_file(Path(areas_file))
        chosen = every
    else:
        every = _municipalities(municipalities)
        if county is not None and county.strip().casefold() in _WHOLE_COUNTRY:
            chosen = every
        elif county is not None:
            key = county.strip().zfill(2)
            chosen = every[every["county"] == key]
            if chosen.empty:
                known = ", ".join(sorted(set(every["county"])))
                raise InputError(f"unknown county code '{county}' (Swedish county codes: {known})")
        else:
            wanted = [c.strip().zfill(4) for c in codes or [] if c.strip()]
            unknown = sorted(set(wanted) - set(every["code"]))
            if unknown or not wanted:
                raise InputError(f"unknown municipality codes: {', '.join(unknown) or '(none given)'}")
            chosen = every[every["code"].isin(wanted)]
    chosen = chosen.sort_values("code").reset_index(drop=True)
    if population is not None:
        pop = read_population(Path(population))
        chosen["population"] = chosen["code"].map(pop).astype("float64").fillna(chosen["population"])
    return gpd.GeoDataFrame(chosen, geometry="geometry", crs="EPSG:4326"), every


def area_folder(code: str, name: str) -> str:
    """Return an area's folder name, ``<code>-<name>`` (``0683-Värnamo``; path separators replaced)."""
    safe = "".join("_" if ch in '/\\:*?"<>|' else ch for ch in unicodedata.normalize("NFC", name))
    return f"{code}-{safe.strip()}"


@contextmanager
def partition_folder(out: Path) -> Iterator[Path]:
    """Yield a new temporary folder in `out` for the partitions, removed afterwards (also on error)."""
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".partitions-", dir=out)).resolve()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def read_register_places(path: Path, *, crs: pyproj.CRS | str, tz: str) -> gpd.GeoDataFrame:
    """Read a measures register once (checked in full) and return each measure's ``source_row`` and place."""
    from geo.io.measures import read_measures

    measures = read_measures(path, crs=crs, tz=tz)
    return gpd.GeoDataFrame(
        {"source_row": measures["source_row"].to_numpy()}, geometry=measures.geometry.to_numpy(), crs=crs
    )


def write_register_parts(path: Path, rows: dict[str, list[int]], folder: Path) -> dict[str, Path]:
    """Write each area's measures, the register's own rows and columns, as its own register file.

    Parameters
    ----------
    path
        The register (CSV, or a GeoPackage/GeoJSON/Shapefile).
    rows
        Area code -> the ``source_row`` of its measures (spreadsheet rows for CSV, feature numbers else).
    folder
        Where the parts go.

    Returns
    -------
    parts
        Code -> register file (``measures-<code>.csv`` or ``.geojson``); every code gets one, maybe empty.
    """
    from geo.io.measures import _CSV_SUFFIXES
    from geo.io.tabular import read_csv_raw

    out: dict[str, Path] = {}
    if path.name.lower().endswith(_CSV_SUFFIXES):
        raw, numbers, _, _ = read_csv_raw(path)
        number = pd.Series(numbers).astype(int).to_numpy()
        for code, keep in rows.items():
            out[code] = write_csv(raw[np.isin(number, keep)], folder / f"measures-{code}.csv")
        return out
    frame = gpd.read_parquet(path) if path.suffix.lower() == ".parquet" else gpd.read_file(path)
    feature = np.arange(1, len(frame) + 1)
    for code, keep in rows.items():
        out[code] = write_frame(frame[np.isin(feature, keep)], folder / f"measures-{code}.geojson")
    return out


def write_overview(table: pd.DataFrame, page: str, out: Path) -> tuple[Path, Path]:
    """Write ``overview.csv`` (one row an area) and ``overview.html`` into `out`, each atomically."""
    return write_csv(table, out / "overview.csv"), write_text(page, out / "overview.html")
