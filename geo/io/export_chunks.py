"""One export for many areas, read in chunks of rows: memory bounded by a chunk, not by the export.

:class:`ExportChunks` reads the config's sources in turn and yields validated report frames of at most
``chunk_rows`` rows, with the same readers and rules as ``geo run`` (:func:`geo.io.reports.read_reports` and
:func:`geo.io.merge.merge_results`): column mapping, time parsing, bounds, every rejected row in the
rejection table with its own row number. A chunked read gives the same reports and rejection table as one
read of the whole export:

- an id repeated in a later chunk of the same file is rejected naming the row of its first use, and an id
  another source already gave is rejected naming that source (the ids are remembered, not the rows);
- the metric CRS and the local zone chosen from the first chunk's positions (when the config gives none) are
  used for all the others, as the first source's are for the others;

What is read in chunks: a CSV source (also ``.csv.gz``) with an id column, which the streaming parser reads as
the whole-file reader does (:mod:`geo.io.csv_chunks`). Any other source is read whole, as ``geo run`` reads
it: GeoJSON, GeoPackage, GeoParquet, Police events, PostGIS, an address file to geocode, a CSV with blank
lines or repeated header names, and a CSV without ids (its possible-duplicate check compares every row with
every other). One difference remains for a very large CSV (over ``chunk_rows`` rows): the test that repairs a
swapped latitude/longitude far from the other reports measures "far" from the chunk's median position, not
the whole file's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj

from geo.io.columns import detect_columns
from geo.io.csv_chunks import CsvScan, NotStreamable, iter_csv_chunks, scan_csv
from geo.io.mapping import to_reports
from geo.io.merge import ReadResult, merge_frames
from geo.io.options import ReaderOptions
from geo.io.reports import read_reports
from geo.io.sources import CSV_SUFFIXES
from geo.io.values import SeenIds
from geo.model import Reports
from geo.rejects import REJECT_COLUMNS

__all__ = ["CHUNK_ROWS", "ExportChunks"]

CHUNK_ROWS = 100_000
"""Rows read at a time by default (about 500 MiB of working memory while a chunk is mapped and split)."""


@dataclass
class ExportChunks:
    """The sources of one export, read chunk by chunk (:meth:`chunks`), and the account of every row.

    Attributes
    ----------
    sources
        ``(path, reader options)`` per source, as ``[[sources]]`` in the config gives them.
    crs
        Metric CRS (``[run] crs``); chosen from the first chunk's positions when ``None``.
    chunk_rows
        Most rows in one chunk.
    rows_read
        Rows read per source, so far.
    rejects
        The rejection table (``file,row,field,reason,status,value``), sorted by file and row, once
        :meth:`chunks` has run.
    tz
        The local zone of the reports (the first source's).
    whole
        Sources to read whole (a CSV the streaming parser failed on: :class:`NotStreamable` was raised).
    """

    sources: Sequence[tuple[str, ReaderOptions]]
    crs: pyproj.CRS | str | None = None
    chunk_rows: int = CHUNK_ROWS
    rows_read: dict[str, int] = field(default_factory=dict)
    rejects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))
    tz: str = ""
    whole: frozenset[str] = frozenset()
    _logs: list[pd.DataFrame] = field(default_factory=list)
    _other: SeenIds = field(default_factory=SeenIds)

    @property
    def n_read(self) -> int:
        """Rows read over all sources."""
        return sum(self.rows_read.values())

    def chunks(self) -> Iterator[Reports]:
        """Yield the accepted reports chunk by chunk (validated, one CRS and zone); fill the account."""
        now = pd.Timestamp.now(tz="UTC")
        for src, options in self.sources:
            mine = SeenIds()  # this source's ids, to give to the ids of the next sources
            for read in self._source(src, options, now):
                if self.crs is None:
                    self.crs = read.crs
                self.tz = self.tz or read.tz
                self.rows_read[src] = self.rows_read.get(src, 0) + read.n_read
                reports, table = merge_frames(
                    [read.reports], [read.rejects], crs=pyproj.CRS(self.crs), tz=self.tz
                )
                self._logs.append(table)
                reports = self._other_sources(reports)
                mine.add(reports["report_id"], np.full(len(reports), src, dtype=object))
                yield reports
            self._other.extend(mine)
        logs = [t for t in self._logs if len(t)]
        self.rejects = (
            pd.concat(logs, ignore_index=True)[REJECT_COLUMNS]
            .sort_values(["file", "row"], kind="stable")
            .reset_index(drop=True)
            if logs
            else pd.DataFrame(columns=REJECT_COLUMNS)
        )

    def _other_sources(self, reports: Reports) -> Reports:
        """Reject the reports whose id an earlier source gave (as :func:`geo.io.merge.merge_frames` does)."""
        if not len(self._other) or not len(reports):
            return reports
        earlier = self._other.first(reports["report_id"])
        dup = earlier.notna().to_numpy()
        if not dup.any():
            return reports
        d = reports[dup]
        self._logs.append(
            pd.DataFrame(
                {
                    "file": d["source_file"].to_numpy(),
                    "row": d["source_row"].to_numpy(),
                    "field": "report_id",
                    "reason": [f"repeated id (already read from {f})" for f in earlier[dup]],
                    "status": "rejected",
                    "value": d["report_id"].astype(str).to_numpy(),
                }
            )
        )
        return Reports(reports[~dup].reset_index(drop=True))

    def _source(self, src: str, options: ReaderOptions, now: pd.Timestamp) -> Iterator[ReadResult]:
        """Yield one source's reads: chunk by chunk when it can be, else the whole source once."""
        path = Path(src)
        suffix = path.suffix.lower()
        scan = None
        if suffix in CSV_SUFFIXES and path.is_file() and not options.address_col:
            scan = scan_csv(path, encoding=options.encoding, sep=options.sep)
        streamable = scan is not None and scan.streamable and src not in self.whole
        if scan is None or not streamable or not detect_columns(list(scan.names), options).get("id"):
            yield read_reports([src], options, crs=self.crs, now=now)
            return
        try:
            yield from self._csv_chunks(src, path, scan, options, now)
        except NotStreamable as err:  # named as the config names it, to be read whole next time
            raise NotStreamable(src) from err

    def _csv_chunks(
        self, src: str, path: Path, scan: CsvScan, options: ReaderOptions, now: pd.Timestamp
    ) -> Iterator[ReadResult]:
        seen = SeenIds()
        tz = options.tz
        for raw, rows in iter_csv_chunks(path, scan, chunk_rows=self.chunk_rows):
            mapped = to_reports(
                raw,
                file=src,
                rows=rows,
                options=options,
                crs=self.crs,
                tz=tz,
                now=now,
                default_source=path.name.split(".")[0],
                seen_ids=seen,
            )
            tz = mapped.tz
            if self.crs is None:
                self.crs = mapped.crs
            read = ReadResult(reports=mapped.reports, rejects=mapped.rejects, crs=mapped.crs, tz=mapped.tz)
            read.rows_read[src] = len(raw)
            yield read
