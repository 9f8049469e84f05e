"""Reading a results folder for the map by its manifest (geo.io.results): by kind, never by columns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.errors import InputError
from geo.io.export import write_csv, write_frame
from geo.io.manifest import Manifest, OutputFile, write_manifest
from geo.io.results import read_map_inputs
from tests.io import _map_frames as F


def _folder(tmp_path: Path, files: dict[str, Path]) -> Path:
    write_manifest(Manifest(files=[OutputFile(k, str(p), "") for k, p in files.items()]), tmp_path)
    return tmp_path


def test_patrol_plan_is_read_and_the_naive_plan_skipped(tmp_path: Path) -> None:
    plan, naive = (
        F.visits("Planplatsen", "22:00", "22:15"),
        F.visits("Naiva torget", "12:34", "12:49", dx=3000),
    )
    # the naive plan sorts first and has the plan's columns: guessing by columns would take it
    folder = _folder(
        tmp_path,
        {
            "patrol_naive": write_csv(F.table(naive), tmp_path / "a_patrol_naive.csv"),
            "patrol_plan": write_csv(F.table(plan), tmp_path / "patrol_plan.csv"),
            "hotspots": write_frame(F.hotspots(), tmp_path / "hotspots.gpkg", layer="hotspots"),
        },
    )
    inputs = read_map_inputs(folder)
    assert set(inputs.patrol_visits["place"]) == {"Planplatsen"}
    assert list(inputs.patrol_visits["start"]) == ["22:00"] * 3  # read as text, not times
    assert len(inputs.hotspots) == 2 and inputs.hotspots.crs.to_epsg() == 3006
    assert inputs.origin["patrol_visits"] == "patrol_plan.csv"
    assert inputs.origin["hotspots"] == "hotspots.gpkg:hotspots"
    assert any("a_patrol_naive.csv" in s and "naive" in s for s in inputs.skipped)


def test_lighting_geopackage_layers_win_over_the_tables(tmp_path: Path) -> None:
    layers = F.lighting_layers()
    gpkg = tmp_path / "lighting.gpkg"
    for name, frame in layers.items():
        write_frame(frame, gpkg, layer=name)
    csv = write_csv(F.table(layers["lighting_proposals"]).assign(lat=57.18, lon=14.04), tmp_path / "lp.csv")
    inputs = read_map_inputs(_folder(tmp_path, {"lighting": gpkg, "lighting_proposals": csv}))
    assert inputs.origin["lamp_proposals"] == "lighting.gpkg:lighting_proposals"
    assert inputs.dark_places.geom_type.iloc[0] == "LineString"
    assert inputs.lit_coverage is None  # not in this package: left out, not an error
    assert not inputs.skipped  # the table is covered by the package
    # without the package, the CSV contract is drawn (as points from lat/lon)
    only_csv = tmp_path / "only-csv"
    only_csv.mkdir()
    inputs = read_map_inputs(_folder(only_csv, {"lighting_proposals": csv}))
    assert list(inputs.lamp_proposals["lat"]) == [57.18, 57.18]


def test_a_folder_without_manifest_or_layers_is_refused(tmp_path: Path) -> None:
    write_csv(F.table(F.visits("P", "22:00", "22:15")), tmp_path / "patrol_plan.csv")
    with pytest.raises(InputError, match="run.json") as err:
        read_map_inputs(tmp_path)
    assert str(tmp_path) in str(err.value)
    with pytest.raises(InputError, match="results folder not found"):
        read_map_inputs(tmp_path / "nope")
    folder = _folder(tmp_path, {"notes": write_csv(F.table(F.hotspots()), tmp_path / "notes.csv")})
    with pytest.raises(InputError, match="no map layer.*notes"):
        read_map_inputs(folder)


def test_a_listed_file_that_is_missing_is_named(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"patrol_plan": tmp_path / "patrol_plan.csv"})
    with pytest.raises(InputError, match="missing") as err:
        read_map_inputs(folder)
    assert "patrol_plan.csv" in str(err.value)


def test_a_version_1_run_json_is_read_by_its_output_names(tmp_path: Path) -> None:
    plan = write_csv(F.table(F.visits("Planplatsen", "22:00", "22:15")), tmp_path / "patrol_plan.csv")
    naive = write_csv(F.table(F.visits("Naiva", "12:34", "12:49")), tmp_path / "patrol_naive.csv")
    doc = {"title": "x", "outputs": {"patrol_naive": str(naive), "patrol_plan": str(plan)}, "notes": []}
    (tmp_path / "run.json").write_text(json.dumps(doc), encoding="utf-8")
    inputs = read_map_inputs(tmp_path)
    assert set(inputs.patrol_visits["place"]) == {"Planplatsen"}
