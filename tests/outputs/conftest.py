"""One demo run shared by the tests of the run's files (GeoPackages, the workbook)."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.config import load_config
from geo.demo import DEMO_DIR
from geo.pipeline import RunResult, run


@pytest.fixture(scope="session")
def demo_result(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """The demo's whole run (as ``geo demo`` makes it), written to a temporary folder."""
    return run(load_config(DEMO_DIR / "demo.toml"), out_dir=tmp_path_factory.mktemp("demo-run"))


@pytest.fixture(scope="session")
def demo_out(demo_result: RunResult) -> Path:
    """The folder the demo run wrote."""
    return demo_result.outputs["manifest"].parent
