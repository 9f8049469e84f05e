"""``geo evaluate``: did each measure help? Before/after against a comparison area, with displacement.

A thin face: options into :class:`~geo.stages.evaluate.EvaluateSettings`, reports read as ``geo ingest``
reads them, measures with :func:`geo.io.measures.read_measures`, :func:`~geo.stages.evaluate.evaluate_stage`,
then :func:`geo.io.outputs.evaluate.write_evaluation` and the folder's manifest (``run.json``).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from geo import i18n
from geo.commands._common import ReaderArgs, check_lang, console, load_reports, with_reader_options
from geo.commands._settings import build_settings, option
from geo.errors import InputError
from geo.stages.evaluate import EvaluateResult, EvaluateSettings

__all__ = ["evaluate", "register"]

_REPORTS = typer.Argument(..., help="Report files (CSV, GeoJSON, GPKG, GeoParquet, Police JSON).")
_MEASURES = typer.Option(
    ...,
    "--measures",
    help="Measures register: CSV with measure_id, kind, start, lat, lon, radius_m (optional end, hours, "
    "categories, focus, status, owner, name, notes, proposal_id), or a GeoPackage/GeoJSON of polygons.",
)
_OUT = typer.Option(..., "--out", help="Output folder.")
_CONTROL = typer.Option(
    None,
    "--control",
    help="Comparison area polygon file (default: the rest of the area beyond every buffer).",
)
_MEASURES_CRS = typer.Option(None, "--measures-crs", help="CRS of a register's x/y or wkt columns.")
_LANG = typer.Option("sv", "--lang", help="Language of evaluation.html: sv or en.")


def _print(result: EvaluateResult, files: list[str], lang: str) -> None:
    ev = result.evaluation
    title = i18n.gettext("Åtgärder", lang)
    table = Table("measure", "kind", "before → after", "effect", "verdict", "buffer", title=title)
    for _, r in ev.iterrows():
        effect = (
            "–"
            if r["verdict"] == "too_early"
            else f"{r['effect_pct']:+.0f} % ({r['ci_low']:+.0f}, {r['ci_high']:+.0f})"
        )
        table.add_row(
            str(r["measure_id"]),
            str(r["kind"]),
            f"{r['treated_before']} → {r['treated_after']}",
            effect,
            str(r["verdict"]),
            str(r["buffer_verdict"]),
        )
    console.print(table)
    counts = ev["verdict"].value_counts()
    verdicts = ", ".join(f"{k} {int(v)}" for k, v in counts.items())
    console.print(i18n.gettext("Bedömningar: %(verdicts)s", lang, verdicts=verdicts) if len(ev) else "")
    for note in result.notes:
        console.print(i18n.gettext("Obs: %(note)s", lang, note=note))
    for path in files:
        console.print(i18n.gettext("Skrev %(path)s", lang, path=str(path)))


@with_reader_options
def evaluate(
    reports: list[str] = _REPORTS,
    measures: Path = _MEASURES,
    out: Path = _OUT,
    buffer_m: float | None = option(EvaluateSettings, "buffer_m", "--buffer-m"),
    control: Path | None = _CONTROL,
    before_days: int | None = option(EvaluateSettings, "before_days", "--before-days"),
    after_days: int | None = option(EvaluateSettings, "after_days", "--after-days"),
    min_days: int | None = option(EvaluateSettings, "min_days", "--min-days"),
    min_expected: float | None = option(EvaluateSettings, "min_expected", "--min-expected"),
    status: list[str] | None = option(EvaluateSettings, "statuses", "--status"),
    insecurity_source: list[str] | None = option(
        EvaluateSettings, "insecurity_sources", "--insecurity-source"
    ),
    measures_crs: str | None = _MEASURES_CRS,
    lang: str = _LANG,
    *,
    reader: ReaderArgs,
) -> None:
    """Utvärdera åtgärder: förändringen i området jämfört med övriga området, med förflyttning/spridning.

    Evaluate measures: counts in the treated area, a buffer ring and a comparison area before and after each
    measure's start in equal windows; effect as a rate ratio with a 95 % interval, WDD and WDQ; verdicts
    decrease / increase / no_clear_effect / too_early and displacement / diffusion / none / unclear.

    Writes OUT/evaluation.csv, OUT/evaluation.html and OUT/run.json.

    Example: geo evaluate reports.csv --measures atgarder.csv --buffer-m 200 --out utvardering/
    """
    from geo.io.layers import read_layer
    from geo.io.manifest import Manifest, write_manifest
    from geo.io.measures import read_measures
    from geo.io.outputs.evaluate import write_evaluation
    from geo.stages.evaluate import evaluate_stage

    check_lang(lang)
    if out.suffix:
        raise InputError(f"--out is a folder, got a file name '{out}'")
    settings = build_settings(
        EvaluateSettings,
        buffer_m=buffer_m,
        before_days=before_days,
        after_days=after_days,
        min_days=min_days,
        min_expected=min_expected,
        statuses=status or None,
        insecurity_sources=insecurity_source or None,
    )
    read = load_reports(reports, reader, out=out, lang=lang)
    if len(read.reports) == 0:
        raise InputError("no reports were accepted; nothing to evaluate (see the rejects table)")
    rep = read.reports
    tz = str(rep["occurred_at"].dt.tz)
    register = read_measures(measures, crs=rep.crs, tz=tz, file_crs=measures_crs)
    n_measures = i18n.number(len(register), lang)
    console.print(i18n.gettext("Åtgärder: %(n)s (%(file)s)", lang, n=n_measures, file=str(measures)))
    area = None
    if control is not None:
        area = read_layer(control, what="control area", crs=rep.crs).geometry.union_all()
    with console.status(i18n.gettext("Utvärderar ...", lang)) as status_line:
        result = evaluate_stage(rep, register, settings, control=area, progress=status_line.update, lang=lang)
        files = write_evaluation(result, out, lang=lang)
    manifest = Manifest()
    manifest.add(files, stage="evaluate", settings=settings)
    write_manifest(manifest, out)
    _print(result, [f.path for f in files], lang)


def register(app: typer.Typer) -> None:
    """Add ``geo evaluate`` to the app."""
    app.command("evaluate")(evaluate)
