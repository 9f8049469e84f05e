"""`geo run` with `[nearrepeat]`: off by default; when on, its files are recorded and the zones are mapped."""

from __future__ import annotations

import tomllib
from pathlib import Path

from geo.config import parse_config
from geo.demo import DEMO_DIR
from geo.io.manifest import read_manifest
from geo.pipeline import run


def _config(**tables: dict) -> dict:
    data = tomllib.loads((DEMO_DIR / "demo.toml").read_text(encoding="utf-8"))
    off = {"enabled": False}
    for name in ("hotspots", "lighting", "patrol", "speed", "forecast", "measures"):
        data[name] = {**data.get(name, {}), **off}
    data["sources"] = data["sources"][:1]  # the police export
    for name, value in tables.items():
        data[name] = {**data.get(name, {}), **value}
    return data


def test_off_by_default():
    cfg = parse_config(_config(), path=DEMO_DIR / "demo.toml")
    assert cfg.nearrepeat.enabled is False and cfg.nearrepeat.permutations == 999


def test_geo_run_with_nearrepeat_writes_its_files_and_maps_the_zones(tmp_path):
    data = _config(
        nearrepeat={"enabled": True, "categories": ["inbrott"], "permutations": 99, "alerts_days": 30},
        maps={"public": False},
    )
    res = run(parse_config(data, path=DEMO_DIR / "demo.toml"), out_dir=tmp_path)
    assert res.nearrepeat is not None and len(res.nearrepeat.knox) == 20
    manifest = read_manifest(tmp_path)
    kinds = manifest.kinds
    assert {"nearrepeat_knox", "nearrepeat_alerts", "nearrepeat_zones", "map"} <= set(kinds)
    assert (tmp_path / "knox.csv").exists() and (tmp_path / "alerts.csv").exists()
    html = Path(manifest.path_of("map").path).read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert len(res.nearrepeat.zones) and "Nära upprepning: förhöjd risk" in html
