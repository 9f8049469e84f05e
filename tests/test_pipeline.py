"""The pipeline (`geo run` / `geo demo`): demo world in, maps and proposals out; period, strict and id
checks."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo.config import parse_config
from geo.demo import DEMO_DIR
from geo.errors import InputError
from geo.io.outputs.demo import FILES
from geo.pipeline import run

GEO = Path(sys.executable).with_name("geo")
TRUTH = json.loads((DEMO_DIR / "truth.json").read_text(encoding="utf-8"))


def _demo_dict(**tables) -> dict:
    data = tomllib.loads((DEMO_DIR / "demo.toml").read_text(encoding="utf-8"))
    for name, value in tables.items():
        data[name] = {**data.get(name, {}), **value} if isinstance(value, dict) else value
    return data


def _only_reading(**tables) -> dict:
    off = {"enabled": False}
    stages = dict.fromkeys(("hotspots", "lighting", "patrol", "speed", "forecast", "maps", "measures"), off)
    data = _demo_dict(**{**stages, **tables})
    data["areas"] = []  # no priority-area figures either
    return data


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """`geo demo --out DIR`, run once as a user would."""
    out = tmp_path_factory.mktemp("maps")
    proc = subprocess.run([str(GEO), "demo", "--out", str(out)], capture_output=True, text=True, timeout=300)
    return out, proc


def test_geo_demo_writes_the_lagesbild(demo_run):
    out, proc = demo_run
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    outputs = {f["kind"]: out / f["path"] for f in manifest["files"] if f["layer"] is None}
    assert len(outputs) == len(manifest["files"]) - sum(1 for f in manifest["files"] if f["layer"])
    for key in ("reports", "rejects"):
        assert outputs[key].exists()
    for key, path in outputs.items():
        assert path.exists() and path.stat().st_size > 0, key
        assert path.parent == out or out in path.parents, key
    # every stage ran, none skipped with a note
    assert manifest["notes"] == []
    for key in (
        "hotspots",
        "lighting_proposals",
        "dark_places",
        "patrol_plan",
        "enforcement_plan",
        "forecast",
        "map",
    ):
        assert key in outputs, key
    for key, path in outputs.items():
        if path.suffix == ".csv":  # every table a planner might pass on says it is synthetic
            assert (pd.read_csv(path)["data"] == "syntetiska demodata").all(), key
    risk = pd.read_csv(outputs["forecast"])
    assert list(risk.columns[:5]) == ["cell_id", "x", "y", "risk", "rank"]
    assert risk["rank"].is_monotonic_increasing and (risk["data"] == "syntetiska demodata").all()
    maps = sorted(out.glob("lagesbild-varnamo-20231101-20261031*.html"))
    assert len(maps) >= 2
    for m in maps:
        assert "syntetiska demodata" in m.read_text(encoding="utf-8").lower()


def test_geo_demo_reports_and_rejects(demo_run):
    out, _ = demo_run
    reports = gpd.read_parquet(out / "reports.parquet")
    c = TRUTH["counts"]
    n_files = c["police"] + c["residents"] + c["safety_walk"] + c["polisen_feed"]
    n_rejected = sum(1 for b in TRUTH["planted_bad_rows"] if b["status"] == "rejected")
    n_feed_rejected = len(TRUTH["feed_rejected_rows"])
    assert len(reports) == n_files - n_rejected - n_feed_rejected
    assert reports.crs.to_epsg() == 3006
    assert str(reports["occurred_at"].dt.tz) == "Europe/Stockholm"
    assert (reports["data"] == "syntetiska demodata").all()
    assert reports["source"].value_counts().to_dict() == {
        "police": TRUTH["counts"]["police"] - n_rejected,
        "resident": TRUTH["counts"]["residents"],
        "safety_walk": TRUTH["counts"]["safety_walk"],
        "polisen_feed": TRUTH["counts"]["polisen_feed"] - n_feed_rejected,
    }
    rejects = pd.read_csv(out / "rejects.csv")
    assert {"file", "row", "field", "reason", "status"} <= set(rejects.columns)
    got = {
        (Path(f).name, int(r), s)
        for f, r, s in zip(rejects["file"], rejects["row"], rejects["status"], strict=True)
    }
    planted = TRUTH["planted_bad_rows"] + TRUTH["feed_rejected_rows"]
    assert got == {(b["file"], b["row"], b["status"]) for b in planted}


def test_geo_demo_finds_the_planted_hotspots(demo_run):
    out, _ = demo_run
    found = gpd.read_file(out / "hotspots.geojson").to_crs(3006)
    centres = found.geometry.centroid
    for h in TRUTH["hotspots"]:
        d = np.hypot(centres.x - h["x"], centres.y - h["y"])
        assert d.min() <= h["radius_m"], (h["id"], float(d.min()))
    assert len(found) <= len(TRUTH["hotspots"]) + 2


def test_geo_demo_prints_the_summary(demo_run):
    out, proc = demo_run
    text = proc.stdout
    assert "SYNTETISKA DEMODATA" in text
    c = TRUTH["counts"]
    n = (
        c["police"]
        + c["residents"]
        + c["safety_walk"]
        + c["polisen_feed"]
        - 3
        - len(TRUTH["feed_rejected_rows"])
    )
    assert f"{n:,}".replace(",", "\xa0") in text  # Swedish digit groups
    assert "avvisade 6" in text
    assert str(out) in text
    for heading in (
        "Hot-spots:",
        "Patrullering:",
        "Belysningsförslag:",
        "Hastighetskontroller:",
        "Prognos (",
    ):
        assert heading in text, heading
    # one language a line: no English among the Swedish words, plural forms by count
    assert "trend persistent" not in text and "trend bestående" in text
    assert " / " not in "\n".join(line for line in text.splitlines() if not line.startswith("  "))
    assert "metod dbscan" not in text and "1 rapporter" not in text
    assert "ungefär" in text and "av veckans" in text  # the plan's figures in plain words
    assert "Ignoring" not in proc.stderr and "Warning" not in proc.stderr  # no library warning


def test_period_keeps_only_its_reports(tmp_path):
    data = _only_reading(
        period={"start": pd.Timestamp("2026-01-01").date(), "end": pd.Timestamp("2026-06-30").date()}
    )
    data["sources"] = data["sources"][:1]
    cfg = parse_config(data, path=DEMO_DIR / "demo.toml")
    res = run(cfg, out_dir=tmp_path)
    raw = pd.read_csv(
        DEMO_DIR / FILES["police"], sep=";", encoding="cp1252", dtype=str, keep_default_na=False
    )
    t = pd.to_datetime(raw["occurred_from"])
    expected = int(((t >= "2026-01-01") & (t < "2026-07-01")).sum())
    bad_in_window = sum(
        1
        for b in TRUTH["planted_bad_rows"]
        if b["status"] == "rejected" and "2026-01-01" <= raw.loc[b["row"] - 2, "occurred_from"] < "2026-07-01"
    )
    assert len(res.reports) == expected - bad_in_window
    assert res.outside_period == len(raw) - 3 - len(res.reports)
    assert res.reports["occurred_at"].min() >= pd.Timestamp("2026-01-01", tz="Europe/Stockholm")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rejects.csv", "reports.parquet", "run.json"]


def test_strict_writes_nothing(tmp_path):
    data = _only_reading(output={"strict": True})
    cfg = parse_config(data, path=DEMO_DIR / "demo.toml")
    bad = next(b for b in TRUTH["planted_bad_rows"] if b["status"] == "rejected")
    with pytest.raises(InputError) as err:
        run(cfg, out_dir=tmp_path / "out")
    assert FILES["police"] in str(err.value) and f"row {bad['row']}" in str(err.value)
    assert not (tmp_path / "out").exists()


def test_repeated_ids_across_sources_are_rejected(tmp_path):
    data = _only_reading()
    data["sources"] = [data["sources"][1], {**data["sources"][1], "name": "igen"}]
    cfg = parse_config(data, path=DEMO_DIR / "demo.toml")
    res = run(cfg, out_dir=tmp_path)
    assert len(res.reports) == TRUTH["counts"]["residents"]
    rep = res.rejects[res.rejects["reason"].str.startswith("repeated id")]
    assert len(rep) == TRUTH["counts"]["residents"]
    assert sorted(rep["row"].astype(int)) == list(range(2, TRUTH["counts"]["residents"] + 2))


def test_speed_without_streets_is_noted_not_run(tmp_path):
    data = _only_reading(speed={"enabled": True})
    data["sources"] = data["sources"][1:2]
    data["layers"] = {k: v for k, v in data["layers"].items() if k != "streets"}
    res = run(parse_config(data, path=DEMO_DIR / "demo.toml"), out_dir=tmp_path)
    assert any("layers.streets saknas" in n for n in res.notes), res.notes
    assert "enforcement_plan" not in res.outputs and not (tmp_path / "enforcement_plan.csv").exists()


def test_patrol_without_hotspots_is_noted_not_run(tmp_path):
    data = _only_reading(patrol={"enabled": True})
    data["sources"] = data["sources"][1:2]
    res = run(parse_config(data, path=DEMO_DIR / "demo.toml"), out_dir=tmp_path)
    assert any("inga hot-spots att planera för" in n for n in res.notes), res.notes
    assert "patrol_plan" not in res.outputs and not (tmp_path / "patrol_plan.csv").exists()


def test_geo_run_config_error_exits_nonzero(tmp_path):
    data = (DEMO_DIR / "demo.toml").read_text(encoding="utf-8").replace("budget = 10", "budget = -3")
    cfg = tmp_path / "fel.toml"
    cfg.write_text(data, encoding="utf-8")
    proc = subprocess.run([str(GEO), "run", str(cfg)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "fel.toml" in proc.stderr and "lighting.budget" in proc.stderr
    assert not (tmp_path / "maps").exists()


def test_an_empty_period_skips_the_analyses(tmp_path):
    data = _demo_dict(
        period={"start": pd.Timestamp("2020-01-01").date(), "end": pd.Timestamp("2020-12-31").date()}
    )
    data["sources"] = data["sources"][1:2]
    res = run(parse_config(data, path=DEMO_DIR / "demo.toml"), out_dir=tmp_path)
    assert len(res.reports) == 0 and res.outside_period == TRUTH["counts"]["residents"]
    assert any("inga rapporter i perioden" in n for n in res.notes)
    assert res.hotspots is None
    assert gpd.read_parquet(tmp_path / "reports.parquet").empty


def test_hotspot_source_filter_that_matches_nothing_is_named(tmp_path):
    off = {"enabled": False}
    data = _demo_dict(
        hotspots={"sources": ["polis"]}, lighting=off, patrol=off, speed=off, forecast=off, maps=off
    )
    data["sources"] = data["sources"][1:2]
    res = run(parse_config(data, path=DEMO_DIR / "demo.toml"), out_dir=tmp_path)
    assert res.hotspots is not None and len(res.hotspots.hotspots) == 0
    assert any("inga punktrapporter" in n and "polis" in n and "resident" in n for n in res.notes)


def test_geo_run_on_real_toronto_data_with_a_column_mapping(tmp_path, data_dir):
    """A config without a Swedish study area, on the real Toronto MCI file, category from premises_type."""
    src = data_dir / "toronto_mci_2014_2017.csv.gz"
    off = {"enabled": False}
    cfg = parse_config(
        {
            "run": {"title": "Toronto"},
            "period": {"start": pd.Timestamp("2016-01-01").date(), "end": pd.Timestamp("2016-03-31").date()},
            "sources": [
                {
                    "path": str(src),
                    "source": "toronto_police",
                    "columns": {"time": "occurred_at", "category": "premises_type"},
                }
            ],
            "hotspots": {"eps_m": 100, "min_samples": 25},
            "lighting": off,
            "patrol": off,
            "speed": off,
            "forecast": off,
            "maps": off,
        },
        path=tmp_path / "toronto.toml",
    )
    res = run(cfg, out_dir=tmp_path / "out")
    raw = pd.read_csv(src)
    t = pd.to_datetime(raw["occurred_at"])
    in_window = ((t >= "2016-01-01") & (t < "2016-04-01")).to_numpy()
    rejected_rows = set(res.rejects.loc[res.rejects["status"] == "rejected", "row"].astype(int))
    kept = in_window & ~np.isin(np.arange(2, len(raw) + 2), list(rejected_rows))
    assert len(res.reports) == int(kept.sum())
    assert res.rows_read == len(raw) == 114_721
    assert res.reports.crs.to_epsg() == 32617
    assert set(res.reports["category"]) <= set(raw["premises_type"])  # the mapping took effect
    assert set(res.reports["source"]) == {"toronto_police"}
    assert res.hotspots is not None and len(res.hotspots.hotspots) >= 1
    assert (tmp_path / "out" / "reports.parquet").exists()


def test_geo_hotspots_and_geo_run_find_the_same_places(demo_run, tmp_path):
    """Regression: one engine, so `geo hotspots` with the config's settings gives what `geo run` gave."""
    from tests._helpers import DEMO_POLICE_ARGS

    out, _ = demo_run
    hs = tmp_path / "hotspots.geojson"
    args = [
        "--area",
        "0683",
        "--eps",
        "75",
        "--min-samples",
        "30",
        "--streets",
        str(DEMO_DIR / "gator.geojson"),
    ]
    period = ["--since", "2023-11-01", "--until", "2026-11-01"]
    proc = subprocess.run(
        [str(GEO), "hotspots", *DEMO_POLICE_ARGS, *args, *period, "--out", str(hs)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    cols = ["hotspot_id", "label", "n_reports", "peak_windows", "trend"]
    by_run = gpd.read_file(out / "hotspots.geojson")[cols]
    by_command = gpd.read_file(hs)[cols]
    pd.testing.assert_frame_equal(by_run.reset_index(drop=True), by_command.reset_index(drop=True))


def test_geo_demo_shows_what_changed_since_last_week(demo_run):
    """`geo demo` keeps its runs in the output folder, the week before first: the page opens with changes."""
    out, proc = demo_run
    assert proc.returncode == 0, proc.stderr
    assert (out / "lagesbild-arkiv.gpkg").exists()
    changes = pd.read_csv(out / "changes.csv")
    assert list(changes.columns[:8]) == [
        "hotspot_id", "label", "status", "n_now", "n_before", "change_pct", "lat", "lon"
    ]  # fmt: skip
    assert (changes["status"] == "continuing").sum() >= 5  # the week before found the same places
    page = next(out.glob("*-sammanfattning.html")).read_text(encoding="utf-8")
    assert page.index("Sedan förra lägesbilden") < page.index("<img")
