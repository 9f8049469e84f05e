"""One source of reports, read by its kind: CSV, vector file, GeoParquet, Police events JSON or PostGIS.

:func:`read_source` picks the reader by scheme and suffix. Each reader returns a :class:`SourceRead`: either
a raw table mapped to the report model (:func:`geo.io.mapping.to_reports`) or a frame already in the model
(:mod:`geo.io.canonical`), with the rows read and any notes the reader made itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from geo.errors import InputError
from geo.io.area import StudyArea
from geo.io.canonical import from_canonical, is_canonical, keep_in_area
from geo.io.mapping import Mapped, to_reports
from geo.io.moderated import drop_moderated
from geo.io.options import ReaderOptions
from geo.io.polisen import is_polisen_json, read_polisen_raw
from geo.io.tabular import read_csv_raw
from geo.model import Reports
from geo.rejects import REJECT_COLUMNS, RejectLog

__all__ = ["CSV_SUFFIXES", "VECTOR_SUFFIXES", "SourceRead", "read_source"]

VECTOR_SUFFIXES = {".geojson", ".gpkg", ".shp", ".fgb", ".gml", ".kml"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv", ".gz"}
_PARQUET_SUFFIXES = {".parquet", ".geoparquet"}
_URL_SCHEMES = ("postgresql://", "postgres://", "postgis://")
_POLISEN_TZ = "Europe/Stockholm"


@dataclass
class SourceRead:
    """What one source gave.

    Attributes
    ----------
    mapped
        The raw table mapped to the model (``None`` when the source was already canonical).
    canonical
        The frame of a source already in the model (``None`` otherwise).
    n_read
        Rows (features, events) read.
    notes
        Rejections and warnings the reader made before mapping (``file,row,field,reason,status,value``).
    """

    mapped: Mapped | None
    canonical: Reports | None
    n_read: int
    notes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))


@dataclass(frozen=True)
class _Context:
    """What every reader passes on to :func:`to_reports`."""

    options: ReaderOptions
    area: StudyArea | None
    crs: pyproj.CRS | str | None
    tz: str | None
    now: pd.Timestamp

    def canonical(
        self,
        frame: gpd.GeoDataFrame,
        *,
        file: str,
        n_read: int | None = None,
        notes: pd.DataFrame | None = None,
    ) -> SourceRead:
        """Re-validate a frame already in the model and keep what lies in the study area.

        `n_read` and `notes` are the rows read and the rejections made before (moderated rows left out).
        """
        reports, outside = keep_in_area(from_canonical(frame, file=file, crs=self.crs), self.area, file=file)
        parts = [n for n in (notes, outside) if n is not None and len(n)]
        joined = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=REJECT_COLUMNS)
        return SourceRead(None, reports, len(frame) if n_read is None else n_read, joined)

    def map(
        self,
        raw: pd.DataFrame,
        *,
        file: str,
        rows: np.ndarray,
        default_source: str,
        geometry: gpd.GeoSeries | None = None,
        tz: str | None = None,
        preset: dict[str, pd.Series] | None = None,
    ) -> Mapped:
        """Map a raw table with this context (`tz` overrides the context's zone)."""
        return to_reports(
            raw,
            file=file,
            rows=rows,
            options=self.options,
            geometry=geometry,
            area=self.area.geometry if self.area else None,
            area_name=self.area.name if self.area else None,
            crs=self.crs,
            tz=tz if tz is not None else self.tz,
            now=self.now,
            default_source=default_source,
            preset=preset,
        )


def _read_postgis(source: str, ctx: _Context) -> SourceRead:
    from geo.io.postgis import read_postgis_raw

    raw, rows, geometry = read_postgis_raw(source)
    n_read = len(raw)
    keep, notes = drop_moderated(raw, source=source)  # a service store: not rejected or duplicate ones
    raw, rows, geometry = raw[keep].reset_index(drop=True), rows[keep], geometry[keep].reset_index(drop=True)
    if is_canonical(raw):
        frame = gpd.GeoDataFrame(raw, geometry=geometry, crs=geometry.crs)
        return ctx.canonical(frame, file=source, n_read=n_read, notes=notes)
    mapped = ctx.map(raw, file=source, rows=rows, geometry=geometry, default_source="service")
    return SourceRead(mapped, None, n_read, notes)


def _polisen_notes(source: str, notes: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Return the feed reader's notes as a rejection table, and the 0-based numbers of rejected events."""
    log = RejectLog(source)
    for status in ("rejected", "warning"):
        part = notes[notes["status"] == status]
        for (fld, reason), grp in part.groupby(["field", "reason"], sort=True):
            log.add(grp["row"].to_numpy(), field=str(fld), reason=str(reason), status=status)
    rejected = notes.loc[notes["status"] == "rejected", "row"].to_numpy(dtype="int64")
    return log.frame(), rejected - 1


def _read_polisen(path: Path, source: str, ctx: _Context) -> SourceRead:
    tz = ctx.tz or ctx.options.tz or _POLISEN_TZ
    raw, rows, geometry, preset, notes = read_polisen_raw(path, tz=tz)
    table, rejected = _polisen_notes(source, notes)
    keep = np.ones(len(raw), dtype=bool)
    keep[rejected] = False
    preset_k = {k: v.reset_index(drop=True)[keep].reset_index(drop=True) for k, v in preset.items()}
    mapped = ctx.map(
        raw[keep].reset_index(drop=True),
        file=source,
        rows=rows[keep],
        geometry=geometry[keep].reset_index(drop=True),
        tz=tz,
        default_source="polisen_feed",
        preset=preset_k,
    )
    return SourceRead(mapped, None, len(raw), table)


def _read_csv(path: Path, source: str, ctx: _Context) -> SourceRead:
    raw, rows, _, _ = read_csv_raw(path, encoding=ctx.options.encoding, sep=ctx.options.sep)
    mapped = ctx.map(raw, file=source, rows=rows, default_source=path.name.split(".")[0])
    return SourceRead(mapped, None, len(raw))


def _read_vector(path: Path, source: str, ctx: _Context) -> SourceRead:
    try:
        if path.suffix.lower() in _PARQUET_SUFFIXES:
            frame = gpd.read_parquet(path)
        else:
            frame = gpd.read_file(path, engine="pyogrio")
    except Exception as err:  # noqa: BLE001 - any driver failure is the user's file problem
        raise InputError(f"cannot read: {err}", path=source) from err
    n_read = len(frame)
    keep, notes = drop_moderated(frame, source=source)  # a service store: not rejected or duplicate ones
    frame = frame[keep].reset_index(drop=True)
    if is_canonical(frame):
        return ctx.canonical(frame, file=source, n_read=n_read, notes=notes)
    geometry = frame.geometry
    raw = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    if ctx.options.crs and frame.crs is None:
        geometry = geometry.set_crs(ctx.options.crs)
    rows = np.arange(1, n_read + 1, dtype="int64")[keep]
    use_geom = not (ctx.options.lat_col or ctx.options.x_col)
    mapped = ctx.map(
        raw,
        file=source,
        rows=rows,
        geometry=geometry if use_geom else None,
        default_source=path.name.split(".")[0],
    )
    return SourceRead(mapped, None, n_read, notes)


def read_source(
    source: str,
    options: ReaderOptions,
    *,
    area: StudyArea | None,
    crs: pyproj.CRS | str | None,
    tz: str | None,
    now: pd.Timestamp,
) -> SourceRead:
    """Read one source of reports by its kind.

    Parameters
    ----------
    source
        A file, or a ``postgresql://`` URL.
    options
        Reader options.
    area
        Study area; positions outside it are rejected.
    crs, tz
        Metric CRS and local zone to use; chosen from the data when ``None``.
    now
        The present (for rejecting future times).

    Raises
    ------
    InputError
        If the file is missing, unreadable or of an unknown kind.
    """
    ctx = _Context(options, area, crs, tz, now)
    if source.startswith(_URL_SCHEMES):
        return _read_postgis(source, ctx)
    path = Path(source)
    if not path.exists():
        raise InputError("file not found", path=source)
    suffix = path.suffix.lower()
    if is_polisen_json(path):
        return _read_polisen(path, source, ctx)
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, source, ctx)
    if suffix in VECTOR_SUFFIXES or suffix in _PARQUET_SUFFIXES or suffix == ".json":
        return _read_vector(path, source, ctx)
    raise InputError(
        f"unknown file type '{suffix}'; lagesbild reads CSV, GeoJSON, GeoPackage, Shapefile, GeoParquet, "
        "Police events JSON and postgresql:// URLs",
        path=source,
    )
