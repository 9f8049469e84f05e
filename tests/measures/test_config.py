"""``[measures]`` in a run's TOML: the register's path resolved, settings checked, unknown keys refused."""

from __future__ import annotations

import pytest

from geo.config import parse_config
from geo.errors import ConfigError


def test_measures_section(tmp_path):
    config = parse_config(
        {"sources": [{"path": "r.csv"}], "measures": {"file": "atgarder.csv", "buffer_m": 150}},
        path=tmp_path / "run.toml",
    )
    assert config.measures.file == (tmp_path / "atgarder.csv").resolve()
    assert config.measures.buffer_m == 150 and config.measures.enabled
    assert parse_config({"sources": [{"path": "r.csv"}]}).measures.file is None


def test_measures_section_refuses_unknown_keys(tmp_path):
    with pytest.raises(ConfigError, match="measures"):
        parse_config({"sources": [{"path": "r.csv"}], "measures": {"buffer": 150}}, path=tmp_path / "x.toml")
