"""The run manifest: written atomically, read back by kind, paths relative to the folder."""

from __future__ import annotations

import json

import pytest

from geo.errors import InputError
from geo.io.manifest import Manifest, OutputFile, read_manifest, write_manifest
from geo.stages.lighting import LightingSettings


def test_round_trip_by_kind(tmp_path):
    m = Manifest(info={"title": "Lägesbild"})
    m.add(
        [OutputFile("patrol_plan", str(tmp_path / "patrol_plan.csv"), "patrol")],
        stage="patrol",
        settings={"visits_per_shift": 6},
    )
    m.add([OutputFile("patrol_naive", "patrol_naive.csv", "patrol")])
    m.add(
        [OutputFile("lighting_proposals", "lighting_proposals.csv", "lighting")],
        stage="lighting",
        settings=LightingSettings(budget=3),
    )
    write_manifest(m, tmp_path)
    doc = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert doc["files"][0]["path"] == "patrol_plan.csv"  # relative to the folder
    assert doc["settings"]["lighting"]["budget"] == 3
    back = read_manifest(tmp_path)
    assert back.run_id == m.run_id
    assert back.kinds == ["patrol_plan", "patrol_naive", "lighting_proposals"]
    assert back.path_of("patrol_plan").path == str((tmp_path / "patrol_plan.csv").resolve())
    assert back.path_of("patrol_naive").stage == "patrol"
    assert back.info["title"] == "Lägesbild"
    assert back.path_of("nothing") is None


def test_later_file_of_a_kind_replaces_the_earlier(tmp_path):
    m = Manifest()
    m.add([OutputFile("map", "a.html", "maps")])
    m.add([OutputFile("map", "b.html", "maps")])
    assert [f.path for f in m.files] == ["b.html"]


def test_missing_or_broken_manifest_names_the_folder(tmp_path):
    with pytest.raises(InputError, match="run.json"):
        read_manifest(tmp_path)
    (tmp_path / "run.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not a lagesbild manifest"):
        read_manifest(tmp_path)
