"""geo run on the demo world: the insecurity step, its map layer, the summary section, the planted truth."""

from __future__ import annotations

import json
import math
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from geo.config import parse_config
from geo.demo import DEMO_DIR
from geo.maps.privacy import leaked_coordinates
from geo.pipeline import RunResult, run

TRUTH = json.loads((DEMO_DIR / "truth.json").read_text(encoding="utf-8"))
_OFF = {"enabled": False}


def _config(**tables: object) -> dict:
    data = tomllib.loads((DEMO_DIR / "demo.toml").read_text(encoding="utf-8"))
    stages = dict.fromkeys(("lighting", "patrol", "speed", "forecast", "measures"), _OFF)
    return {**data, **stages, **tables}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunResult]:
    """The demo world through geo run: hot-spots, insecurity and the maps (other stages off, for speed)."""
    out = tmp_path_factory.mktemp("demo")
    config = parse_config(_config(), path=DEMO_DIR / "demo.toml")
    return out, run(config, out_dir=out)


def test_classes_match_the_planted_truth(demo: tuple[Path, RunResult]) -> None:
    out, result = demo
    assert result.insecurity is not None
    table = pd.read_csv(out / "insecurity.csv").set_index("cell_id")
    cell_m = result.insecurity.settings.cell_m
    places = TRUTH["insecurity"]
    assert {p["class"] for p in places} == {"felt_not_recorded", "recorded_not_felt", "both"}
    for place in places:
        cell = f"c{math.floor(place['x'] / cell_m)}_{math.floor(place['y'] / cell_m)}"
        assert table.loc[cell, "class"] == place["class"], (place["name"], table.loc[cell].to_dict())
    assert (table["data"] == "syntetiska demodata").all()
    counts = table["class"].value_counts()
    assert counts["neither"] > 5 * (len(table) - counts["neither"])  # findings are the exception


def test_manifest_lists_the_files(demo: tuple[Path, RunResult]) -> None:
    out, result = demo
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    kinds = {f["kind"]: f for f in manifest["files"]}
    assert {"insecurity", "insecurity_gpkg", "insecurity_cells"} <= set(kinds)
    assert manifest["settings"]["insecurity"]["recorded_sources"] == ["police"]
    assert "Otrygghet och brott" in result.summary and "Lönngatan" in result.summary


def test_internal_map_has_the_layer_and_the_summary_the_section(demo: tuple[Path, RunResult]) -> None:
    _, result = demo
    internal = next(m for m in result.maps if not m.public)
    assert "insecurity" in internal.layers.frames and internal.counts["insecurity"] > 0
    html = internal.map.get_root().render()
    assert "Otrygghet och brott" in html and "upplevd otrygghet utan anmälda brott" in html.lower()
    page = internal.summary_html or ""
    assert "Otrygghet och brott" in page and "Förslag till trygghetsvandring" in page
    walks = page.split("Förslag till trygghetsvandring", 1)[1].split("</ul>", 1)[0]
    for street in ("Lönngatan", "Stationsstigen"):  # the planted felt-not-recorded places
        assert street in walks
    assert "insecurity_cells" in internal.package


def test_public_map_only_with_k_suppression(demo: tuple[Path, RunResult]) -> None:
    _, result = demo
    public = next(m for m in result.maps if m.public)
    frame = public.layers.frames["insecurity"]
    k = public.layers.k
    assert set(frame.columns) == {"class", "felt_text", "recorded_text", "advice", "advice_en", "geometry"}
    assert (frame["class"] != "neither").all()
    for cls, col in (("felt_not_recorded", "felt_text"), ("recorded_not_felt", "recorded_text")):
        shown = frame.loc[frame["class"] == cls, col]
        assert shown.map(lambda v: not v.startswith("<") and int(v) >= k).all()
    html = public.map.get_root().render()
    assert "Otrygghet och brott" in html
    assert not re.search(r"väntat \d", html)  # no expected counts or p-values on the public map
    wgs = result.reports.to_crs("EPSG:4326")
    assert leaked_coordinates(html, wgs.geometry.y, wgs.geometry.x) == []


def test_step_skipped_without_felt_reports(tmp_path: Path) -> None:
    data = _config(maps=_OFF, hotspots=_OFF)
    data["sources"] = [s for s in data["sources"] if s.get("source") == "police"]
    result = run(parse_config(data, path=DEMO_DIR / "demo.toml"), out_dir=tmp_path)
    assert result.insecurity is None and not (tmp_path / "insecurity.csv").exists()
    assert any("otrygghet och brott" in n and "upplevd otrygghet" in n for n in result.notes)
