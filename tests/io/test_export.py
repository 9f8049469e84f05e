"""geo.io.export: written files."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.io import read_reports


def test_geojson_output_is_wgs84(tmp_path: Path, extract_files: dict[str, Path], now: pd.Timestamp) -> None:
    from geo.io.export import write_frame

    reports = read_reports([extract_files["csv"]], now=now).reports
    out = write_frame(reports, tmp_path / "r.geojson")
    back = gpd.read_file(out)
    assert back.crs.to_epsg() == 4326
