"""Fixtures for the hot-spot engine: the real Toronto file, the Värnamo demo world, planted synthetic data."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo.model import Reports, validate_reports
from geo.time.profile import add_time_parts
from tests.conftest import DEMO, read_demo_police


@pytest.fixture(scope="session")
def demo_reports(demo_police: Reports) -> Reports:
    """Police reports of the committed Värnamo demo world (noise 1): the session's `demo_police`."""
    return demo_police


@pytest.fixture(scope="session")
def demo_streets() -> gpd.GeoDataFrame:
    """The demo world's streets (with names)."""
    return gpd.read_file(DEMO / "gator.geojson")


@pytest.fixture(scope="session")
def quiet_world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Reports, dict]:
    """A demo world generated with noise 0: only the planted hot-spots' reports."""
    from geo.io.outputs.demo import generate_world

    out = tmp_path_factory.mktemp("world0")
    paths = generate_world(683, out, noise=0.0)
    return read_demo_police(out), json.loads(Path(paths["truth"]).read_text(encoding="utf-8"))


def make_reports(
    x: np.ndarray,
    y: np.ndarray,
    times: pd.Series | pd.DatetimeIndex,
    *,
    categories: list[str] | np.ndarray | None = None,
    crs: str = "EPSG:3006",
    tz: str = "Europe/Stockholm",
    to: pd.Series | None = None,
) -> Reports:
    """Build a validated reports frame from positions (metres) and local times."""
    n = len(x)
    t = pd.Series(pd.DatetimeIndex(times)).reset_index(drop=True)
    if t.dt.tz is None:
        t = t.dt.tz_localize(tz)
    frame = pd.DataFrame(
        {
            "report_id": pd.array([f"r{i}" for i in range(n)], dtype="string"),
            "occurred_at": t.astype(f"datetime64[ns, {tz}]"),
            "occurred_to": to.reset_index(drop=True)
            if to is not None
            else pd.Series(pd.NaT, index=range(n), dtype=f"datetime64[ns, {tz}]"),
            "category": pd.array(
                list(categories) if categories is not None else ["stöld"] * n, dtype="string"
            ),
            "source": pd.array(["police"] * n, dtype="string"),
            "description": pd.array([None] * n, dtype="string"),
            "weight": np.ones(n),
            "location_precision": pd.array(["exact"] * n, dtype="string"),
            "source_file": pd.array(["synthetic"] * n, dtype="string"),
            "source_row": pd.array(np.arange(2, n + 2), dtype="Int64"),
        }
    )
    geo = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(x, y), crs=crs)
    wgs = geo.to_crs("EPSG:4326").geometry
    geo = add_time_parts(geo, lat=wgs.y.to_numpy(), lon=wgs.x.to_numpy())
    return validate_reports(gpd.GeoDataFrame(geo, geometry="geometry", crs=crs))


PLANTED = [
    # (x, y, radius_m, n, weekdays the window starts on, hours after its midnight: 24+ is past midnight)
    (442400.0, 6338100.0, 80.0, 150, (4, 5), (22, 23, 24, 25, 26)),
    (443600.0, 6338900.0, 100.0, 90, (0, 1, 2, 3, 4), (7, 8)),
    (441300.0, 6337200.0, 60.0, 60, (0, 1, 2, 3, 4, 5, 6), (17, 18, 19, 20)),
]


@pytest.fixture(scope="session")
def planted() -> tuple[Reports, list[tuple]]:
    """Three planted hot-spots (seeded) in 400 uniform background reports over 5 × 5 km, two years."""
    rng = np.random.default_rng(12345)
    xs, ys, ts = [], [], []
    start = pd.Timestamp("2024-01-01")
    days = pd.date_range(start, periods=730, freq="D")
    for cx, cy, r, n, wd, hrs in PLANTED:
        ang = rng.uniform(0, 2 * np.pi, n)
        rad = r * np.sqrt(rng.uniform(0, 1, n)) * 0.8
        xs.append(cx + rad * np.cos(ang))
        ys.append(cy + rad * np.sin(ang))
        okdays = days[np.isin(days.day_of_week, wd)]
        d = okdays[rng.integers(0, len(okdays), n)]
        h = rng.choice(hrs, n)
        ts.append(d + pd.to_timedelta(h, unit="h") + pd.to_timedelta(rng.integers(0, 60, n), unit="min"))
    nb = 400
    xs.append(rng.uniform(440000, 445000, nb))
    ys.append(rng.uniform(6336000, 6341000, nb))
    ts.append(
        days[rng.integers(0, len(days), nb)] + pd.to_timedelta(rng.integers(0, 24 * 60, nb), unit="min")
    )
    x = np.concatenate(xs)
    y = np.concatenate(ys)
    t = pd.DatetimeIndex(np.concatenate([np.asarray(v, dtype="datetime64[ns]") for v in ts]))
    return make_reports(x, y, t), PLANTED
