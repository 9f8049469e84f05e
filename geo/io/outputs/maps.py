"""Writing a drawn map: its self-contained HTML page, its GeoPackage and (internal map) the summary page."""

from __future__ import annotations

from pathlib import Path

from geo.io.export import atomic_path, write_frame, write_text
from geo.io.manifest import OutputFile
from geo.maps.draw import render_html
from geo.maps.registry import LeanMap
from geo.stages.maps import MapResult

__all__ = ["map_paths", "save_map", "write_map"]

STAGE = "maps"


def save_map(m: LeanMap, path: str | Path) -> Path:
    """Write the map's self-contained HTML atomically (through :func:`geo.io.export.write_text`)."""
    return write_text(render_html(m), path)


def map_paths(out_html: str | Path) -> dict[str, Path]:
    """Return the files of a map written as `out_html`.

    ``map`` (`out_html` itself), ``gpkg`` (``<stem>.gpkg``) and ``summary`` (``<stem>-sammanfattning.html``)
    beside it.
    """
    out = Path(out_html)
    stem = out.name[: -len(out.suffix)] if out.suffix else out.name
    return {
        "map": out,
        "gpkg": out.with_name(f"{stem}.gpkg"),
        "summary": out.with_name(f"{stem}-sammanfattning.html"),
    }


def write_map(
    result: MapResult, out_html: str | Path, *, gpkg: bool = True, summary: bool = True
) -> list[OutputFile]:
    """Write a map's files, each atomically.

    Parameters
    ----------
    result
        From :func:`geo.stages.maps.map_stage`.
    out_html
        The map page; the GeoPackage (every layer the map shows, plus the ``lagesbild_map`` marker table)
        is ``<stem>.gpkg`` and the summary page ``<stem>-sammanfattning.html`` beside it.
    gpkg
        Write the GeoPackage.
    summary
        Write the summary page (only the internal map has one).

    Returns
    -------
    files
        Kinds ``map``, ``map_gpkg``, ``map_summary`` for the internal map and ``map_public``,
        ``map_public_gpkg`` for the public one (both can share a folder).
    """
    paths = map_paths(out_html)
    kind = "map_public" if result.public else "map"
    files = [OutputFile(kind, str(save_map(result.map, paths["map"])), STAGE)]
    if gpkg:
        with atomic_path(paths["gpkg"]) as tmp:
            for name, frame in result.package.items():
                write_frame(frame, tmp, layer=name)
        files.append(OutputFile(f"{kind}_gpkg", str(paths["gpkg"]), STAGE))
    if summary and result.summary_html is not None:
        files.append(OutputFile("map_summary", str(write_text(result.summary_html, paths["summary"])), STAGE))
    return files
