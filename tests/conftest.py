"""Shared fixtures: paths to the real data in data/ and a clock fixed for reproducible validation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The project's data/ folder (real public data, see data/SOURCES.md)."""
    return DATA


@pytest.fixture(scope="session")
def now() -> pd.Timestamp:
    """A fixed 'now' so future-time checks do not depend on the day the tests run."""
    return pd.Timestamp("2026-11-25 12:00", tz="Europe/Stockholm")
