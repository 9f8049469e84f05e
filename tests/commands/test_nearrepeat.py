"""`geo nearrepeat` run as a user runs it: the command-line contract (files, columns, bands as given)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo.io.manifest import read_manifest
from geo.nearrepeat import ALERT_COLUMNS, KNOX_COLUMNS
from tests._helpers import run_geo
from tests.nearrepeat.conftest import planted_burglaries

pytestmark = pytest.mark.slow  # each case starts the command line


@pytest.fixture(scope="module")
def burglaries_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Planted chains plus other crime, as a CSV a municipality exports (lat/lon, local times)."""
    reports = planted_burglaries(chains=40)
    wgs = reports.to_crs("EPSG:4326")
    table = pd.DataFrame(
        {
            "id": reports["report_id"],
            "brottstyp": reports["category"],
            "tid": reports["occurred_at"].dt.strftime("%Y-%m-%d %H:%M"),
            "lat": wgs.geometry.y.round(6),
            "lon": wgs.geometry.x.round(6),
        }
    )
    other = table.head(50).assign(id=lambda f: "x" + f["id"], brottstyp="skadegörelse")
    path = tmp_path_factory.mktemp("nr") / "inbrott.csv"
    pd.concat([table, other]).to_csv(path, index=False)
    return path


def test_help_has_an_example(tmp_path: Path) -> None:
    proc = run_geo("nearrepeat", "--help", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for option in (
        "--category",
        "--space-bands",
        "--time-bands",
        "--permutations",
        "--alerts-days",
        "--out",
        "--lat-col",
        "--time-col",
    ):
        assert option in proc.stdout
    assert "Example: geo nearrepeat" in proc.stdout


def test_contract(burglaries_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "nr"
    proc = run_geo(
        "nearrepeat",
        str(burglaries_csv),
        "--category",
        "bostadsinbrott",
        "--space-bands",
        "0,150,300,450",
        "--time-bands",
        "0,10,20,30",
        "--permutations",
        "99",
        "--alerts-days",
        "30",
        "--time-col",
        "tid",
        "--category-col",
        "brottstyp",
        "--id-col",
        "id",
        "--out",
        str(out),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    knox = pd.read_csv(out / "knox.csv")
    assert list(knox.columns) == list(KNOX_COLUMNS)
    assert knox["space_from_m"].tolist() == [0, 0, 0, 150, 150, 150, 300, 300, 300]
    assert knox["space_to_m"].tolist() == [150, 150, 150, 300, 300, 300, 450, 450, 450]
    assert knox["time_from_days"].tolist() == [0, 10, 20] * 3
    assert knox["time_to_days"].tolist() == [10, 20, 30] * 3
    assert knox.loc[0, "p_value"] <= 0.05 and knox.loc[0, "ratio"] > 2  # the planted chains
    alerts = pd.read_csv(out / "alerts.csv")
    assert list(alerts.columns) == [*ALERT_COLUMNS, "lat", "lon"]
    assert len(alerts) and alerts["text_sv"].str.contains("förhöjd risk").all()
    # followers lie within 150 m of the chain's start, so up to 300 m from each other
    assert alerts["radius_m"].isin([150, 300]).all() and alerts["days"].isin([10, 20]).all()
    zones = gpd.read_file(out / "alert_zones.geojson")
    assert len(zones) == len(alerts) and zones.crs.to_epsg() == 4326
    kinds = read_manifest(out).kinds
    assert {"nearrepeat_knox", "nearrepeat_alerts", "nearrepeat_zones"} <= set(kinds)
    settings = json.loads((out / "run.json").read_text(encoding="utf-8"))["settings"]["nearrepeat"]
    assert settings["permutations"] == 99 and settings["categories"] == ["bostadsinbrott"]
    assert "Knox" in proc.stdout and "Varning:" in proc.stdout and "Varning / alert" not in proc.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--space-bands", "0,a"], "--space-bands"),
        (["--time-bands", "7,0"], "--time-bands"),
        (["--permutations", "0"], "--permutations"),
        (["--category", "rån"], "no point reports of rån"),
    ],
)
def test_bad_options_name_the_option(
    burglaries_csv: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    proc = run_geo(
        "nearrepeat",
        str(burglaries_csv),
        "--time-col",
        "tid",
        "--category-col",
        "brottstyp",
        *args,
        "--out",
        str(tmp_path / "o"),
        cwd=tmp_path,
    )
    assert proc.returncode == 1
    assert message in proc.stderr


def test_into_an_earlier_run_folder_the_manifest_grows_and_its_rejects_stay(
    burglaries_csv: Path, tmp_path: Path
) -> None:
    from geo.io.manifest import Manifest, OutputFile, write_manifest

    out = tmp_path / "run"
    out.mkdir()
    (out / "rejects.csv").write_text("the run's own\n", encoding="utf-8")
    write_manifest(Manifest(files=[OutputFile("rejects", str(out / "rejects.csv"), "reports")]), out)
    proc = run_geo(
        "nearrepeat", str(burglaries_csv), "--category", "bostadsinbrott", "--permutations", "19",
        "--time-col", "tid", "--category-col", "brottstyp", "--out", str(out), cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert (out / "rejects.csv").read_text(encoding="utf-8") == "the run's own\n"
    assert {"rejects", "nearrepeat_knox", "nearrepeat_zones"} <= set(read_manifest(out).kinds)
