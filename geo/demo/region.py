"""A synthetic county or country (syntetiska demodata): reports in every area, by size or people.

:func:`synthetic_reports` draws, for each area, a share of `n` reports in proportion to its area (or its
population, where given): part of them around a few town centres (so that there are real clusters to find),
the rest spread over the area, at random times over the period. Places planted with ``plants`` add a tight
cluster each (the truth a test looks for). Nothing here touches files; :mod:`benchmarks.region` and the
tests write the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

__all__ = ["CATEGORIES", "Plant", "synthetic_reports"]

CATEGORIES = ("skadegörelse", "stöld", "inbrott", "misshandel", "narkotika", "ordningsstörning")
"""The offence categories drawn."""


@dataclass(frozen=True)
class Plant:
    """A planted hot-spot: ``n`` reports within about ``spread_m`` metres of (``lon``, ``lat``)."""

    lon: float
    lat: float
    n: int = 60
    spread_m: float = 15.0


def _inside(poly: shapely.Geometry, k: int, rng: np.random.Generator) -> np.ndarray:
    """Return `k` points uniform in `poly` (rejection from its bounding box), shape (k, 2)."""
    if k <= 0:
        return np.empty((0, 2))
    x0, y0, x1, y1 = poly.bounds
    shapely.prepare(poly)
    got: list[np.ndarray] = []
    have = 0
    while have < k:
        m = max(64, int((k - have) * 1.6))
        xy = np.column_stack([rng.uniform(x0, x1, m), rng.uniform(y0, y1, m)])
        keep = xy[shapely.contains_xy(poly, xy[:, 0], xy[:, 1])]
        got.append(keep)
        have += len(keep)
    return np.concatenate(got)[:k]


def _times(k: int, start: pd.Timestamp, end: pd.Timestamp, rng: np.random.Generator) -> pd.DatetimeIndex:
    span = (end - start).total_seconds()
    return pd.DatetimeIndex(start + pd.to_timedelta(rng.uniform(0, span, k).round(), unit="s"))


def synthetic_reports(
    areas: gpd.GeoDataFrame,
    n: int,
    *,
    start: pd.Timestamp,
    end: pd.Timestamp,
    seed: int = 21,
    weight: str = "area",
    clustered: float = 0.4,
    plants: Sequence[Plant] = (),
) -> pd.DataFrame:
    """Draw `n` synthetic reports over `areas`, plus the planted clusters.

    Parameters
    ----------
    areas
        Polygons (any CRS) with ``code`` and, for ``weight="population"``, ``population``.
    n
        Reports in all, before the planted ones.
    start, end
        The period the times are drawn from (timezone-aware).
    seed
        Random seed; the same seed gives the same table.
    weight
        ``"area"`` (reports in proportion to km²) or ``"population"`` (to inhabitants; areas without a
        population get none).
    clustered
        Share of each area's reports drawn around its town centres (normal, 150-400 m), the rest uniform.
    plants
        Planted hot-spots.

    Returns
    -------
    reports
        ``id``, ``time`` (ISO 8601 local), ``category``, ``lat``, ``lon`` (WGS84), ``code`` (the area drawn
        in; ``planted`` for planted points), labelled ``data = "syntetiska demodata"``.
    """
    rng = np.random.default_rng(seed)
    metric = areas.to_crs("EPSG:3006")
    w = metric.geometry.area.to_numpy() if weight == "area" else areas["population"].fillna(0).to_numpy(float)
    share = rng.multinomial(n, w / w.sum()) if n > 0 and w.sum() > 0 else np.zeros(len(areas), dtype=int)
    parts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for poly, code, k in zip(metric.geometry, metric["code"].astype(str), share, strict=True):
        n_town = int(round(k * clustered))
        towns = _inside(poly, 1 + min(20, int(k) // 5000), rng)
        pick = towns[rng.integers(0, len(towns), n_town)]
        near = pick + rng.normal(0, 1, (n_town, 2)) * rng.uniform(150, 400, (n_town, 1))
        near = near[shapely.contains_xy(poly, near[:, 0], near[:, 1])]
        xy = np.concatenate([near, _inside(poly, int(k) - len(near), rng)])
        parts.append(xy)
        codes.append(np.full(len(xy), code, dtype=object))
    for p in plants:
        centre = gpd.GeoSeries.from_xy([p.lon], [p.lat], crs="EPSG:4326").to_crs("EPSG:3006").iloc[0]
        parts.append(np.column_stack([centre.x, centre.y]) + rng.normal(0, p.spread_m / 2, (p.n, 2)))
        codes.append(np.full(p.n, "planted", dtype=object))
    xy = np.concatenate(parts) if parts else np.empty((0, 2))
    wgs = gpd.GeoSeries.from_xy(xy[:, 0], xy[:, 1], crs="EPSG:3006").to_crs("EPSG:4326")
    total = len(xy)
    times = _times(total, start, end, rng)
    return pd.DataFrame(
        {
            "id": [f"S{i:08d}" for i in range(total)],
            "time": times.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "category": np.array(CATEGORIES, dtype=object)[rng.integers(0, len(CATEGORIES), total)],
            "lat": wgs.y.round(6).to_numpy(),
            "lon": wgs.x.round(6).to_numpy(),
            "code": np.concatenate(codes) if codes else np.empty(0, dtype=object),
            "data": "syntetiska demodata",
        }
    )
