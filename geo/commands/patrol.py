"""``geo patrol``: a week's patrol plan over the hot-spots, its expected coverage beside a naive plan's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import typer

from geo.commands._common import (
    ReaderArgs,
    console,
    load_reports,
    with_reader_options,
)
from geo.errors import InputError
from geo.io.export import atomic_path, write_csv, write_frame, write_text
from geo.io.layers import read_layer
from geo.model import Reports, point_reports
from geo.plan.patrol import PatrolPlan, next_iso_week, parse_shift, parse_week, plan_html, plan_patrols

__all__ = ["make_patrol_plan", "patrol", "register", "run_patrol", "write_patrol"]

DEFAULT_SHIFTS = ("15-23", "23-07")


def make_patrol_plan(
    reports: Reports,
    *,
    hotspots: gpd.GeoDataFrame | None = None,
    week: str | None = None,
    shifts: tuple[str, ...] | list[str] = DEFAULT_SHIFTS,
    visits_per_shift: int = 6,
    visit_min: int = 15,
    history_days: int = 365,
    speed_kmh: float = 30.0,
    streets: gpd.GeoDataFrame | None = None,
    hotspot_options: dict[str, Any] | None = None,
    sources: Sequence[str] | None = None,
    today: dt.date | None = None,
) -> tuple[PatrolPlan, gpd.GeoDataFrame]:
    """Find hot-spots (unless given) and plan the week.

    Parameters
    ----------
    reports
        Validated reports.
    hotspots
        Places to plan over; found with :func:`geo.hotspots.find_hotspots` (its defaults, or
        `hotspot_options`) on the point reports when ``None``.
    week
        ISO week ``YYYY-Www``; default the week after `today`'s.
    shifts, visits_per_shift, visit_min, history_days, speed_kmh, streets
        As in :func:`geo.plan.patrol.plan_patrols`.
    hotspot_options
        Keyword arguments for :func:`geo.hotspots.find_hotspots`.
    sources
        Count only reports whose ``source`` is one of these (``["police"]``: incidents, not residents'
        impressions); all reports when ``None`` or empty.
    today
        The present date (default: the clock's).

    Returns
    -------
    plan, places
        The plan and the places it was made from.
    """
    if sources:
        keep = reports["source"].astype("string").isin(list(sources)).fillna(False).to_numpy(dtype=bool)
        if not keep.any():
            raise InputError(
                f"no reports from the sources {list(sources)}; the data has {sorted(set(reports['source']))}"
            )
        reports = Reports(reports.loc[keep])
    if hotspots is None:
        from geo.hotspots import find_hotspots

        hotspots = find_hotspots(point_reports(reports), **(hotspot_options or {}))
    week = week or next_iso_week(today or dt.date.today())
    plan = plan_patrols(
        hotspots,
        reports,
        week=week,
        shifts=tuple(shifts),
        visits_per_shift=visits_per_shift,
        visit_min=visit_min,
        history_days=history_days,
        speed_kmh=speed_kmh,
        streets=streets,
    )
    return plan, hotspots


def write_patrol(
    plan: PatrolPlan, out_dir: str | Path, *, demo: bool = False, lang: str = "sv"
) -> dict[str, Path]:
    """Write ``patrol_plan.csv``, ``patrol_plan.html``, ``patrol_naive.csv`` and ``patrol_plan.gpkg``.

    Parameters
    ----------
    plan
        The plan.
    out_dir
        Output folder (created).
    demo
        Mark the HTML page as synthetic demo data.
    lang
        Language of the HTML page, ``"sv"`` or ``"en"``.

    Returns
    -------
    paths
        ``patrol_plan_csv``, ``patrol_plan_html``, ``patrol_naive_csv``, ``patrol_plan_gpkg`` (layers
        ``visits`` and ``routes``, for the map).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {
        "patrol_naive_csv": write_csv(plan.table(naive=True), out / "patrol_naive.csv"),
        "patrol_plan_html": write_text(plan_html(plan, demo=demo, lang=lang), out / "patrol_plan.html"),
    }
    gpkg = out / "patrol_plan.gpkg"
    if len(plan.visits):
        with atomic_path(gpkg) as tmp:
            write_frame(plan.visits, tmp, layer="visits")
            write_frame(plan.routes, tmp, layer="routes")
        paths["patrol_plan_gpkg"] = gpkg
    paths["patrol_plan_csv"] = write_csv(plan.table(), out / "patrol_plan.csv")
    return paths


def run_patrol(
    reports: Reports,
    *,
    hotspots: gpd.GeoDataFrame | None = None,
    week: str | None = None,
    shifts: tuple[str, ...] | list[str] = DEFAULT_SHIFTS,
    visits_per_shift: int = 6,
    visit_min: int = 15,
    history_days: int = 365,
    speed_kmh: float = 30.0,
    streets: gpd.GeoDataFrame | None = None,
    hotspot_options: dict[str, Any] | None = None,
    sources: Sequence[str] | None = None,
    today: dt.date | None = None,
    demo: bool = False,
    lang: str = "sv",
    out_dir: str | Path,
) -> dict[str, Path]:
    """Plan the week and write its files (for ``geo run``/``geo demo``); see :func:`make_patrol_plan`.

    Returns
    -------
    paths
        As :func:`write_patrol`.
    """
    plan, _ = make_patrol_plan(
        reports,
        hotspots=hotspots,
        week=week,
        shifts=shifts,
        visits_per_shift=visits_per_shift,
        visit_min=visit_min,
        history_days=history_days,
        speed_kmh=speed_kmh,
        streets=streets,
        hotspot_options=hotspot_options,
        sources=sources,
        today=today,
    )
    return write_patrol(plan, out_dir, demo=demo, lang=lang)


@with_reader_options
def patrol(
    reports: list[str] = typer.Argument(
        ..., help="Report files (CSV, GeoJSON, GPKG, GeoParquet, Police JSON) or postgresql:// URLs."
    ),
    out: Path = typer.Option(
        ...,
        "--out",
        help="Output folder: patrol_plan.csv, patrol_plan.html, patrol_naive.csv, patrol_plan.gpkg.",
    ),
    week: str | None = typer.Option(None, "--week", help="ISO week to plan, YYYY-Www (default: next week)."),
    visits_per_shift: int = typer.Option(6, "--visits-per-shift", min=1, help="Most visits per shift."),
    shift: list[str] | None = typer.Option(
        None, "--shift", help="Shift HH-HH (repeat; may pass midnight: 23-07). Default 15-23 and 23-07."
    ),
    visit_minutes: int = typer.Option(
        15, "--visit-minutes", min=1, max=240, help="Length of one visit in minutes."
    ),
    history_days: int = typer.Option(
        365, "--history-days", min=1, help="Days of history counted before the week."
    ),
    speed_kmh: float = typer.Option(30.0, "--speed-kmh", help="Travel speed between places, km/h."),
    streets: Path | None = typer.Option(
        None, "--streets", help="Street lines (GeoJSON/GPKG or OSM .pbf) for network travel times."
    ),
    hotspots: Path | None = typer.Option(
        None,
        "--hotspots",
        help="Use these hot-spots (GPKG/GeoParquet from geo hotspots) instead of finding them.",
    ),
    method: str | None = typer.Option(
        None, "--method", help="Hot-spot method: dbscan, hdbscan, kde, gistar (default: the engine's)."
    ),
    eps_m: float | None = typer.Option(
        None, "--eps-m", help="DBSCAN radius in metres (default: chosen from the data)."
    ),
    min_samples: int | None = typer.Option(
        None, "--min-samples", help="DBSCAN core size (default: chosen from the data)."
    ),
    only_source: list[str] | None = typer.Option(
        None, "--only-source", help="Count only reports of this source, e.g. police (repeat; default: all)."
    ),
    demo: bool = typer.Option(False, "--demo", help="Mark the page as synthetic demo data."),
    lang: str = typer.Option("sv", "--lang", help="Language of patrol_plan.html: sv or en."),
    *,
    reader: ReaderArgs,
) -> None:
    """Plan a week of hot-spot patrol visits (place, day, time, route) that cover most incidents.

    Prints the plan's expected coverage beside a naive plan's (top places by count at fixed times).

    Example: geo patrol data/demo/polisanmalningar.csv --encoding cp1252 --sep ";" --week 2026-W45
    --shift 15-23 --shift 23-07 --visits-per-shift 6 --out plan/
    """
    shifts = tuple(shift) if shift else DEFAULT_SHIFTS
    if lang not in {"sv", "en"}:
        raise InputError(f"--lang must be sv or en, got '{lang}'")
    try:
        for s in shifts:
            parse_shift(s)
        if week is not None:
            parse_week(week)
    except ValueError as err:
        raise InputError(str(err), field="--shift" if "shift" in str(err) else "--week") from err
    result = load_reports(reports, reader, out=out)
    rep = result.reports
    places = read_layer(hotspots, what="hot-spots", crs=rep.crs) if hotspots is not None else None
    street_lines = (
        read_layer(streets, what="streets", crs=rep.crs, lines=True) if streets is not None else None
    )
    opts = {
        k: v
        for k, v in {"method": method, "eps_m": eps_m, "min_samples": min_samples}.items()
        if v is not None
    }
    with console.status("Söker hot-spots och planerar / finding hot-spots and planning ..."):
        try:
            plan, places = make_patrol_plan(
                rep,
                hotspots=places,
                week=week,
                shifts=shifts,
                visits_per_shift=visits_per_shift,
                visit_min=visit_minutes,
                history_days=history_days,
                speed_kmh=speed_kmh,
                streets=street_lines,
                hotspot_options=opts,
                sources=only_source,
            )
        except ValueError as err:
            if isinstance(err, InputError):
                raise
            raise InputError(str(err)) from err
    paths = write_patrol(plan, out, demo=demo, lang=lang)
    hs = plan.history_start
    he = plan.history_end
    if hs is not None and he is not None:
        console.print(
            f"Historik / history: {hs:%Y-%m-%d} – {he:%Y-%m-%d} (exkl./excl.), "
            f"{int(plan.n_history):,} händelser / incidents"
        )
    console.print(
        f"Platser / places: {len(places)} · vecka / week {plan.week} · pass / shifts "
        f"{', '.join(s.label for s in plan.shifts)} · restid / travel: {plan.travel}, {plan.speed_kmh:g} km/h"
    )
    console.print(
        f"Förväntad täckning / expected coverage: plan [bold]{100 * plan.expected_share:.1f} %[/bold] "
        f"({len(plan.visits)} besök / visits) · naiv plan / naive plan {100 * plan.naive_share:.1f} % "
        f"({len(plan.naive)} besök / visits)"
    )
    for note in plan.notes:
        console.print(f"[dim]{note}[/dim]")
    for p in paths.values():
        console.print(f"Skrev / wrote {p}")


def register(app: typer.Typer) -> None:
    """Add ``geo patrol`` to the app."""
    app.command("patrol")(patrol)
