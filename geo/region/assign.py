"""Give each report its area: exactly one, or none (counted as elsewhere or nowhere)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np

__all__ = ["AreaIndex", "assign_areas", "area_km2"]


def _same_areas(chosen: gpd.GeoDataFrame, every: gpd.GeoDataFrame) -> bool:
    if len(chosen) != len(every) or set(chosen["code"]) != set(every["code"]):
        return False
    a = chosen.set_index("code").geometry
    b = every.set_index("code").geometry.reindex(a.index)
    return bool(a.geom_equals_exact(b, tolerance=0).all())


class AreaIndex:
    """The chosen areas and every known area, projected once, to give each report its area chunk by chunk.

    Parameters
    ----------
    chosen, every
        The areas of the run and every known area (``code``, geometry), as :func:`assign_areas` takes them.
    crs
        The reports' CRS (the areas are projected to it once).
    """

    def __init__(self, chosen: gpd.GeoDataFrame, every: gpd.GeoDataFrame, crs: object) -> None:
        self.crs = crs
        pairs: tuple[tuple[gpd.GeoDataFrame, bool], ...] = ((every, False), (chosen, True))
        if _same_areas(chosen, every):  # the whole country: in a chosen area or in none
            pairs = ((chosen, True),)
        self.frames = [(frame[["code", "geometry"]].to_crs(crs).sort_values("code"), c) for frame, c in pairs]

    def assign(self, points: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
        """Return each point's chosen area code and where it lies (see :func:`assign_areas`)."""
        labels = np.full(len(points), None, dtype=object)
        where = np.full(len(points), "nowhere", dtype=object)
        if not len(points):
            return labels, where
        pts = gpd.GeoDataFrame(geometry=points.reset_index(drop=True))
        if pts.crs is not None and not pts.crs.equals(self.crs):
            pts = pts.to_crs(self.crs)
        for polys, chosen_ in self.frames:
            hits = gpd.sjoin(pts, polys, how="inner", predicate="intersects")
            first = (
                hits.assign(point=hits.index.to_numpy())[["point", "code"]]
                .sort_values(["point", "code"])
                .drop_duplicates("point")  # the lowest code wins
            )
            idx = first["point"].to_numpy()
            if chosen_:
                labels[idx] = first["code"].astype(str).to_numpy()
                where[idx] = "chosen"
            else:
                where[idx] = "elsewhere"
        return labels, where


def assign_areas(
    points: gpd.GeoSeries, chosen: gpd.GeoDataFrame, every: gpd.GeoDataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Return each point's chosen area code and, for the others, where they lie.

    A point on a shared border, or where two simplified boundaries overlap, goes to the area with the lowest
    code, so every report belongs to exactly one area.

    Parameters
    ----------
    points
        Report positions (any CRS).
    chosen
        The areas of the run (``code``, geometry).
    every
        Every known area (all municipalities), to tell reports in an area not chosen from reports in none.

    Returns
    -------
    labels, where
        ``labels``: the chosen area's code, or ``None``; ``where``: ``"chosen"``, ``"elsewhere"`` (in an area
        not chosen) or ``"nowhere"`` (in no known area: at sea, abroad, a wrong position).
    """
    if not len(points):
        return np.full(0, None, dtype=object), np.full(0, "nowhere", dtype=object)
    return AreaIndex(chosen, every, points.crs).assign(points)


def area_km2(areas: gpd.GeoDataFrame, crs: object) -> np.ndarray:
    """Return each area's size in km², measured in the metric CRS `crs`."""
    return np.round(areas.to_crs(crs).geometry.area.to_numpy() / 1e6, 2)
