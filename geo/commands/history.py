"""``geo history --store FILE --area NAME``: a priority area's weekly series across the kept runs."""

from __future__ import annotations

from pathlib import Path

import typer

from geo import i18n
from geo.commands._common import check_lang, console, lang_option

__all__ = ["history_command", "register"]


def history_command(
    store: str = typer.Option(..., "--store", help="The run store (FILE.gpkg or postgresql://...)."),
    area: str = typer.Option(
        ..., "--area", help="The priority area's name (the name of an \\[\\[areas]] table in the config)."
    ),
    out: Path | None = typer.Option(
        None, "--out", help="PNG chart to write (default: historik-<area>.png in the current folder)."
    ),
    lang: str = lang_option("Language of the console lines and the chart's title: sv | en"),
) -> None:
    """Print and plot a priority area's reports per week across every kept run (the quarterly review).

    Skriver ut och ritar ett prioriterat områdes rapporter per vecka över alla sparade körningar.

    Example: geo history --store maps/lagesbild-arkiv.gpkg --area Centrum --out centrum.png
    """
    from geo.errors import InputError
    from geo.io.runstore import open_run_store, write_png
    from geo.rhythm.history import area_series, series_png
    from geo.rhythm.period import period_text

    check_lang(lang)
    kept = open_run_store(store)
    try:
        runs = kept.lagesbild_runs()
    finally:
        kept.close()
    docs = [(period_text(r.period_start, r.period_end), r.document) for r in runs]
    series = area_series(docs, area)
    if not len(series):
        names = sorted({n for _, d in docs for n in (d.get("areas") or {})})
        raise InputError(
            f"no kept run has the area '{area}' ({len(runs)} runs kept; areas: {', '.join(names) or 'none'})",
            path=store,
        )
    per_week = i18n.gettext(
        "%(area)s: rapporter per vecka (%(n)s sparade körningar)",
        lang,
        area=area,
        n=i18n.number(len(runs), lang),
    )
    console.print(per_week)
    for row in series.itertuples():
        console.print(f"  {row.week}  {row.count:>4}  {'█' * min(int(row.count), 60)}", highlight=False)
    slug = "".join(ch if ch.isalnum() else "-" for ch in area.lower()).strip("-") or "omrade"
    path = out if out is not None else Path(f"historik-{slug}.png")
    title = i18n.gettext("%(area)s: rapporter per vecka", lang, area=area)
    write_png(series_png(series, title=title), path)
    console.print(i18n.gettext("Diagram: %(path)s", lang, path=str(path)))


def register(app: typer.Typer) -> None:
    """Add ``geo history`` to the app."""
    app.command("history")(history_command)
