"""Writers of the forecast and backtest results: file names, columns and layers as the commands promise."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest

from geo.io.outputs.forecast import (
    write_backtest,
    write_forecast,
    write_forecast_cells,
    write_forecast_points,
)
from geo.model import Reports
from geo.stages.backtest import BacktestSettings, backtest_stage
from geo.stages.forecast import TABLE_COLUMNS, ForecastResult, ForecastSettings, forecast_stage
from tests.forecast.conftest import downtown_of


@pytest.fixture(scope="module")
def forecast(toronto: Reports) -> ForecastResult:
    """A 150 m count forecast of downtown Toronto for the week from 2016-06-06, the best 10 cells drawn."""
    reports = downtown_of(toronto)
    x, y = np.array([630_379.5, 600_000.0]), np.array([4_834_750.0, 4_800_000.0])
    return forecast_stage(
        reports, ForecastSettings(method="count_365", top=10), as_of="2016-06-06", at=(x, y)
    )


def test_forecast_csv_and_gpkg(tmp_path: Path, forecast: ForecastResult) -> None:
    files = write_forecast(forecast, tmp_path, demo=True)
    assert [(f.kind, Path(f.path).name, f.layer) for f in files] == [
        ("forecast", "forecast.csv", None),
        ("forecast_gpkg", "forecast.gpkg", None),
        ("forecast_top", "forecast.gpkg", "forecast_top"),
    ]
    table = pd.read_csv(tmp_path / "forecast.csv")
    assert list(table.columns) == [*TABLE_COLUMNS, "data"]
    assert (table["data"] == "syntetiska demodata").all()
    assert len(table) == len(forecast.table) and table["rank"].is_monotonic_increasing
    assert pyogrio.list_layers(tmp_path / "forecast.gpkg")[:, 0].tolist() == ["forecast_top"]
    top = gpd.read_file(tmp_path / "forecast.gpkg", layer="forecast_top")
    assert len(top) == 10 and top.crs == forecast.cells.crs
    assert list(top.columns) == ["cell_id", "x", "y", "risk", "rank", "method", "geometry"]
    write_forecast(forecast, tmp_path / "real")
    assert "data" not in pd.read_csv(tmp_path / "real" / "forecast.csv").columns


def test_command_tables(tmp_path: Path, forecast: ForecastResult) -> None:
    write_forecast_cells(forecast, tmp_path / "risk.csv")
    cells = pd.read_csv(tmp_path / "risk.csv")
    assert list(cells.columns) == ["cell_id", "x", "y", "risk", "rank"]
    points = pd.DataFrame({"name": ["A", "B"], "note": ["quoted, comma", ""]})
    write_forecast_points(forecast, points, tmp_path / "points.csv")
    got = pd.read_csv(tmp_path / "points.csv", dtype=str, keep_default_na=False)
    assert got.columns.tolist() == ["name", "note", "risk"] and got["note"].tolist() == ["quoted, comma", ""]
    assert float(got["risk"].iloc[0]) > 0 and got["risk"].iloc[1] == "0"
    with pytest.raises(ValueError, match="not made at these points"):
        write_forecast_points(forecast, points.head(1), tmp_path / "bad.csv")


def test_backtest_files(tmp_path: Path, toronto: Reports) -> None:
    result = backtest_stage(
        downtown_of(toronto), BacktestSettings(methods=["count_28"]), start="2016-03-07", weeks=2
    )
    files = write_backtest(result, tmp_path / "bt")
    assert [Path(f.path).name for f in files] == ["summary.csv", "weeks.csv", "pai.png", "recommended.txt"]
    weeks = pd.read_csv(tmp_path / "bt" / "weeks.csv")
    assert list(weeks.columns) == [
        *result.weeks.columns,
        "mean_pai",
        "median_pai",
        "mean_hit_rate",
        "mean_pei",
    ]
    assert (weeks["mean_pai"].fillna(-1) == weeks["pai"].fillna(-1)).all()
    assert list(pd.read_csv(tmp_path / "bt" / "summary.csv").columns) == list(result.summary.columns)
    assert (tmp_path / "bt" / "recommended.txt").read_text() == result.recommended + "\n"
    assert (tmp_path / "bt" / "pai.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
