"""geo.io.canonical: frames written by geo ingest read back as they are."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.io import read_reports


def test_canonical_file_reads_back(tmp_path: Path, extract_files: dict[str, Path], now: pd.Timestamp) -> None:
    from geo.io.export import write_frame

    first = read_reports([extract_files["csv"]], now=now).reports
    for suffix in (".gpkg", ".parquet"):
        path = write_frame(first, tmp_path / f"canon{suffix}", layer="reports" if suffix == ".gpkg" else None)
        again = read_reports([path], now=now).reports
        assert len(again) == len(first)
        assert (again["occurred_at"] == first["occurred_at"]).all()
        assert list(again["report_id"]) == list(first["report_id"])
