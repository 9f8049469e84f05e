"""A small town where one place keeps going, one stops on 2026-03-01 and one starts on 2026-03-02."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo.config import RunConfig, parse_config

PLACES = {  # name: (lat, lon, first day, last day)
    "keeps": (57.1830, 14.0480, dt.date(2026, 1, 5), dt.date(2026, 6, 28)),
    "stops": (57.1900, 14.0600, dt.date(2026, 1, 5), dt.date(2026, 3, 1)),
    "starts": (57.1700, 14.0200, dt.date(2026, 3, 2), dt.date(2026, 6, 28)),
}


def town_reports(per_week: int = 12, seed: int = 5) -> pd.DataFrame:
    """Point reports: `per_week` a week at each place while active, within ~25 m, plus scattered noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for name, (lat, lon, first, last) in PLACES.items():
        days = (last - first).days + 1
        n = per_week * days // 7
        offsets = rng.uniform(0, days * 86400, n)
        for i, off in enumerate(np.sort(offsets)):
            t = dt.datetime.combine(first, dt.time()) + dt.timedelta(seconds=float(off))
            rows.append(
                {
                    "id": f"{name}-{i}",
                    "time": t.strftime("%Y-%m-%d %H:%M"),
                    "lat": round(lat + rng.normal(0, 0.0002), 6),
                    "lon": round(lon + rng.normal(0, 0.0004), 6),
                    "category": "stöld" if i % 2 else "skadegörelse",
                }
            )
    for i in range(200):  # noise over the whole town and half-year
        t = dt.datetime(2026, 1, 5) + dt.timedelta(seconds=float(rng.uniform(0, 175 * 86400)))
        rows.append(
            {
                "id": f"noise-{i}",
                "time": t.strftime("%Y-%m-%d %H:%M"),
                "lat": round(57.17 + rng.uniform(0, 0.03), 6),
                "lon": round(14.00 + rng.uniform(0, 0.08), 6),
                "category": "ofredande",
            }
        )
    return pd.DataFrame(rows)


def town_config(folder: Path, *, weeks: int, store: Path | str | None = None) -> RunConfig:
    """A run of the town: hot-spots (DBSCAN 60 m, at least 5) and the summary page; `weeks` whole weeks."""
    csv = folder / "town.csv"
    if not csv.exists():
        town_reports().to_csv(csv, index=False)
    off = {"enabled": False}
    data = {
        "run": {"title": "Testby"},
        "period": {"weeks": weeks},
        "sources": [{"path": str(csv), "source": "police"}],
        "hotspots": {"eps_m": 60, "min_samples": 5, "overview": False},
        "lighting": off,
        "patrol": off,
        "speed": off,
        "forecast": off,
        "maps": {"public": False, "tiles": "none"},
    }
    if store is not None:
        data["store"] = {"path": str(store)}
    return parse_config(data, path=folder / "town.toml")


@pytest.fixture
def town(tmp_path: Path) -> Path:
    return tmp_path
