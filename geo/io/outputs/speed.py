"""Writer of the speed stage's result: the segments GeoPackage, the enforcement plan and the rejects.

Each file is written atomically (:func:`geo.io.export.atomic_path`); the GeoPackage keeps the metric CRS.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from geo.io.export import atomic_path, write_csv, write_frame
from geo.io.manifest import OutputFile

if TYPE_CHECKING:
    from geo.stages.speed import SpeedResult

__all__ = ["write_speed"]

_STAGE = "speed"


def write_speed(result: SpeedResult, out_dir: str | Path) -> list[OutputFile]:
    """Write ``speed_segments.gpkg``, ``enforcement_plan.csv`` and ``speed_rejects.csv`` into `out_dir`.

    The GeoPackage (metric CRS) holds the layers ``segments`` (every segment with its figures), ``windows``
    (segment × time window, on the segment's line; when there are any), ``enforcement`` (the plan's points;
    when there are any) and ``traffic_reports`` (attached reports, no free text; when there are any). The plan
    table starts with :data:`geo.plan.enforcement.ENFORCEMENT_COLUMNS`.

    Parameters
    ----------
    result
        From :func:`geo.stages.speed.speed_stage`.
    out_dir
        Output folder (created).

    Returns
    -------
    files
        ``speed_segments`` (the GeoPackage) and one entry per layer (kind ``speed_segments.<layer>``),
        ``enforcement_plan`` and ``speed_rejects``.
    """
    from geo.plan.enforcement import ENFORCEMENT_COLUMNS

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    gpkg = out / "speed_segments.gpkg"
    layers = _gpkg_layers(result)
    with atomic_path(gpkg) as tmp:
        for name, frame in layers.items():
            write_frame(frame, tmp, layer=name)
    table = pd.DataFrame(result.plan.drop(columns=result.plan.geometry.name))
    cols = [*ENFORCEMENT_COLUMNS, *[c for c in table.columns if c not in ENFORCEMENT_COLUMNS]]
    plan_csv = write_csv(table.reindex(columns=cols), out / "enforcement_plan.csv")
    rejects_csv = write_csv(result.rejects, out / "speed_rejects.csv")
    return [
        OutputFile("speed_segments", str(gpkg), _STAGE),
        *(OutputFile(f"speed_segments.{name}", str(gpkg), _STAGE, layer=name) for name in layers),
        OutputFile("enforcement_plan", str(plan_csv), _STAGE),
        OutputFile("speed_rejects", str(rejects_csv), _STAGE),
    ]


def _gpkg_layers(result: SpeedResult) -> dict[str, gpd.GeoDataFrame]:
    """Return the GeoPackage's layers by name; empty windows, plan and reports are left out."""
    layer = result.layer
    layers = {"segments": layer.segments}
    if len(layer.windows):
        seg = layer.segments
        geom = seg.set_index(seg["segment_id"].astype("string")).geometry
        layers["windows"] = gpd.GeoDataFrame(
            layer.windows.copy(),
            geometry=layer.windows["segment_id"].astype("string").map(geom).to_numpy(),
            crs=seg.crs,
        )
    if len(result.plan):
        layers["enforcement"] = result.plan
    if len(layer.reports):
        layers["traffic_reports"] = layer.reports
    return layers
