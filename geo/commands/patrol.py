"""``geo patrol``: a week's patrol plan over the hot-spots, its expected coverage beside a naive plan's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from geo import i18n
from geo.commands._common import ReaderArgs, check_lang, console, load_reports, with_reader_options
from geo.commands._settings import build_settings, option
from geo.errors import InputError
from geo.io.layers import read_layer, read_streets
from geo.io.manifest import Manifest, write_manifest
from geo.io.outputs.patrol import write_patrol
from geo.stages.hotspots import HotspotSettings, hotspots_stage
from geo.stages.patrol import PatrolResult, PatrolSettings, patrol_stage

__all__ = ["patrol", "register"]


def _print(result: PatrolResult, lang: str) -> None:
    """Print the history, the assumptions and both plans' expected coverage."""
    plan = result.plan
    if plan.history_start is not None and plan.history_end is not None:
        history = i18n.gettext(
            "Historik: %(start)s – %(end)s (exkl.), %(n)s händelser",
            lang,
            start=plan.history_start.strftime("%Y-%m-%d"),
            end=plan.history_end.strftime("%Y-%m-%d"),
            n=i18n.number(int(plan.n_history), lang),
        )
        console.print(history)
    places = i18n.gettext(
        "Platser: %(n)s · vecka %(week)s · pass %(shifts)s · restid: %(travel)s, %(speed)s km/h",
        lang,
        n=i18n.number(len(result.places), lang),
        week=str(plan.week),
        shifts=", ".join(s.label for s in plan.shifts),
        travel=str(plan.travel),
        speed=format(plan.speed_kmh, "g"),
    )
    console.print(places)
    coverage = i18n.gettext(
        "Förväntad täckning: plan [bold]%(plan)s[/bold] (%(visits)s besök) · naiv plan %(naive)s "
        "(%(naive_visits)s besök)",
        lang,
        plan=i18n.pct(plan.expected_share, lang),
        visits=i18n.number(len(plan.visits), lang),
        naive=i18n.pct(plan.naive_share, lang),
        naive_visits=i18n.number(len(plan.naive), lang),
    )
    console.print(coverage)

    for note in dict.fromkeys([*result.notes, *plan.notes]):
        console.print(f"[dim]{note}[/dim]")


# the options, as module-level values (typer reads a parameter's default as its option)
_REPORTS = typer.Argument(
    ..., help="Report files (CSV, GeoJSON, GPKG, GeoParquet, Police JSON) or postgresql:// URLs."
)
_OUT = typer.Option(
    ...,
    "--out",
    help="Output folder: patrol_plan.csv, patrol_plan.html, patrol_plan.ics, patrol_naive.csv, "
    "patrol_plan.gpkg, run.json.",
)
_WEEK = option(PatrolSettings, "week", "--week")
_VISITS = option(PatrolSettings, "visits_per_shift", "--visits-per-shift", min=1)
_UNITS = option(PatrolSettings, "units", "--units", min=1)
_MIN_GAIN = option(PatrolSettings, "min_gain_share", "--min-gain-share")
_MIN_PER_HOUR = option(PatrolSettings, "min_expected_per_hour", "--min-expected-per-hour")
_SHIFT = option(PatrolSettings, "shifts", "--shift")
_VISIT_MIN = option(PatrolSettings, "visit_min", "--visit-minutes", min=1, max=240)
_HISTORY = option(PatrolSettings, "history_days", "--history-days", min=1)
_SPEED = option(PatrolSettings, "speed_kmh", "--speed-kmh")
_STREETS = typer.Option(
    None, "--streets", help="Street lines (GeoJSON/GPKG or OSM .pbf): travel times and hot-spot labels."
)
_HOTSPOTS = typer.Option(
    None,
    "--hotspots",
    help="Use these hot-spots (GPKG/GeoParquet from geo hotspots) instead of finding them.",
)
_METHOD = option(HotspotSettings, "method", "--method")
_EPS = option(HotspotSettings, "eps_m", "--eps-m")
_MIN_SAMPLES = option(HotspotSettings, "min_samples", "--min-samples")
_ONLY_SOURCE = option(PatrolSettings, "sources", "--only-source")
_DEMO = typer.Option(False, "--demo", help="Mark the page as synthetic demo data.")
_LANG = typer.Option("sv", "--lang", help="Language of patrol_plan.html: sv or en.")


