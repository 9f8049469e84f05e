"""Writing outputs atomically: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.io.spreadsheet import spreadsheet_safe_frame

__all__ = ["atomic_path", "label_tables", "write_csv", "write_frame", "write_text"]


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
    """Write a table as UTF-8 CSV atomically and return the path (formula-like text escaped).

    Text cells a spreadsheet would read as a formula get a leading ``'`` (:mod:`geo.io.spreadsheet`).
    """
    with atomic_path(path) as tmp:
        spreadsheet_safe_frame(frame).to_csv(tmp, index=False, encoding="utf-8")
    return Path(path)


def write_text(text: str, path: str | Path) -> Path:
    """Write text (HTML, TOML, ...) as UTF-8 atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def _geo_ready(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Make columns storable in GeoPackage/GeoJSON (timezone-aware times as ISO text with offset)."""
    out = frame.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.DatetimeTZDtype):
            out[c] = out[c].map(lambda t: t.isoformat() if pd.notna(t) else None).astype("string")
        elif out[c].dtype == object and c != out.geometry.name:
            out[c] = out[c].astype("string")
    return out


def write_frame(frame: gpd.GeoDataFrame, path: str | Path, *, layer: str | None = None) -> Path:
    """Write a GeoDataFrame atomically by suffix.

    ``.parquet`` keeps every dtype (GeoParquet); ``.gpkg`` and ``.geojson`` store timezone-aware times as
    ISO 8601 text with their offset, so they read back to the same instants. GeoJSON is written in WGS84 as
    its standard requires; the other formats keep the frame's CRS.

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
            _geo_ready(frame).to_file(tmp, layer=layer, driver="GPKG", engine="pyogrio")
        return final
    with atomic_path(final) as tmp:
        if suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        elif suffix == ".gpkg":
            _geo_ready(frame).to_file(tmp, layer=layer or final.stem, driver="GPKG", engine="pyogrio")
        elif suffix in {".geojson", ".json"}:
            _geo_ready(frame.to_crs("EPSG:4326") if frame.crs else frame).to_file(
                tmp, driver="GeoJSON", engine="pyogrio"
            )
        elif suffix == ".csv":
            wgs = frame.to_crs("EPSG:4326") if frame.crs else frame
            table = pd.DataFrame(wgs.drop(columns=wgs.geometry.name))
            table["lat"] = wgs.geometry.y.round(6)
            table["lon"] = wgs.geometry.x.round(6)
            spreadsheet_safe_frame(table).to_csv(tmp, index=False)
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
