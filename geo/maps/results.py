"""Reading saved analysis results from a folder, for ``geo map --results DIR``.

Every file in the folder (not its subfolders) is looked at: GeoPackage layers, GeoJSON, GeoParquet and CSV
tables. Each table is recognised by its columns (the command-line contracts of ``geo hotspots``,
``geo lighting``, ``geo patrol``, ``geo speed`` and ``geo ingest``) or, for GeoPackage layers, by its layer
name; what is not recognised is listed, never silently used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.errors import InputError

__all__ = ["SavedResults", "classify", "load_results"]

_LAYER_NAMES = {
    "lit_coverage": "lit_coverage",
    "coverage": "lit_coverage",
    "unlit_ways": "dark_stretches",
    "dark_stretches": "dark_stretches",
    "dark_places": "dark_places",
    "lighting_proposals": "lamp_proposals",
    "proposals": "lamp_proposals",
    "quick_fixes": "quick_fixes",
    "speed_segments": "speed",
    "lighting_proposals_csv": "lamp_proposals",
    "segments": "speed",
    "enforcement_plan": "enforcement",
    "patrol_plan": "patrol",
    "hotspots": "hotspots",
    "density": "density",
    "gistar": "gistar",
    "reports": "reports",
    "study_area": "area",
    "area": "area",
}
"""GeoPackage layer names (and file stems) → the map's layer keys."""

_IGNORED_LAYERS = {"lamps", "walkable_ways", "dark_evidence", "proposal_coverage", "naive_plan", "routes"}


def classify(name: str, columns: set[str]) -> str | None:
    """Name the map layer a saved table belongs to.

    By its layer or file name when that is a known output name (``lighting_proposals``, ``quick_fixes``,
    ...), else by its columns.

    Parameters
    ----------
    name
        Layer name or file stem.
    columns
        The table's columns.

    Returns
    -------
    key
        ``hotspots``, ``gistar``, ``density``, ``lamp_proposals``, ``dark_places``, ``patrol``,
        ``enforcement``, ``speed``, ``reports``, ``lit_coverage``, ``dark_stretches``, ``quick_fixes``,
        ``area``, or ``None``.
    """
    if name in _IGNORED_LAYERS:
        return None
    if name in _LAYER_NAMES:
        return _LAYER_NAMES[name]
    if {"hotspot_id", "n_reports"} <= columns:
        return "hotspots"
    if {"class", "z"} <= columns and ("p_fdr" in columns or "p" in columns):
        return "gistar"
    if {"report_id", "occurred_at", "category"} <= columns:
        return "reports"
    if {"rank", "covered_reports"} <= columns:
        return "lamp_proposals"
    if {"rank", "dark_reports"} <= columns:
        return "dark_places"
    if {"place_id", "order", "start", "end"} <= columns:
        return "patrol"
    if {"rank", "segment_id"} <= columns:
        return "enforcement"
    if {"share", "level"} <= columns:
        return "density"
    if "segment_id" in columns and ("limit_kmh" in columns or "share_over_limit" in columns):
        return "speed"
    return None


@dataclass
class SavedResults:
    """What was found in a results folder.

    Attributes
    ----------
    frames
        Map layer key → frame (GeoDataFrame, or a table with ``lat``/``lon``); for ``reports`` the file's
        path, to be read with :func:`geo.io.read_reports`.
    used
        Layer key → the file (and layer) it came from.
    skipped
        Files or layers not recognised, with the reason.
    """

    frames: dict[str, Any] = field(default_factory=dict)
    used: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype={"start": str, "end": str, "date": str})
    except Exception as err:  # noqa: BLE001 - any parse failure is the file's problem
        raise InputError(f"cannot read as CSV: {err}", path=str(path)) from err


def _add(out: SavedResults, key: str | None, frame: Any, where: str, path: Path) -> None:
    if key == "reports":
        frame = path  # re-read and validated by geo.io.read_reports
    if key is None:
        out.skipped.append(f"{where}: not a known result (columns {sorted(frame.columns)[:8]})")
        return
    if key in out.frames:
        if (
            key == "dark_places"
            and isinstance(frame, gpd.GeoDataFrame)
            and not isinstance(out.frames[key], gpd.GeoDataFrame)
        ):
            pass  # the GeoPackage's lines beat the CSV's midpoints
        else:
            out.skipped.append(f"{where}: a second '{key}' layer (kept {out.used[key]})")
            return
    out.frames[key] = frame
    out.used[key] = where


def load_results(folder: str | Path) -> SavedResults:
    """Read every recognised result in `folder`.

    Parameters
    ----------
    folder
        A folder of outputs (``geo hotspots``, ``geo lighting``, ``geo patrol``, ``geo speed``,
        ``geo run``).

    Raises
    ------
    InputError
        If the folder does not exist, a file cannot be read, or nothing in it is recognised.
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError("results folder not found", path=str(root))
    out = SavedResults()
    for path in sorted(root.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        suffix = path.suffix.lower()
        stem = path.name.split(".")[0]
        if path.name.endswith(".rejects.csv") or stem.endswith("rejects"):
            continue
        try:
            if suffix == ".gpkg":
                names = [str(layer) for layer, _ in pyogrio.list_layers(path)]
                if "lagesbild_map" in names or "report_grid" in names:
                    out.skipped.append(f"{path.name}: a map's own GeoPackage (drawn from results, not a result)")
                    continue
                for layer in names:
                    frame = gpd.read_file(path, layer=layer, engine="pyogrio")
                    key = classify(layer, set(frame.columns))
                    if key is None and layer in _IGNORED_LAYERS:
                        continue
                    _add(out, key, frame, f"{path.name}:{layer}", path)
            elif suffix in {".geojson"}:
                frame = gpd.read_file(path, engine="pyogrio")
                _add(out, classify(stem, set(frame.columns)), frame, path.name, path)
            elif suffix in {".parquet", ".geoparquet"}:
                frame = gpd.read_parquet(path)
                _add(out, classify(stem, set(frame.columns)), frame, path.name, path)
            elif suffix == ".csv":
                table = _read_csv(path)
                _add(out, classify(stem, set(table.columns)), table, path.name, path)
        except InputError:
            raise
        except Exception as err:  # noqa: BLE001 - a driver failure is the file's problem
            raise InputError(f"cannot read: {err}", path=str(path)) from err
    if not out.frames:
        raise InputError(
            "no recognised result in the folder (expected e.g. hotspots.gpkg, lighting_proposals.csv, "
            "patrol_plan.csv, enforcement_plan.csv, speed_segments.gpkg)",
            path=str(root),
        )
    return out
