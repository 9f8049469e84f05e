"""The export split by area, chunk by chunk: one GeoParquet partition an area, and the reports outside.

:class:`PartitionWriter` takes each chunk of reports with its areas' codes, appends each area's rows as a part
file, and at the end joins each area's parts into its own partition (``reports-<code>.parquet``, and its
polygon ``area-<code>.geojson``), so that a task reads only its own area and the client never holds more than
one chunk and one area. :class:`OutsideWriter` appends the reports in no chosen area to one CSV.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.io.export import CSV_ENCODING, atomic_path, write_frame
from geo.io.spreadsheet import spreadsheet_safe_frame
from geo.model import Reports

__all__ = ["OutsideWriter", "PartitionWriter", "outside_table", "place_file"]


class PartitionWriter:
    """Write each area's reports, chunk by chunk, into its own partition in `folder`.

    Parameters
    ----------
    areas
        The chosen areas (``code``, ``name``, WGS84 polygon).
    folder
        Where the partitions go (created).
    """

    def __init__(self, areas: gpd.GeoDataFrame, folder: Path) -> None:
        self.areas = areas
        self.folder = folder
        self.parts: dict[str, list[Path]] = {str(c): [] for c in areas["code"]}
        self.empty: Reports | None = None
        self.schemas: list[Reports] = []  # sources with other columns: each area gets them all, as one read
        (folder / "parts").mkdir(parents=True, exist_ok=True)
        self._n = 0

    def add(self, reports: Reports, labels: np.ndarray) -> None:
        """Append a chunk: the reports of each area (`labels`: each report's code, ``None`` for none)."""
        if self.empty is None:
            self.empty = Reports(reports.iloc[:0])
        if list(reports.columns) not in [list(t.columns) for t in self.schemas]:
            self.schemas.append(Reports(reports.iloc[:0]))
        if not len(reports):
            return
        import pyarrow.parquet as pq
        from geopandas.io.arrow import _geopandas_to_arrow

        self._n += 1
        codes = pd.Series(labels, dtype="object").fillna("").to_numpy(dtype=str)
        order = np.argsort(codes, kind="stable")
        names, starts = np.unique(codes[order], return_index=True)
        ends = np.append(starts[1:], len(codes))
        # one conversion a chunk, sorted by area; each area's rows a slice of it (as write_frame writes them)
        table = _geopandas_to_arrow(reports.iloc[order], index=False)
        for code, a, b in zip(names, starts, ends, strict=True):
            if code not in self.parts:
                continue
            path = self.folder / "parts" / f"{code}-{self._n:05d}.parquet"
            pq.write_table(table.slice(int(a), int(b - a)), path, compression="snappy")
            self.parts[code].append(path)

    def finish(self, *, crs: object, tz: str) -> dict[str, tuple[Path, Path]]:
        """Join each area's parts into its partition; write its polygon. Return code -> (reports, area)."""
        from geo.model import empty_reports

        out: dict[str, tuple[Path, Path]] = {}
        for row in self.areas.itertuples(index=False):
            code = str(row.code)
            data = self.folder / f"reports-{code}.parquet"
            files = self.parts[code]
            if len(files) == 1 and len(self.schemas) == 1:
                shutil.move(files[0], data)
            elif files and len(self.schemas) == 1 and _join_tables(files, data):
                pass
            elif files or len(self.schemas) > 1:
                frames = [gpd.read_parquet(f) for f in files]
                heads = self.schemas if len(self.schemas) > 1 else []
                joined = pd.concat([*heads, *frames], ignore_index=True)
                write_frame(gpd.GeoDataFrame(joined, geometry="geometry", crs=crs), data)
                for f in files:
                    f.unlink()
            else:
                write_frame(self.empty if self.empty is not None else empty_reports(crs, tz), data)
            polygon = gpd.GeoDataFrame(
                {"kom_namn": [row.name], "id": [code]}, geometry=[row.geometry], crs="EPSG:4326"
            )
            out[code] = (data, write_frame(polygon, self.folder / f"area-{code}.geojson"))
        return out


def _join_tables(files: list[Path], data: Path) -> bool:
    """Join one area's parts (slices of chunks of one schema) into its partition; False if they differ."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = [pq.read_table(f) for f in files]
    try:
        joined = pa.concat_tables(tables)
    except pa.ArrowInvalid:
        return False
    with atomic_path(data) as tmp:
        pq.write_table(joined, tmp, compression="snappy")
    for f in files:
        f.unlink()
    return True


def outside_table(reports: Reports, where: np.ndarray) -> pd.DataFrame:
    """Return the reports in no chosen area (``where``: ``elsewhere``/``nowhere``), WGS84 lat/lon."""
    wgs = reports.geometry.to_crs("EPSG:4326")
    return pd.DataFrame(
        {
            "report_id": reports["report_id"].astype(str).to_numpy(),
            "source": reports["source"].astype(str).to_numpy(),
            "category": reports["category"].astype(str).to_numpy(),
            "occurred_at": reports["occurred_at"].astype(str).to_numpy(),
            "lat": wgs.y.round(6).to_numpy(),
            "lon": wgs.x.round(6).to_numpy(),
            "where": where,
        }
    )


class OutsideWriter:
    """Append the reports in no chosen area, chunk by chunk, to one CSV (written as ``write_csv`` does)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows = 0

    def add(self, reports: Reports, where: np.ndarray) -> None:
        """Append these reports (all outside), with where they lie."""
        if not len(reports):
            return
        table = spreadsheet_safe_frame(outside_table(reports, where))
        if self.rows == 0:
            table.to_csv(self.path, index=False, encoding=CSV_ENCODING)
        else:
            table.to_csv(self.path, index=False, header=False, mode="a", encoding="utf-8")
        self.rows += len(table)


def place_file(temporary: Path, final: Path) -> Path:
    """Move a file written in the partition folder to its final place (atomically) and return that."""
    with atomic_path(final) as tmp:
        shutil.move(temporary, tmp)
    return final
