"""TEMPORARY bridge for ``geo/pipeline.py`` until it calls :func:`geo.stages.maps.map_stage` itself.

The pipeline's maps block still calls ``load_results(out)``, ``results_to_kwargs(frames)`` and
``run_map(reports, out_html=..., results=..., ...)``. These keep their signatures but now read the stage
files by kind (the file names the stage writers give them, the same kinds a manifest lists) and draw through
the map stage and writer; the naive patrol plan (``patrol_naive``) is never read. Delete this module when the
pipeline passes ``MapInputs.from_results(...)`` to ``map_stage`` and writes with ``write_map``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.io.manifest import Manifest, OutputFile

__all__ = ["load_results", "results_to_kwargs", "run_map"]


@dataclass
class _Frames:
    frames: dict[str, Any] = field(default_factory=dict)


def _folder_manifest(folder: Path) -> Manifest:
    """Name each file of `folder` by the kind its writer gives it.

    The kind is the file stem, or ``<stem>_gpkg`` for a GeoPackage whose stem a table also has
    (``patrol_plan.csv`` and ``patrol_plan.gpkg``).
    """
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    stems = {p.name.split(".")[0] for p in files if p.suffix.lower() == ".csv"}
    out = []
    for p in files:
        stem = p.name.split(".")[0]
        kind = f"{stem}_gpkg" if p.suffix.lower() == ".gpkg" and stem in stems else stem
        out.append(OutputFile(kind=kind, path=str(p.resolve()), stage=""))
    return Manifest(files=out)


def load_results(folder: str | Path) -> _Frames:
    """Read the stage files the pipeline wrote into `folder`, by kind: the :class:`MapInputs` frames."""
    from geo.io.results import map_inputs_from_manifest

    inputs = map_inputs_from_manifest(_folder_manifest(Path(folder)))
    return _Frames(dict(inputs.frames()))


def results_to_kwargs(frames: dict[str, Any]) -> dict[str, Any]:
    """Return the frames unchanged (they are already :class:`~geo.stages.maps.MapInputs` fields)."""
    return dict(frames)


def run_map(reports: gpd.GeoDataFrame | None, **kwargs: Any) -> dict[str, Path]:
    """Draw and write a map the old way's keywords ask for, through the map stage and writer.

    Keywords: ``out_html``, ``results`` (``MapInputs`` field -> frame), ``public``, ``k``, ``lang``,
    ``tiles``, ``title``, ``demo``, ``area``, ``cell_m``, ``max_points``, ``gpkg``, ``summary``.

    Returns
    -------
    paths
        ``map``, and ``gpkg``/``summary`` when written.
    """
    from geo.io.outputs.maps import map_paths, write_map
    from geo.stages.maps import MapInputs, MapSettings, map_stage

    settings = MapSettings(
        **{k: kwargs[k] for k in ("k", "tiles", "cell_m", "max_points") if kwargs.get(k) is not None}
    )
    inputs = MapInputs(**{k: v for k, v in (kwargs.get("results") or {}).items() if v is not None})
    result = map_stage(
        reports,
        inputs,
        settings,
        public=bool(kwargs.get("public", False)),
        area=kwargs.get("area"),
        title=kwargs.get("title"),
        lang=kwargs.get("lang", "sv"),
        demo=bool(kwargs.get("demo", False)),
        generated_at=pd.Timestamp.now(tz="Europe/Stockholm").floor("min"),
    )
    files = write_map(
        result, kwargs["out_html"], gpkg=kwargs.get("gpkg", True), summary=kwargs.get("summary", True)
    )
    paths = map_paths(kwargs["out_html"])
    written = {Path(f.path) for f in files}
    return {key: p for key, p in paths.items() if p in written}
