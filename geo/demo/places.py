"""Positions in the demo town: local metres to SWEREF 99 TM and WGS84, and random points around places.

Local metres are east and north of the town centre (:mod:`geo.demo.network`).
"""

from __future__ import annotations

import numpy as np
from pyproj import Transformer
from shapely.geometry import LineString

from geo.demo.network import centre_sweref
from geo.demo.period import pick

__all__ = ["Proj", "along", "disc"]


class Proj:
    """Local metres -> SWEREF 99 TM and WGS84, and WGS84 -> local metres."""

    def __init__(self) -> None:
        self.x0, self.y0 = centre_sweref()
        self._to_wgs = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
        self._from_wgs = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)

    def sweref(self, ex: np.ndarray, ny: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (x, y) in SWEREF 99 TM metres."""
        return np.asarray(ex, dtype=float) + self.x0, np.asarray(ny, dtype=float) + self.y0

    def wgs(self, ex: np.ndarray, ny: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (lat, lon) in degrees."""
        x, y = self.sweref(ex, ny)
        lon, lat = self._to_wgs.transform(x, y)
        return np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)

    def local(self, lat: float, lon: float) -> tuple[float, float]:
        """Return local metres (east, north) of a WGS84 position."""
        x, y = self._from_wgs.transform(lon, lat)
        return float(x - self.x0), float(y - self.y0)


def disc(
    rng: np.random.Generator, n: int, centre: tuple[float, float], radius_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Points around a centre, normal with sigma = radius/2, all within the radius."""
    xs = np.empty(n)
    ys = np.empty(n)
    todo = np.arange(n)
    while len(todo):
        dx = rng.normal(0, radius_m / 2, len(todo))
        dy = rng.normal(0, radius_m / 2, len(todo))
        ok = np.hypot(dx, dy) <= radius_m * 0.95
        xs[todo[ok]] = centre[0] + dx[ok]
        ys[todo[ok]] = centre[1] + dy[ok]
        todo = todo[~ok]
    return xs, ys


def along(
    rng: np.random.Generator, n: int, lines: list[LineString], *, jitter_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Points uniformly along lines (by length), jittered by a normal of `jitter_m`."""
    lengths = np.array([ln.length for ln in lines])
    which = pick(rng, n, lengths)
    frac = rng.random(n)
    jx = rng.normal(0, jitter_m, n)
    jy = rng.normal(0, jitter_m, n)
    xs = np.empty(n)
    ys = np.empty(n)
    for i in range(n):
        p = lines[which[i]].interpolate(frac[i], normalized=True)
        xs[i], ys[i] = p.x + jx[i], p.y + jy[i]
    return xs, ys
