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
- ``kde`` (:mod:`~geo.hotspots.kde`, :mod:`~geo.hotspots.kde_significance`): FFT kernel density; a hot-spot
  is a concentration significantly denser than complete spatial randomness in the study area allows
  (Monte Carlo, ``simulations`` seeded surfaces, level ``alpha``), outlined where it is at least ``share``
  (30 %) of its own peak above the background;
- ``gistar`` (:mod:`~geo.hotspots.gistar`, cells in :mod:`~geo.hotspots.cells`, band in
  :mod:`~geo.hotspots.band`): Getis-Ord Gi* on cells of the one grid (:mod:`geo.grid`),
  Benjamini–Hochberg FDR; hot-spots are connected groups of hot cells significant at ``alpha``.

The steps from a method's output to shapes and members are in :mod:`geo.hotspots.methods`.

Every automatic choice (``eps_m``, ``min_samples``, ``bandwidth_m``, ``cell_m``, ``band_m``) is recorded with
its reason in ``hotspots.attrs["choices"]`` (``{name: (value, reason)}``); ``attrs["auto"]`` lists the names
that were chosen automatically.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.hotspots._area import as_area_geometry
from geo.hotspots.filters import filter_reports
from geo.hotspots.gistar import gistar_cells
from geo.hotspots.methods import Choices, cluster_members, gistar_hotspots, kde_members, positions
from geo.hotspots.objects import HOTSPOT_COLUMNS, Hotspots, build_hotspots, empty_hotspots
from geo.model import point_reports, require_metric_crs

__all__ = [
    "HOTSPOT_COLUMNS",
    "METHODS",
    "Hotspots",
    "filter_reports",
    "find_hotspots",
    "gistar_cells",
]

METHODS: tuple[str, ...] = ("dbscan", "hdbscan", "kde", "gistar")


def _check(
    method: str, eps_m: float | None, min_samples: int | None, bandwidth_m: float | None, share: float
) -> None:
    """Raise ValueError naming the first argument of :func:`find_hotspots` out of range."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got '{method}'")
    if eps_m is not None and not eps_m > 0:
        raise ValueError(f"eps_m must be > 0 metres, got {eps_m}")
    if min_samples is not None and min_samples < 1:
        raise ValueError(f"min_samples must be >= 1, got {min_samples}")
    if bandwidth_m is not None and not bandwidth_m > 0:
        raise ValueError(f"bandwidth_m must be > 0 metres, got {bandwidth_m}")
    if not 0 < share < 1:
        raise ValueError(f"share must be between 0 and 1 (exclusive), got {share}")


def find_hotspots(
    reports: gpd.GeoDataFrame,
    *,
    method: str = "dbscan",
    eps_m: float | None = None,
    min_samples: int | None = None,
    bandwidth_m: float | None = None,
    share: float = 0.3,
    cell_m: float | None = None,
    band_m: float | None = None,
    alpha: float = 0.05,
    area: object = None,
    streets: gpd.GeoDataFrame | None = None,
    previous: gpd.GeoDataFrame | None = None,
    period_end: pd.Timestamp | None = None,
    shape: str = "square",
    min_cluster_size: int | None = None,
    simulations: int = 99,
    seed: int = 0,
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
        KDE Gaussian standard deviation in metres; default the mean spacing of reports.
    share
        KDE: each hot-spot is outlined where its density is at least this share (0..1, exclusive) of its
        peak above the background (the rule: :mod:`geo.hotspots.kde_significance`).
    cell_m
        Gi*: cell size in metres; KDE: grid cell; DBSCAN/HDBSCAN: the grid of the hot-spot shapes
        (default half of ``eps_m``).
    band_m
        Gi*: binary distance band in metres between cell centres; default from incremental spatial
        autocorrelation.
    alpha
        Gi*: false discovery rate for hot cells; KDE: level of the Monte Carlo test (the chance that
        randomness alone makes any cell of the study area as dense as a hot-spot's).
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
    simulations
        KDE: number of simulated surfaces under complete spatial randomness (>= 19).
    seed
        KDE: seed of the simulations (the same seed gives the same hot-spots).
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
    _check(method, eps_m, min_samples, bandwidth_m, share)
    require_metric_crs(reports, what="reports")
    pts = point_reports(reports) if "location_precision" in reports.columns else reports
    pts = pts.reset_index(drop=True)
    rec = Choices()
    if len(pts) == 0:
        return rec.stamp(empty_hotspots(reports.crs), 0)
    if method == "gistar":
        found, _ = gistar_hotspots(
            pts,
            cell_m=cell_m,
            band_m=band_m,
            alpha=alpha,
            min_samples=min_samples,
            area=area,
            shape=shape,
            streets=streets,
            previous=previous,
            period_end=period_end,
            lang=lang,
        )
        return found
    xy = positions(pts)
    if method == "kde":
        area_geom = as_area_geometry(area, reports.crs)
        shapes, members = kde_members(
            pts,
            xy,
            rec,
            bandwidth_m=bandwidth_m,
            cell_m=cell_m,
            share=share,
            min_samples=min_samples,
            area=area_geom,
            alpha=alpha,
            simulations=simulations,
            seed=seed,
        )
    else:
        shapes, members = cluster_members(
            xy,
            rec,
            method=method,
            eps_m=eps_m,
            min_samples=min_samples,
            cell_m=cell_m,
            min_cluster_size=min_cluster_size,
        )
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
    return rec.stamp(out, len(pts))
