"""Which parts of a kernel density surface are significantly above the study area's background.

**The test** (a global envelope under complete spatial randomness). The null hypothesis is that the *n*
reports are placed independently and uniformly in the study area's mask: the study area when one is given,
else the convex hull of the reports. For every cell *c* the mean ``m(c)`` and standard deviation ``s(c)`` of
the density under that null are exact (one convolution each: a uniform point adds ``K(c − X)``, so
``m = n·E[K]`` and ``s² = n·(E[K²] − E[K]²)`` over the mask). ``simulations`` seeded surfaces of *n* uniform
points in the mask are built exactly as the observed one (same grid, bandwidth and edge correction), and for
each the largest standardised deviation ``max_c (d(c) − m(c)) / s(c)`` over the mask is kept. With ``q`` the
value that only ``alpha`` of them exceed (the ``⌊alpha·(S+1)⌋``-th largest of *S*), a cell is significant
when ``d(c) > m(c) + q·s(c)``: the chance that randomness alone makes *any* cell of the study area that dense
is at most ``alpha`` (a family-wise test, so a town does not get false hot-spots by being large).
Standardising keeps the edge-corrected cells near the border, whose density varies more, from setting the
threshold for the whole area.

**The outline** (what the hot-spot's polygon describes). Each significant local peak of height ``p`` is
outlined at ``b + share·(p − b)``, where ``b = n / |mask|`` is the background density (the mean under the
null) and ``share`` is 0.3 by default, and never beyond the significant cells: the place where the
concentration is at least 30 % of its own peak above the background. For a round, bell-shaped concentration
that contour holds ``1 − share`` (70 %) of its smoothed incidents; a uniformly filled place of radius *R*
comes out at about ``2·ln(1/share)·(1/4 + h²/R²)`` times its area with bandwidth *h* (1–2 times when the
bandwidth is below the radius, under 4 times at *h* = 1.1·*R*), whatever the number of incidents in it: a
strong place is not drawn larger because it is strong, which a level holding a share of *all* incidents did
(10–20 times the place). A lower peak whose region at its own level reaches a higher peak is a shoulder of
that concentration and not a hot-spot of its own, so the regions never overlap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

import contourpy
import numpy as np
import shapely
from scipy import ndimage
from scipy.signal import fftconvolve
from shapely.geometry.base import BaseGeometry

from geo.hotspots.kde import DensitySurface, kernel_on_grid, linear_bin

__all__ = ["Significance", "csr_threshold", "significant_places"]


@dataclass(frozen=True)
class Significance:
    """The threshold of the Monte Carlo test on one surface.

    Attributes
    ----------
    threshold
        Per cell, the density (reports per km²) a cell must exceed to be significant; NaN outside the mask.
    background
        ``n / |mask|``: the density under the null (reports per km²).
    q
        The standardised deviation only ``alpha`` of the simulated surfaces exceed somewhere.
    simulations, alpha
        As given.
    mask_km2
        Area of the mask in km².
    """

    threshold: np.ndarray
    background: float
    q: float
    simulations: int
    alpha: float
    mask_km2: float

    def reason(self) -> str:
        """One Swedish/English line saying what the test was."""
        return (
            f"signifikans: Monte Carlo, {self.simulations} slumpade ytor (CSR inom {self.mask_km2:.1f} km²), "
            f"alpha {self.alpha:g}, bakgrund {self.background:.0f} rapporter/km² / significance vs "
            "complete spatial randomness"
        )


def _mask(surface: DensitySurface, hull: BaseGeometry | None) -> np.ndarray:
    if hull is None:
        return np.isfinite(surface.density)
    gx, gy = np.meshgrid(surface.xs, surface.ys)
    return np.asarray(shapely.contains_xy(hull, gx, gy)) & np.isfinite(surface.density)


def csr_threshold(
    surface: DensitySurface,
    n: int,
    *,
    hull: BaseGeometry | None = None,
    edge_corrected: bool = False,
    simulations: int = 99,
    alpha: float = 0.05,
    seed: int = 0,
) -> Significance:
    """Per-cell density threshold of the global Monte Carlo test under complete spatial randomness.

    Parameters
    ----------
    surface
        The observed surface (:func:`geo.hotspots.kde.kde_grid`).
    n
        Number of reports under the null (those that built the surface).
    hull
        The mask when the surface has no study area (NaN cells): the convex hull of the reports. ``None``
        with a study area: the finite cells are the mask.
    edge_corrected
        Whether the surface was divided by the kernel's share inside the study area (it was, when it
        has one); the simulated surfaces are treated the same way.
    simulations
        Number of simulated surfaces (>= 19).
    alpha
        Significance level, between 0 and 1.
    seed
        Seed of the simulations.

    Returns
    -------
    significance
        The threshold per cell and how it was found.
    """
    if simulations < 19:
        raise ValueError(f"simulations must be >= 19, got {simulations}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    mask = _mask(surface, hull)
    cell = surface.cell_m
    n_cells = int(mask.sum())
    thr = np.full(surface.shape, np.nan)
    if n_cells == 0 or n < 1:
        return Significance(thr, 0.0, math.inf, simulations, alpha, 0.0)
    k = kernel_on_grid(surface.bandwidth_m, cell)  # per m², integrates to 1
    area_m2 = n_cells * cell * cell
    m_float = mask.astype("float64")
    ek = fftconvolve(m_float, k, mode="same") * cell * cell / area_m2  # E[K] per m²
    ek2 = fftconvolve(m_float, k * k, mode="same") * cell * cell / area_m2
    corr = 1.0
    if edge_corrected:
        corr = np.clip(fftconvolve(m_float, k * cell * cell, mode="same"), 1e-3, None)
    mean = np.clip(n * ek, 0, None) * 1e6 / corr
    sd = np.sqrt(np.clip(n * (ek2 - ek * ek), 0, None)) * 1e6 / corr
    ok = mask & (sd > 0)
    # the statistic (d/corr - mean)/sd of a simulated raw sum d (per m²) is (d - raw_mean) * inv
    raw_mean = np.where(ok, mean * corr / 1e6, 0.0)
    inv = np.where(ok, 1e6 / np.where(ok, sd * corr, 1.0), 0.0)
    r = k.shape[0] // 2
    g = k[r, :] / math.sqrt(k[r, r])  # the kernel is outer(g, g)
    rng = np.random.default_rng(seed)
    rows, cols = np.nonzero(mask)
    stats = np.empty(simulations)
    for s in range(simulations):
        pick = rng.integers(0, n_cells, n)
        jitter = rng.uniform(-0.5, 0.5, (n, 2)) * cell
        xy = np.column_stack([surface.xs[cols[pick]], surface.ys[rows[pick]]]) + jitter
        dens = _sim_density(xy, surface, g)
        np.subtract(dens, raw_mean, out=dens)
        np.multiply(dens, inv, out=dens)
        stats[s] = float(dens.max())
    rank = max(1, math.floor(alpha * (simulations + 1)))
    q = float(np.sort(stats)[::-1][rank - 1])
    thr[ok] = mean[ok] + q * sd[ok]
    return Significance(thr, n / area_m2 * 1e6, q, simulations, alpha, area_m2 / 1e6)


def _sim_density(xy: np.ndarray, surface: DensitySurface, g: np.ndarray) -> np.ndarray:
    """Kernel sum (per m², not edge-corrected) of unit points `xy` on the surface's grid.

    The same binning and kernel as :func:`geo.hotspots.kde.kde_grid`; the Gaussian kernel is separable,
    so two one-dimensional passes (`g` outer `g` is the kernel) replace the two-dimensional convolution.
    """
    counts = linear_bin(xy, np.ones(len(xy)), surface.x0, surface.y0, surface.cell_m, surface.shape)
    once = ndimage.convolve1d(counts, g, axis=0, mode="constant")
    return ndimage.convolve1d(once, g, axis=1, mode="constant")


def _polygons(z: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> list[BaseGeometry]:
    """Polygons where ``z >= 0`` (z masked where NaN)."""
    zm = np.ma.masked_invalid(z)
    if zm.count() == 0 or float(zm.max()) < 0:
        return []
    gen = contourpy.contour_generator(
        x=xs, y=ys, z=zm, fill_type=contourpy.FillType.OuterOffset, name="serial"
    )
    filled = gen.filled(0.0, float(zm.max()) * 2 + 1.0)
    out: list[BaseGeometry] = []
    for pts, off in zip(cast(list[np.ndarray], filled[0]), cast(list[np.ndarray], filled[1]), strict=True):
        rings = [pts[off[j] : off[j + 1]] for j in range(len(off) - 1)]
        rings = [r for r in rings if len(r) >= 4]
        if rings:
            poly = shapely.make_valid(shapely.Polygon(rings[0], rings[1:]))
            if not poly.is_empty and poly.area > 0:
                out.append(poly)
    return out


def _peaks(density: np.ndarray, sig: np.ndarray) -> list[tuple[int, int]]:
    """Significant local maxima (3 × 3), highest first."""
    d = np.where(np.isfinite(density), density, -np.inf)
    local = (d == ndimage.maximum_filter(d, size=3, mode="constant", cval=-np.inf)) & sig
    rows, cols = np.nonzero(local)
    order = np.argsort(-d[rows, cols], kind="stable")
    return [(int(rows[i]), int(cols[i])) for i in order]


def _outline(
    surface: DensitySurface,
    region: np.ndarray,
    level: float,
    threshold: np.ndarray,
    peak: tuple[int, int],
    origin: tuple[int, int],
) -> BaseGeometry | None:
    """Contour polygon of `region` (cells of a window at `origin`) at `level` and above the threshold."""
    rr, cc = np.nonzero(region)
    r0, r1 = max(int(rr.min()) - 2, 0), min(int(rr.max()) + 3, region.shape[0])
    c0, c1 = max(int(cc.min()) - 2, 0), min(int(cc.max()) + 3, region.shape[1])
    near = ndimage.binary_dilation(region, iterations=1)[r0:r1, c0:c1]
    g0, g1 = origin[0] + r0, origin[1] + c0  # the window's first cell on the whole grid
    d = surface.density[g0 : g0 + (r1 - r0), g1 : g1 + (c1 - c0)]
    z = np.minimum(d - level, d - threshold[g0 : g0 + (r1 - r0), g1 : g1 + (c1 - c0)])
    z = np.where(near, z, np.where(np.isfinite(d), -1.0, np.nan))
    polys = _polygons(z, surface.xs[g1 : g1 + (c1 - c0)], surface.ys[g0 : g0 + (r1 - r0)])
    here = shapely.Point(surface.xs[peak[1]], surface.ys[peak[0]])
    hit = [p for p in polys if p.distance(here) <= surface.cell_m]
    return hit[0] if hit else None


def significant_places(
    surface: DensitySurface, significance: Significance, *, share: float = 0.3
) -> list[BaseGeometry]:
    """Outlines of the significant concentrations, highest peak first (the rule in the module notes).

    Parameters
    ----------
    surface
        The observed surface.
    significance
        :func:`csr_threshold` on it.
    share
        Outline level as a share of the peak above the background (0..1, exclusive).

    Returns
    -------
    outlines
        One polygon per significant concentration; none when no cell is significant.
    """
    if not 0 < share < 1:
        raise ValueError(f"share must be between 0 and 1 (exclusive), got {share}")
    d = surface.density
    thr = significance.threshold
    sig = np.isfinite(thr) & np.isfinite(d) & (np.nan_to_num(d) > np.nan_to_num(thr, nan=np.inf))
    if not sig.any():
        return []
    taken = np.zeros(d.shape, dtype=bool)
    out: list[BaseGeometry] = []
    eight = np.ones((3, 3), dtype=bool)
    components, _ = ndimage.label(sig, structure=eight)
    boxes = ndimage.find_objects(components)
    dz = np.nan_to_num(d)
    ny, nx = d.shape
    for r, c in _peaks(d, sig):
        if taken[r, c]:
            continue
        level = significance.background + share * (float(d[r, c]) - significance.background)
        box = boxes[components[r, c] - 1]  # work in the window of the peak's significant component
        r0, r1 = max(box[0].start - 2, 0), min(box[0].stop + 2, ny)
        c0, c1 = max(box[1].start - 2, 0), min(box[1].stop + 2, nx)
        labels, _ = ndimage.label(sig[r0:r1, c0:c1] & (dz[r0:r1, c0:c1] >= level), structure=eight)
        region = labels == labels[r - r0, c - c0]
        if (region & taken[r0:r1, c0:c1]).any():
            continue  # a shoulder of a higher concentration
        geom = _outline(surface, region, level, thr, (r, c), (r0, c0))
        taken[r0:r1, c0:c1] |= region
        if geom is not None:
            out.append(geom)
    return out
