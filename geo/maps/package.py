"""All map layers as GeoPackage layers, for QGIS users (written by :func:`geo.io.outputs.maps.write_map`)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.maps.prepare import MapLayers

__all__ = ["GPKG_LAYER_NAMES", "MAP_MARKER_LAYER", "gpkg_layers"]

MAP_MARKER_LAYER = "lagesbild_map"
"""A one-row table in every map GeoPackage: public or not, k, cell size, period, CRS and the layer list."""

GPKG_LAYER_NAMES: dict[str, str] = {
    "area": "study_area",
    "grid": "report_grid",
    "density": "density_contours",
    "hotspots": "hotspots",
    "gistar": "gistar_cells",
    "points": "reports",
    "lit_coverage": "lit_coverage",
    "dark_stretches": "dark_stretches",
    "dark_places": "dark_places",
    "lamp_proposals": "lighting_proposals",
    "quick_fixes": "quick_fixes",
    "speed": "speed_segments",
    "enforcement": "enforcement_plan",
    "patrol": "patrol_visits",
    "forecast": "forecast_cells",
    "measures": "measures",
    "insecurity": "insecurity_cells",
    "nearrepeat": "nearrepeat_zones",
}
"""Map layer key → GeoPackage layer name."""


def gpkg_layers(layers: MapLayers) -> dict[str, gpd.GeoDataFrame]:
    """Return the map's layers as GeoDataFrames named for the GeoPackage.

    Tables with ``lat``/``lon`` become points.

    Parameters
    ----------
    layers
        From :func:`geo.maps.prepare.prepare_layers`; the public version holds only public layers.
    """
    out: dict[str, gpd.GeoDataFrame] = {}
    for key, frame in layers.frames.items():
        name = GPKG_LAYER_NAMES.get(key, key)
        if isinstance(frame, gpd.GeoDataFrame) and frame.crs is not None:
            out[name] = frame
        elif {"lat", "lon"} <= set(frame.columns):
            geom = gpd.points_from_xy(
                pd.to_numeric(frame["lon"]), pd.to_numeric(frame["lat"]), crs="EPSG:4326"
            )
            table = pd.DataFrame(frame).drop(columns=[c for c in ("geometry",) if c in frame.columns])
            out[name] = gpd.GeoDataFrame(table, geometry=geom, crs="EPSG:4326")
    meta = {
        "public": [layers.public],
        "k": [layers.k],
        "cell_m": [layers.cell_m],
        "period": [layers.period],
        "analysis_crs": [layers.crs_name],
        "layers": [",".join(out)],
    }
    out[MAP_MARKER_LAYER] = gpd.GeoDataFrame(meta, geometry=[None], crs="EPSG:4326")
    if len(layers.feed):
        feed = layers.feed.assign(week=pd.to_datetime(layers.feed["week"]).dt.strftime("%Y-%m-%d"))
        out["police_feed_weekly"] = gpd.GeoDataFrame(feed, geometry=[None] * len(feed), crs="EPSG:4326")
    return out
