"""The methods' building blocks: from reports to hot-spot shapes and their members, with choices recorded.

:func:`geo.hotspots.find_hotspots` runs one of them:

- DBSCAN/HDBSCAN clusters become unions of cells of a shape grid (:func:`cluster_members`);
- KDE gives the concentrations significantly above the background, outlined at half their peak
  (:func:`kde_members`);
- Gi* gives connected groups of significant hot cells (:func:`gistar_hotspots`, :func:`hotspots_from_cells`),
  and the cells learn the hot-spot they belong to (:func:`label_cells`).

Every automatic choice is recorded in a :class:`Choices` with its reason.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.grid import cell_index, cell_keys
from geo.hotspots._area import as_area_geometry
from geo.hotspots.dbscan import dbscan_labels, suggest_eps, suggest_min_samples
from geo.hotspots.gistar import gistar_cells
from geo.hotspots.hdbscan import hdbscan_labels
from geo.hotspots.kde import kde_surface
from geo.hotspots.kde_significance import csr_threshold, significant_places
from geo.hotspots.objects import Hotspots, build_hotspots, cell_union

__all__ = [
    "Choices",
    "cluster_members",
    "gistar_hotspots",
    "hotspots_from_cells",
    "kde_members",
    "label_cells",
    "positions",
]


def positions(frame: gpd.GeoDataFrame) -> np.ndarray:
    """Return the ``(n, 2)`` positions of point `frame` in metres."""
    if len(frame) == 0:
        return np.zeros((0, 2))
    return np.column_stack([frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()])


def _members_in(polys: list[BaseGeometry], xy: np.ndarray) -> list[np.ndarray]:
    if not polys:
        return []
    tree = shapely.STRtree(shapely.points(xy))
    poly_idx, pt_idx = tree.query(np.array(polys, dtype=object), predicate="intersects")
    return [np.sort(pt_idx[poly_idx == k]) for k in range(len(polys))]


def _shared_cells(xy: np.ndarray, *, cell_m: float) -> np.ndarray:
    """Mask of positions whose grid cell (of `cell_m`) holds at least one other of them."""
    i, j = cell_index(xy[:, 0], xy[:, 1], cell_m=cell_m)
    _, inverse, counts = np.unique(cell_keys(i, j), return_inverse=True, return_counts=True)
    return counts[inverse.reshape(-1)] >= 2


def _parts(geom: BaseGeometry) -> list[BaseGeometry]:
    if geom is None or geom.is_empty:
        return []
    if hasattr(geom, "geoms"):
        return [g for g in geom.geoms if g.area > 0]
    return [geom] if geom.area > 0 else []


def hotspots_from_cells(
    cells: gpd.GeoDataFrame,
    reports: gpd.GeoDataFrame,
    *,
    alpha: float = 0.05,
    min_reports: int = 1,
    streets: gpd.GeoDataFrame | None = None,
    previous: gpd.GeoDataFrame | None = None,
    period_end: pd.Timestamp | None = None,
    lang: str = "sv",
) -> Hotspots:
    """Hot-spots from Gi* cells: connected groups of hot cells with ``p_fdr < alpha``.

    Parameters
    ----------
    cells
        Output of :func:`gistar_cells` on `reports`.
    reports
        The point reports the cells were counted from.
    alpha
        False discovery rate for a cell to count as hot.
    min_reports
        Groups of hot cells holding fewer reports are left out.
    streets, previous, period_end, lang
        As in :func:`find_hotspots`.
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    hot = cells[(cells["z"] > 0) & (cells["p_fdr"] < alpha)]
    polys = _parts(shapely.union_all(hot.geometry.to_numpy())) if len(hot) else []
    members = _members_in(polys, positions(reports))
    keep = [i for i, m in enumerate(members) if len(m) >= max(1, min_reports)]
    return build_hotspots(
        reports,
        [polys[i] for i in keep],
        [members[i] for i in keep],
        method="gistar",
        streets=streets,
        previous=previous,
        period_end=period_end,
        lang=lang,
    )


