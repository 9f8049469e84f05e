"""Fixtures for the forecast tests: the real Toronto data, read once, and small real subsets of it.

The subsets are also built by plain functions (:func:`downtown_of`, :func:`write_downtown_csv`), which the
stage and command tests (``tests/stages``, ``tests/commands``) use for their own fixtures.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo.forecast import Events, events_from_reports
from geo.io import read_reports
from geo.model import Reports

TORONTO = Path(__file__).resolve().parents[2] / "data" / "toronto_mci_2014_2017.csv.gz"
TZ = "America/Toronto"


def read_toronto() -> Reports:
    """All Toronto MCI reports 2014-2017 (real data, EPSG:32617, America/Toronto)."""
    return read_reports([TORONTO], now=pd.Timestamp("2026-01-01", tz="UTC")).reports


def downtown_of(toronto: Reports) -> Reports:
    """Toronto reports from 2015-2016 within 3 km of downtown (real data, a few thousand rows)."""
    x, y = toronto.geometry.x.to_numpy(), toronto.geometry.y.to_numpy()
    near = np.hypot(x - 630_400, y - 4_834_700) < 3_000
    when = toronto["occurred_at"]
    keep = (
        near
        & (when >= pd.Timestamp("2015-01-01", tz=TZ)).to_numpy()
        & (when < pd.Timestamp("2017-01-01", tz=TZ)).to_numpy()
    )
    return Reports(toronto.loc[keep].reset_index(drop=True))


def write_downtown_csv(folder: Path) -> Path:
    """Write the real Toronto rows of 2015-2016 within about 2 km of downtown, as the original CSV columns."""
    raw = pd.read_csv(TORONTO, dtype=str, keep_default_na=False)
    lat, lon = raw["lat"].astype(float), raw["lon"].astype(float)
    when = raw["occurred_at"]
    keep = (
        lat.between(43.637, 43.673)
        & lon.between(-79.405, -79.36)
        & (when >= "2015-01-01")
        & (when < "2017-01-01")
    )
    path = folder / "toronto_downtown_2015_2016.csv"
    raw[keep].to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def toronto() -> Reports:
    """All Toronto MCI reports 2014-2017 (real data, EPSG:32617, America/Toronto)."""
    return read_toronto()


@pytest.fixture(scope="session")
def toronto_events(toronto: Reports) -> Events:
    """Events of all Toronto reports."""
    return events_from_reports(toronto)


@pytest.fixture(scope="session")
def downtown(toronto: Reports) -> Reports:
    """Toronto reports from 2015-2016 within 3 km of downtown (real data, a few thousand rows)."""
    return downtown_of(toronto)


@pytest.fixture(scope="session")
def toronto_small_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real Toronto rows of 2015-2016 within about 2 km of downtown, as the original CSV columns."""
    return write_downtown_csv(tmp_path_factory.mktemp("toronto"))
