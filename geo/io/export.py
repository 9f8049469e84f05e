"""Writing outputs atomically: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pyproj

from geo.io.spreadsheet import spreadsheet_safe_frame

__all__ = [
    "CSV_ENCODING",
    "SQL_KEYWORDS",
    "atomic_path",
    "from_gpkg_names",
    "gpkg_names",
    "label_tables",
    "package_crs",
    "write_csv",
    "write_frame",
    "write_text",
]

CSV_ENCODING = "utf-8-sig"
"""CSV tables are UTF-8 with a byte-order mark: Excel (also a Swedish one) then reads å, ä, ö right, and
pandas, R and Python's ``csv`` with ``encoding="utf-8-sig"`` read the same columns (pandas drops the mark)."""


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success rename it to `path`, on failure remove it.

    An interrupted run never leaves half a file under the final name.

    Parameters
    ----------
    path
        The final file.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{final.stem}.", suffix=f".tmp{final.suffix}", dir=final.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        yield tmp
        if tmp.exists():
            os.replace(tmp, final)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as CSV (:data:`CSV_ENCODING`, comma-separated) atomically and return the path.

    Text cells a spreadsheet would read as a formula get a leading ``'`` (:mod:`geo.io.spreadsheet`).
    """
    with atomic_path(path) as tmp:
        spreadsheet_safe_frame(frame).to_csv(tmp, index=False, encoding=CSV_ENCODING)
    return Path(path)


def write_text(text: str, path: str | Path) -> Path:
    """Write text (HTML, TOML, ...) as UTF-8 atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


SQL_KEYWORDS: frozenset[str] = frozenset(
    """abort action add after all alter always analyze and as asc attach autoincrement before begin between by
    cascade case cast check collate column commit conflict constraint create cross current current_date
    current_time current_timestamp database default deferrable deferred delete desc detach distinct do drop
    each else end escape except exclude exclusive exists explain fail filter first following for foreign from
    full generated glob group groups having if ignore immediate in index indexed initially inner insert
    instead intersect into is isnull join key last left like limit match materialized natural no not nothing
    notnull null nulls of offset on or order others outer over partition plan pragma preceding primary query
    raise range recursive references regexp reindex release rename replace restrict returning right rollback
    row rows savepoint select set table temp temporary then ties to transaction trigger unbounded union unique
    update using vacuum values view virtual when where window with without""".split()
)
"""SQLite's keywords: a GeoPackage column never carries one of these names (QGIS and SQL need no quoting)."""

GPKG_NAMES: dict[str, str] = {"order": "visit_order"}
"""Column renames in GeoPackages, beside the rule for ``start``/``end`` and the ``<name>_value`` fallback."""


def gpkg_names(columns: Iterable[str], *, dates: Iterable[str] = ()) -> dict[str, str]:
    """Return the renames that keep SQL keywords out of a GeoPackage's column names.

    ``order`` becomes ``visit_order``; ``end`` (and ``start`` beside it) become ``start_date``/``end_date``
    for dates (`dates`), else ``start_time``/``end_time``; any other keyword ``k`` becomes ``k_value``.
    """
    cols, dates = list(columns), set(dates)
    out: dict[str, str] = {}
    for c in cols:
        low = c.lower()
        if low in GPKG_NAMES:
            out[c] = GPKG_NAMES[low]
        elif low in {"start", "end"} and "end" in {x.lower() for x in cols}:
            out[c] = f"{c}_date" if c in dates else f"{c}_time"
        elif low in SQL_KEYWORDS:
            out[c] = f"{c}_value"
    return out


