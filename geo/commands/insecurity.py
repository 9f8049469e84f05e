"""``geo insecurity``: felt insecurity against recorded crime, on square cells or the user's areas.

A thin face: options into :class:`~geo.stages.insecurity.InsecuritySettings`, reports read as ``geo ingest``
reads them, areas and survey with :func:`geo.io.layers.read_layer`,
:func:`~geo.stages.insecurity.insecurity_stage`, then :func:`geo.io.outputs.insecurity.write_insecurity` and
the folder's manifest (``run.json``).
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
from geo.stages.insecurity import InsecurityResult, InsecuritySettings

__all__ = ["insecurity", "register"]

_REPORTS = typer.Argument(
    ..., help="Report files (CSV, GeoJSON, GPKG, GeoParquet, Police JSON) or postgresql:// URLs."
)
_OUT = typer.Option(..., "--out", help="Output folder: insecurity.csv, insecurity.gpkg, run.json.")
_AREAS = typer.Option(
    None,
    "--areas",
    help="Count on these areas instead of cells: polygons (GeoJSON, GPKG, Shapefile), e.g. SCB's DeSO; "
    "id from area_id/id/deso/name; a population column makes the expected counts per person.",
)
_SURVEY = typer.Option(
    None,
    "--survey",
    help="Survey areas (polygons) with share_unsafe (0-1 or %) and n_respondents, e.g. a trygghetsmätning.",
)
_CLASS_WORDS = {
    "felt_not_recorded": i18n.N_("upplevt, ej anmält"),
    "recorded_not_felt": i18n.N_("anmält, ej upplevt"),
    "both": i18n.N_("båda"),
    "neither": i18n.N_("varken eller"),
}


def _split(value: str | None) -> list[str] | None:
    """``"resident, safety_walk"`` -> ``["resident", "safety_walk"]``; ``None`` stays ``None``."""
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def _print(result: InsecurityResult, files: list[str], lang: str) -> None:
    s = result.settings
    sources = i18n.gettext(
        "Otrygghetsrapporter: %(felt)s (%(felt_sources)s) · "
        "anmälda brott: %(recorded)s (%(recorded_sources)s)",
        lang,
        felt=i18n.number(result.n_felt, lang),
        felt_sources=", ".join(s.felt_sources),
        recorded=i18n.number(result.n_recorded, lang),
        recorded_sources=", ".join(s.recorded_sources),
    )
    console.print(sources)
    for reason in result.chosen.values():
        console.print(i18n.gettext("Val: %(reason)s", lang, reason=reason))
    counts = result.class_counts()
    classes = ", ".join(
        f"{i18n.gettext(_CLASS_WORDS[k], lang)} {i18n.number(v, lang)}" for k, v in counts.items()
    )
    console.print(i18n.gettext("Klasser: %(classes)s", lang, classes=classes))
    cells = result.cells
    found = cells[cells["class"] != "neither"].sort_values(["class", "felt"], ascending=[True, False])
    if len(found):
        table = Table(result.id_column, i18n.gettext("plats", lang), "felt (exp)", "recorded (exp)", "class")
        table.title = i18n.gettext("Fynd (felt_not_recorded: underlag för trygghetsvandring)", lang)
        for _, r in found.head(20).iterrows():
            table.add_row(
                str(r[result.id_column]),
                str(r.get("place", "") or r.get("name", "") or f"{r['lat']:.4f},{r['lon']:.4f}"),
                f"{int(r['felt'])} ({r['felt_expected']:.1f})",
                f"{int(r['recorded'])} ({r['recorded_expected']:.1f})",
                str(r["class"]),
            )
        console.print(table)
    walks = result.walk_places()
    if len(walks):
        walk_text = i18n.gettext(
            "Förslag till trygghetsvandring: %(n)s platser med upplevd otrygghet utan anmälda brott "
            "(felt_not_recorded)",
            lang,
            n=i18n.number(len(walks), lang),
        )
        console.print(walk_text)
    for note in result.notes:
        console.print(f"[yellow]{i18n.gettext('Obs: %(note)s', lang, note=note)}[/yellow]")
    for path in files:
        console.print(i18n.gettext("Skrev %(path)s", lang, path=str(path)))


@with_reader_options
def insecurity(
    reports: list[str] = _REPORTS,
    out: Path = _OUT,
    cell: float | None = option(InsecuritySettings, "cell_m", "--cell", metavar="M"),
    areas: Path | None = _AREAS,
    felt_sources: str | None = option(InsecuritySettings, "felt_sources", "--felt-sources"),
    recorded_sources: str | None = option(InsecuritySettings, "recorded_sources", "--recorded-sources"),
    category_sources: str | None = option(InsecuritySettings, "category_sources", "--category-sources"),
    unsafe_words: str | None = option(InsecuritySettings, "unsafe_words", "--unsafe-words"),
    traffic_words: str | None = option(InsecuritySettings, "traffic_words", "--traffic-words"),
    alpha: float | None = option(InsecuritySettings, "alpha", "--alpha"),
    min_count: int | None = option(InsecuritySettings, "min_count", "--min-count"),
    survey: Path | None = _SURVEY,
    min_respondents: int | None = option(InsecuritySettings, "min_respondents", "--min-respondents"),
    lang: str = lang_option(),
    *,
    reader: ReaderArgs,
) -> None:
    """Upplevd otrygghet mot anmälda brott: var folk känner sig otrygga, var brotten sker, var de skiljer sig.

    Felt insecurity (residents, safety walks, partners' reports of unsafe places) against recorded crime
    (police) on square cells (--cell M) or your areas (--areas FILE). Each count is tested against what the
    study area's overall rate of its kind predicts: a one-sided Poisson test, with Benjamini–Hochberg over
    all cells (false discovery rate --alpha) and at least --min-count reports, so a cell with two reports is
    not a finding. Classes: felt_not_recorded (lighting, sightlines, maintenance: a place for a safety walk),
    recorded_not_felt (police presence), both, neither, each with its evidence and a sentence.

    Writes OUT/insecurity.csv (cell_id or area_id, lat, lon, felt, recorded, felt_expected,
    recorded_expected, felt_p, recorded_p, class, sentence, ...), OUT/insecurity.gpkg (polygons, metric CRS)
    and OUT/run.json.

    Each report's kind comes from its source (a source column, --source, or the file name): files that need
    different reader options are read first with geo ingest --source police/resident/safety_walk.

    Example: geo insecurity polis.parquet invanare.parquet vandringar.parquet --cell 250 --out otrygghet/
    """
    from geo.io.layers import read_layer
    from geo.io.manifest import Manifest, write_manifest
    from geo.io.outputs.insecurity import write_insecurity
    from geo.stages.insecurity import insecurity_stage

    if out.suffix:
        raise InputError(f"--out is a folder, got a file name '{out}'")
    check_lang(lang)
    if cell is not None and areas is not None:
        raise InputError("give --cell or --areas, not both (areas are counted as they are)")
    settings = build_settings(
        InsecuritySettings,
        cell_m=cell,
        felt_sources=_split(felt_sources),
        recorded_sources=_split(recorded_sources),
        category_sources=_split(category_sources),
        unsafe_words=_split(unsafe_words),
        traffic_words=_split(traffic_words),
        alpha=alpha,
        min_count=min_count,
        min_respondents=min_respondents,
    )
    study = reader.study_area()
    read = load_reports(reports, reader, out=out, area=study, lang=lang)
    if len(read.reports) == 0:
        raise InputError("no reports were accepted; nothing to compare (see the rejects table)")
    rep = read.reports
    area_frame = read_layer(areas, what="areas", crs=rep.crs) if areas is not None else None
    survey_frame = read_layer(survey, what="survey", crs=rep.crs) if survey is not None else None
    with console.status(i18n.gettext("Jämför ...", lang)) as status_line:
        try:
            result = insecurity_stage(
                rep,
                settings,
                area=study.to_crs(rep.crs) if study is not None else None,
                areas=area_frame,
                survey=survey_frame,
                progress=status_line.update,
                lang=lang,
            )
        except ValueError as err:
            which = survey if survey is not None and "survey" in str(err) else areas
            raise InputError(str(err), path=str(which) if which else None) from err
        files = write_insecurity(result, out.resolve())
    manifest = Manifest()
    manifest.add(files, stage="insecurity", settings=settings)
    write_manifest(manifest, out)
    _print(result, [f.path for f in files if f.layer is None], lang)


def register(app: typer.Typer) -> None:
    """Add ``geo insecurity`` to the app."""
    app.command("insecurity")(insecurity)
