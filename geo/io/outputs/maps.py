"""Writing a drawn map: its self-contained HTML page, its GeoPackage and (internal map) the summary page."""

from __future__ import annotations

from pathlib import Path

from geo.io.export import atomic_path, write_frame, write_text
from geo.io.manifest import OutputFile
from geo.io.outputs.summary_pdf import summary_pdf
from geo.maps.draw import render_html
from geo.maps.registry import LeanMap
from geo.stages.maps import MapResult

__all__ = ["SUFFIXES", "map_paths", "save_map", "write_map"]

STAGE = "maps"

SUFFIXES = {
    "sv": {"summary": "sammanfattning", "public": "publik"},
    "en": {"summary": "summary", "public": "public"},
}
"""File-name suffixes of the summary page and the public map, in the page's language."""


def save_map(m: LeanMap, path: str | Path) -> Path:
    """Write the map's self-contained HTML atomically (through :func:`geo.io.export.write_text`)."""
    return write_text(render_html(m), path)


def map_paths(out_html: str | Path, *, lang: str = "sv") -> dict[str, Path]:
    """Return the files of a map written as `out_html`.

    ``map`` (`out_html` itself), ``gpkg`` (``<stem>.gpkg``), ``summary`` (``<stem>-sammanfattning.html``,
    in English ``<stem>-summary.html``) and ``summary_pdf`` (the same name ending ``.pdf``) beside it.
    """
    out = Path(out_html)
    stem = out.name[: -len(out.suffix)] if out.suffix else out.name
    summary = f"{stem}-{SUFFIXES[lang]['summary']}"
    return {
        "map": out,
        "gpkg": out.with_name(f"{stem}.gpkg"),
        "summary": out.with_name(f"{summary}.html"),
        "summary_pdf": out.with_name(f"{summary}.pdf"),
    }


def write_map(
    result: MapResult,
    out_html: str | Path,
    *,
    gpkg: bool = True,
    summary: bool = True,
    pdf: bool = True,
    lang: str = "sv",
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
    pdf
        Also print the summary page to PDF in Chromium (:func:`geo.io.outputs.summary_pdf.summary_pdf`);
        without a browser, one sentence in ``result.notes`` says so.
    lang
        The pages' language (the summary's file name: ``-sammanfattning`` or ``-summary``).

    Returns
    -------
    files
        Kinds ``map``, ``map_gpkg``, ``map_summary``, ``map_summary_pdf`` for the internal map and
        ``map_public``, ``map_public_gpkg`` for the public one (both can share a folder).
    """
    paths = map_paths(out_html, lang=lang)
    kind = "map_public" if result.public else "map"
    files = [OutputFile(kind, str(save_map(result.map, paths["map"])), STAGE)]
    if gpkg:
        with atomic_path(paths["gpkg"]) as tmp:
            for name, frame in result.package.items():
                write_frame(frame, tmp, layer=name)
        files.append(OutputFile(f"{kind}_gpkg", str(paths["gpkg"]), STAGE))
    if summary and result.summary_html is not None:
        page = write_text(result.summary_html, paths["summary"])
        files.append(OutputFile("map_summary", str(page), STAGE))
        if pdf:
            written, note = summary_pdf(page, paths["summary_pdf"], lang=lang)
            if written is not None:
                files.append(OutputFile("map_summary_pdf", str(written), STAGE))
            if note is not None:
                result.notes.append(note)
    return files
