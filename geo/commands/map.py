"""``geo map``: the lägesbild map as one self-contained HTML file, its GeoPackage and the EST summary.

A thin face: options -> settings, reports read with the shared reader options (or a results folder read by
its manifest), the hot-spot stage when nothing was saved, the map stage, the writer, the manifest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import typer

from geo import i18n
from geo.commands._common import ReaderArgs, check_lang, console, load_reports, with_reader_options
from geo.commands._settings import build_settings, option
from geo.errors import InputError
from geo.io.layers import read_streets
from geo.io.manifest import MANIFEST_NAME, Manifest, write_manifest
from geo.stages.hotspots import HotspotSettings
from geo.stages.maps import MapInputs, MapSettings

__all__ = ["map_command", "register"]

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"


def _is_demo(sources: list[str]) -> bool:
    """Tell whether every source lies in the project's demo folder (synthetic demo data)."""
    if not sources:
        return False
    try:
        return all(Path(s).resolve().is_relative_to(DEMO_DIR) for s in sources)
    except (OSError, ValueError):
        return False


def _check_options(out: Path, lang: str, tiles: str | None) -> None:
    from geo.maps.base import parse_tiles

    check_lang(lang)
    try:
        parse_tiles(tiles or "osm")
    except ValueError as err:
        raise InputError(str(err)) from err
    if out.suffix.lower() not in {".html", ".htm"}:
        raise InputError(f"--out must end in .html, got '{out.name}'")


def _saved(results: Path, lang: str) -> tuple[MapInputs, str | None]:
    """Read a results folder by its manifest; return its frames and its reports file (if listed)."""
    from geo.io.results import read_map_inputs, results_manifest

    inputs = read_map_inputs(results)
    for name, where in inputs.origin.items():
        console.print(f"[dim]{name}: {where}[/dim]")
    for note in inputs.skipped:
        console.print(f"[yellow]{i18n.gettext('hoppar över', lang)}[/yellow] {note}")
    inputs.skipped.clear()  # said here; not again as the map's notes
    entry = results_manifest(results).path_of("reports")
    return inputs, entry.path if entry is not None else None


def _filter(
    data: gpd.GeoDataFrame, weekdays: str | None, hours: str | None, lang: str
) -> tuple[gpd.GeoDataFrame, str]:
    """Keep the reports on `weekdays` within `hours`; return them and the filter's description."""
    if not (weekdays or hours):
        return data, ""
    from geo.hotspots.filters import filter_reports, parse_hours, parse_weekdays

    try:
        days = parse_weekdays(weekdays) if weekdays else None
        window = parse_hours(hours) if hours else None
    except ValueError as err:
        raise InputError(str(err)) from err
    data = filter_reports(data, weekdays=days, hours=window)
    described = ", ".join(p for p in (weekdays, f"kl. {hours}" if hours else None) if p)
    n = i18n.number(len(data), lang)
    console.print(i18n.gettext("Urval: %(filter)s → %(n)s rapporter", lang, filter=described, n=n))
    return data, described


def _analyse(
    data: gpd.GeoDataFrame, settings: HotspotSettings, *, area: Any, streets: Path | None, lang: str
) -> MapInputs:
    """Run the hot-spot stage (with the density and Gi* overview unless the map is public)."""
    from geo.stages.hotspots import hotspots_stage

    lines = read_streets(streets, crs=data.crs) if streets is not None else None
    if lines is not None and "name" not in lines.columns:
        raise InputError(f"needs a 'name' column for labels; has {list(lines.columns)}", path=str(streets))
    area_geom = area.to_crs(data.crs) if area is not None else None
    with console.status(i18n.gettext("Analys ...", lang)) as status:
        found = hotspots_stage(
            data,
            settings,
            area=area_geom,
            streets=lines,
            lang=lang,
            progress=lambda msg: status.update(f"{msg} ..."),
        )
    for name, why in found.chosen.items():
        console.print(f"[dim]{name}: {why}[/dim]")
    for note in found.notes:
        console.print(f"[yellow]{note}[/yellow]")
    return MapInputs.from_results(hotspots=found)


def _title(title: str | None, area: Any, lang: str) -> str | None:
    if title is not None:
        return title
    name = getattr(area, "name", None) if area is not None else None
    if not name:
        return None
    return f"Lägesbild {name}" if lang == "sv" else f"Situational picture {name}"


def _manifest(folder: Path) -> Manifest:
    """Return the folder's manifest to add to (a folder of results keeps its entries), or a new one."""
    if not (folder / MANIFEST_NAME).exists():
        return Manifest()
    from geo.io.results import results_manifest

    return results_manifest(folder)