def label_cells(cells: gpd.GeoDataFrame, hotspots: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of Gi* `cells` with the ``hotspot_id`` of the hot-spot each lies in (else missing).

    A cell belongs to a hot-spot when it lies within the hot-spot's shape (grown by 1 µm against rounding);
    with overlapping shapes the later hot-spot wins.
    """
    out = cells.copy()
    member: dict[int, str] = {}
    tree = shapely.STRtree(out.geometry.to_numpy())
    cell_ids = out["cell_id"].to_numpy()
    for hid, geom in zip(hotspots["hotspot_id"], hotspots.geometry, strict=True):
        for k in np.sort(tree.query(geom.buffer(1e-6), predicate="contains")):
            member[int(cell_ids[k])] = hid
    out["hotspot_id"] = out["cell_id"].map(member).astype("string")
    return out


class Choices:
    """The choices of one run: ``{name: (value, reason)}`` and the names chosen automatically."""

    def __init__(self) -> None:
        self.choices: dict[str, tuple[float, str]] = {}
        self.auto: list[str] = []

    def choose(self, name: str, given: float | None, rule: Callable[[], tuple[float, str]]) -> float:
        """Return `given` when set, else the rule's value; record either with its reason."""
        if given is not None:
            self.choices[name] = (float(given), f"{name} {given:g}: angiven / given")
            return float(given)
        value, why = rule()
        self.choices[name] = (float(value), why)
        self.auto.append(name)
        return float(value)

    def stamp(self, hotspots: Hotspots, n_point_reports: int) -> Hotspots:
        """Store the choices in the frame's ``attrs`` and return it."""
        hotspots.attrs["choices"], hotspots.attrs["auto"] = self.choices, self.auto
        hotspots.attrs["n_point_reports"] = n_point_reports
        return hotspots


def cluster_members(
    xy: np.ndarray,
    rec: Choices,
    *,
    method: str,
    eps_m: float | None,
    min_samples: int | None,
    cell_m: float | None,
    min_cluster_size: int | None,
) -> tuple[list[BaseGeometry], list[np.ndarray]]:
    """Shapes and members of DBSCAN or HDBSCAN clusters (shapes: unions of cells of the shape grid)."""
    ms = int(rec.choose("min_samples", min_samples, lambda: suggest_min_samples(len(xy))))
    eps = 0.0
    if method == "dbscan" or cell_m is None:
        eps = rec.choose("eps_m", eps_m, lambda: suggest_eps(xy, min_samples=ms))
    if method == "dbscan":
        labels = dbscan_labels(xy, eps_m=eps, min_samples=ms)
    else:
        mcs = int(
            rec.choose(
                "min_cluster_size",
                min_cluster_size,
                lambda: (3 * ms, f"min_cluster_size {3 * ms}: 3 × min_samples"),
            )
        )
        labels = hdbscan_labels(xy, min_cluster_size=max(2, mcs), min_samples=ms)
    grid = float(cell_m) if cell_m is not None else max(10.0, math.ceil(eps / 2))
    rec.choices.setdefault("shape_cell_m", (grid, f"form-rutnät / shape grid {grid:g} m"))
    members = [np.flatnonzero(labels == k) for k in range(int(labels.max()) + 1)] if len(labels) else []
    if method == "hdbscan":
        # HDBSCAN attaches lone fringe reports to a cluster; the place is where members share cells
        members = [m[_shared_cells(xy[m], cell_m=grid)] for m in members]
        members = [m for m in members if len(m)]
    return [cell_union(xy[m], cell_m=grid) for m in members], members


def kde_members(
    pts: gpd.GeoDataFrame,
    xy: np.ndarray,
    rec: Choices,
    *,
    bandwidth_m: float | None,
    cell_m: float | None,
    share: float,
    min_samples: int | None,
    area: BaseGeometry | None,
    alpha: float = 0.05,
    simulations: int = 99,
    seed: int = 0,
) -> tuple[list[BaseGeometry], list[np.ndarray]]:
    """Shapes and members of the significant concentrations of kernel density.

    The Monte Carlo test against complete spatial randomness in the study area (or the reports' convex hull)
    and the outline at `share` of each peak above the background are described in
    :mod:`geo.hotspots.kde_significance`.
    """
    surface = kde_surface(pts, bandwidth_m=bandwidth_m, cell_m=cell_m, area=area)
    rec.choices["bandwidth_m"] = (surface.bandwidth_m, surface.bandwidth_reason)
    if bandwidth_m is None:
        rec.auto.append("bandwidth_m")
    rec.choices["cell_m"] = (surface.cell_m, f"rutnät / grid {surface.cell_m:g} m")
    hull = None if area is not None else shapely.MultiPoint(xy).convex_hull.buffer(surface.cell_m)
    test = csr_threshold(
        surface,
        round(surface.n),
        hull=hull,
        edge_corrected=area is not None,
        simulations=simulations,
        alpha=alpha,
        seed=seed,
    )
    rec.choices["significance"] = (test.q, test.reason())
    polys = significant_places(surface, test, share=share)
    found = _members_in(polys, xy)
    ms = int(rec.choose("min_samples", min_samples, lambda: suggest_min_samples(len(xy))))
    keep = [i for i, m in enumerate(found) if len(m) >= ms]
    return [polys[i] for i in keep], [found[i] for i in keep]


def gistar_hotspots(
    reports: gpd.GeoDataFrame,
    *,
    cell_m: float | None = None,
    band_m: float | None = None,
    alpha: float = 0.05,
    min_samples: int | None = None,
    area: object = None,
    shape: str = "square",
    streets: gpd.GeoDataFrame | None = None,
    previous: gpd.GeoDataFrame | None = None,
    period_end: pd.Timestamp | None = None,
    lang: str = "sv",
) -> tuple[Hotspots, gpd.GeoDataFrame]:
    """Gi* hot-spots and the cells they were found on (:func:`find_hotspots` with ``method="gistar"``).

    Parameters are those of :func:`find_hotspots`; `reports` are point reports in a metric CRS.

    Returns
    -------
    hotspots
        As :func:`find_hotspots` returns them (choices in ``attrs``).
    cells
        :func:`gistar_cells` with ``hotspot_id`` (:func:`label_cells`).
    """
    pts = reports.reset_index(drop=True)
    rec = Choices()
    cells = gistar_cells(
        pts, cell_m=cell_m, band_m=band_m, area=as_area_geometry(area, reports.crs), shape=shape
    )
    rec.choices.update(cells.attrs["choices"])
    rec.auto.extend(cells.attrs["auto"])
    ms = int(rec.choose("min_samples", min_samples, lambda: suggest_min_samples(len(pts))))
    out = hotspots_from_cells(
        cells,
        pts,
        alpha=alpha,
        min_reports=ms,
        streets=streets,
        previous=previous,
        period_end=period_end,
        lang=lang,
    )
    return rec.stamp(out, len(pts)), label_cells(cells, out)
