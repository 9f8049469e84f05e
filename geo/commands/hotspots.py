"""``geo hotspots``: find hot-spots in reports with DBSCAN, HDBSCAN, kernel density or Gi*."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import typer
from rich.table import Table

from geo.commands._common import ReaderArgs, console, load_reports, with_reader_options
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
    if lang not in {"sv", "en"}:
        raise InputError(f"--lang must be sv or en, got '{lang}'")
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


def _points(reports: Reports) -> Reports:
    pts = point_reports(reports)
    if len(pts) == 0:
        raise InputError(
            f"none of the {len(reports):,} reports has a point position (all are placed only at municipality "
            "or county level, e.g. the Police events feed); hot-spots need positions (no output written)"
        )
    if len(pts) < len(reports):
        console.print(
            f"Utanför punktanalysen / left out of point analysis: {len(reports) - len(pts):,} rapporter med "
            "kommun- eller länsprecision / reports placed only at municipality or county level"
        )
    return pts


def _categories(pts: Reports, category: list[str] | None) -> list[str] | None:
    """Return the --category values (comma-separated or repeated); name unknown ones, with those present."""
    categories = [c.strip() for value in (category or []) for c in value.split(",") if c.strip()] or None
    if categories:
        known = {str(c).casefold() for c in pts["category"].dropna().unique()}
        unknown = [c for c in categories if c.casefold() not in known]
        if unknown:
            top = ", ".join(pts["category"].astype(str).value_counts().index[:12])
            console.print(
                f"[yellow]Okänd kategori / unknown category: {', '.join(unknown)} "
                f"(finns / present: {top})[/yellow]"
            )
    return categories


def _print_table(found: pd.DataFrame, method: str) -> None:
    table = Table(
        "id", "label", "n", "andel/share", "trend", "toppfönster/peak", title=f"Hot-spots ({method})"
    )
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


def _print_result(result: HotspotResult, out: Path) -> None:
    for key, reason in result.chosen.items():
        plain = key in {"concentration", "snap_m"}  # hot streets: what was found, not a choice
        console.print(reason if plain else f"Automatiskt val / automatic choice: {reason}")
    for note in result.notes:
        console.print(f"[yellow]{note}[/yellow]")
    found, cells = result.hotspots, result.gistar
    what, n_written = "hot-spots", len(found)
    if result.settings.method == "gistar" and cells is not None:
        counts = cells["class"].value_counts()
        console.print("Celler / cells: " + ", ".join(f"{k} {int(counts.get(k, 0)):,}" for k in _CLASSES))
        what, n_written = "celler / cells", len(cells)
    if result.settings.method == "segments" and len(found):
        table = Table("rank", "gata/street", "n", "per 100 m", "trend", title="Heta gator / hot streets")
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
        _print_table(found, result.settings.method)
    console.print(f"Skrev / wrote {n_written:,} {what} ({len(found)} hot-spots) till / to {out}")


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
    lang: str = typer.Option("sv", "--lang", help="Language of peak windows: sv | en"),
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
    loaded = load_reports(sources, reader, out=out, area=study)
    since_ts = parse_date(since, tz=loaded.tz, name="--since")
    until_ts = parse_date(until, tz=loaded.tz, name="--until")
    if since_ts is not None and until_ts is not None and until_ts <= since_ts:
        raise InputError(f"--until ({until}) must be after --since ({since})")
    pts = _points(loaded.reports)
    chosen = filter_reports(
        pts,
        since=since_ts,
        until=until_ts,
        categories=_categories(pts, category),
        sources=only_source,
        dark_only=dark,
        weekdays=day_filter,
        hours=hour_filter,
    )
    if len(chosen) < len(pts):
        console.print(f"Filter: {len(chosen):,} av / of {len(pts):,} rapporter kvar / reports kept")
    if len(chosen) == 0:
        raise InputError("no reports left after the filters; nothing to analyse (no output written)")
    with console.status(f"Söker hot-spots / finding hot-spots ({settings.method}) ..."):
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
    _print_result(result, out)


def register(app: typer.Typer) -> None:
    """Add ``geo hotspots`` to the app."""
    app.command("hotspots")(hotspots)
