"""``geo patrol``: options, files and manifest.

The command writes what the stage and the writer give, and finds the hot-spots (and their street labels)
that ``geo run`` finds for the same settings.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from typer.testing import CliRunner

from geo.cli import app
from geo.config import parse_config
from geo.demo import DEMO_DIR
from geo.io.manifest import read_manifest
from geo.io.outputs.patrol import write_patrol
from geo.pipeline import run
from geo.plan.patrol import PATROL_COLUMNS
from geo.stages.patrol import PatrolSettings, patrol_stage
from tests.conftest import DEMO, read_demo_police
from tests.plan.conftest import CUT_WEEK, planted_frame

POLICE_READER = [
    *("--encoding", "cp1252", "--sep", ";", "--source", "police", "--id-col", "Ärendenummer"),
    *("--category-col", "Brottstyp", "--time-col", "occurred_from", "--time-to-col", "occurred_to"),
    *("--lat-col", "Latitud", "--lon-col", "Longitud", "--description-col", "Beskrivning"),
]
"""How the demo's police export is read, as data/demo/demo.toml reads it."""


def test_geo_patrol_command(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    res = CliRunner().invoke(
        app,
        [
            "patrol",
            str(DEMO / "polisanmalningar.csv"),
            "--encoding",
            "cp1252",
            "--sep",
            ";",
            "--source",
            "police",
            "--week",
            CUT_WEEK,
            "--shift",
            "15-23",
            "--shift",
            "23-07",
            "--visits-per-shift",
            "4",
            "--visit-minutes",
            "10",
            "--history-days",
            "200",
            "--eps-m",
            "60",
            "--min-samples",
            "20",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out / "patrol_plan.csv")
    assert list(table.columns[: len(PATROL_COLUMNS)]) == list(PATROL_COLUMNS)
    assert table.groupby("shift").size().max() <= 4
    starts = pd.to_datetime(table["date"] + " " + table["start"])
    ends = pd.to_datetime(table["date"] + " " + table["end"])
    assert (((ends - starts) % pd.Timedelta(days=1)) == pd.Timedelta(minutes=10)).all()
    html = (out / "patrol_plan.html").read_text(encoding="utf-8")
    assert html.count('<section class="shift">') == table["shift"].nunique()
    stated = round(100 * table["expected_share"].sum(), 1)
    said = " ".join(res.output.split())
    assert f"plan {stated:.1f} %".replace(".", ",") in said  # Swedish decimals (the default --lang sv)
    assert "naiv plan" in said and "naive plan" not in said
    assert (out / "patrol_naive.csv").exists() and (out / "patrol_plan.gpkg").exists()


@pytest.mark.parametrize(("args", "word"), [(["--week", "2026-45"], "week"), (["--shift", "15-27"], "shift")])
def test_geo_patrol_bad_options(tmp_path: Path, args: list[str], word: str) -> None:
    out = tmp_path / "plan"
    res = CliRunner().invoke(app, ["patrol", str(DEMO / "trygghetsrapporter.csv"), *args, "--out", str(out)])
    assert res.exit_code != 0
    assert word in str(res.output) + str(res.exception)
    assert not (out / "patrol_plan.csv").exists()


def test_police_feed_alone_cannot_be_patrolled(data_dir: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(
        app,
        [
            "patrol",
            str(data_dir / "polisen_events_varnamo.json"),
            "--week",
            "2026-W10",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert res.exit_code != 0
    assert not (tmp_path / "out" / "patrol_plan.csv").exists()


def test_command_equals_stage_and_writer(tmp_path: Path, demo_truth: dict) -> None:
    """Given hot-spots, ``geo patrol`` writes exactly what the stage and the writer give for its settings."""
    places = planted_frame(demo_truth)
    hs_file = tmp_path / "hotspots.gpkg"
    places.to_file(hs_file, layer="hotspots")
    out = tmp_path / "cli"
    args = ["--week", CUT_WEEK, "--shift", "15-23", "--visits-per-shift", "3", "--history-days", "200"]
    res = CliRunner().invoke(
        app,
        ["patrol", str(DEMO / "polisanmalningar.csv"), *POLICE_READER, *args, "--hotspots", str(hs_file)]
        + ["--only-source", "police", "--speed-kmh", "25", "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    settings = PatrolSettings(
        week=CUT_WEEK,
        shifts=["15-23"],
        visits_per_shift=3,
        history_days=200,
        speed_kmh=25,
        sources=["police"],
    )
    result = patrol_stage(read_demo_police(), places, settings)
    direct = tmp_path / "direct"
    files = write_patrol(result, direct)
    for f in files:
        if f.layer is None and not f.path.endswith(".gpkg"):
            assert (out / Path(f.path).name).read_bytes() == Path(f.path).read_bytes(), f.kind
    manifest = read_manifest(out)
    assert manifest.kinds == [f.kind for f in files]
    assert manifest.settings["patrol"] == settings.model_dump(mode="json")
    assert "hotspots" not in manifest.settings  # given, not found
    assert manifest.path_of("patrol_plan").path.endswith("patrol_plan.csv")
    assert manifest.path_of("patrol_naive").path.endswith("patrol_naive.csv")


def _run_config(tmp_path: Path) -> dict:
    """demo.toml with the police export only, no study area or period, hot-spots and patrol only."""
    data = tomllib.loads((DEMO_DIR / "demo.toml").read_text(encoding="utf-8"))
    off = {"enabled": False}
    data.pop("area"), data.pop("period")
    data["sources"] = data["sources"][:1]
    data["hotspots"] = {"method": "dbscan", "eps_m": 60, "min_samples": 20, "sources": ["police"]}
    data["patrol"] = {"week": CUT_WEEK, "shifts": ["15-23"], "visits_per_shift": 4}
    data["run"]["demo"] = False
    data.update(lighting=off, speed=off, forecast=off, maps=off)
    return data


@pytest.mark.slow
def test_same_hotspots_and_street_labels_as_geo_run(tmp_path: Path) -> None:
    """``geo patrol`` without --hotspots finds the places ``geo run`` finds, labelled by the same streets."""
    res = run(parse_config(_run_config(tmp_path), path=DEMO_DIR / "demo.toml"), out_dir=tmp_path / "run")
    assert res.hotspots is not None and len(res.hotspots.hotspots)
    out = tmp_path / "cli"
    cli = CliRunner().invoke(
        app,
        ["patrol", str(DEMO / "polisanmalningar.csv"), *POLICE_READER, "--week", CUT_WEEK, "--shift", "15-23"]
        + ["--visits-per-shift", "4", "--method", "dbscan", "--eps-m", "60", "--min-samples", "20"]
        + ["--only-source", "police", "--streets", str(DEMO / "gator.geojson"), "--out", str(out)],
    )
    assert cli.exit_code == 0, cli.output
    ran = pd.read_csv(tmp_path / "run" / "patrol_plan.csv")
    ours = pd.read_csv(out / "patrol_plan.csv")
    # the places are geo run's hot-spots, labelled by the nearest streets of the streets layer
    found = res.hotspots.hotspots
    labels = dict(zip(found["hotspot_id"], found["label"], strict=True))
    assert set(ran["place_id"]) <= set(labels) and (ran["place"] == ran["place_id"].map(labels)).all()
    names = set(gpd.read_file(DEMO / "gator.geojson")["name"].dropna())
    assert all(part in names for label in ran["place"] for part in label.split(" / "))
    pd.testing.assert_frame_equal(ours, ran)
    assert read_manifest(out).settings["hotspots"]["eps_m"] == 60


def test_nothing_to_plan_is_said_not_failed(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    res = CliRunner().invoke(
        app,
        ["patrol", str(DEMO / "polisanmalningar.csv"), *POLICE_READER, "--week", CUT_WEEK]
        + ["--only-source", "polis", "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    assert "inga rapporter från källorna polis" in " ".join(res.output.split())
    assert pd.read_csv(out / "patrol_plan.csv").empty
    assert list(pd.read_csv(out / "patrol_plan.csv").columns[: len(PATROL_COLUMNS)]) == list(PATROL_COLUMNS)
    assert not (out / "patrol_plan.gpkg").exists()
