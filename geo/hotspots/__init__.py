"""The hot-spot engine: where incidents concentrate, how sure we are, when and whether it grows.

One entry point, :func:`find_hotspots`, runs one of four methods on the point reports and returns the
:data:`Hotspots` frame (one row per hot-spot; see :mod:`geo.hotspots.objects` for the columns, the trend
classes and why shapes are never hulls of report positions):

- ``dbscan`` (:mod:`~geo.hotspots.dbscan`): stacked reports collapsed into sample weights; ``eps_m`` from the
  knee of the k-distance curve when not given;
- ``hdbscan`` (:mod:`~geo.hotspots.hdbscan`): scikit-learn's HDBSCAN for varying densities; a cluster's
  lone fringe reports (alone in their cell of the shape grid) are left out of the hot-spot, which keeps
  its shape on the place rather than on the noise HDBSCAN attaches to it, and no cell of the shape holds a
  single report;
- ``kde`` (:mod:`~geo.hotspots.kde`): FFT kernel density; hot-spots are the parts of the highest-density
  region holding ``share`` of the incidents;
- ``gistar`` (:mod:`~geo.hotspots.gistar`): Getis-Ord Gi* on cells, Benjamini–Hochberg FDR; hot-spots are
  connected groups of hot cells significant at ``alpha``.

Every automatic choice (``eps_m``, ``min_samples``, ``bandwidth_m``, ``cell_m``, ``band_m``) is recorded with
its reason in ``hotspots.attrs["choices"]`` (``{name: (value, reason)}``); ``attrs["auto"]`` lists the names
that were chosen automatically.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.hotspots._area import as_area_geometry
from geo.hotspots.dbscan import dbscan_labels, suggest_eps, suggest_min_samples
from geo.hotspots.filters import filter_reports
from geo.hotspots.gistar import gistar_cells
from geo.hotspots.hdbscan import hdbscan_labels
from geo.hotspots.kde import density_contours, kde_surface
from geo.hotspots.objects import HOTSPOT_COLUMNS, Hotspots, build_hotspots, cell_union, empty_hotspots
from geo.model import point_reports, require_metric_crs

__all__ = [
    "HOTSPOT_COLUMNS",
    "METHODS",
    "Hotspots",
    "filter_reports",
    "find_hotspots",
    "gistar_cells",
    "hotspots_from_cells",
]

METHODS: tuple[str, ...] = ("dbscan", "hdbscan", "kde", "gistar")


def _xy(frame: gpd.GeoDataFrame) -> np.ndarray:
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
    ij = np.floor(xy / cell_m).astype("int64")
    _, inverse, counts = np.unique(
        ij[:, 0] * 4_294_967_296 + ij[:, 1], return_inverse=True, return_counts=True
    )
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
    members = _members_in(polys, _xy(reports))
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


def find_hotspots(
    reports: gpd.GeoDataFrame,
    *,
    method: str = "dbscan",
    eps_m: float | None = None,
    min_samples: int | None = None,
    bandwidth_m: float | None = None,
    share: float = 0.5,
    cell_m: float | None = None,
    band_m: float | None = None,
    alpha: float = 0.05,
    area: object = None,
    streets: gpd.GeoDataFrame | None = None,
    previous: gpd.GeoDataFrame | None = None,
    period_end: pd.Timestamp | None = None,
    shape: str = "square",
    min_cluster_size: int | None = None,
    lang: str = "sv",
) -> Hotspots:
    """Find hot-spots in reports with one of the four methods.

    Reports with municipality or county precision are left out first (:func:`geo.model.point_reports`).

    Parameters
    ----------
    reports
        Reports in the canonical model (metric CRS).
    method
        ``"dbscan"``, ``"hdbscan"``, ``"kde"`` or ``"gistar"``.
    eps_m
        DBSCAN radius in metres (inclusive); default from the k-distance curve.
    min_samples
        DBSCAN and HDBSCAN core size in reports (stacked copies count), and the fewest reports a KDE or
        Gi* hot-spot may hold; default ``max(5, √n/4)``.
    bandwidth_m
        KDE Gaussian standard deviation in metres; default Silverman's rule.
    share
        KDE: hot-spots are the parts of the densest region holding this share (0..1) of the reports.
    cell_m
        Gi*: cell size in metres; KDE: grid cell; DBSCAN/HDBSCAN: the grid of the hot-spot shapes
        (default half of ``eps_m``).
    band_m
        Gi*: binary distance band in metres between cell centres; default from incremental spatial
        autocorrelation.
    alpha
        Gi*: false discovery rate for hot cells.
    area
        Study polygon in the reports' CRS (a shapely geometry, a :class:`~geo.io.area.StudyArea` or a
        GeoDataFrame): KDE edge correction and Gi* cells.
    streets
        Lines with a ``name`` column, for labels.
    previous
        Hot-spots of an earlier run: matching ones keep their id, others are ``new``.
    period_end
        End of the study period for trends (default: the last report).
    shape
        Gi* cells: ``"square"`` or ``"hex"``.
    min_cluster_size
        HDBSCAN's smallest cluster in reports; default ``3 × min_samples``.
    lang
        Language of ``peak_windows``.

    Returns
    -------
    hotspots
        See :data:`geo.hotspots.objects.HOTSPOT_COLUMNS`; choices in ``attrs["choices"]``.

    Raises
    ------
    ValueError
        For an unknown method or a parameter out of range (the message names it).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got '{method}'")
    require_metric_crs(reports, what="reports")
    if eps_m is not None and not eps_m > 0:
        raise ValueError(f"eps_m must be > 0 metres, got {eps_m}")
    if min_samples is not None and min_samples < 1:
        raise ValueError(f"min_samples must be >= 1, got {min_samples}")
    if bandwidth_m is not None and not bandwidth_m > 0:
        raise ValueError(f"bandwidth_m must be > 0 metres, got {bandwidth_m}")
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], got {share}")
    pts = point_reports(reports) if "location_precision" in reports.columns else reports
    pts = pts.reset_index(drop=True)
    crs = reports.crs
    area_geom = as_area_geometry(area, crs)
    xy = _xy(pts)
    choices: dict[str, tuple[float, str]] = {}
    auto: list[str] = []

    def choose(name: str, given: float | None, fn: object) -> float:
        if given is not None:
            choices[name] = (float(given), f"{name} {given:g}: angiven / given")
            return float(given)
        value, why = fn()  # type: ignore[operator]
        choices[name] = (float(value), why)
        auto.append(name)
        return float(value)

    if len(pts) == 0:
        out = empty_hotspots(crs)
        out.attrs["choices"], out.attrs["auto"], out.attrs["n_point_reports"] = {}, [], 0
        return out
    shapes: list[BaseGeometry]
    members: list[np.ndarray]
    if method in {"dbscan", "hdbscan"}:
        ms = int(choose("min_samples", min_samples, lambda: suggest_min_samples(len(pts))))
        if method == "dbscan" or cell_m is None:
            eps = choose("eps_m", eps_m, lambda: suggest_eps(xy, min_samples=ms))
        if method == "dbscan":
            labels = dbscan_labels(xy, eps_m=eps, min_samples=ms)
        else:
            mcs = int(
                choose(
                    "min_cluster_size",
                    min_cluster_size,
                    lambda: (3 * ms, f"min_cluster_size {3 * ms}: 3 × min_samples"),
                )
            )
            labels = hdbscan_labels(xy, min_cluster_size=max(2, mcs), min_samples=ms)
        grid = float(cell_m) if cell_m is not None else max(10.0, math.ceil(eps / 2))
        choices.setdefault("shape_cell_m", (grid, f"form-rutnät / shape grid {grid:g} m"))
        members = [np.flatnonzero(labels == k) for k in range(int(labels.max()) + 1)] if len(labels) else []
        if method == "hdbscan":
            # HDBSCAN attaches lone fringe reports to a cluster; the place is where members share cells
            members = [m[_shared_cells(xy[m], cell_m=grid)] for m in members]
            members = [m for m in members if len(m)]
        shapes = [cell_union(xy[m], cell_m=grid) for m in members]
    elif method == "kde":
        surface = kde_surface(pts, bandwidth_m=bandwidth_m, cell_m=cell_m, area=area_geom)
        choices["bandwidth_m"] = (surface.bandwidth_m, surface.bandwidth_reason)
        if bandwidth_m is None:
            auto.append("bandwidth_m")
        choices["cell_m"] = (surface.cell_m, f"rutnät / grid {surface.cell_m:g} m")
        contours = density_contours(surface, shares=(share,))
        polys = _parts(contours.geometry.iloc[0])
        found = _members_in(polys, xy)
        ms = int(choose("min_samples", min_samples, lambda: suggest_min_samples(len(pts))))
        keep = [i for i, m in enumerate(found) if len(m) >= ms]
        shapes, members = [polys[i] for i in keep], [found[i] for i in keep]
    else:
        cells = gistar_cells(pts, cell_m=cell_m, band_m=band_m, area=area_geom, shape=shape)
        choices.update(cells.attrs["choices"])
        auto.extend(cells.attrs["auto"])
        ms = int(choose("min_samples", min_samples, lambda: suggest_min_samples(len(pts))))
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
        out.attrs["choices"], out.attrs["auto"], out.attrs["n_point_reports"] = choices, auto, len(pts)
        return out
    out = build_hotspots(
        pts,
        shapes,
        members,
        method=method,
        streets=streets,
        previous=previous,
        period_end=period_end,
        lang=lang,
    )
    out.attrs["choices"], out.attrs["auto"], out.attrs["n_point_reports"] = choices, auto, len(pts)
    return out
