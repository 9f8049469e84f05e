"""The export split by area, chunk by chunk: the client's memory is a chunk and an area, not the export.

:func:`split_export` reads the config's sources in chunks (:class:`geo.io.export_chunks.ExportChunks`), gives
each chunk's reports their area (:class:`geo.region.assign.AreaIndex`), appends each area's rows to its own
GeoParquet partition and the reports in no chosen area to ``outside.csv`` (:mod:`geo.io.partitions`), and
counts. The partitions, counts and rejection table are those of one read of the whole export.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.config import RunConfig
from geo.region.assign import AreaIndex

__all__ = ["Split", "split_export"]


@dataclass
class Split:
    """What the split gave.

    Attributes
    ----------
    parts
        Area code -> (its reports' partition, its polygon).
    counts
        Reports per chosen area.
    rows_read, reports
        Rows read from all sources, reports accepted.
    elsewhere, nowhere
        Reports in an area not chosen, and in no area at all.
    rejects
        The rejection table (``file,row,field,reason,status,value``).
    outside
        The CSV of the reports outside (in `folder`, to move into place), or ``None``.
    crs, tz
        The reports' metric CRS and local zone.
    chunks
        Chunks read.
    """

    parts: dict[str, tuple[Path, Path]]
    counts: dict[str, int]
    rows_read: int
    reports: int
    elsewhere: int
    nowhere: int
    rejects: pd.DataFrame
    outside: Path | None
    crs: object
    tz: str
    chunks: int = 0


def split_export(
    config: RunConfig,
    chosen: gpd.GeoDataFrame,
    every: gpd.GeoDataFrame,
    folder: Path,
    *,
    chunk_rows: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Split:
    """Read the config's sources in chunks and write each chosen area's reports as its own partition.

    Parameters
    ----------
    config
        Its sources are the export; ``[run] crs`` the metric CRS (chosen from the data when not given).
    chosen, every
        The areas of the run and every known area.
    folder
        Where the partitions go (a temporary folder).
    chunk_rows
        Most rows read at a time (default :data:`geo.io.export_chunks.CHUNK_ROWS`).
    progress
        Called with the rows read so far after each chunk.
    """
    from geo.io.csv_chunks import NotStreamable

    whole: frozenset[str] = frozenset()
    while True:
        try:
            return _split(
                config, chosen, every, folder, chunk_rows=chunk_rows, whole=whole, progress=progress
            )
        except NotStreamable as err:  # read that file whole, from the start (rare: a ragged CSV)
            shutil.rmtree(folder / "parts", ignore_errors=True)
            whole |= {err.path}


def _split(
    config: RunConfig,
    chosen: gpd.GeoDataFrame,
    every: gpd.GeoDataFrame,
    folder: Path,
    *,
    chunk_rows: int | None,
    whole: frozenset[str],
    progress: Callable[[int], None] | None,
) -> Split:
    from geo.io.export_chunks import CHUNK_ROWS, ExportChunks
    from geo.io.partitions import OutsideWriter, PartitionWriter

    reader = ExportChunks(
        [(s.path, s.reader_options(tz=config.run.tz)) for s in config.sources],
        crs=config.run.crs,
        chunk_rows=chunk_rows or CHUNK_ROWS,
        whole=whole,
    )
    writer = PartitionWriter(chosen, folder)
    outside = OutsideWriter(folder / "outside.csv")
    index: AreaIndex | None = None
    counts: Counter[str] = Counter()
    places: Counter[str] = Counter()
    n_reports = n_chunks = 0
    for reports in reader.chunks():
        n_chunks += 1
        if index is None:
            index = AreaIndex(chosen, every, reports.crs)
        labels, where = index.assign(reports.geometry)
        writer.add(reports, labels)
        away = where != "chosen"
        if away.any():
            outside.add(reports[away], where[away])
        counts.update(pd.Series(labels[~away], dtype="object").value_counts().to_dict())
        places.update(pd.Series(where, dtype="object").value_counts().to_dict())
        n_reports += len(reports)
        if progress is not None:
            progress(reader.n_read)
    crs = reader.crs or "EPSG:3006"
    tz = reader.tz or "UTC"
    return Split(
        parts=writer.finish(crs=crs, tz=tz),
        counts=dict(counts),
        rows_read=reader.n_read,
        reports=n_reports,
        elsewhere=places["elsewhere"],
        nowhere=places["nowhere"],
        rejects=reader.rejects,
        outside=outside.path if outside.rows else None,
        crs=crs,
        tz=tz,
        chunks=n_chunks,
    )
