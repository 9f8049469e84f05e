"""``geo run CONFIG --county CODE | --municipalities CODES | --areas FILE``: many areas in one run, on Dask.

Called by :mod:`geo.commands.run` when one of the area options is given: loads the areas, runs
:func:`geo.region.many.run_region` with a progress bar over the areas as they finish, prints each failure and
the summary. Exit code: 0 when at least one area finished, 1 when every area failed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from geo.commands._common import console, err_console

__all__ = ["run_region_command"]


def _summary(result: object, out: Path) -> None:
    from geo.region.many import RegionResult

    if not isinstance(result, RegionResult):
        raise TypeError("a RegionResult expected")
    r = result
    ok = [o for o in r.outcomes if o.ok]
    console.print(
        f"Klart / done: {len(ok)} av {len(r.outcomes)} områden på {r.seconds:.1f} s "
        f"(läsa och dela / read and split {r.split_s:.1f} s)"
    )
    console.print(
        f"  {r.rows_read:,} rader lästa, {r.reports:,} rapporter, {r.rejected:,} avvisade (rejects.csv); "
        f"{r.elsewhere:,} i kommuner utanför urvalet, {r.nowhere:,} utan kommun"
        + (" (outside.csv)" if r.elsewhere + r.nowhere else "")
    )
    hot = sum(int(o.figures.get("hotspots") or 0) for o in ok)
    console.print(f"  {hot} hot-spots i {sum(1 for o in ok if o.figures.get('hotspots'))} områden")
    peaks: dict[str, float] = {}
    for o in r.outcomes:
        if o.worker:
            peaks[o.worker] = max(peaks.get(o.worker, 0.0), o.peak_mb)
    if peaks:
        text = ", ".join(f"{w}: {mb:,.0f} MiB" for w, mb in sorted(peaks.items()))
        console.print(f"  högsta minne per arbetare / peak memory per worker: {text}")
    for o in r.failed:
        err_console.print(f"  misslyckades / failed: {o.code} {o.name}: {o.error}", markup=False)
    console.print(f"  översikt / overview: {r.files['overview']}  {r.files['overview_page']}")
    console.print(f"  per område / per area: {out}/<kod>-<namn>/")


def run_region_command(
    config_path: Path,
    out: Path | None,
    *,
    county: str | None,
    municipalities: str | None,
    areas: Path | None,
    population: Path | None,
    workers: int | None,
    scheduler: str | None,
    lang: str | None = None,
    as_of: dt.date | None = None,
    store: str | None = None,
) -> None:
    """Run every chosen area; see :func:`geo.region.many.run_region`."""
    from geo.config import load_config
    from geo.io.region import load_region_areas
    from geo.region.many import run_region
    from geo.region.task import AreaOutcome

    config = load_config(config_path)
    if lang is not None:
        config = config.model_copy(update={"run": config.run.model_copy(update={"lang": lang})})
    codes = [c for c in municipalities.split(",") if c.strip()] if municipalities is not None else None
    chosen, every = load_region_areas(county=county, codes=codes, areas_file=areas, population=population)
    folder = out if out is not None else config.output.dir
    if config.area is not None:
        console.print(f"[area] {config.area.spec} används inte: varje område körs med sin egen gräns")
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        step = bar.add_task("Förbereder / preparing", total=None)

        def started(n: int) -> None:
            bar.update(step, description="Områden / areas", total=n, completed=0)

        def done(o: AreaOutcome) -> None:
            bar.advance(step)
            if not o.ok:
                text = escape(f"{o.code} {o.name}: {o.error}")
                bar.console.print(f"[red]misslyckades / failed[/red] {text}")

        result = run_region(
            config,
            chosen,
            every,
            folder,
            workers=workers,
            scheduler=scheduler,
            store=store,
            as_of=as_of,
            progress=lambda msg: bar.update(step, description=msg),
            on_start=started,
            on_done=done,
        )
    _summary(result, folder)
    if not any(o.ok for o in result.outcomes):
        err_console.print("Alla områden misslyckades / every area failed")
        raise typer.Exit(1)