def from_gpkg_names(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`gpkg_names` on a layer read (``visit_order`` -> ``order``, ``end_time`` -> ``end``)."""
    back = {v: k for k, v in GPKG_NAMES.items()}
    back |= {f"{c}_{u}": c for c in ("start", "end") for u in ("date", "time")}
    back = {k: v for k, v in back.items() if k in frame.columns and v not in frame.columns}
    return frame.rename(columns=back) if back else frame


def _is_dates(values: pd.Series) -> bool:
    """Tell whether an object column holds calendar dates (``datetime.date`` or ``YYYY-MM-DD`` text)."""
    sample = values.dropna().head(20)
    if not len(sample):
        return False
    text = sample.astype(str)
    return bool(text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all())


def _geo_ready(frame: gpd.GeoDataFrame, *, gpkg: bool = False) -> gpd.GeoDataFrame:
    """Make columns storable in GeoPackage/GeoJSON.

    GeoJSON has no time type: timezone-aware times become ISO 8601 text with their offset. A GeoPackage
    gets real ``DateTime`` fields, in UTC as its standard requires (QGIS shows them in local time), and
    no SQL keyword as a column name (:func:`gpkg_names`).
    """
    out = frame.copy()
    out.attrs = {}
    for c in out.columns:
        if isinstance(out[c].dtype, pd.DatetimeTZDtype):
            if gpkg:
                out[c] = out[c].dt.tz_convert("UTC")
            else:
                out[c] = out[c].map(lambda t: t.isoformat() if pd.notna(t) else None).astype("string")
        elif out[c].dtype == object and c != out.geometry.name:
            out[c] = out[c].astype("string")
    if gpkg:
        geo_name = out.geometry.name
        dates = [c for c in out.columns if c != geo_name and out[c].dtype == "string" and _is_dates(out[c])]
        out = out.rename(columns=gpkg_names([c for c in out.columns if c != geo_name], dates=dates))
    return out


def package_crs(path: str | Path) -> pyproj.CRS | None:
    """Return the CRS of a GeoPackage's spatial layers (``None`` for a new or table-only package)."""
    if not Path(path).exists():
        return None
    for name, geometry_type in pyogrio.list_layers(path):
        if geometry_type is None:
            continue
        crs = pyogrio.read_info(path, layer=name).get("crs")
        if crs:
            return pyproj.CRS(crs)
    return None


def _metric_crs(frame: gpd.GeoDataFrame) -> pyproj.CRS:
    """Return the frame's CRS when metric, else the metric CRS :func:`geo.crs.choose_crs` picks for it."""
    from geo.crs import choose_crs

    if frame.crs is not None and frame.crs.is_projected:
        return pyproj.CRS(frame.crs)
    wgs = frame.to_crs("EPSG:4326").geometry
    centres = wgs[~wgs.is_empty & wgs.notna()].representative_point()
    if not len(centres):
        return pyproj.CRS("EPSG:3006")
    return choose_crs(centres.x.to_numpy(), centres.y.to_numpy())[0]


def _geometry_of(frame: pd.DataFrame) -> gpd.GeoSeries | None:
    """Return the frame's active geometry, ``None`` for a plain table."""
    if not isinstance(frame, gpd.GeoDataFrame):
        return None
    try:
        return frame.geometry
    except AttributeError:  # a GeoDataFrame without an active geometry column
        return None


def _write_gpkg_layer(frame: gpd.GeoDataFrame, path: Path, *, layer: str) -> None:
    """Write one layer into a GeoPackage in the package's one metric CRS; a table without geometry as such.

    The first spatial layer fixes the package's CRS (its own when metric, else the metric CRS of its place);
    every later layer is reprojected to it, so a package never mixes CRSs.
    """
    geometry = _geometry_of(frame)
    if geometry is None or (len(geometry) and bool(geometry.isna().all())):
        table = pd.DataFrame(frame.drop(columns=[geometry.name]) if geometry is not None else frame)
        ready = _geo_ready(gpd.GeoDataFrame(table, geometry=[None] * len(table)), gpkg=True)
        pyogrio.write_dataframe(
            pd.DataFrame(ready.drop(columns="geometry")), path, layer=layer, driver="GPKG"
        )
        return
    target = package_crs(path) or _metric_crs(frame)
    if frame.crs is not None and not pyproj.CRS(frame.crs).equals(target):
        frame = frame.to_crs(target)
    _geo_ready(frame, gpkg=True).to_file(path, layer=layer, driver="GPKG", engine="pyogrio")


def write_frame(frame: gpd.GeoDataFrame, path: str | Path, *, layer: str | None = None) -> Path:
    """Write a GeoDataFrame atomically by suffix.

    ``.parquet`` keeps every dtype (GeoParquet). ``.gpkg`` holds one metric CRS for all its layers (the
    first spatial layer's, see :func:`_write_gpkg_layer`), times as ``DateTime`` fields (UTC) and no SQL
    keyword as a column name. ``.geojson`` is written in WGS84 as its standard requires, times as ISO 8601
    text with their offset, and carries the file's own name.

    Parameters
    ----------
    frame
        The data.
    path
        Output file; ``.parquet``, ``.gpkg``, ``.geojson``/``.json`` or ``.csv`` (WGS84 lat/lon columns).
    layer
        Layer name for GeoPackage (default: the file's stem). Writing a layer into an existing GeoPackage
        replaces that layer and keeps the others.
    """
    final = Path(path)
    suffix = final.suffix.lower()
    if suffix == ".gpkg" and layer is not None and final.exists():
        # add or replace one layer of an existing package: copy, write, rename
        import shutil

        with atomic_path(final) as tmp:
            shutil.copyfile(final, tmp)
            _write_gpkg_layer(frame, tmp, layer=layer)
        return final
    with atomic_path(final) as tmp:
        if suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        elif suffix == ".gpkg":
            _write_gpkg_layer(frame, tmp, layer=layer or final.stem)
        elif suffix in {".geojson", ".json"}:
            _geo_ready(frame.to_crs("EPSG:4326") if frame.crs else frame).to_file(
                tmp, driver="GeoJSON", engine="pyogrio", layer=final.stem
            )
        elif suffix == ".csv":
            wgs = frame.to_crs("EPSG:4326") if frame.crs else frame
            table = pd.DataFrame(wgs.drop(columns=wgs.geometry.name))
            table["lat"] = wgs.geometry.y.round(6)
            table["lon"] = wgs.geometry.x.round(6)
            spreadsheet_safe_frame(table).to_csv(tmp, index=False, encoding=CSV_ENCODING)
        else:
            raise ValueError(
                f"unknown output format '{final.suffix}' for {final}; use .parquet, .gpkg, .geojson or .csv"
            )
    return final


def label_tables(paths: Iterable[Path], *, column: str, value: str) -> None:
    """Give every CSV among `paths` a column `column` holding `value` (rewritten atomically).

    Used to mark every table of a demo run "syntetiska demodata"; a table that has the column is left alone.
    """
    for path in paths:
        if path.suffix.lower() != ".csv" or not path.exists():
            continue
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        if column not in table.columns:
            table[column] = value
            write_csv(table, path)