@with_reader_options
def map_command(
    reports: list[str] = typer.Argument(  # noqa: B008
        None, help="Report files (any format geo ingest reads); optional with --results."
    ),
    out: Path = typer.Option(..., "--out", help="Output map: FILE.html (one self-contained file)."),  # noqa: B008
    public: bool = typer.Option(
        False, "--public", help="Public map: aggregates with at least --k incidents only."
    ),
    k: int | None = option(MapSettings, "k", "--k"),
    lang: str = typer.Option("sv", "--lang", help="Language: sv (default) or en."),
    tiles: str | None = option(MapSettings, "tiles", "--tiles"),
    results: Path | None = typer.Option(  # noqa: B008
        None, "--results", help="Draw saved analysis results from this folder (by its run.json) instead."
    ),
    method: str | None = option(HotspotSettings, "method", "--method"),
    cell: float | None = option(MapSettings, "cell_m", "--cell"),
    max_points: int | None = option(MapSettings, "max_points", "--max-points"),
    title: str | None = typer.Option(None, "--title", help="Map title (default: 'Lägesbild <area>')."),
    demo: bool | None = typer.Option(
        None, "--demo/--no-demo", help="Mark as synthetic demo data (default: when the data are data/demo/)."
    ),
    weekdays: str | None = typer.Option(
        None, "--weekdays", help="Only these weekdays, e.g. 'fre,lör' or 'Fri-Sun'."
    ),
    hours: str | None = typer.Option(None, "--hours", help="Only these local hours, e.g. 22-03."),
    streets: Path | None = typer.Option(  # noqa: B008
        None,
        "--streets",
        help="Street lines with a 'name' column (GeoJSON, GPKG, SHP): hot-spot labels, offline base map.",
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
    Without --results the analysis runs with its defaults (hot-spots, density, Gi*). With --results DIR
    the map draws what the folder's run.json lists (the patrol plan, never the naive comparison plan).
    --public writes the public version: counts per grid cell and generalised hot-spot areas with at least
    --k incidents; no report positions, times or free text.

    Example: geo map data/toronto_mci_2014_2017.csv.gz --out maps/toronto.html --lang en --tiles none
    """
    from geo.io.outputs.maps import write_map
    from geo.stages.maps import map_stage

    _check_options(out, lang, tiles)
    settings = build_settings(
        MapSettings, k=k, tiles=tiles, cell_m=cell, max_points=max_points, public=public
    )
    hs_settings = build_settings(HotspotSettings, method=method, overview=not public)
    if public and (weekdays or hours):
        raise InputError(
            "a public map shows all reports: --public cannot be combined with --weekdays/--hours, since "
            "maps made with different filters could be compared cell by cell to reveal counts below k "
            "/ en publik karta visar alla rapporter (filtrerade kartor kan jämföras och röja små tal)"
        )
    sources = list(reports or [])
    if not sources and results is None:
        raise InputError("give report files, --results DIR, or both")
    area = reader.study_area()
    inputs = MapInputs()
    if results is not None:
        inputs, saved_reports = _saved(results, lang)
        if saved_reports is not None and not sources:
            sources = [saved_reports]
    data, filter_text = None, ""
    if sources:
        data = load_reports(sources, reader, out=out, area=area, quiet=True, public=public, lang=lang).reports
        data, filter_text = _filter(data, weekdays, hours, lang)
    if results is None and data is not None:
        inputs = _analyse(data, hs_settings, area=area, streets=streets, lang=lang)
    if streets is not None and not public:  # also the internal map's offline base map
        lines = read_streets(streets, crs=data.crs if data is not None else None)
        inputs.set("streets", lines, "--streets")
    with console.status(i18n.gettext("Kartan ritas ...", lang)):
        result = map_stage(
            data,
            inputs,
            settings,
            public=public,
            area=area,
            title=_title(title, area, lang),
            lang=lang,
            demo=demo if demo is not None else _is_demo(sources),
            generated_at=pd.Timestamp.now(tz="Europe/Stockholm").floor("min"),
            filter_text=filter_text or None,
            summary=summary,
        )
        files = write_map(result, out, gpkg=gpkg, summary=summary, lang=lang)
    manifest = _manifest(out.parent)
    if results is None and data is not None:
        manifest.add([], stage="hotspots", settings=hs_settings)
    manifest.add(files, stage="maps", settings=settings)
    write_manifest(manifest, out.parent)
    _report(result, files, public=public, lang=lang)


def _report(result: Any, files: list[Any], *, public: bool, lang: str) -> None:
    for note in result.notes:
        console.print(f"[dim]{note}[/dim]")
    layers = ", ".join(f"{k_}={i18n.number(v, lang)}" for k_, v in result.counts.items())
    console.print(i18n.gettext("Lager: %(layers)s", lang, layers=layers))
    page = Path(files[0].path)
    kind = i18n.gettext("publik", lang) if public else i18n.gettext("intern", lang)
    size = i18n.number(page.stat().st_size / 1e6, lang, decimals=2)
    console.print(
        i18n.gettext("Skrev %(path)s (%(kind)s, %(mb)s MB)", lang, path=str(page), kind=kind, mb=size)
    )
    for f in files[1:]:
        console.print(i18n.gettext("Skrev %(path)s", lang, path=str(f.path)))


def register(app: typer.Typer) -> None:
    """Add ``geo map`` to the app."""
    app.command("map")(map_command)
