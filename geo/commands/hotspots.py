"""``geo hotspots``: find hot-spots in reports with DBSCAN, HDBSCAN, kernel density or Gi*."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import typer
from rich.table import Table

from geo.commands._common import (
    ReaderArgs,
    console,
    load_reports,
    with_reader_options,
)
from geo.errors import InputError
from geo.io.export import atomic_path, write_frame
from geo.io.layers import read_layer
from geo.model import point_reports
from geo.time.parse import parse_date

__all__ = ["hotspots", "register"]

_OUT_SUFFIXES = {".geojson", ".json", ".gpkg"}


def _write(frame: gpd.GeoDataFrame, out: Path, *, layer: str) -> None:
    """GeoPackage in the metric CRS; GeoJSON in WGS84 with JSON-text columns kept as text (as in memory)."""
    frame = frame.copy()
    frame.attrs = {}
    if out.suffix.lower() == ".gpkg":
        write_frame(frame, out, layer=layer)
        return
    with atomic_path(out) as tmp:
        frame.to_crs("EPSG:4326").to_file(
            tmp,
            driver="GeoJSON",
            engine="pyogrio",
            layer=out.stem,
            layer_options={"AUTODETECT_JSON_STRINGS": "NO"},
        )


@with_reader_options
def hotspots(
    sources: list[str] = typer.Argument(
        ..., help="Report files (CSV, GeoJSON, GPKG, GeoParquet, Police JSON) or postgresql:// URLs."
    ),
    out: Path = typer.Option(..., "--out", help="OUT.geojson (WGS84) or OUT.gpkg (the metric CRS used)."),
    method: str = typer.Option("dbscan", "--method", help="dbscan | hdbscan | kde | gistar"),
    eps: float | None = typer.Option(
        None, "--eps", help="DBSCAN radius in metres (default: from the k-distance curve)."
    ),
    min_samples: int | None = typer.Option(
        None,
        "--min-samples",
        help="Reports for a core point (DBSCAN/HDBSCAN) or a hot-spot (KDE/Gi*); default max(5, √n/4).",
    ),
    min_cluster_size: int | None = typer.Option(
        None, "--min-cluster-size", help="HDBSCAN: smallest hot-spot in reports (default 3 × min-samples)."
    ),
    bandwidth: float | None = typer.Option(
        None, "--bandwidth", help="KDE bandwidth (Gaussian sd) in metres (default: mean spacing of reports)."
    ),
    share: float = typer.Option(
        0.5, "--share", help="KDE: hot-spots are the densest region holding this share of reports."
    ),
    cell: float | None = typer.Option(
        None, "--cell", help="Gi* cell size in metres (KDE: grid cell; DBSCAN/HDBSCAN: shape grid)."
    ),
    band: float | None = typer.Option(
        None,
        "--band",
        help="Gi* distance band in metres between cell centres (default: incremental spatial autocorr.).",
    ),
    alpha: float = typer.Option(
        0.05, "--alpha", help="Gi*: false discovery rate for hot cells (Benjamini–Hochberg)."
    ),
    shape: str = typer.Option("square", "--shape", help="Gi* cells: square | hex"),
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
        None, "--streets", help="Street lines with a 'name' column (GeoJSON/GPKG, or OSM .pbf) for labels."
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
    p_fdr and class.

    Example: geo hotspots data/toronto_mci_2014_2017.csv.gz --method dbscan --eps 150 --min-samples 50
    --out hotspots.geojson
    """
    # the engine is imported here, so that `geo` starts fast for every other command
    from geo.hotspots import METHODS, find_hotspots, gistar_cells, hotspots_from_cells
    from geo.hotspots.dbscan import suggest_min_samples
    from geo.hotspots.filters import filter_reports, parse_hours, parse_weekdays

    if method not in METHODS:
        raise InputError(f"--method must be one of {', '.join(METHODS)}, got '{method}'")
    if out.suffix.lower() not in _OUT_SUFFIXES:
        raise InputError(f"--out must end in .geojson or .gpkg, got '{out.name}'")
    if lang not in {"sv", "en"}:
        raise InputError(f"--lang must be sv or en, got '{lang}'")
    if shape not in {"square", "hex"}:
        raise InputError(f"--shape must be square or hex, got '{shape}'")
    for name, value in (("--eps", eps), ("--bandwidth", bandwidth), ("--cell", cell), ("--band", band)):
        if value is not None and not value > 0:
            raise InputError(f"{name} must be a distance in metres > 0, got {value}")
    if min_samples is not None and min_samples < 1:
        raise InputError(f"--min-samples must be >= 1, got {min_samples}")
    if not 0 < alpha < 1:
        raise InputError(f"--alpha must be between 0 and 1, got {alpha}")
    if not 0 < share <= 1:
        raise InputError(f"--share must be in (0, 1], got {share}")
    for name, value in (("--since", since), ("--until", until)):
        if value is not None:
            try:
                pd.Timestamp(value)
            except (ValueError, TypeError) as err:
                raise InputError(f"{name} must be a date like 2024-01-31, got '{value}'") from err
    try:
        day_filter = parse_weekdays(weekdays) if weekdays else None
        hour_filter = parse_hours(hours) if hours else None
    except ValueError as err:
        raise InputError(str(err)) from err
    street_frame = read_layer(streets, what="streets") if streets is not None else None
    if street_frame is not None and "name" not in street_frame.columns:
        raise InputError("streets layer has no 'name' column", path=str(streets))
    previous_frame = read_layer(previous, what="previous hot-spots") if previous is not None else None
    if previous_frame is not None and "hotspot_id" not in previous_frame.columns:
        raise InputError("previous hot-spots have no 'hotspot_id' column", path=str(previous))

    study = reader.study_area()
    result = load_reports(sources, reader, out=out, area=study)
    reports = result.reports
    tz = result.tz
    since_ts = parse_date(since, tz=tz, name="--since")
    until_ts = parse_date(until, tz=tz, name="--until")
    if since_ts is not None and until_ts is not None and until_ts <= since_ts:
        raise InputError(f"--until ({until}) must be after --since ({since})")
    pts = point_reports(reports)
    if len(pts) == 0:
        raise InputError(
            f"none of the {len(reports):,} reports has a point position (all are placed only at municipality "
            "or "
            "county level, e.g. the Police events feed); hot-spots need positions (no output written)"
        )
    if len(pts) < len(reports):
        console.print(
            f"Utanför punktanalysen / left out of point analysis: {len(reports) - len(pts):,} rapporter med "
            "kommun- eller länsprecision / reports placed only at municipality or county level"
        )
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
    chosen = filter_reports(
        pts,
        since=since_ts,
        until=until_ts,
        categories=categories,
        sources=only_source,
        dark_only=dark,
        weekdays=day_filter,
        hours=hour_filter,
    )
    if len(chosen) < len(pts):
        console.print(f"Filter: {len(chosen):,} av / of {len(pts):,} rapporter kvar / reports kept")
    if len(chosen) == 0:
        raise InputError("no reports left after the filters; nothing to analyse (no output written)")
    area_geom = study.to_crs(chosen.crs) if study is not None else None
    period_end = until_ts if until_ts is not None else None

    with console.status(f"Söker hot-spots / finding hot-spots ({method}) ..."):
        if method == "gistar":
            cells = gistar_cells(chosen, cell_m=cell, band_m=band, area=area_geom, shape=shape)
            ms = min_samples if min_samples is not None else suggest_min_samples(len(chosen))[0]
            found = hotspots_from_cells(
                cells,
                chosen.reset_index(drop=True),
                alpha=alpha,
                min_reports=ms,
                streets=street_frame,
                previous=previous_frame,
                period_end=period_end,
                lang=lang,
            )
            choices = dict(cells.attrs["choices"])
            auto = list(cells.attrs["auto"])
        else:
            found = find_hotspots(
                chosen,
                method=method,
                eps_m=eps,
                min_samples=min_samples,
                bandwidth_m=bandwidth,
                share=share,
                cell_m=cell,
                area=area_geom,
                streets=street_frame,
                previous=previous_frame,
                period_end=period_end,
                min_cluster_size=min_cluster_size,
                lang=lang,
            )
            choices = dict(found.attrs.get("choices", {}))
            auto = list(found.attrs.get("auto", []))
    for name in auto:
        console.print(f"Automatiskt val / automatic choice: {choices[name][1]}")
    if method == "gistar":
        member_cell = {}
        for hid, geom in zip(found["hotspot_id"], found.geometry, strict=True):
            for cid in cells.loc[cells.geometry.within(geom.buffer(1e-6)), "cell_id"]:
                member_cell[int(cid)] = hid
        cells["hotspot_id"] = cells["cell_id"].map(member_cell).astype("string")
        _write(cells, out, layer="gistar")
        counts = cells["class"].value_counts()
        console.print(
            "Celler / cells: "
            + ", ".join(
                f"{k} {int(counts.get(k, 0)):,}"
                for k in ("hot_99", "hot_95", "hot_90", "ns", "cold_90", "cold_95", "cold_99")
            )
        )
    else:
        _write(found, out, layer="hotspots")
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
    what = "celler / cells" if method == "gistar" else "hot-spots"
    n_written = len(cells) if method == "gistar" else len(found)
    console.print(f"Skrev / wrote {n_written:,} {what} ({len(found)} hot-spots) till / to {out}")


def register(app: typer.Typer) -> None:
    """Add ``geo hotspots`` to the app."""
    app.command("hotspots")(hotspots)
