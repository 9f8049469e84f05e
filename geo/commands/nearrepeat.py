"""``geo nearrepeat``: the Knox test per space band × time band, and alerts for the latest incidents.

A thin face: options into :class:`~geo.stages.nearrepeat.NearRepeatSettings`, reports read as ``geo ingest``
reads them, :func:`~geo.stages.nearrepeat.nearrepeat_stage`, then
:func:`geo.io.outputs.nearrepeat.write_nearrepeat` and the folder's manifest (``run.json``).
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
from geo.io.manifest import MANIFEST_NAME
from geo.stages.nearrepeat import NearRepeatResult, NearRepeatSettings

__all__ = ["nearrepeat", "register"]


def _edges(value: str | None, flag: str) -> list[float] | None:
    """Parse ``"0,100,200"`` into numbers; the error names the option."""
    if value is None:
        return None
    try:
        return [float(v) for v in value.split(",") if v.strip()]
    except ValueError as err:
        raise InputError(
            f"{flag} must be numbers separated by commas, e.g. 0,100,200; got '{value}'"
        ) from err


def _print(result: NearRepeatResult, out: Path, lang: str) -> None:
    heads = [i18n.gettext(h, lang) for h in (i18n.N_("dagar"), i18n.N_("observerat"), i18n.N_("förväntat"))]
    table = Table("m", *heads, i18n.gettext("kvot", lang), "p", title="Knox")
    for _, r in result.knox.iterrows():
        mark = " *" if r["p_value"] <= result.settings.alpha and r["ratio"] > 1 else ""
        table.add_row(
            f"{r['space_from_m']:g}–{r['space_to_m']:g}",
            f"{r['time_from_days']:g}–{r['time_to_days']:g}",
            f"{int(r['observed']):,}",
            f"{r['expected']:,.1f}",
            f"{r['ratio']:.2f}",
            f"{r['p_value']:.3f}{mark}",
        )
    console.print(table)
    for reason in result.chosen.values():
        console.print(i18n.gettext("Zon: %(reason)s", lang, reason=reason))
    for note in result.notes:
        console.print(f"[yellow]{note}[/yellow]")
    for text in result.alerts[f"text_{lang}"].head(5):
        console.print(i18n.gettext("Varning: %(text)s", lang, text=text))
    wrote = i18n.gettext(
        "Skrev %(bands)s band och %(alerts)s varningar till %(out)s",
        lang,
        bands=i18n.number(len(result.knox), lang),
        alerts=i18n.number(len(result.alerts), lang),
        out=str(out),
    )
    console.print(wrote)


@with_reader_options
def nearrepeat(
    sources: list[str] = typer.Argument(  # noqa: B008 - typer declares parameters by their defaults
        ..., help="Report files (CSV, GeoJSON, GPKG, GeoParquet, Police JSON) or postgresql:// URLs."
    ),
    out: Path = typer.Option(..., "--out", help="Output folder: knox.csv, alerts.csv, alert_zones.geojson."),  # noqa: B008
    category: list[str] | None = option(NearRepeatSettings, "categories", "--category"),
    space_bands: str | None = option(NearRepeatSettings, "space_bands_m", "--space-bands"),
    time_bands: str | None = option(NearRepeatSettings, "time_bands_days", "--time-bands"),
    permutations: int | None = option(NearRepeatSettings, "permutations", "--permutations"),
    alpha: float | None = option(NearRepeatSettings, "alpha", "--alpha"),
    alerts_days: int | None = option(NearRepeatSettings, "alerts_days", "--alerts-days"),
    seed: int | None = option(NearRepeatSettings, "seed", "--seed"),
    streets: Path | None = typer.Option(  # noqa: B008
        None, "--streets", help="Street lines with a 'name' column (GeoJSON/GPKG or OSM .pbf): alert places."
    ),
    lang: str = lang_option(),
    *,
    reader: ReaderArgs,
) -> None:
    """Near-repeat analysis: are incidents close in space also close in time (Knox test), and alerts.

    Pairs of incidents per distance band × time band are counted and compared with the counts when the
    times are permuted (Monte-Carlo p-values). The raised-risk zone (radius, days) comes from the significant
    bands next to the closest one; each incident of the last --alerts-days days still in its raised period
    gets an alert text in Swedish and English for a neighbourhood-watch contact. A run.json lists the files.

    Example: geo nearrepeat inbrott.csv --category bostadsinbrott --space-bands 0,100,200,300,400
    --time-bands 0,7,14,21,28 --permutations 999 --alerts-days 14 --out nearrepeat/
    """
    from geo.io.layers import read_streets
    from geo.io.manifest import Manifest, read_manifest, write_manifest
    from geo.io.outputs.nearrepeat import write_nearrepeat
    from geo.stages.nearrepeat import nearrepeat_stage

    check_lang(lang)
    if out.suffix:
        raise InputError(f"--out is a folder (knox.csv, alerts.csv go into it), got '{out.name}'")
    categories = [c.strip() for value in (category or []) for c in value.split(",") if c.strip()] or None
    settings = build_settings(
        NearRepeatSettings,
        categories=categories,
        space_bands_m=_edges(space_bands, "--space-bands"),
        time_bands_days=_edges(time_bands, "--time-bands"),
        permutations=permutations,
        alpha=alpha,
        alerts_days=alerts_days,
        seed=seed,
    )
    out.mkdir(parents=True, exist_ok=True)
    earlier = (out / MANIFEST_NAME).exists()  # a folder of an earlier run: its rejects.csv is kept
    loaded = load_reports(sources, reader, out=out / "nearrepeat.csv" if earlier else out, lang=lang)
    street_frame = read_streets(streets, crs=loaded.reports.crs) if streets is not None else None
    with console.status(i18n.gettext("Knox-test ...", lang)):
        result = nearrepeat_stage(loaded.reports, settings, streets=street_frame, lang=lang)
    if result.n_reports == 0:
        present = ", ".join(loaded.reports["category"].astype(str).value_counts().index[:12])
        raise InputError(
            f"no point reports of {', '.join(settings.categories) or 'any category'} "
            f"(present: {present}); no output written"
        )
    files = write_nearrepeat(result, out)
    # into a folder of an earlier run the files are added to its manifest: `geo map --results` draws them
    manifest = read_manifest(out) if earlier else Manifest()
    manifest.add(files, stage="nearrepeat", settings=settings)
    write_manifest(manifest, out)
    _print(result, out, lang)


def register(app: typer.Typer) -> None:
    """Add ``geo nearrepeat`` to the app."""
    app.command("nearrepeat")(nearrepeat)
