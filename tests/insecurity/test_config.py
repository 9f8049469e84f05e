"""``[insecurity]`` in the run's TOML: the stage's settings, plus areas and survey files."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.config import parse_config
from geo.errors import ConfigError
from geo.stages.insecurity import InsecuritySettings


def test_section_settings_and_paths(tmp_path: Path) -> None:
    data = {
        "sources": [{"path": "r.csv"}],
        "insecurity": {"cell_m": 200, "areas": "deso.gpkg", "survey": "enkat.gpkg", "alpha": 0.1},
    }
    config = parse_config(data, path=tmp_path / "run.toml")
    assert config.insecurity.areas == (tmp_path / "deso.gpkg").resolve()
    assert config.insecurity.survey == (tmp_path / "enkat.gpkg").resolve()
    section = config.insecurity.model_dump(exclude={"enabled", "areas", "survey"})
    settings = InsecuritySettings(**section)
    assert settings.cell_m == 200 and settings.alpha == 0.1
    assert parse_config({"sources": [{"path": "r.csv"}]}).insecurity.enabled


def test_unknown_key_named() -> None:
    with pytest.raises(ConfigError, match="insecurity.cell_size"):
        parse_config({"sources": [{"path": "r.csv"}], "insecurity": {"cell_size": 100}})
