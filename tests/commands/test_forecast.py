"""`geo forecast` and `geo backtest` run as a user runs them, on the real Toronto data.

Also: each command writes exactly what the stage and its writer give for the same settings.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo.forecast import METHODS, forecast_cells
from geo.io import read_reports
from geo.io.manifest import read_manifest
from geo.io.outputs.forecast import write_backtest, write_forecast_cells, write_forecast_points
from geo.io.points import read_points
from geo.stages.backtest import BacktestSettings, backtest_stage
from geo.stages.forecast import ForecastSettings, forecast_stage
from tests._helpers import GEO, run_geo
from tests.forecast.conftest import write_downtown_csv

TORONTO = str(Path(__file__).resolve().parents[2] / "data" / "toronto_mci_2014_2017.csv.gz")


run = run_geo


@pytest.fixture(scope="module")
def toronto_small_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real Toronto rows of 2015-2016 within about 2 km of downtown, as the original CSV columns."""
    return write_downtown_csv(tmp_path_factory.mktemp("toronto"))


def forecast(reports: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``geo forecast REPORTS --as-of 2016-06-06 *args`` in a fresh process."""
    return run("forecast", str(reports), "--as-of", "2016-06-06", *args, cwd=cwd)


def test_backtest_short_run_writes_the_contract(tmp_path: Path) -> None:
    out = tmp_path / "bt"
    proc = run(
        "backtest",
        TORONTO,
        "--start",
        "2016-03-07",
        "--weeks",
        "3",
        "--methods",
        "sepp,blend",
        "--out",
        str(out),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary.columns[:6]) == [
        "method",
        "coverage_pct",
        "mean_pai",
        "median_pai",
        "mean_hit_rate",
        "mean_pei",
    ]
    # the baselines are always included, one row per method and coverage
    assert set(summary["method"]) == {"count_28", "count_365", "count_all", "kde", "sepp", "blend"}
    assert sorted(summary["coverage_pct"].unique()) == [1.0, 5.0, 10.0]
    assert len(summary) == 6 * 3
    weeks = pd.read_csv(out / "weeks.csv")
    assert {"week_start", "method", "coverage_pct", "pai", "hit_rate", "pei", "mean_pai"} <= set(
        weeks.columns
    )
    assert sorted(weeks["week_start"].unique()) == ["2016-03-07", "2016-03-14", "2016-03-21"]
    # summary is the mean of the weeks
    w = weeks[(weeks["method"] == "count_365") & (weeks["coverage_pct"] == 5.0)]["pai"].mean()
    s = summary[(summary["method"] == "count_365") & (summary["coverage_pct"] == 5.0)]["mean_pai"].iloc[0]
    assert s == pytest.approx(w)
    assert ((summary["mean_hit_rate"] > 0) & (summary["mean_hit_rate"] <= 1)).all()
    assert ((summary["mean_pei"] > 0) & (summary["mean_pei"] <= 1)).all()
    recommended = (out / "recommended.txt").read_text().strip()
    assert recommended in summary["method"].tolist()
    at5 = summary[summary["coverage_pct"] == 5.0].set_index("method")["mean_pai"]
    assert at5[recommended] >= at5["count_365"]
    assert recommended in proc.stdout
    png = (out / "pai.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_forecast_cells(tmp_path: Path, toronto_small_csv: Path) -> None:
    out = tmp_path / "risk.csv"
    args = ["--cell", "150", "--method", "count_365", "--out", str(out)]
    proc = forecast(toronto_small_csv, *args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "count_365" in proc.stdout
    risk = pd.read_csv(out)
    assert list(risk.columns[:4]) == ["cell_id", "x", "y", "risk"]
    assert risk["cell_id"].is_unique
    # the count method's risk is the number of reports in the cell in the 365 days before the moment,
    # counted here straight from the CSV rows (the reports file also holds later rows, which must not count)
    raw = pd.read_csv(toronto_small_csv)
    import pyproj

    x, y = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32617", always_xy=True).transform(
        raw["lon"], raw["lat"]
    )
    when = pd.to_datetime(raw["occurred_at"])
    exists = when.dt.tz_localize(
        "America/Toronto", nonexistent="NaT", ambiguous=True
    ).notna()  # else rejected
    recent = ((when < "2016-06-06") & (when >= "2015-06-07") & exists).to_numpy()
    assert (when >= "2016-06-06").sum() > 1000
    key = pd.Series(np.floor(x / 150).astype(int).astype(str), dtype=str)
    ids = "c" + key + "_" + pd.Series(np.floor(y / 150).astype(int).astype(str))
    expected = ids[recent].value_counts()
    got = risk.set_index("cell_id")["risk"]
    assert got[got > 0].sort_index().to_dict() == pytest.approx(expected.astype(float).sort_index().to_dict())


def test_forecast_default_method_is_named(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "COLUMNS": "300"}
    proc = subprocess.run([*GEO, "forecast", "--help"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert proc.returncode == 0
    from geo.forecast import DEFAULT_METHOD

    assert DEFAULT_METHOD in METHODS
    text = " ".join(proc.stdout.replace("│", " ").split())
    assert f"Default method: {DEFAULT_METHOD}" in text
    assert f"Default: {DEFAULT_METHOD}" in text


def test_forecast_at_points_keeps_rows_and_columns(tmp_path: Path, toronto_small_csv: Path) -> None:
    pts = tmp_path / "points.csv"
    pts.write_text(
        "name,lat,lon,note\n"
        "Yonge-Dundas,43.65614,-79.38063,busy\n"
        "Lake,43.60000,-79.40000,\n"
        'Bay St,43.65431877,-79.38316368,"quoted, comma"\n',
        encoding="utf-8",
    )
    out = tmp_path / "risk.csv"
    proc = forecast(toronto_small_csv, "--at", str(pts), "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(got.columns) == ["name", "lat", "lon", "note", "risk"]
    assert got["name"].tolist() == ["Yonge-Dundas", "Lake", "Bay St"]
    assert got["note"].tolist() == ["busy", "", "quoted, comma"]
    risk = got["risk"].astype(float)
    assert risk[0] > risk[1] and risk[2] > risk[1]  # downtown above a point in the lake
    # --at equals the cell forecast of the cell each point falls in
    reports = read_reports([toronto_small_csv], now=pd.Timestamp("2026-01-01", tz="UTC")).reports
    cells = forecast_cells(reports, as_of="2016-06-06").set_index("cell_id")
    import pyproj

    tr = pyproj.Transformer.from_crs("EPSG:4326", reports.crs, always_xy=True)
    x, y = tr.transform(-79.38063, 43.65614)
    cid = f"c{int(np.floor(x / 150))}_{int(np.floor(y / 150))}"
    assert risk[0] == pytest.approx(cells.loc[cid, "risk"], rel=1e-5)


def test_forecast_at_xy_in_given_crs(tmp_path: Path, toronto_small_csv: Path) -> None:
    pts = tmp_path / "xy.csv"
    pts.write_text("id;x;y\n1;630379.5;4834750.0\n2;600000;4800000\n", encoding="utf-8")
    out = tmp_path / "risk.csv"
    args = ["--method", "count_365", "--at", str(pts), "--at-crs", "EPSG:32617", "--out", str(out)]
    proc = forecast(toronto_small_csv, *args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    got = pd.read_csv(out)
    assert got["id"].tolist() == [1, 2]
    assert got["risk"].iloc[0] > 0 and got["risk"].iloc[1] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2016-06-06", "--out", "r.csv"], "exactly one of --cell"),
        (
            ["--as-of", "2016-06-06", "--cell", "150", "--at", "p.csv", "--out", "r.csv"],
            "exactly one of --cell",
        ),
        (["--as-of", "2016-06-06", "--cell", "150", "--method", "magic", "--out", "r.csv"], "magic"),
        (["--as-of", "06/32/2016", "--cell", "150", "--out", "r.csv"], "--as-of"),
        (["--as-of", "2010-01-01", "--cell", "150", "--out", "r.csv"], "inga punktrapporter före"),
    ],
)
def test_forecast_bad_arguments(
    tmp_path: Path, toronto_small_csv: Path, args: list[str], message: str
) -> None:
    proc = run("forecast", str(toronto_small_csv), *args, cwd=tmp_path)
    assert proc.returncode != 0
    assert message in proc.stderr
    assert not (tmp_path / "r.csv").exists()


def test_forecast_bad_point_row_is_named(tmp_path: Path, toronto_small_csv: Path) -> None:
    pts = tmp_path / "p.csv"
    pts.write_text("lat,lon\n43.65,-79.38\n43.66,east\n", encoding="utf-8")
    proc = forecast(toronto_small_csv, "--at", str(pts), "--out", "r.csv", cwd=tmp_path)
    assert proc.returncode != 0
    assert "p.csv" in proc.stderr and "row 3" in proc.stderr and "'lon'" in proc.stderr
    assert not (tmp_path / "r.csv").exists()


def test_backtest_bad_method(tmp_path: Path, toronto_small_csv: Path) -> None:
    proc = run(
        "backtest",
        str(toronto_small_csv),
        "--start",
        "2016-01-04",
        "--weeks",
        "1",
        "--methods",
        "count_365,nope",
        "--out",
        "bt",
        cwd=tmp_path,
    )
    assert proc.returncode != 0 and "nope" in proc.stderr
    assert not (tmp_path / "bt" / "summary.csv").exists()


def test_forecast_command_equals_stage_and_writer(
    tmp_path: Path, toronto_small_csv: Path, geo_inproc: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    out = tmp_path / "command.csv"
    args = ["--as-of", "2016-06-06", "--cell", "200", "--method", "count_365", "--horizon-days", "14"]
    proc = geo_inproc("forecast", str(toronto_small_csv), *args, "--history-days", "300", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    reports = read_reports([toronto_small_csv]).reports
    settings = ForecastSettings(method="count_365", cell_m=200, horizon_days=14, history_days=300)
    result = forecast_stage(reports, settings, as_of="2016-06-06")
    write_forecast_cells(result, tmp_path / "stage.csv")
    assert (tmp_path / "stage.csv").read_bytes() == out.read_bytes()
    assert not (tmp_path / "run.json").exists()  # a file, not a folder: no manifest beside a user's file


def test_forecast_at_command_equals_stage_and_writer(
    tmp_path: Path, toronto_small_csv: Path, geo_inproc: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    pts = tmp_path / "points.csv"
    pts.write_text("name,lat,lon\nA,43.65614,-79.38063\nB,43.60000,-79.40000\n", encoding="utf-8")
    out = tmp_path / "command.csv"
    args = ["--as-of", "2016-06-06", "--at", str(pts), "--grid-m", "120", "--method", "kde"]
    proc = geo_inproc("forecast", str(toronto_small_csv), *args, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    reports = read_reports([toronto_small_csv]).reports
    table, x, y = read_points(pts, crs=None, target_crs=reports.crs)
    settings = ForecastSettings(method="kde", cell_m=120)
    result = forecast_stage(reports, settings, as_of="2016-06-06", at=(x, y))
    write_forecast_points(result, table, tmp_path / "stage.csv")
    assert (tmp_path / "stage.csv").read_bytes() == out.read_bytes()


def test_backtest_command_equals_stage_and_writer(
    tmp_path: Path, toronto_small_csv: Path, geo_inproc: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    out = tmp_path / "command"
    args = ["--start", "2016-03-07", "--weeks", "2", "--methods", "count_28", "--cell", "200"]
    proc = geo_inproc("backtest", str(toronto_small_csv), *args, "--active-days", "180", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    reports = read_reports([toronto_small_csv]).reports
    settings = BacktestSettings(methods=["count_28"], cell_m=200, active_days=180)
    result = backtest_stage(reports, settings, start="2016-03-07", weeks=2)
    files = write_backtest(result, tmp_path / "stage")
    timing = ["seconds", "seconds_per_week"]  # wall-clock time differs between runs
    for name in ("summary.csv", "weeks.csv"):
        a = pd.read_csv(out / name)
        b = pd.read_csv(tmp_path / "stage" / name)
        pd.testing.assert_frame_equal(
            a.drop(columns=timing, errors="ignore"), b.drop(columns=timing, errors="ignore")
        )
    assert (out / "recommended.txt").read_text() == (tmp_path / "stage" / "recommended.txt").read_text()
    manifest = read_manifest(out)
    assert manifest.kinds == [f.kind for f in files] == ["summary", "weeks", "pai", "recommended"]
    assert manifest.settings["backtest"] == settings.model_dump(mode="json")
    assert manifest.info["backtest"] == {"start": "2016-03-07", "weeks": 2}
