"""Writer of the lighting stage's result: the tables, the summary and the GeoPackage ``geo lighting`` writes.

Files (names, columns and layer names are command-line contracts; the map reads them by name):

- ``lighting_proposals.csv``: new lamps, first columns :data:`PROPOSAL_COLUMNS`;
- ``dark_places.csv``: ranked dark stretches, first columns :data:`DARK_PLACE_COLUMNS`;
- ``quick_fixes.csv``: broken and part-night lamps to repair first;
- ``lighting_summary.json``: layer figures, score rule, optimiser method and status (and the follow-up);
- ``lighting.gpkg``: layers :data:`GPKG_LAYERS`, in the analysis' metric CRS;
- ``lighting_rejects.csv``: lamp/way rows not used (only when there are any);
- ``follow_up.csv``: the before/after follow-up (only when one was made).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.io.export import atomic_path, write_csv, write_frame, write_text
from geo.io.manifest import OutputFile
from geo.stages.lighting import LightingResult

__all__ = ["DARK_PLACE_COLUMNS", "GPKG_LAYERS", "PROPOSAL_COLUMNS", "write_lighting"]

STAGE = "lighting"

PROPOSAL_COLUMNS = ["rank", "lat", "lon", "street", "covered_reports", "gain", "reason"]
"""The first columns of ``lighting_proposals.csv`` (the command-line contract)."""

DARK_PLACE_COLUMNS = ["rank", "lat", "lon", "length_m", "score", "dark_reports"]
"""The first columns of ``dark_places.csv`` (the command-line contract)."""

GPKG_LAYERS = (
    "lit_coverage",
    "lamps",
    "walkable_ways",
    "unlit_ways",
    "dark_places",
    "dark_evidence",
    "lighting_proposals",
    "proposal_coverage",
    "quick_fixes",
)
"""The layers of ``lighting.gpkg``, in the order written."""


def _table(frame: gpd.GeoDataFrame, first: list[str] | None = None) -> pd.DataFrame:
    """Return `frame` without its geometry, with the `first` columns first."""
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    if first is None:
        return table
    return table[first + [c for c in table.columns if c not in first]]


def _summary(result: LightingResult) -> dict[str, Any]:
    plan = result.plan
    layer, prop, places = plan.layer, plan.proposals, plan.dark_places
    summary: dict[str, Any] = {
        "layer": {k: (round(v, 1) if isinstance(v, float) else v) for k, v in layer.summary().items()},
        "radius_m": layer.radius_m,
        "lit_way_buffer_m": layer.lit_way_buffer_m,
        "score_rule": str(places["score_rule"].iloc[0]) if len(places) else "",
        "evidence_reports": len(plan.evidence),
        "optimiser": {
            "method": prop.method,
            "status": prop.status,
            "candidates": prop.candidates,
            "covered_weight": prop.covered_weight,
            "greedy_weight": prop.greedy_weight,
            "total_weight": prop.total_weight,
            "notes": prop.notes,
        },
        "proposals": len(prop.lamps),
        "quick_fixes": len(plan.fixes),
    }
    follow = result.follow_up
    if follow is not None:
        summary["follow_up"] = {
            "ratio": follow.ratio,
            "ci_low": follow.ci_low,
            "ci_high": follow.ci_high,
            "note": follow.note,
        }
    return summary


def _layers(result: LightingResult) -> dict[str, gpd.GeoDataFrame]:
    plan = result.plan
    layer, props = plan.layer, plan.proposals.lamps
    evidence = plan.evidence.drop(columns=[c for c in ("description",) if c in plan.evidence.columns])
    coverage = gpd.GeoDataFrame(
        props.drop(columns=props.geometry.name), geometry=props.geometry.buffer(layer.radius_m), crs=props.crs
    )
    frames = [
        layer.coverage,
        layer.lamps,
        layer.ways,
        layer.unlit_ways,
        plan.dark_places,
        evidence,
        props,
        coverage,
        plan.fixes,
    ]
    return dict(zip(GPKG_LAYERS, frames, strict=True))


def _write_tables(result: LightingResult, out: Path) -> list[OutputFile]:
    plan = result.plan
    tables = {
        "lighting_proposals": _table(plan.proposals.lamps, PROPOSAL_COLUMNS),
        "dark_places": _table(plan.dark_places, DARK_PLACE_COLUMNS),
        "quick_fixes": _table(plan.fixes),
    }
    if len(result.rejects):
        tables["lighting_rejects"] = result.rejects
    follow = result.follow_up
    if follow is not None:
        tables["follow_up"] = follow.table.assign(
            ratio=follow.ratio, ci_low=follow.ci_low, ci_high=follow.ci_high, note=follow.note
        )
    return [
        OutputFile(kind, str(write_csv(table, out / f"{kind}.csv")), STAGE) for kind, table in tables.items()
    ]


def write_lighting(result: LightingResult, out_dir: str | Path) -> list[OutputFile]:
    """Write the lighting stage's files into `out_dir` (each atomically; the folder is made if needed).

    Parameters
    ----------
    result
        From :func:`geo.stages.lighting.lighting_stage`.
    out_dir
        The output folder.

    Returns
    -------
    files
        One entry per file, its kind the file stem (``lighting_proposals``, ``dark_places``,
        ``quick_fixes``, ``lighting_rejects`` and ``follow_up`` when written, ``lighting_summary``,
        ``lighting`` for the GeoPackage), then one entry per GeoPackage layer (kind ``lighting.<layer>``,
        ``layer`` set).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = _write_tables(result, out)
    text = json.dumps(_summary(result), ensure_ascii=False, indent=2, default=float)
    files.append(OutputFile("lighting_summary", str(write_text(text, out / "lighting_summary.json")), STAGE))
    gpkg = out / "lighting.gpkg"
    with atomic_path(gpkg) as tmp:
        for name, frame in _layers(result).items():
            write_frame(frame, tmp, layer=name)
    files.append(OutputFile("lighting", str(gpkg), STAGE))
    files.extend(OutputFile(f"lighting.{name}", str(gpkg), STAGE, layer=name) for name in GPKG_LAYERS)
    return files
