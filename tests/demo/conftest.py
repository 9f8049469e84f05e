"""Fixtures of the demo world's tests: the committed truth and police file, the study area, a built world."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from geo.demo import DEFAULT_SEED, DEMO_DIR, World, build_world
from geo.io import read_reports
from geo.io.area import load_area
from geo.io.outputs.demo import FILES


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((DEMO_DIR / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def area():
    return load_area("0683")


@pytest.fixture(scope="module")
def police(area) -> pd.DataFrame:
    """The committed police file read by the project's own reader (default options, detection on)."""
    res = read_reports([DEMO_DIR / FILES["police"]], area=area)
    return res.reports.assign(_rejects=len(res.rejects))


@pytest.fixture(scope="session")
def world() -> World:
    """The committed demo world built in memory (the same seed as data/demo/)."""
    return build_world(DEFAULT_SEED)
