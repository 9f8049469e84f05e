"""Give each report its area: exactly one, or none (counted as elsewhere or nowhere)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np

__all__ = ["assign_areas", "area_km2"]


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
    labels = np.full(len(points), None, dtype=object)
    where = np.full(len(points), "nowhere", dtype=object)
    if not len(points):
        return labels, where
    pts = gpd.GeoDataFrame(geometry=points.reset_index(drop=True))
    for frame, chosen_ in ((every, False), (chosen, True)):
        polys = frame[["code", "geometry"]].to_crs(points.crs).sort_values("code")
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


def area_km2(areas: gpd.GeoDataFrame, crs: object) -> np.ndarray:
    """Return each area's size in km², measured in the metric CRS `crs`."""
    return np.round(areas.to_crs(crs).geometry.area.to_numpy() / 1e6, 2)
