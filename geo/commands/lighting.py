"""``geo lighting``: lighting layer, ranked dark places, new-lamp proposals and quick fixes.

A thin face: options into :class:`~geo.stages.lighting.LightingSettings`, lamps and ways read with
:func:`geo.io.lamps.read_lighting_sources`, :func:`~geo.stages.lighting.lighting_stage`, then
:func:`geo.io.outputs.lighting.write_lighting` and the folder's manifest (``run.json``).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from geo import i18n
from geo.commands._common import (
    ReaderArgs,
    check_lang,
    console,
    lang_option,
    load_reports,
    with_reader_options,
)
from geo.commands._settings import build_settings, option
from geo.errors import InputError
from geo.stages.lighting import LightingResult, LightingSettings

__all__ = ["lighting", "register"]


def _print(result: LightingResult, files: list[str], lang: str) -> None:
    plan, budget = result.plan, result.settings.budget
    places, props = plan.dark_places, plan.proposals.lamps
    dark = i18n.gettext(
        "Mörka platser: %(n)s (med rapporter: %(with_reports)s)",
        lang,
        n=i18n.number(len(places), lang),
        with_reports=i18n.number(int((places["dark_reports"] > 0).sum()), lang),
    )
    console.print(dark)
    if len(props):
        proposed = i18n.gettext(
            "Föreslagna lampor: %(n)s av %(budget)s (metod: %(method)s); täcker %(covered)s rapporter",
            lang,
            n=i18n.number(len(props), lang),
            budget=i18n.number(budget, lang),
            method=str(plan.proposals.method),
            covered=i18n.number(int(props["covered_reports"].sum()), lang),
        )
        console.print(proposed)
        title = i18n.gettext("Nya lampor", lang)
        table = Table("rank", "street", "reports", "gain", "reason", title=title)
        for _, r in props.head(10).iterrows():
            table.add_row(
                str(r["rank"]),
                str(r["street"]),
                str(r["covered_reports"]),
                f"{r['gain']:.1f}",
                str(r["reason"])[:100],
            )
        console.print(table)
    else:
        console.print(i18n.gettext("Inga lampor föreslås: inga rapporter i mörker nära mörka sträckor", lang))
    for note in result.notes:
        console.print(i18n.gettext("Obs: %(note)s", lang, note=note))
    for path in files:
        console.print(i18n.gettext("Skrev %(path)s", lang, path=str(path)))


@with_reader_options
def lighting(
    reports: list[str] = typer.Argument(  # noqa: B008 - typer declares parameters by their defaults
        ..., help="Report files (CSV, GeoJSON, GPKG, GeoParquet, Police JSON)."
    ),
    lamps: str = typer.Option(
        ...,
        "--lamps",
        help="Lamp register (CSV/GPKG/SHP, optional status ok/broken/part_night, "
        "trasig/halvnatt) or an OSM .pbf with highway=street_lamp.",
    ),
    out: Path = typer.Option(..., "--out", help="Output folder."),  # noqa: B008
    ways: str | None = typer.Option(
        None, "--ways", help="Walkable ways: OSM .pbf or a line file (default: --lamps if it is a .pbf)."
    ),
    budget: int | None = option(LightingSettings, "budget", "--budget", min=1),
    radius: float | None = option(LightingSettings, "radius_m", "--radius", min=0.1),
    lit_way_buffer: float | None = option(LightingSettings, "lit_way_buffer_m", "--lit-way-buffer", min=0.0),
    near: float | None = option(LightingSettings, "near_m", "--near", min=0.1),
    place_weight: float | None = option(LightingSettings, "place_weight", "--place-weight", min=0.0),
    spacing: float | None = option(LightingSettings, "spacing_m", "--spacing", min=0.5),
    method: str | None = option(LightingSettings, "method", "--method"),
    time_limit: float | None = option(LightingSettings, "time_limit_s", "--time-limit"),
    lamps_crs: str | None = typer.Option(
        None, "--lamps-crs", help="CRS of a lamp register's x/y, e.g. EPSG:3006."
    ),
    follow_up_date: str | None = option(LightingSettings, "follow_up_date", "--follow-up-date"),
    follow_up_days: int | None = option(LightingSettings, "follow_up_days", "--follow-up-days", min=1),
    follow_up_area: str | None = typer.Option(
        None, "--follow-up-area", help="Polygon file of where lamps were fixed/added."
    ),
    lang: str = lang_option(),
    *,
    reader: ReaderArgs,
) -> None:
    """Belysning: mörka sträckor, rangordnade mörka platser, förslag på nya lampor och snabba åtgärder.

    Lighting: lit coverage, dark stretches ranked by dark-time evidence per 100 m, new lamps placed by a
    maximal covering location problem (spopt + CBC), broken/part-night lamps to repair first.

    Writes OUT/lighting_proposals.csv, OUT/dark_places.csv, OUT/quick_fixes.csv, OUT/lighting_summary.json,
    OUT/lighting.gpkg and OUT/run.json.

    Example: geo lighting reports.csv --lamps data/helsinki_center.osm.pbf --budget 10 --radius 25 --out ut/
    """
    from geo.io.area import load_area
    from geo.io.lamps import read_lighting_sources
    from geo.io.manifest import Manifest, write_manifest
    from geo.io.outputs.lighting import write_lighting
    from geo.stages.lighting import lighting_stage

    check_lang(lang)
    if out.suffix:
        raise InputError(f"--out is a folder, got a file name '{out}'")
    if (follow_up_date is None) != (follow_up_area is None):
        raise InputError("follow-up needs both --follow-up-date and --follow-up-area")
    settings = build_settings(
        LightingSettings,
        budget=budget,
        radius_m=radius,
        lit_way_buffer_m=lit_way_buffer,
        near_m=near,
        place_weight=place_weight,
        spacing_m=spacing,
        method=method,
        time_limit_s=time_limit,
        follow_up_date=follow_up_date,
        follow_up_days=follow_up_days,
    )
    area = load_area(follow_up_area) if follow_up_area is not None else None
    # lamps and ways first: a bad register stops the run before anything is written
    with console.status(i18n.gettext("Läser lampor och vägar ...", lang)):
        lamp_frame, way_frame, rejects = read_lighting_sources(
            lamps, ways, crs="EPSG:4326", lamps_crs=lamps_crs
        )
    counts = i18n.gettext(
        "Lampor: %(lamps)s · vägar: %(ways)s (%(files)s)",
        lang,
        lamps=i18n.number(len(lamp_frame), lang),
        ways=i18n.number(len(way_frame), lang),
        files=f"{lamps}{', ' + ways if ways else ''}",
    )
    console.print(counts)
    read = load_reports(reports, reader, out=out, lang=lang)
    if len(read.reports) == 0:
        raise InputError("no reports were accepted; nothing to plan (see the rejects table)")
    with console.status(i18n.gettext("Belysning ...", lang)) as status:
        result = lighting_stage(
            read.reports,
            lamp_frame,
            way_frame,
            settings,
            follow_up_area=area.to_crs(read.reports.crs) if area is not None else None,
            rejects=rejects,
            progress=status.update,
            lang=lang,
        )
        files = write_lighting(result, out)
    manifest = Manifest()
    manifest.add(files, stage="lighting", settings=settings)
    write_manifest(manifest, out)
    _print(result, [f.path for f in files if f.layer is None], lang)


def register(app: typer.Typer) -> None:
    """Add ``geo lighting`` to the app."""
    app.command("lighting")(lighting)
