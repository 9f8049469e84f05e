"""``geo speed``: the traffic-speed layer per road segment and a ranked speed-enforcement plan."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import typer

from geo.commands._common import ReaderArgs, console, load_reports, with_reader_options
from geo.crs import choose_tz
from geo.errors import InputError
from geo.io.export import atomic_path, write_csv, write_frame
from geo.io.rejects import REJECT_COLUMNS
from geo.layers.speed import SpeedLayer, build_speed_layer, read_measurements, read_segments
from geo.model import Reports
from geo.plan.enforcement import ENFORCEMENT_COLUMNS, plan_enforcement

__all__ = ["SpeedResult", "make_speed", "register", "run_speed", "speed", "write_speed"]


@dataclass
class SpeedResult:
    """The speed layer, the enforcement plan and every row not used.

    Attributes
    ----------
    layer
        :class:`geo.layers.speed.SpeedLayer` (``segments``, ``windows``, ``reports``, ...).
    plan
        The enforcement plan (:func:`geo.plan.enforcement.plan_enforcement`).
    rejects
        Segment and measurement rows not used or warned about, ``file,row,field,reason,status,value``.
    """

    layer: SpeedLayer
    plan: gpd.GeoDataFrame
    rejects: pd.DataFrame


def make_speed(
    *,
    segments_path: str | Path,
    measurements_path: str | Path,
    reports: Reports | None = None,
    tolerance_m: float = 30.0,
    report_tolerance_m: float = 50.0,
    band_hours: int = 2,
    day_groups: str = "weekday_weekend",
    checks: int = 10,
    check_min: int = 60,
    margin_kmh: float = 10.0,
    limit_col: str | None = None,
    zone: str = "urban",
    country: str | None = None,
    crs: str | None = None,
    tz: str | None = None,
) -> SpeedResult:
    """Read segments and measurements, build the speed layer and plan the checks.

    Parameters
    ----------
    segments_path
        OSM PBF or a road file with a limit column (:func:`geo.layers.speed.read_segments`).
    measurements_path
        Passes or hourly aggregates (:func:`geo.layers.speed.read_measurements`).
    reports
        Reports; the traffic-related ones are attached to segments.
    tolerance_m, report_tolerance_m, band_hours, day_groups
        As in :func:`geo.layers.speed.build_speed_layer`.
    checks, check_min, margin_kmh
        As in :func:`geo.plan.enforcement.plan_enforcement`.
    limit_col, zone, country, crs
        As in :func:`geo.layers.speed.read_segments` (`crs` defaults to the reports' CRS when given).
    tz
        Zone of naive measurement times (default: the zone where the roads are).

    Returns
    -------
    result
        The layer, the plan and the rejection table.
    """
    target = crs if crs is not None else (reports.crs if reports is not None and len(reports) else None)
    seg = read_segments(segments_path, crs=target, country=country, zone=zone, limit_col=limit_col)
    if tz is None and len(seg.segments):
        centre = gpd.GeoSeries([seg.segments.union_all().centroid], crs=seg.crs).to_crs("EPSG:4326").iloc[0]
        tz = choose_tz(centre.x, centre.y)
    meas = read_measurements(measurements_path, crs=seg.crs, tz=tz)
    layer = build_speed_layer(
        seg.segments,
        meas,
        reports=Reports(reports.to_crs(seg.crs)) if reports is not None else None,
        tolerance_m=tolerance_m,
        report_tolerance_m=report_tolerance_m,
        band_hours=band_hours,
        day_groups=day_groups,
    )
    plan = plan_enforcement(layer, checks=checks, check_min=check_min, margin_kmh=margin_kmh)
    parts = [r for r in (seg.rejects, layer.rejects) if len(r)]
    rejects = (
        pd.concat(parts, ignore_index=True)[REJECT_COLUMNS] if parts else pd.DataFrame(columns=REJECT_COLUMNS)
    )
    return SpeedResult(layer, plan, rejects)


def write_speed(result: SpeedResult, out_dir: str | Path) -> dict[str, Path]:
    """Write ``speed_segments.gpkg``, ``enforcement_plan.csv`` and ``speed_rejects.csv``.

    The GeoPackage holds the layers ``segments`` (every segment with its figures), ``windows`` (segment ×
    time window, on the segment's line), ``enforcement`` (the plan's points) and ``traffic_reports``
    (attached reports, no free text).

    Parameters
    ----------
    result
        From :func:`make_speed`.
    out_dir
        Output folder (created).

    Returns
    -------
    paths
        ``speed_segments_gpkg``, ``enforcement_plan_csv``, ``speed_rejects_csv``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    layer = result.layer
    gpkg = out / "speed_segments.gpkg"
    tmp_layers: list[tuple[gpd.GeoDataFrame, str]] = [(layer.segments, "segments")]
    if len(layer.windows):
        geom = layer.segments.set_index(layer.segments["segment_id"].astype("string")).geometry
        win = gpd.GeoDataFrame(
            layer.windows.copy(),
            geometry=layer.windows["segment_id"].astype("string").map(geom).to_numpy(),
            crs=layer.segments.crs,
        )
        tmp_layers.append((win, "windows"))
    if len(result.plan):
        tmp_layers.append((result.plan, "enforcement"))
    if len(layer.reports):
        tmp_layers.append((layer.reports, "traffic_reports"))
    with atomic_path(gpkg) as tmp:
        for frame, name in tmp_layers:
            write_frame(frame, tmp, layer=name)
    table = pd.DataFrame(result.plan.drop(columns=result.plan.geometry.name))
    cols = [*ENFORCEMENT_COLUMNS, *[c for c in table.columns if c not in ENFORCEMENT_COLUMNS]]
    return {
        "speed_segments_gpkg": gpkg,
        "enforcement_plan_csv": write_csv(table.reindex(columns=cols), out / "enforcement_plan.csv"),
        "speed_rejects_csv": write_csv(result.rejects, out / "speed_rejects.csv"),
    }


def run_speed(
    *,
    segments_path: str | Path,
    measurements_path: str | Path,
    reports: Reports | None = None,
    tolerance_m: float = 30.0,
    band_hours: int = 2,
    day_groups: str = "weekday_weekend",
    checks: int = 10,
    check_min: int = 60,
    margin_kmh: float = 10.0,
    limit_col: str | None = None,
    zone: str = "urban",
    out_dir: str | Path,
) -> dict[str, Path]:
    """Build the speed layer and the enforcement plan and write them (for ``geo run``/``geo demo``).

    See :func:`make_speed` for the parameters and :func:`write_speed` for the files.
    """
    result = make_speed(
        segments_path=segments_path,
        measurements_path=measurements_path,
        reports=reports,
        tolerance_m=tolerance_m,
        band_hours=band_hours,
        day_groups=day_groups,
        checks=checks,
        check_min=check_min,
        margin_kmh=margin_kmh,
        limit_col=limit_col,
        zone=zone,
    )
    return write_speed(result, out_dir)


@with_reader_options
def speed(
    segments: Path = typer.Option(
        ..., "--segments", help="Road segments: OSM .pbf (maxspeed) or GPKG/GeoJSON/SHP with a limit column."
    ),
    measurements: Path = typer.Option(
        ...,
        "--measurements",
        help=(
            "Speed measurements: passes (measured_at, speed_kmh, lat/lon or segment_id) "
            "or hourly (hour_start, count, mean_kmh, p85_kmh)."
        ),
    ),
    out: Path = typer.Option(
        ..., "--out", help="Output folder: speed_segments.gpkg, enforcement_plan.csv, speed_rejects.csv."
    ),
    reports: list[str] | None = typer.Option(
        None,
        "--reports",
        help="Report files; traffic-related ones (hög hastighet, trafikbrott, ...) are attached (repeat).",
    ),
    tolerance_m: float = typer.Option(
        30.0, "--tolerance-m", help="Largest distance in metres from a measurement to its segment."
    ),
    band_hours: int = typer.Option(2, "--band-hours", help="Hours per time band (1, 2, 3, 4, 6, 8, 12, 24)."),
    day_groups: str = typer.Option(
        "weekday_weekend", "--day-groups", help="weekday_weekend, each_day or all."
    ),
    checks: int = typer.Option(10, "--checks", min=1, help="Number of checks the capacity allows."),
    check_minutes: int = typer.Option(60, "--check-minutes", min=1, help="Length of one check in minutes."),
    margin_kmh: float = typer.Option(
        10.0, "--margin-kmh", help="A catch is a pass above the limit + this many km/h."
    ),
    limit_col: str | None = typer.Option(
        None, "--limit-col", help="Speed-limit column of a road file (default: detected)."
    ),
    zone: str = typer.Option(
        "urban", "--zone", help="Implicit limit for OSM roads without maxspeed: urban or rural."
    ),
    *,
    reader: ReaderArgs,
) -> None:
    """Speed per road segment and time window, and where a speed check catches most (best first).

    Example: geo speed --segments data/demo/gator.geojson --measurements data/demo/hastighet_passager.csv
    --reports data/demo/trygghetsrapporter.csv --out speed/
    """
    if zone not in {"urban", "rural"}:
        raise InputError(f"--zone must be urban or rural, got '{zone}'")
    rep = None
    if reports:
        rep = load_reports(list(reports), reader, out=out, quiet=True).reports
    with console.status("Läser vägar och mätningar / reading roads and measurements ..."):
        try:
            result = make_speed(
                segments_path=segments,
                measurements_path=measurements,
                reports=rep,
                tolerance_m=tolerance_m,
                band_hours=band_hours,
                day_groups=day_groups,
                checks=checks,
                check_min=check_minutes,
                margin_kmh=margin_kmh,
                limit_col=limit_col,
                zone=zone,
                crs=reader.crs if not reader.x_col else None,
                tz=reader.tz,
            )
        except ValueError as err:
            if isinstance(err, InputError):
                raise
            raise InputError(str(err)) from err
    if reader.strict:
        bad = result.rejects[result.rejects["status"] == "rejected"]
        if len(bad):
            first = bad.iloc[0]
            raise InputError(
                f"{len(bad)} rows rejected under --strict (first: {first['reason']}); no output written",
                path=str(first["file"]),
                row=int(first["row"]),
                field=str(first["field"]),
            )
    paths = write_speed(result, out)
    layer = result.layer
    seg = layer.segments
    n_meas = len(layer.measurements)
    rej = result.rejects
    console.print(
        f"Vägsegment / road segments: {len(seg):,} (gräns från / limit from: "
        + ", ".join(f"{k} {v:,}" for k, v in seg["limit_source"].value_counts().items())
        + f"; avskurna vid kanten / cut at the edge: {int(seg['truncated'].sum()):,})"
    )
    console.print(
        f"Mätningar / measurements ({layer.kind}): {n_meas:,} matchade / matched · avvisade / rejected "
        f"{int((rej['status'] == 'rejected').sum()):,} · varningar / warnings "
        f"{int((rej['status'] == 'warning').sum()):,}"
    )
    if len(layer.reports):
        console.print(f"Trafikrapporter vid segment / traffic reports on segments: {len(layer.reports):,}")
    if len(result.plan):
        console.print("Bästa kontroller / best checks:")
        for r in result.plan.head(5).itertuples(index=False):
            console.print(
                f"  {r.rank}. {r.street or r.segment_id} ({r.segment_id}) {r.weekdays} {r.start}–{r.end}: "
                f"{100 * r.share_over_limit:.0f} % över / over {r.limit_kmh:.0f}, "
                f"{100 * r.share_over_limit_10:.0f} % över / "
                f"over +10, p85 {r.p85_kmh:.0f} km/h, {r.passes} passager / passes"
            )
    else:
        console.print("Ingen kontroll föreslås: för få mätningar över gränsen / no check proposed")
    for p in paths.values():
        console.print(f"Skrev / wrote {p}")


def register(app: typer.Typer) -> None:
    """Add ``geo speed`` to the app."""
    app.command("speed")(speed)
