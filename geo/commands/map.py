"""``geo map``: the lägesbild map as one self-contained HTML file, its GeoPackage and the EST summary.

The map is internal or public (``--public``).

Also :func:`run_map`, the function the pipeline calls: reports (and optionally saved results) in, files out.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import typer

from geo.commands._common import ReaderArgs, console, load_reports, read_streets, with_reader_options
from geo.errors import InputError
from geo.io.export import write_text

__all__ = ["analyse_for_map", "map_command", "register", "results_to_kwargs", "run_map", "write_map_files"]

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"


def _is_demo(sources: list[str]) -> bool:
    """Tell whether every source lies in the project's demo folder (synthetic demo data)."""
    if not sources:
        return False
    try:
        return all(Path(s).resolve().is_relative_to(DEMO_DIR) for s in sources)
    except (OSError, ValueError):
        return False


def analyse_for_map(
    reports: gpd.GeoDataFrame,
    *,
    method: str = "dbscan",
    area: Any = None,
    public: bool = False,
    streets: gpd.GeoDataFrame | None = None,
    min_bandwidth_m: float = 50.0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run the analysis the map needs with its defaults.

    Hot-spots, and for the internal map KDE contours and Gi* cells.

    Parameters
    ----------
    reports
        Reports (the report model).
    method
        Hot-spot method of :func:`geo.hotspots.find_hotspots`.
    area
        Study area (a :class:`~geo.io.area.StudyArea` or polygon in the reports' CRS).
    public
        Skip what the public map never shows (density, Gi*).
    streets
        Lines with a ``name`` column in the reports' CRS: hot-spots are labelled by the nearest street.
    min_bandwidth_m
        Smallest KDE bandwidth for the density layer, in metres (the engine's automatic choice is used
        when it is larger).
    progress
        Called with a message per step.

    Returns
    -------
    results
        ``hotspots``, and unless `public` ``density`` and ``gistar``; with the automatic choices in
        ``choices``.
    """
    from geo.hotspots import find_hotspots, gistar_cells
    from geo.hotspots.contours import density_contours
    from geo.hotspots.kde import kde_surface
    from geo.model import point_reports

    say = progress or (lambda _m: None)
    area_geom = area.to_crs(reports.crs) if hasattr(area, "to_crs") and hasattr(area, "slug") else area
    pts = point_reports(reports)
    out: dict[str, Any] = {"choices": {}}
    if len(pts) == 0:
        return out
    say(f"Hot-spots ({method})")
    hs = find_hotspots(reports, method=method, area=area_geom, streets=streets)
    out["hotspots"] = hs
    out["choices"].update(hs.attrs.get("choices", {}))
    if not public:
        say("Täthet / density (KDE)")
        surface = kde_surface(pts, area=area_geom)
        if surface.bandwidth_m < min_bandwidth_m:
            # the automatic bandwidth shrinks with n (n^-1/6): at a million reports it is a few metres and
            # the contours trace single addresses; the map's overview uses at least min_bandwidth_m
            surface = kde_surface(pts, area=area_geom, bandwidth_m=min_bandwidth_m)
        out["choices"]["density_bandwidth_m"] = (
            surface.bandwidth_m,
            surface.bandwidth_reason or f"bandbredd / bandwidth {surface.bandwidth_m:g} m",
        )
        out["density"] = density_contours(surface)
        say("Gi*")
        out["gistar"] = gistar_cells(pts, area=area_geom)
    return out


def run_map(reports: gpd.GeoDataFrame | None, **kwargs: Any) -> dict[str, Path]:
    """Draw and write a map, its GeoPackage and (internal map) the EST summary page.

    The pipeline's entry point; the keyword arguments are those of :func:`write_map_files`.

    Returns
    -------
    paths
        ``map``, and ``gpkg``/``summary`` when written.
    """
    paths, _ = write_map_files(reports, **kwargs)
    return paths


def write_map_files(
    reports: gpd.GeoDataFrame | None,
    *,
    out_html: str | Path,
    results: dict[str, Any] | None = None,
    public: bool = False,
    k: int = 5,
    lang: str = "sv",
    tiles: str = "osm",
    title: str | None = None,
    demo: bool = False,
    area: Any = None,
    cell_m: float | None = None,
    max_points: int = 20_000,
    gpkg: bool = True,
    summary: bool = True,
    generated_at: pd.Timestamp | None = None,
    filter_text: str | None = None,
) -> tuple[dict[str, Path], dict[str, int]]:
    """Draw and write a map, its GeoPackage and (internal map) the EST summary page.

    Parameters
    ----------
    reports
        Reports for the grid, the clustered points and the feed panel (may be ``None`` with `results`).
    out_html
        The map file; the GeoPackage is ``<stem>.gpkg`` and the summary ``<stem>-sammanfattning.html`` beside it.
    results
        Analysis results by name: ``hotspots``, ``density``, ``gistar``, ``lighting``, ``speed``, ``patrol``,
        ``feed_trend`` (see :func:`geo.maps.prepare_layers`).
    public, k, lang, tiles, title, demo, area, cell_m, max_points, generated_at, filter_text
        See :func:`geo.maps.build_map`.
    gpkg, summary
        Whether to write the GeoPackage and the summary page (never for the public map).

    Returns
    -------
    paths, counts
        ``map``, and ``gpkg``/``summary`` when written; the features drawn per layer.
    """
    from geo.maps import draw_map, prepare_layers, render_html
    from geo.maps.package import write_gpkg
    from geo.maps.summary import summary_html

    res = results or {}
    generated_at = (
        generated_at if generated_at is not None else pd.Timestamp.now(tz="Europe/Stockholm").floor("min")
    )
    layers = prepare_layers(
        reports,
        hotspots=res.get("hotspots"),
        density=res.get("density"),
        gistar=res.get("gistar"),
        lighting=res.get("lighting"),
        speed=res.get("speed"),
        patrol=res.get("patrol"),
        feed=res.get("feed_trend"),
        area=area,
        public=public,
        k=k,
        cell_m=cell_m,
        max_points=max_points,
        lang=lang,
    )
    m = draw_map(
        layers,
        lang=lang,
        tiles=tiles,
        title=title,
        demo=demo,
        generated_at=generated_at,
        filter_text=filter_text,
    )
    out = Path(out_html)
    paths = {"map": write_text(render_html(m), out)}
    stem = out.name[: -len(out.suffix)] if out.suffix else out.name
    if gpkg:
        paths["gpkg"] = write_gpkg(layers, out.with_name(f"{stem}.gpkg"))
    if summary and not public:
        from geo.maps.texts import text as tr

        page = summary_html(
            layers, title=title or tr("title_default", lang), lang=lang, demo=demo, generated_at=generated_at
        )
        paths["summary"] = write_text(page, out.with_name(f"{stem}-sammanfattning.html"))
    return paths, layers.feature_counts()


def results_to_kwargs(frames: dict[str, Any]) -> dict[str, Any]:
    """Turn :func:`geo.maps.results.load_results` frames into :func:`write_map_files`' ``results`` argument.

    Parameters
    ----------
    frames
        Layer key → frame (``hotspots``, ``lamp_proposals``, ``dark_places``, ``patrol``, ...).
    """
    lighting = {
        k: frames[k]
        for k in ("lamp_proposals", "dark_places", "lit_coverage", "dark_stretches", "quick_fixes")
        if k in frames
    }
    light = {
        "proposals": lighting.get("lamp_proposals"),
        "dark_places": lighting.get("dark_places"),
        "coverage": lighting.get("lit_coverage"),
        "dark_stretches": lighting.get("dark_stretches"),
        "quick_fixes": lighting.get("quick_fixes"),
    }
    speed = {"segments": frames.get("speed"), "enforcement": frames.get("enforcement")}
    return {
        "hotspots": frames.get("hotspots"),
        "density": frames.get("density"),
        "gistar": frames.get("gistar"),
        "lighting": light if lighting else None,
        "speed": speed if any(v is not None for v in speed.values()) else None,
        "patrol": frames.get("patrol"),
    }


@with_reader_options
def map_command(
    reports: list[str] = typer.Argument(
        None, help="Report files (any format geo ingest reads); optional with --results."
    ),
    out: Path = typer.Option(..., "--out", help="Output map: FILE.html (one self-contained file)."),
    public: bool = typer.Option(
        False, "--public", help="Public map: aggregates with at least --k incidents only."
    ),
    k: int = typer.Option(5, "--k", help="Smallest count shown on the public map (smaller are suppressed)."),
    lang: str = typer.Option("sv", "--lang", help="Language: sv (default) or en."),
    tiles: str = typer.Option(
        "osm", "--tiles", help="Base map: osm, light, dark, none, or a tile URL with {z}/{x}/{y}."
    ),
    results: Path | None = typer.Option(
        None, "--results", help="Draw saved analysis results from this folder instead of computing them."
    ),
    method: str = typer.Option(
        "dbscan", "--method", help="Hot-spot method when computing: dbscan, hdbscan, kde, gistar."
    ),
    cell: float | None = typer.Option(
        None, "--cell", help="Grid cell in metres (default: chosen for at most 4000 cells)."
    ),
    max_points: int = typer.Option(
        20_000, "--max-points", help="Most individual reports in the internal clustered layer."
    ),
    title: str | None = typer.Option(None, "--title", help="Map title (default: 'Lägesbild <area>')."),
    demo: bool | None = typer.Option(
        None, "--demo/--no-demo", help="Mark as synthetic demo data (default: when the data are data/demo/)."
    ),
    weekdays: str | None = typer.Option(
        None, "--weekdays", help="Only these weekdays, e.g. 'fre,lör' or 'Fri-Sun'."
    ),
    hours: str | None = typer.Option(None, "--hours", help="Only these local hours, e.g. 22-03."),
    streets: Path | None = typer.Option(
        None, "--streets", help="Street lines with a 'name' column (GeoJSON, GPKG, SHP): hot-spot labels."
    ),
    gpkg: bool = typer.Option(
        True, "--gpkg/--no-gpkg", help="Also write every layer as FILE.gpkg (for QGIS)."
    ),
    summary: bool = typer.Option(
        True, "--summary/--no-summary", help="Also write the printable EST summary (internal map)."
    ),
    *,
    reader: ReaderArgs,
) -> None:
    """Draw the lägesbild map: one self-contained HTML file that works offline (only tiles are fetched).

    Rita lägesbildskartan: en fristående HTML-fil som fungerar utan internet (bara kartbakgrunden hämtas).
    Without --results the analysis runs with its defaults (hot-spots, density, Gi*). --public writes the
    public version: counts per grid cell and generalised hot-spot areas with at least --k incidents; no
    report positions, times or free text.

    Example: geo map data/toronto_mci_2014_2017.csv.gz --out maps/toronto.html --lang en --tiles none
    """
    from geo.maps.base import parse_tiles
    from geo.maps.texts import LANGS

    if lang not in LANGS:
        raise InputError(f"--lang must be sv or en, got '{lang}'")
    if k < 1:
        raise InputError(f"--k must be at least 1, got {k}")
    try:
        parse_tiles(tiles)
    except ValueError as err:
        raise InputError(str(err)) from err
    if out.suffix.lower() not in {".html", ".htm"}:
        raise InputError(f"--out must end in .html, got '{out.name}'")
    if method not in {"dbscan", "hdbscan", "kde", "gistar"}:
        raise InputError(f"--method must be dbscan, hdbscan, kde or gistar, got '{method}'")
    sources = list(reports or [])
    if not sources and results is None:
        raise InputError("give report files, --results DIR, or both")
    area = reader.study_area()
    frames: dict[str, Any] = {}
    if results is not None:
        from geo.maps.results import load_results

        saved = load_results(results)
        for key, where in saved.used.items():
            console.print(f"[dim]{key}: {where}[/dim]")
        for note in saved.skipped:
            console.print(f"[yellow]hoppar över / skipped[/yellow] {note}")
        frames = dict(saved.frames)
        if "reports" in frames and not sources:
            sources = [str(frames.pop("reports"))]
        frames.pop("reports", None)
    data = None
    if sources:
        read = load_reports(sources, reader, out=out, area=area, quiet=True, public=public)
        data = read.reports
    filter_parts = []
    if data is not None and (weekdays or hours):
        from geo.hotspots.filters import filter_reports, parse_hours, parse_weekdays

        try:
            days = parse_weekdays(weekdays) if weekdays else None
            window = parse_hours(hours) if hours else None
        except ValueError as err:
            raise InputError(str(err)) from err
        data = filter_reports(data, weekdays=days, hours=window)
        filter_parts = [p for p in (weekdays, f"kl. {hours}" if hours else None) if p]
        console.print(f"Urval / filter: {', '.join(filter_parts)} → {len(data):,} rapporter / reports")
    if results is None and data is not None:
        street_lines = read_streets(streets, crs=data.crs) if streets is not None else None
        if street_lines is not None and "name" not in street_lines.columns:
            raise InputError(
                f"needs a 'name' column for labels; has {list(street_lines.columns)}", path=str(streets)
            )
        with console.status("Analys / analysis ...") as status:
            found = analyse_for_map(
                data,
                method=method,
                area=area,
                public=public,
                streets=street_lines,
                progress=lambda msg: status.update(f"{msg} ..."),
            )
        for name, (_value, why) in found.pop("choices", {}).items():
            console.print(f"[dim]{name}: {why}[/dim]")
        frames.update(found)
        kwargs = {key: found.get(key) for key in ("hotspots", "density", "gistar")}
    else:
        kwargs = results_to_kwargs(frames)
    if "area" in frames and area is None:
        area = frames["area"]
    if title is None:
        name = area.name if area is not None and hasattr(area, "name") else None
        title = (
            f"Lägesbild {name}"
            if name and lang == "sv"
            else (f"Situational picture {name}" if name else None)
        )
    is_demo = demo if demo is not None else _is_demo(sources)
    with console.status("Kartan ritas / drawing the map ..."):
        paths, counts = write_map_files(
            data,
            out_html=out,
            results=kwargs,
            public=public,
            k=k,
            lang=lang,
            tiles=tiles,
            title=title,
            demo=is_demo,
            area=area,
            cell_m=cell,
            max_points=max_points,
            gpkg=gpkg,
            summary=summary,
            filter_text=", ".join(filter_parts) or None,
        )
    console.print("Lager / layers: " + ", ".join(f"{k_}={v:,}" for k_, v in counts.items()))
    size = paths["map"].stat().st_size
    kind = "publik / public" if public else "intern / internal"
    console.print(f"Skrev / wrote {paths['map']} ({kind}, {size / 1e6:.2f} MB)")
    for key in ("gpkg", "summary"):
        if key in paths:
            console.print(f"Skrev / wrote {paths[key]}")


def register(app: typer.Typer) -> None:
    """Add ``geo map`` to the app."""
    app.command("map")(map_command)
