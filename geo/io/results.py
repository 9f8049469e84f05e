"""Reading a results folder for the map (``geo map --results DIR``): by its manifest, kind by kind.

Every file is looked up by the kind its writer gave it in the folder's manifest (``run.json``, see
:mod:`geo.io.manifest`), never by guessing from its columns. The kinds the map draws:

=================  ===================================================================================
map frame          manifest kind (GeoPackage layer), first found wins
=================  ===================================================================================
hotspots           ``hotspots`` (layer ``hotspots``)
density            ``density``
gistar             ``gistar`` (layer ``gistar``)
lit_coverage       ``lighting`` / ``lighting_gpkg`` (layer ``lit_coverage``)
dark_stretches     ``lighting`` / ``lighting_gpkg`` (layer ``unlit_ways``)
dark_places        ``lighting`` / ``lighting_gpkg`` (layer ``dark_places``), else ``dark_places`` (CSV)
lamp_proposals     ``lighting`` / ``lighting_gpkg`` (layer ``lighting_proposals``), else
                   ``lighting_proposals`` (CSV)
quick_fixes        ``lighting`` / ``lighting_gpkg`` (layer ``quick_fixes``), else ``quick_fixes`` (CSV)
speed_segments     ``speed_segments`` / ``speed_segments_gpkg`` (layer ``segments``)
enforcement        ``enforcement_plan`` (CSV)
patrol_visits      ``patrol_plan`` (CSV), else ``patrol_plan_gpkg`` (layer ``visits``)
forecast_cells     ``forecast_gpkg`` / ``forecast`` (layer ``forecast_top``)
insecurity         ``insecurity_cells`` / ``insecurity_gpkg`` (layer ``insecurity``)
area               ``study_area``
=================  ===================================================================================

Everything else in the manifest is listed in ``MapInputs.skipped`` with the reason, e.g. ``patrol_naive``
(the naive comparison plan is never drawn) or a map's own files.

CRS rule: vector files keep the CRS stored in them (the map reprojects every layer to the reports' metric
CRS); a GeoPackage layer or GeoJSON without a CRS is an error naming the file. CSV tables stay tables:
their ``lat``/``lon`` columns are WGS84 and the map draws them as points.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.errors import InputError
from geo.io.export import from_gpkg_names
from geo.io.manifest import Manifest, OutputFile, read_manifest
from geo.stages.maps import MapInputs

__all__ = [
    "MAP_SOURCES",
    "map_inputs_from_manifest",
    "read_map_inputs",
    "results_manifest",
    "read_previous_hotspots",
]

_LIGHTING = ("lighting", "lighting_gpkg")

MAP_SOURCES: dict[str, tuple[tuple[str, str | None], ...]] = {
    "hotspots": (("hotspots", "hotspots"),),
    "density": (("density", None),),
    "gistar": (("gistar", "gistar"),),
    "lit_coverage": tuple((k, "lit_coverage") for k in _LIGHTING),
    "dark_stretches": tuple((k, "unlit_ways") for k in _LIGHTING),
    "dark_places": (*((k, "dark_places") for k in _LIGHTING), ("dark_places", None)),
    "lamp_proposals": (*((k, "lighting_proposals") for k in _LIGHTING), ("lighting_proposals", None)),
    "quick_fixes": (*((k, "quick_fixes") for k in _LIGHTING), ("quick_fixes", None)),
    "speed_segments": (("speed_segments", "segments"), ("speed_segments_gpkg", "segments")),
    "enforcement": (("enforcement_plan", None),),
    "patrol_visits": (("patrol_plan", None), ("patrol_plan_gpkg", "visits")),
    "forecast_cells": (("forecast_gpkg", "forecast_top"), ("forecast", "forecast_top")),
    "insecurity": (("insecurity_cells", "insecurity"), ("insecurity_gpkg", "insecurity")),
    "area": (("study_area", None),),
    "nearrepeat_zones": (("nearrepeat_zones", None),),
}
"""Map frame -> the (manifest kind, GeoPackage layer) pairs it is read from, in order of preference."""

_MAP_KINDS = ("map", "map_gpkg", "map_summary", "map_public", "map_public_gpkg", "gpkg", "summary")
_SILENT = ("reports", "rejects", "manifest", "workbook")
_VECTOR = {".gpkg", ".geojson", ".json", ".parquet", ".geoparquet", ".shp", ".fgb"}


def results_manifest(folder: str | Path) -> Manifest:
    """Read the manifest of a results folder.

    A ``run.json`` of version 1 (``geo run`` before manifests listed kinds) maps names to files under
    ``outputs``; those names are the kinds.

    Raises
    ------
    InputError
        When the folder does not exist or has no manifest (naming the folder).
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError("results folder not found", path=str(root))
    manifest = read_manifest(root)
    outputs = manifest.info.get("outputs")
    if not manifest.files and isinstance(outputs, dict):
        manifest.files = [
            OutputFile(kind=str(k), path=str((root / str(p)).resolve()), stage="") for k, p in outputs.items()
        ]
    return manifest


