"""The run configuration: the documented demo config loads; every mistake names the file and the
dotted key."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from geo.config import RunConfig, load_config, parse_config
from geo.demo import DEMO_DIR
from geo.errors import ConfigError

DEMO_TOML = DEMO_DIR / "demo.toml"


def _demo_dict() -> dict:
    return tomllib.loads(DEMO_TOML.read_text(encoding="utf-8"))


def _write(tmp_path: Path, text: str, name: str = "run.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_demo_config_loads_with_paths_resolved():
    cfg = load_config(DEMO_TOML)
    assert cfg.run.demo is True
    assert cfg.area.spec == "0683"
    assert cfg.period.start == dt.date(2023, 11, 1) and cfg.period.end == dt.date(2026, 10, 31)
    assert [s.source for s in cfg.sources] == ["police", "resident", "safety_walk", "polisen_feed"]
    for s in cfg.sources:
        assert Path(s.path).is_absolute() and Path(s.path).exists()
    police = cfg.sources[0]
    opts = police.reader_options()
    assert (opts.lat_col, opts.lon_col, opts.time_col, opts.time_to_col) == (
        "Latitud",
        "Longitud",
        "occurred_from",
        "occurred_to",
    )
    assert (opts.encoding, opts.sep, opts.source) == ("cp1252", ";", "police")
    assert cfg.layers.streets is not None and cfg.layers.streets.exists()
    assert cfg.layers.speed and all(p.exists() for p in cfg.layers.speed)
    assert cfg.output.dir == (DEMO_DIR / "../../maps").resolve()
    assert cfg.hotspots.method_kwargs()["method"] == "dbscan"


def test_config_is_frozen():
    cfg = load_config(DEMO_TOML)
    with pytest.raises(ValidationError):
        cfg.run.title = "x"  # type: ignore[misc]


def test_minimal_config_and_defaults(tmp_path):
    p = _write(tmp_path, 'area = { municipality = "Värnamo" }\n[[sources]]\npath = "reports.csv"\n')
    cfg = load_config(p)
    assert cfg.sources[0].path == str(tmp_path / "reports.csv")
    assert cfg.output.dir == tmp_path / "maps"
    assert cfg.hotspots.method == "dbscan" and cfg.patrol.visit_min == 15
    assert cfg.layers.speed == []


@pytest.mark.parametrize(
    ("mutate", "key", "words"),
    [
        (lambda d: d["hotspots"].update(eps_m=-150), "hotspots.eps_m", "greater than 0"),
        (lambda d: d["hotspots"].update(method="kmeans"), "hotspots.method", "dbscan"),
        (
            lambda d: d["sources"][0]["columns"].update(latt="Latitud"),
            "sources[0].columns.latt",
            "unknown key",
        ),
        (lambda d: d["run"].update(titel="x"), "run.titel", "unknown key"),
        (lambda d: d.update(extra_table={"a": 1}), "extra_table", "unknown key"),
        (lambda d: d["patrol"].update(shifts=["15-23", "25-07"]), "patrol.shifts", "out of range"),
        (lambda d: d["patrol"].update(week="2026-45"), "patrol.week", "ISO week"),
        (lambda d: d["period"].update(end=dt.date(2020, 1, 1)), "period", "before start"),
        (lambda d: d["area"].update(file="x.geojson"), "area", "exactly one"),
        (lambda d: d["sources"][1].update(precision="kvarter"), "sources[1].precision", "exact"),
        (lambda d: d["sources"][1].update(columns={"x": "e", "y": "n"}), "sources[1]", "crs"),
        (lambda d: d.update(sources=[]), "sources", "at least 1"),
        (lambda d: d.pop("sources"), "sources", "missing"),
        (lambda d: d["lighting"].update(budget="many"), "lighting.budget", "integer"),
    ],
)
def test_errors_name_file_and_key(mutate, key, words):
    data = _demo_dict()
    mutate(data)
    with pytest.raises(ConfigError) as err:
        parse_config(data, path=DEMO_TOML)
    msg = str(err.value)
    assert msg.startswith(f"{DEMO_TOML}: ")
    assert f"{key}:" in msg
    assert words in msg


def test_every_problem_is_reported_at_once():
    data = _demo_dict()
    data["hotspots"]["eps_m"] = 0
    data["lighting"]["radius_m"] = -1
    data["maps"]["k"] = 0
    with pytest.raises(ConfigError) as err:
        parse_config(data, path="x.toml")
    for key in ("hotspots.eps_m", "lighting.radius_m", "maps.k"):
        assert key in str(err.value)


def test_file_problems(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "missing.toml")
    bad = _write(tmp_path, "[run\ntitle = 1\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
    latin = tmp_path / "latin.toml"
    latin.write_bytes('[run]\ntitle = "Lägesbild"\n'.encode("cp1252"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(latin)


def test_speed_accepts_one_file_or_a_list(tmp_path):
    base = 'area = { municipality = "0683" }\n[[sources]]\npath = "r.csv"\n'
    one = load_config(_write(tmp_path, base + '[layers]\nspeed = "a.csv"\n', "one.toml"))
    two = load_config(_write(tmp_path, base + '[layers]\nspeed = ["a.csv", "b.csv"]\n', "two.toml"))
    assert one.layers.speed == [tmp_path / "a.csv"]
    assert two.layers.speed == [tmp_path / "a.csv", tmp_path / "b.csv"]


def test_urls_and_absolute_paths_are_kept(tmp_path):
    cfg = parse_config(
        {
            "area": {"municipality": "0683"},
            "sources": [{"path": "postgresql://u@h/db?table=reports"}, {"path": "/abs/r.csv"}],
        },
        path=tmp_path / "c.toml",
    )
    assert cfg.sources[0].path == "postgresql://u@h/db?table=reports"
    assert cfg.sources[1].path == "/abs/r.csv"


def test_model_is_the_documented_example():
    # every table of RunConfig appears in the documented example
    text = DEMO_TOML.read_text(encoding="utf-8")
    for table in RunConfig.model_fields:
        if table != "path":
            assert f"[{table}]" in text or f"[[{table}]]" in text, table
