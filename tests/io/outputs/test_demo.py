"""Writing the demo world: byte-identical regeneration, the committed copy, formats, labels and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from typer.testing import CliRunner

from geo.demo import DEFAULT_SEED, DEMO_DIR
from geo.io.outputs.demo import FILES, generate_world


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, Path]:
    a = tmp_path_factory.mktemp("gen_a")
    b = tmp_path_factory.mktemp("gen_b")
    generate_world(DEFAULT_SEED, a)
    generate_world(DEFAULT_SEED, b)
    return a, b


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_same_seed_gives_the_same_bytes(generated):
    a, b = generated
    fa, fb = _files(a), _files(b)
    assert set(fa) == set(FILES.values())
    for name in fa:
        assert fa[name] == fb[name], name


def test_committed_demo_regenerates_byte_identically(generated):
    a, _ = generated
    committed = {k: v for k, v in _files(DEMO_DIR).items() if k in set(FILES.values())}
    assert set(committed) == set(FILES.values())
    for name, data in _files(a).items():
        assert committed[name] == data, f"data/demo/{name} differs from generate_world({DEFAULT_SEED})"


def test_demo_is_small_and_labelled():
    total = sum(p.stat().st_size for p in DEMO_DIR.iterdir() if p.is_file())
    assert total < 5_000_000
    for role, name in FILES.items():
        raw = (DEMO_DIR / name).read_bytes()
        text = raw.decode("cp1252" if role == "police" else "utf-8")
        if role == "feed":
            assert all("syntetiska demodata" in e["summary"] for e in json.loads(text)), name
        if role == "config":
            assert "syntetiska demodata" in text.lower()
        else:
            assert "syntetiska demodata" in text, name


def test_cli_generate_writes_the_same_files(tmp_path):
    from geo.cli import app

    out = tmp_path / "w"
    res = CliRunner().invoke(app, ["demo", "generate", "--seed", str(DEFAULT_SEED), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "truth.json").read_bytes() == (DEMO_DIR / "truth.json").read_bytes()
    assert (out / FILES["police"]).read_bytes() == (DEMO_DIR / FILES["police"]).read_bytes()


def test_police_file_is_a_swedish_export():
    raw = (DEMO_DIR / FILES["police"]).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    head = raw.decode("cp1252").splitlines()[:2]
    assert head[0].startswith("Ärendenummer;Brottstyp;occurred_from;occurred_to;Latitud;Longitud")
    lat = head[1].split(";")[4]
    assert "," in lat and "." not in lat  # decimal comma


def test_layers_read_with_their_columns():
    streets = gpd.read_file(DEMO_DIR / FILES["streets"])
    lamps = gpd.read_file(DEMO_DIR / FILES["lamps"])
    assert {"segment_id", "highway", "name", "maxspeed", "lit"} <= set(streets.columns)
    assert streets["segment_id"].is_unique
    limits = set(pd.to_numeric(streets["maxspeed"].dropna()).astype(int))
    assert limits == {30, 40, 50, 60, 70, 80}
    assert {"footway", "cycleway", "residential", "primary", "secondary"} <= set(streets["highway"])
    assert set(lamps["status"]) == {"ok", "broken", "part_night"}
    assert (lamps["status"] == "ok").mean() > 0.9
