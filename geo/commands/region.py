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


def _summary(result: object, out: Path, lang: str) -> None:
    from geo import i18n
    from geo.region.many import RegionResult

    if not isinstance(result, RegionResult):
        raise TypeError("a RegionResult expected")
    r = result
    ok = [o for o in r.outcomes if o.ok]

    def num(n: float) -> str:
        return i18n.number(n, lang)

    seconds, split_s = f"{r.seconds:.1f}", f"{r.split_s:.1f}"
    done = i18n.gettext(
        "Klart: %(ok)s av %(n)s områden på %(s)s s (läsa och dela %(split)s s)",
        lang,
        ok=num(len(ok)),
        n=num(len(r.outcomes)),
        s=seconds,
        split=split_s,
    )
    console.print(done)
    rows = i18n.gettext(
        "  %(read)s rader lästa, %(reports)s rapporter, %(rejected)s avvisade (rejects.csv); "
        "%(elsewhere)s i kommuner utanför urvalet, %(nowhere)s utan kommun",
        lang,
        read=num(r.rows_read),
        reports=num(r.reports),
        rejected=num(r.rejected),
        elsewhere=num(r.elsewhere),
        nowhere=num(r.nowhere),
    )
    console.print(rows + (" (outside.csv)" if r.elsewhere + r.nowhere else ""))
    hot = sum(int(o.figures.get("hotspots") or 0) for o in ok)
    areas = num(sum(1 for o in ok if o.figures.get("hotspots")))
    console.print(i18n.gettext("  %(hot)s hot-spots i %(areas)s områden", lang, hot=num(hot), areas=areas))
    peaks: dict[str, float] = {}
    for o in r.outcomes:
        if o.worker:
            peaks[o.worker] = max(peaks.get(o.worker, 0.0), o.peak_mb)
    if peaks:
        text = ", ".join(f"{w}: {num(round(mb))} MiB" for w, mb in sorted(peaks.items()))
        console.print(i18n.gettext("  högsta minne per arbetare: %(peaks)s", lang, peaks=text))
    for o in r.failed:
        failed = i18n.gettext("misslyckades", lang)
        err_console.print(f"  {failed}: {o.code} {o.name}: {o.error}", markup=False)
    files = f"{r.files['overview']}  {r.files['overview_page']}"
    console.print(i18n.gettext("  översikt: %(files)s", lang, files=files))
    console.print(i18n.gettext("  per område: %(folder)s/<kod>-<namn>/", lang, folder=str(out)))


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
    from geo import i18n
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
    lang_ = config.run.lang
    if config.area is not None:
        unused = i18n.gettext("används inte: varje område körs med sin egen gräns", lang_)
        console.print(f"\\[area] {config.area.spec} {unused}")
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        step = bar.add_task(i18n.gettext("Förbereder", lang_), total=None)

        def started(n: int) -> None:
            bar.update(step, description=i18n.gettext("Områden", lang_), total=n, completed=0)

        def done(o: AreaOutcome) -> None:
            bar.advance(step)
            if not o.ok:
                text = escape(f"{o.code} {o.name}: {o.error}")
                bar.console.print(f"[red]{i18n.gettext('misslyckades', lang_)}[/red] {text}")

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
    _summary(result, folder, lang_)
    if not any(o.ok for o in result.outcomes):
        err_console.print(i18n.gettext("Alla områden misslyckades", lang_))
        raise typer.Exit(1)