@with_reader_options
def patrol(
    reports: list[str] = _REPORTS,
    out: Path = _OUT,
    week: str | None = _WEEK,
    visits_per_shift: int | None = _VISITS,
    units: int | None = _UNITS,
    min_gain_share: float | None = _MIN_GAIN,
    min_expected_per_hour: float | None = _MIN_PER_HOUR,
    shift: list[str] | None = _SHIFT,
    visit_minutes: int | None = _VISIT_MIN,
    history_days: int | None = _HISTORY,
    speed_kmh: float | None = _SPEED,
    streets: Path | None = _STREETS,
    hotspots: Path | None = _HOTSPOTS,
    method: str | None = _METHOD,
    eps_m: float | None = _EPS,
    min_samples: int | None = _MIN_SAMPLES,
    only_source: list[str] | None = _ONLY_SOURCE,
    demo: bool = _DEMO,
    lang: str = _LANG,
    *,
    reader: ReaderArgs,
) -> None:
    """Plan a week of hot-spot patrol visits (place, day, time, route) that cover most incidents.

    Without --hotspots the hot-spots are found as `geo run` finds them (same settings, labelled by the
    nearest of --streets). Prints the plan's expected coverage beside a naive plan's (top places by count at
    fixed times).

    A visit is planned only where it pays: at least --min-gain-share of the best visit's expected incidents,
    and at least --min-expected-per-hour past incidents per hour of visit at that place and time. Shift time
    without such a visit is reported free ("ingen prioriterad plats 01–07: använd tiden för annat"), not
    filled; --visits-per-shift is a ceiling per unit. --units N plans N routes per shift. With --streets the
    routes follow the streets. patrol_plan.ics has one calendar event a visit (Europe/Stockholm).

    Example: geo patrol data/demo/polisanmalningar.csv --encoding cp1252 --sep ";" --week 2026-W45
    --shift 15-23 --shift 23-07 --visits-per-shift 6 --out plan/
    """
    check_lang(lang)
    settings = build_settings(
        PatrolSettings,
        week=week,
        shifts=shift or None,
        visits_per_shift=visits_per_shift,
        units=units,
        min_gain_share=min_gain_share,
        min_expected_per_hour=min_expected_per_hour,
        visit_min=visit_minutes,
        history_days=history_days,
        speed_kmh=speed_kmh,
        sources=only_source or None,
    )
    hotspot_settings = build_settings(
        HotspotSettings,
        method=method,
        eps_m=eps_m,
        min_samples=min_samples,
        sources=only_source or None,
        overview=False,
    )
    study = reader.study_area()
    rep = load_reports(reports, reader, out=out, area=study, lang=lang).reports
    places = read_layer(hotspots, what="hot-spots", crs=rep.crs) if hotspots is not None else None
    street_lines = read_streets(streets, crs=rep.crs) if streets is not None else None
    manifest = Manifest()
    with console.status(i18n.gettext("Söker hot-spots och planerar ...", lang)):
        try:
            if places is None:
                area = study.to_crs(rep.crs) if study is not None else None
                found = hotspots_stage(rep, hotspot_settings, area=area, streets=street_lines, lang=lang)
                places = found.hotspots
                manifest.add([], stage="hotspots", settings=hotspot_settings)
            result = patrol_stage(rep, places, settings, streets=street_lines, today=dt.date.today())
        except ValueError as err:
            if isinstance(err, InputError):
                raise
            raise InputError(str(err)) from err
    files = write_patrol(result, out, demo=demo, lang=lang)
    manifest.add(files, stage="patrol", settings=settings)
    write_manifest(manifest, out)
    _print(result, lang)
    for f in files:
        if f.layer is None:
            console.print(i18n.gettext("Skrev %(path)s", lang, path=str(f.path)))


def register(app: typer.Typer) -> None:
    """Add ``geo patrol`` to the app."""
    app.command("patrol")(patrol)
