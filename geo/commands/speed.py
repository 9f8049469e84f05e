"""``geo speed``: the traffic-speed layer per road segment and a ranked speed-enforcement plan."""

from __future__ import annotations

from pathlib import Path

import typer

from geo import i18n
from geo.commands._common import (
    ReaderArgs,
    check_lang,
    console,
    lang_option,
    load_reports,
    rejects_path,
    with_reader_options,
)
from geo.commands._settings import build_settings, option
from geo.errors import InputError
from geo.io.manifest import Manifest, OutputFile, write_manifest
from geo.io.outputs.speed import write_speed
from geo.model import Reports
from geo.stages.speed import SpeedResult, SpeedSettings

__all__ = ["register", "speed"]

# the options that are not settings (inputs, output, reader arguments of the road file)
_SEGMENTS = typer.Option(
    ..., "--segments", help="Road segments: OSM .pbf (maxspeed) or GPKG/GeoJSON/SHP with a limit column."
)
_MEASUREMENTS = typer.Option(
    ...,
    "--measurements",
    help=(
        "Speed measurements: passes (measured_at, speed_kmh, lat/lon or segment_id) "
        "or hourly (hour_start, count, mean_kmh, p85_kmh)."
    ),
)
_OUT = typer.Option(
    ..., "--out", help="Output folder: speed_segments.gpkg, enforcement_plan.csv, speed_rejects.csv."
)
_REPORTS = typer.Option(
    None,
    "--reports",
    help="Report files; traffic-related ones (hög hastighet, trafikbrott, ...) are attached (repeat).",
)
_LIMIT_COL = typer.Option(None, "--limit-col", help="Speed-limit column of a road file (default: detected).")
_ZONE = typer.Option("urban", "--zone", help="Implicit limit for OSM roads without maxspeed: urban or rural.")


@with_reader_options
def speed(
    segments: Path = _SEGMENTS,
    measurements: Path = _MEASUREMENTS,
    out: Path = _OUT,
    reports: list[str] | None = _REPORTS,
    tolerance_m: float | None = option(SpeedSettings, "tolerance_m", "--tolerance-m"),
    band_hours: int | None = option(SpeedSettings, "band_hours", "--band-hours"),
    day_groups: str | None = option(SpeedSettings, "day_groups", "--day-groups"),
    checks: int | None = option(SpeedSettings, "checks", "--checks", min=1),
    check_minutes: int | None = option(SpeedSettings, "check_min", "--check-minutes", min=1),
    margin_kmh: float | None = option(SpeedSettings, "margin_kmh", "--margin-kmh"),
    report_tolerance_m: float | None = option(SpeedSettings, "report_tolerance_m", "--report-tolerance-m"),
    limit_col: str | None = _LIMIT_COL,
    zone: str = _ZONE,
    lang: str = lang_option(),
    *,
    reader: ReaderArgs,
) -> None:
    """Speed per road segment and time window, and where a speed check catches most (best first).

    Example: geo speed --segments data/demo/gator.geojson --measurements data/demo/hastighet_passager.csv
    --reports data/demo/trygghetsrapporter.csv --out speed/
    """
    check_lang(lang)
    if zone not in {"urban", "rural"}:
        raise InputError(f"--zone must be urban or rural, got '{zone}'")
    settings = build_settings(
        SpeedSettings,
        tolerance_m=tolerance_m,
        band_hours=band_hours,
        day_groups=day_groups,
        checks=checks,
        check_min=check_minutes,
        margin_kmh=margin_kmh,
        report_tolerance_m=report_tolerance_m,
    )
    rep = load_reports(list(reports), reader, out=out, quiet=True, lang=lang).reports if reports else None
    with console.status(i18n.gettext("Läser vägar och mätningar ...", lang)):
        try:
            result = _compute(
                segments,
                measurements,
                settings,
                reports=rep,
                reader=reader,
                limit_col=limit_col,
                zone=zone,
                lang=lang,
            )
        except ValueError as err:
            if isinstance(err, InputError):
                raise
            raise InputError(str(err)) from err
    if reader.strict:
        _fail_on_rejects(result)
    files = write_speed(result, out)
    manifest = Manifest()
    manifest.add(files, stage="speed", settings=settings)
    if rep is not None and reports:  # the reports' rejection table, written by load_reports
        rejects = rejects_path(reader, out, list(reports))
        manifest.add([OutputFile("rejects", str(rejects), "read")])
    write_manifest(manifest, out)
    _print_summary(result, lang)
    for f in files:
        if f.layer is None:
            console.print(i18n.gettext("Skrev %(path)s", lang, path=str(f.path)))


