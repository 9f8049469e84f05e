"""Each method on small cases with a known answer, and the event preparation rules."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo.forecast import Events, events_from_reports, past_only, to_days
from geo.forecast.blend import blend_risk
from geo.forecast.methods import count_risk, kde_risk, prospective_risk
from geo.forecast.sepp import fit_sepp
from geo.grid import Grid
from geo.model import Reports, validate_reports

TZ = "America/Toronto"


def _events(x: list[float], y: list[float], t: list[float], w: list[float] | None = None) -> Events:
    n = len(x)
    return Events(
        x=np.asarray(x, float),
        y=np.asarray(y, float),
        t=np.asarray(t, float),
        known=np.asarray(t, float),
        w=np.ones(n) if w is None else np.asarray(w, float),
        cat=np.zeros(n, np.int32),
        dark=np.zeros(n, bool),
        row=np.arange(n),
        categories=("a",),
        crs="EPSG:32617",
        tz=TZ,
    )


GRID = Grid(cell_m=100.0, i0=0, j0=0, nx=10, ny=10)


def test_count_window_and_weights() -> None:
    ev = _events([50, 50, 50, 150], [50, 50, 50, 50], [99.5, 80.0, 10.0, 99.0], [1, 2, 1, 0.5])
    r = count_risk(ev, GRID, as_of=100.0, days=28.0)
    assert r[0] == 3.0 and r[GRID.ny] == 0.5 and r.sum() == 3.5
    assert count_risk(ev, GRID, as_of=100.0, days=None)[0] == 4.0


def test_kde_preserves_mass_and_peaks_at_the_incidents() -> None:
    ev = _events([450, 455], [450, 452], [99.0, 98.0])
    r = kde_risk(ev, GRID, as_of=100.0, bandwidth_m=100.0)
    # each cell holds the mean over its 3 × 3 sub-cells of the smoothed counts: the total mass is kept
    assert r.sum() * 9 == pytest.approx(2.0, rel=1e-6)
    assert np.argmax(r) == GRID.flat_index(np.array([450.0]), np.array([450.0]))[0]


def test_prospective_weights_by_distance_and_week() -> None:
    # one incident in cell (5,5) 3 days ago (week 0), one in (5,5) 10 days ago (week 1);
    # 400 m over 100 m cells
    ev = _events([550, 550], [550, 550], [97.0, 90.0])
    r = prospective_risk(ev, GRID, as_of=100.0, bandwidth_m=400.0, weeks=8).reshape(GRID.shape)
    assert r[5, 5] == pytest.approx(1 / 1 * 1 / 1 + 1 / 1 * 1 / 2)
    assert r[5, 7] == pytest.approx((1 / 3) * 1.5)  # two cells away: d = 2
    assert r[7, 7] == pytest.approx(1 / (1 + np.hypot(2, 2)) * 1.5)  # 283 m apart
    assert r[5, 9] == pytest.approx(1 / (1 + 4) * 1.5)  # exactly 400 m: still in reach
    assert r[8, 8] == 0.0  # 424 m: beyond reach
    assert r.sum() > 0 and r[0, 0] == 0.0


def test_sepp_recovers_a_planted_process() -> None:
    # simulate a grid Hawkes process with known background, theta and omega; EM must find them
    rng = np.random.default_rng(7)
    span, theta, omega = 2000.0, 0.4, 0.5
    mu = np.where(np.arange(100) < 10, 0.05, 0.005)  # incidents per day per cell
    xs, ys, ts = [], [], []
    for c in range(100):
        t_bg = rng.uniform(0, span, rng.poisson(mu[c] * span))
        queue = list(t_bg)
        times = []
        while queue:
            t0 = queue.pop()
            times.append(t0)
            for _ in range(rng.poisson(theta)):
                t1 = t0 + rng.exponential(1 / omega)
                if t1 < span:
                    queue.append(t1)
        i, j = divmod(c, 10)
        xs += [i * 100 + 50] * len(times)
        ys += [j * 100 + 50] * len(times)
        ts += times
    ev = _events(xs, ys, ts)
    fit, _ = fit_sepp(ev, GRID, t_start=0.0, t_end=span, iterations=200, tol=1e-7)
    assert fit.theta == pytest.approx(theta, abs=0.08)
    assert fit.omega == pytest.approx(omega, rel=0.3)
    assert fit.mu[:10].mean() == pytest.approx(0.05, rel=0.2)
    assert fit.mu[10:].mean() == pytest.approx(0.005, rel=0.3)


def test_blend_learns_that_recent_weeks_matter_when_risk_moves() -> None:
    # risk jumps between cells every 120 days; a blend trained on this past must rank by recent counts
    rng = np.random.default_rng(3)
    xs, ys, ts = [], [], []
    for start in range(0, 720, 120):
        hot = (start // 120) % 5
        for c in range(25):
            rate = 1.0 if c == hot else 0.1
            n = rng.poisson(rate * 120)
            i, j = divmod(c, 5)
            xs += [i * 200 + 50] * n
            ys += [j * 200 + 50] * n
            ts += list(rng.uniform(start, start + 120, n))
    ev = _events(xs, ys, ts)
    r = blend_risk(ev, GRID, as_of=719.0, surge_alpha=None)
    hot_now = (719 // 120) % 5
    i, j = divmod(hot_now, 5)
    assert np.argmax(r) == GRID.flat_index(np.array([i * 200 + 50.0]), np.array([j * 200 + 50.0]))[0]


def _reports(rows: list[tuple[str, str | None, float, float, float]]) -> Reports:
    when = pd.Series(pd.to_datetime([r[0] for r in rows])).dt.tz_localize(TZ)
    to = pd.Series(pd.to_datetime([r[1] for r in rows])).dt.tz_localize(TZ)
    frame = gpd.GeoDataFrame(
        {
            "report_id": pd.array([f"r{i}" for i in range(len(rows))], dtype="string"),
            "occurred_at": when.astype(f"datetime64[ns, {TZ}]"),
            "occurred_to": to.astype(f"datetime64[ns, {TZ}]"),
            "category": pd.array(["x"] * len(rows), dtype="string"),
            "source": pd.array(["t"] * len(rows), dtype="string"),
            "description": pd.array([None] * len(rows), dtype="string"),
            "weight": [r[4] for r in rows],
            "location_precision": pd.array(["exact"] * len(rows), dtype="string"),
            "source_file": pd.array(["t.csv"] * len(rows), dtype="string"),
            "source_row": pd.array(range(2, len(rows) + 2), dtype="Int64"),
            "hour": np.zeros(len(rows), np.int8),
            "weekday": np.zeros(len(rows), np.int8),
            "iso_year": np.zeros(len(rows), np.int16),
            "iso_week": np.ones(len(rows), np.int8),
            "month": np.ones(len(rows), np.int8),
            "is_dark": np.zeros(len(rows), bool),
        },
        geometry=gpd.points_from_xy([r[2] for r in rows], [r[3] for r in rows]),
        crs="EPSG:32617",
    )
    return validate_reports(frame)


def test_time_windows_are_spread_aoristically_and_known_at_their_end() -> None:
    rep = _reports(
        [
            ("2016-01-01 22:00", "2016-01-02 06:00", 100.0, 100.0, 2.0),  # an 8-hour window, weight 2
            ("2016-01-01 12:00", None, 100.0, 100.0, 1.0),
            ("2016-01-01 12:00", None, 100.0, 100.0, 1.0),  # a duplicate: counts twice
        ]
    )
    ev = events_from_reports(rep)
    assert len(ev) == 8 + 2
    assert ev.w.sum() == pytest.approx(4.0)
    midnight = float(to_days(pd.Timestamp("2016-01-02", tz=TZ)))
    window = ev.row == 0
    assert ev.w[window & (ev.t < midnight)].sum() == pytest.approx(0.5)  # 2 of 8 hours before midnight
    # at midnight the window has not ended: the whole report is unknown, not a quarter of it
    assert (past_only(ev, midnight).row != 0).all()
    assert past_only(ev, midnight).w.sum() == 2.0
    assert past_only(ev, midnight + 0.26).w.sum() == pytest.approx(4.0)