def _layers(path: Path) -> list[str]:
    try:
        return [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as err:  # noqa: BLE001 - a driver failure is the file's problem
        raise InputError(f"cannot read as GeoPackage: {err}", path=str(path)) from err


def _read(entry: OutputFile, layer: str | None) -> pd.DataFrame | None:
    """Read one manifest entry (the GeoPackage `layer` of it); ``None`` when it does not hold that layer."""
    path = Path(entry.path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError(f"listed in the manifest as '{entry.kind}' but missing", path=str(path))
    try:
        if suffix == ".csv":
            if layer is not None:
                return None  # a table, not the GeoPackage layer asked for
            return pd.read_csv(path, dtype={"start": str, "end": str, "date": str})
        if suffix not in _VECTOR:
            return None
        if suffix == ".gpkg":
            names = _layers(path)
            want = entry.layer or layer or names[0]
            if want not in names:
                return None
            frame = from_gpkg_names(gpd.read_file(path, layer=want, engine="pyogrio"))
        elif suffix in {".parquet", ".geoparquet"}:
            frame = gpd.read_parquet(path)
        else:
            frame = gpd.read_file(path, engine="pyogrio")
    except InputError:
        raise
    except Exception as err:  # noqa: BLE001 - any parse failure is the file's problem
        raise InputError(f"cannot read '{entry.kind}': {err}", path=str(path)) from err
    if frame.crs is None and len(frame):
        raise InputError(f"'{entry.kind}' has no CRS", path=str(path))
    return frame


def _skip_reason(entry: OutputFile) -> str | None:
    name = Path(entry.path).name
    if entry.kind in _MAP_KINDS or entry.kind.startswith("map_"):
        what = "GeoPackage" if name.endswith(".gpkg") else "page"
        return f"{name}: a map's own {what} (drawn from results, not a result)"
    if entry.kind == "patrol_naive":
        return f"{name}: the naive comparison plan (the map shows patrol_plan)"
    if entry.kind.endswith(_SILENT) or entry.kind in _SILENT:
        return None
    return f"{name}: kind '{entry.kind}' is not a map layer"


def read_map_inputs(folder: str | Path) -> MapInputs:
    """Read what a map draws from a results folder, by the kinds in its manifest.

    Parameters
    ----------
    folder
        A folder written by ``geo run`` or a ``geo`` command (it has a ``run.json``).

    Returns
    -------
    inputs
        The frames found (see :data:`MAP_SOURCES`); ``origin`` names each frame's file and layer,
        ``skipped`` lists the other files of the manifest with the reason.

    Raises
    ------
    InputError
        When the folder or its manifest is missing, a listed file cannot be read, or nothing in it is a map
        layer.
    """
    inputs = map_inputs_from_manifest(results_manifest(folder))
    if not inputs.frames():
        kinds = ", ".join(results_manifest(folder).kinds) or "none"
        raise InputError(
            f"no map layer in the manifest (kinds: {kinds}); expected e.g. hotspots, lighting, patrol_plan, "
            "enforcement_plan, speed_segments, forecast_gpkg",
            path=str(folder),
        )
    return inputs


def map_inputs_from_manifest(manifest: Manifest) -> MapInputs:
    """Read the frames a map draws from the files `manifest` lists (see :data:`MAP_SOURCES`).

    Raises
    ------
    InputError
        When a listed file is missing or cannot be read.
    """
    inputs = MapInputs()
    used: set[str] = set()
    for name, sources in MAP_SOURCES.items():
        for kind, layer in sources:
            entry = manifest.path_of(kind)
            frame = _read(entry, layer) if entry is not None else None
            if entry is not None and frame is not None:
                where = Path(entry.path).name
                if where.endswith(".gpkg"):
                    where += f":{entry.layer or layer}"
                inputs.set(name, frame, where)
                used.add(kind)
                break
    lighting_used = any(k in used for k in _LIGHTING)
    for entry in manifest.files:
        covered = lighting_used and entry.kind in {"dark_places", "lighting_proposals", "quick_fixes"}
        if entry.kind not in used and not covered and (reason := _skip_reason(entry)):
            inputs.skipped.append(reason)
    return inputs


def read_previous_hotspots(folder: str | Path) -> tuple[gpd.GeoDataFrame | None, str | None]:
    """Read the hot-spots an earlier run kept in `folder` (``hotspots.parquet``), for stable ids.

    Returns
    -------
    hotspots, note
        The earlier hot-spots (``None`` when there are none), and a Swedish note when the file exists but
        cannot be read (then the run gives new ids).
    """
    path = Path(folder) / "hotspots.parquet"
    if not path.exists():
        return None, None
    try:
        return gpd.read_parquet(path), None
    except Exception:  # noqa: BLE001 - an unreadable earlier result only costs stable ids
        return None, f"tidigare hot-spots i {path} gick inte att läsa; nya id:n"