def _compute(
    segments: Path,
    measurements: Path,
    settings: SpeedSettings,
    *,
    reports: Reports | None,
    reader: ReaderArgs,
    limit_col: str | None,
    zone: str,
    lang: str,
) -> SpeedResult:
    """Read segments (in --crs, else the reports' CRS) and measurements (--tz, else the roads' zone); run."""
    from geo.io.measurements import read_measurements
    from geo.io.segments import read_segments
    from geo.stages.speed import speed_stage

    crs = reader.crs if not reader.x_col else None
    if crs is None and reports is not None and len(reports):
        crs = reports.crs
    seg = read_segments(segments, crs=crs, zone=zone, limit_col=limit_col)
    meas = read_measurements(measurements, crs=seg.crs, tz=reader.tz or seg.tz)
    return speed_stage(
        seg.segments, meas.frame, settings, reports=reports, rejects=[seg.rejects, meas.rejects], lang=lang
    )


def _fail_on_rejects(result: SpeedResult) -> None:
    bad = result.rejects[result.rejects["status"] == "rejected"]
    if len(bad):
        first = bad.iloc[0]
        raise InputError(
            f"{len(bad)} rows rejected under --strict (first: {first['reason']}); no output written",
            path=str(first["file"]),
            row=int(first["row"]),
            field=str(first["field"]),
        )


def _print_summary(result: SpeedResult, lang: str) -> None:
    layer = result.layer
    seg = layer.segments
    rej = result.rejects

    def num(n: float) -> str:
        return i18n.number(n, lang)

    sources = ", ".join(f"{k} {num(v)}" for k, v in seg["limit_source"].value_counts().items())
    segments = i18n.gettext(
        "Vägsegment: %(n)s (gräns från: %(sources)s; avskurna vid kanten: %(cut)s)",
        lang,
        n=num(len(seg)),
        sources=sources,
        cut=num(int(seg["truncated"].sum())),
    )
    console.print(segments)
    measured = i18n.gettext(
        "Mätningar (%(kind)s): %(n)s matchade · avvisade %(rejected)s · varningar %(warnings)s",
        lang,
        kind=str(layer.kind),
        n=num(len(layer.measurements)),
        rejected=num(int((rej["status"] == "rejected").sum())),
        warnings=num(int((rej["status"] == "warning").sum())),
    )
    console.print(measured)
    if len(layer.reports):
        n_reports = num(len(layer.reports))
        console.print(i18n.gettext("Trafikrapporter vid segment: %(n)s", lang, n=n_reports))
    if not len(result.plan):
        console.print(i18n.gettext("Ingen kontroll föreslås: för få mätningar över gränsen", lang))
        return
    console.print(i18n.gettext("Bästa kontroller:", lang))
    for r in result.plan.head(5).itertuples(index=False):
        check = i18n.gettext(
            "%(over)s över %(limit)s, %(over10)s över +10, p85 %(p85)s km/h, %(passes)s passager",
            lang,
            over=i18n.pct(r.share_over_limit, lang, decimals=0),
            limit=f"{r.limit_kmh:.0f}",
            over10=i18n.pct(r.share_over_limit_10, lang, decimals=0),
            p85=f"{r.p85_kmh:.0f}",
            passes=num(r.passes),
        )
        console.print(
            f"  {r.rank}. {r.street or r.segment_id} ({r.segment_id}) {r.weekdays} {r.start}–{r.end}: {check}"
        )


def register(app: typer.Typer) -> None:
    """Add ``geo speed`` to the app."""
    app.command("speed")(speed)
