"""``geo hotspots``: find hot-spots in reports with DBSCAN, HDBSCAN, kernel density or Gi*."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
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
from geo.errors import ConfigError, InputError
from geo.io.layers import read_layer
from geo.model import Reports, point_reports
from geo.stages.hotspots import HotspotResult, HotspotSettings
from geo.time.parse import parse_date

__all__ = ["hotspots", "register"]

_OUT_SUFFIXES = {".geojson", ".json", ".gpkg"}
_FLAGS = {"eps_m": "--eps", "bandwidth_m": "--bandwidth", "cell_m": "--cell", "band_m": "--band"}
"""Settings fields whose option is not spelled ``--field-name`` (kept from before the settings class)."""
_CLASSES = ("hot_99", "hot_95", "hot_90", "ns", "cold_90", "cold_95", "cold_99")


def _settings(**values: object) -> HotspotSettings:
    """Build the settings from the options; an error names the option as the command spells it."""
    try:
        return build_settings(HotspotSettings, **values)
    except ConfigError as err:
        text = str(err)
        for field, flag in _FLAGS.items():
            text = text.replace("--" + field.replace("_", "-") + ":", flag + ":")
        raise ConfigError(text) from err


def _check_options(out: Path, lang: str, since: str | None, until: str | None) -> None:
    if out.suffix.lower() not in _OUT_SUFFIXES:
        raise InputError(f"--out must end in .geojson or .gpkg, got '{out.name}'")
    check_lang(lang)
    for name, value in (("--since", since), ("--until", until)):
        if value is not None:
            try:
                pd.Timestamp(value)
            except (ValueError, TypeError) as err:
                raise InputError(f"{name} must be a date like 2024-01-31, got '{value}'") from err


def _time_filters(
    weekdays: str | None, hours: str | None
) -> tuple[tuple[int, ...] | None, tuple[int, int] | None]:
    from geo.hotspots.filters import parse_hours, parse_weekdays

    try:
        return (parse_weekdays(weekdays) if weekdays else None, parse_hours(hours) if hours else None)
    except ValueError as err:
        raise InputError(str(err)) from err


def _context_layers(
    streets: Path | None, previous: Path | None
) -> tuple[gpd.GeoDataFrame | None, gpd.GeoDataFrame | None]:
    street_frame = read_layer(streets, what="streets") if streets is not None else None
    if street_frame is not None and "name" not in street_frame.columns:
        raise InputError("streets layer has no 'name' column", path=str(streets))
    previous_frame = read_layer(previous, what="previous hot-spots") if previous is not None else None
    if previous_frame is not None and "hotspot_id" not in previous_frame.columns:
        raise InputError("previous hot-spots have no 'hotspot_id' column", path=str(previous))
    return street_frame, previous_frame


def _points(reports: Reports, lang: str) -> Reports:
    pts = point_reports(reports)
    if len(pts) == 0:
        raise InputError(
            f"none of the {len(reports):,} reports has a point position (all are placed only at municipality "
            "or county level, e.g. the Police events feed); hot-spots need positions (no output written)"
        )
    if len(pts) < len(reports):
        left = i18n.number(len(reports) - len(pts), lang)
        console.print(
            i18n.gettext(
                "Utanför punktanalysen: %(n)s rapporter med kommun- eller länsprecision", lang, n=left
            )
        )
    return pts


def _categories(pts: Reports, category: list[str] | None, lang: str) -> list[str] | None:
    """Return the --category values (comma-separated or repeated); name unknown ones, with those present."""
    categories = [c.strip() for value in (category or []) for c in value.split(",") if c.strip()] or None
    if categories:
        known = {str(c).casefold() for c in pts["category"].dropna().unique()}
        unknown = [c for c in categories if c.casefold() not in known]
        if unknown:
            top = ", ".join(pts["category"].astype(str).value_counts().index[:12])
            text = i18n.gettext(
                "Okänd kategori: %(unknown)s (finns: %(present)s)",
                lang,
                unknown=", ".join(unknown),
                present=top,
            )
            console.print(f"[yellow]{text}[/yellow]")
    return categories


def _print_table(found: pd.DataFrame, method: str, lang: str) -> None:
    share, peak = i18n.gettext("andel", lang), i18n.gettext("toppfönster", lang)
    table = Table("id", "label", "n", share, "trend", peak, title=f"Hot-spots ({method})")
    for _, r in found.head(15).iterrows():
        table.add_row(
            str(r["hotspot_id"]),
            str(r["label"])[:40],
            f"{int(r['n_reports']):,}",
            f"{r['share']:.1%}",
            str(r["trend"]),
            str(r["peak_windows"]),
        )
    console.print(table)


def _print_result(result: HotspotResult, out: Path, lang: str) -> None:
    for key, reason in result.chosen.items():
        plain = key in {"concentration", "snap_m"}  # hot streets: what was found, not a choice
        console.print(reason if plain else i18n.gettext("Automatiskt val: %(reason)s", lang, reason=reason))
    for note in result.notes:
        console.print(f"[yellow]{note}[/yellow]")
    found, cells = result.hotspots, result.gistar
    what, n_written = "hot-spots", len(found)
    if result.settings.method == "gistar" and cells is not None:
        counts = cells["class"].value_counts()
        per_class = ", ".join(f"{k} {i18n.number(int(counts.get(k, 0)), lang)}" for k in _CLASSES)
        console.print(i18n.gettext("Celler: %(counts)s", lang, counts=per_class))
        what, n_written = i18n.gettext("celler", lang), len(cells)
    if result.settings.method == "segments" and len(found):
        street, title = i18n.gettext("gata", lang), i18n.gettext("Heta gator", lang)
        table = Table("rank", street, "n", "per 100 m", "trend", title=title)
        for _, r in found.head(15).iterrows():
            table.add_row(
                str(int(r["rank"])),
                str(r["label"])[:40],
                f"{int(r['n_reports']):,}",
                f"{r['per_100m']:.1f}",
                str(r["trend"]),
            )
        console.print(table)
    else:
        _print_table(found, result.settings.method, lang)
    wrote = i18n.gettext(
        "Skrev %(n)s %(what)s (%(hot)s hot-spots) till %(out)s",
        lang,
        n=i18n.number(n_written, lang),
        what=what,
        hot=i18n.number(len(found), lang),
        out=str(out),
    )
    console.print(wrote)


@with_reader_options
def hotspots(
    sources: list[str] = typer.Argument(
        ..., help="Report files (CSV, GeoJSON, GPKG, GeoParquet, Police JSON) or postgresql:// URLs."
    ),
    out: Path = typer.Option(..., "--out", help="OUT.geojson (WGS84) or OUT.gpkg (the metric CRS used)."),
    method: str | None = option(HotspotSettings, "method", "--method"),
    eps: float | None = option(HotspotSettings, "eps_m", "--eps"),
    min_samples: int | None = option(HotspotSettings, "min_samples", "--min-samples"),
    min_samples_weeks: float | None = option(HotspotSettings, "min_samples_weeks", "--min-samples-weeks"),
    min_cluster_size: int | None = option(HotspotSettings, "min_cluster_size", "--min-cluster-size"),
    bandwidth: float | None = option(HotspotSettings, "bandwidth_m", "--bandwidth"),
    share: float | None = option(HotspotSettings, "share", "--share"),
    cell: float | None = option(HotspotSettings, "cell_m", "--cell"),
    band: float | None = option(HotspotSettings, "band_m", "--band"),
    alpha: float | None = option(HotspotSettings, "alpha", "--alpha"),
    simulations: int | None = option(HotspotSettings, "simulations", "--simulations"),
    seed: int | None = option(HotspotSettings, "seed", "--seed"),
    shape: str | None = option(HotspotSettings, "shape", "--shape"),
    snap: float | None = option(HotspotSettings, "snap_m", "--snap-m"),
    segment_share: float | None = option(HotspotSettings, "segment_share", "--segment-share"),
    since: str | None = typer.Option(
        None, "--since", help="Only reports from this date (YYYY-MM-DD, local, inclusive)."
    ),
    until: str | None = typer.Option(
        None, "--until", help="Only reports before this date (YYYY-MM-DD, local, exclusive)."
    ),
    category: list[str] | None = typer.Option(
        None, "--category", help="Only this category (repeat, or comma-separate, for more)."
    ),
    only_source: list[str] | None = typer.Option(
        None, "--only-source", help="Only reports from this source, e.g. police (repeat for more)."
    ),
    dark: bool = typer.Option(False, "--dark", help="Only reports made in darkness."),
    weekdays: str | None = typer.Option(
        None, "--weekdays", help="Only these weekdays: 'fre,lör', 'mån-fre', 'Fri-Sun' or 0-6 (Monday 0)."
    ),
    hours: str | None = typer.Option(None, "--hours", help="Only these local hours, e.g. 22-03."),
    streets: Path | None = typer.Option(
        None,
        "--streets",
        help="Street lines with a 'name' column (GeoJSON/GPKG, or OSM .pbf): labels; the segments of "
        "--method segments.",
    ),
    previous: Path | None = typer.Option(
        None, "--previous", help="Hot-spots of an earlier run: matching ones keep their id."
    ),
    lang: str = lang_option("Language of peak windows and console lines: sv | en"),
    *,
    reader: ReaderArgs,
) -> None:
    """Find hot-spots with DBSCAN, HDBSCAN, kernel density or Gi*.

    Each hot-spot is a polygon with its reports, share, density, category mix, darkness, hour × weekday
    profile, peak windows, trend and a stable id. For gistar the output is every cell with count, z, p,
    p_fdr and class. A run.json beside the output lists the file and the settings used.

    With --method segments (hot streets) reports are snapped to the nearest street segment of --streets
    within --snap-m; the output holds the top segments (lines) with rank, n_reports and per_100m, and a
    .gpkg also every segment with reports (layer street_segments).

    KDE: a hot-spot is a concentration denser than complete spatial randomness in the study area (or the
    reports' convex hull) allows anywhere, by a Monte Carlo test (--simulations seeded surfaces, level
    --alpha); it is outlined where its density is at least --share (0.3) of its own peak above the
    background, so a place comes out at about its own size.

    Example: geo hotspots data/toronto_mci_2014_2017.csv.gz --method dbscan --eps 150 --min-samples 50
    --out hotspots.geojson

    Example: geo hotspots reports.csv --method segments --streets town.osm.pbf --out hot_streets.gpkg
    """
    # the engine is imported here, so that `geo` starts fast for every other command
    from geo.hotspots.filters import filter_reports
    from geo.io.manifest import Manifest, write_manifest
    from geo.io.outputs.hotspots import write_hotspots
    from geo.stages.hotspots import hotspots_stage

    _check_options(out, lang, since, until)
    settings = _settings(
        method=method,
        eps_m=eps,
        min_samples=min_samples,
        min_samples_weeks=min_samples_weeks,
        min_cluster_size=min_cluster_size,
        bandwidth_m=bandwidth,
        share=share,
        cell_m=cell,
        band_m=band,
        alpha=alpha,
        simulations=simulations,
        seed=seed,
        shape=shape,
        snap_m=snap,
        segment_share=segment_share,
        overview=False,  # the command writes the hot-spots (or Gi* cells) only
    )
    day_filter, hour_filter = _time_filters(weekdays, hours)
    street_frame, previous_frame = _context_layers(streets, previous)
    study = reader.study_area()
    loaded = load_reports(sources, reader, out=out, area=study, lang=lang)
    since_ts = parse_date(since, tz=loaded.tz, name="--since")
    until_ts = parse_date(until, tz=loaded.tz, name="--until")
    if since_ts is not None and until_ts is not None and until_ts <= since_ts:
        raise InputError(f"--until ({until}) must be after --since ({since})")
    pts = _points(loaded.reports, lang)
    chosen = filter_reports(
        pts,
        since=since_ts,
        until=until_ts,
        categories=_categories(pts, category, lang),
        sources=only_source,
        dark_only=dark,
        weekdays=day_filter,
        hours=hour_filter,
    )
    if len(chosen) < len(pts):
        kept = i18n.gettext(
            "Filter: %(kept)s av %(n)s rapporter kvar",
            lang,
            kept=i18n.number(len(chosen), lang),
            n=i18n.number(len(pts), lang),
        )
        console.print(kept)
    if len(chosen) == 0:
        raise InputError("no reports left after the filters; nothing to analyse (no output written)")
    with console.status(i18n.gettext("Söker hot-spots (%(method)s) ...", lang, method=settings.method)):
        result = hotspots_stage(
            Reports(chosen),
            settings,
            area=study.to_crs(chosen.crs) if study is not None else None,
            streets=street_frame,
            previous=previous_frame,
            period_end=until_ts,
            lang=lang,
        )
    files = write_hotspots(result, out.resolve())
    manifest = Manifest()
    manifest.add(files, stage="hotspots", settings=settings)
    filters: dict[str, object] = {"since": since, "until": until, "category": category}
    filters |= {"only_source": only_source, "dark": dark, "weekdays": weekdays, "hours": hours}
    if any(filters.values()):
        manifest.info["filters"] = {k: v for k, v in filters.items() if v}
    if settings.method == "segments":  # the concentration curve and the snapping, for the record
        manifest.info["hot_streets"] = {k: result.chosen[k] for k in ("concentration", "snap_m")}
    write_manifest(manifest, out.parent)
    _print_result(result, out, lang)


def register(app: typer.Typer) -> None:
    """Add ``geo hotspots`` to the app."""
    app.command("hotspots")(hotspots)
