"""The whole lägesbild run: the one place that wires input -> analyses -> outputs.

:func:`run` takes a :class:`~geo.config.RunConfig` (``geo run CONFIG.toml``, ``geo demo``) and

1. reads every report source with its own column mapping, inside the study area, into one report frame, and
   keeps the period asked for; writes ``reports.parquet`` (GeoParquet) and ``rejects.csv``;
2. finds hot-spots (:func:`geo.hotspots.find_hotspots`) -> ``hotspots.geojson``;
3. builds the lighting layer and lamp proposals (``run_lighting``) -> ``lighting_proposals.csv`` ...;
4. plans patrols (``run_patrol``) -> ``patrol_plan.csv`` ...;
5. builds the speed layer and enforcement plan (``run_speed``) -> ``enforcement_plan.csv`` ...;
6. forecasts the risk for the days after the period (``run_forecast``);
7. draws the lägesbild maps with density contours and Gi* cells (``geo.commands.map.run_map``, which wraps
   :func:`geo.maps.build_map`) -> ``lagesbild-<area>-<period>.html``, its GeoPackage and EST summary page, and
   the public ``...-publik.html``;

and writes ``run.json`` (files, seconds per stage, notes). It returns the written files with a short summary.
Each analysis is called through its own public function, imported when the stage runs.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyproj

from geo.config import RunConfig, SourceConfig
from geo.errors import InputError
from geo.io import ReadResult, merge_results, read_reports
from geo.io.area import StudyArea, load_area
from geo.io.export import write_csv, write_frame, write_text
from geo.model import Reports
from geo.stages.hotspots import HotspotResult

__all__ = ["RunResult", "run"]

DEMO_LABEL = "syntetiska demodata"


@dataclass
class RunResult:
    """What a run produced.

    Attributes
    ----------
    outputs
        Name -> written file (``reports``, ``rejects``, ``hotspots``, ``map``, ``map_public``, ...).
    summary
        A short text for the console: reports read, hot-spots found, top patrol places and times, top
        lighting proposals, top speed checks.
    reports
        The reports analysed (inside the period).
    rejects
        The rejection table (``file,row,field,reason,status,value``).
    hotspots
        The hot-spots found, or ``None`` when the stage did not run.
    notes
        Stages skipped and why, and other remarks.
    timings
        Seconds per stage.
    rows_read
        Rows read from all sources, rejected rows included.
    outside_period
        Reports read but outside the period asked for.
    """

    outputs: dict[str, Path]
    summary: str
    reports: Reports
    rejects: pd.DataFrame
    hotspots: gpd.GeoDataFrame | None = None
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    rows_read: int = 0
    outside_period: int = 0


# ------------------------------------------------------------------------------------------------ helpers
def _register(outputs: dict[str, Path], paths: dict[str, Path], *, suffix: str = "") -> None:
    """Record a stage's files under their file stems (``lighting_proposals``, ``patrol_plan``, ...)."""
    for key, p in paths.items():
        path = Path(p)
        name = f"{path.name.split('.')[0] or key}{suffix}"
        if name in outputs and outputs[name] != path:
            if path.suffix.lower() == ".csv":  # the table keeps the plain name (the summary reads it)
                other = outputs.pop(name)
                outputs[f"{name}_{other.suffix.lstrip('.').lower()}"] = other
            else:
                name = f"{name}_{path.suffix.lstrip('.').lower()}"
        outputs[name] = path


def _read_sources(
    config: RunConfig, area: StudyArea | None, *, progress: Callable[[str], None]
) -> ReadResult:
    """Read every source with its own options into one frame; repeated ids across sources are rejected."""
    crs: pyproj.CRS | str | None = config.run.crs
    results: list[tuple[SourceConfig, ReadResult]] = []
    for src in config.sources:
        progress(f"Läser / reading {src.label}")
        res = read_reports([src.path], src.reader_options(tz=config.run.tz), area=area, crs=crs)
        if crs is None and res.crs is not None:
            crs = res.crs
        results.append((src, res))
    return merge_results([res for _, res in results])


def _in_period(reports: Reports, config: RunConfig) -> pd.Series:
    tz = str(reports["occurred_at"].dt.tz)
    keep = pd.Series(True, index=reports.index)
    if config.period.start is not None:
        keep &= reports["occurred_at"] >= pd.Timestamp(config.period.start).tz_localize(tz)
    if config.period.end is not None:
        keep &= reports["occurred_at"] < pd.Timestamp(config.period.end + dt.timedelta(days=1)).tz_localize(
            tz
        )
    return keep


def _default_week(config: RunConfig) -> str:
    end = config.period.end or dt.date.today()
    nxt = end + dt.timedelta(days=7 - end.weekday())
    y, w, _ = nxt.isocalendar()
    return f"{y}-W{w:02d}"


def _slug_period(config: RunConfig, reports: Reports) -> str:
    if len(reports):
        t = reports["occurred_at"]
        start = config.period.start or t.min().date()
        end = config.period.end or t.max().date()
    else:
        start = config.period.start or dt.date.today()
        end = config.period.end or dt.date.today()
    return f"{start:%Y%m%d}-{end:%Y%m%d}"


def _area_slug(area: StudyArea | None, config: RunConfig) -> str:
    if area is not None:
        return area.slug
    stem = Path(config.sources[0].path).name.split(".")[0].lower()
    return "".join(ch if ch.isalnum() else "-" for ch in stem).strip("-") or "lagesbild"


def _safe_read_csv(path: Path | None) -> pd.DataFrame | None:
    if path is None or not Path(path).exists():
        return None
    try:
        return pd.read_csv(path)
    except (pd.errors.EmptyDataError, pd.errors.ParserError):
        return None


def _map_results(
    out: Path, hotspots: gpd.GeoDataFrame | None, hotspots_result: HotspotResult | None
) -> dict[str, Any]:
    """Collect what the map draws: this run's hot-spots, density and Gi* cells, and saved stage results."""
    from geo.commands.map import results_to_kwargs
    from geo.maps.results import load_results

    frames = dict(load_results(out).frames)
    frames.pop("reports", None)
    results = {k: v for k, v in results_to_kwargs(frames).items() if v is not None}
    results["hotspots"] = hotspots
    if hotspots_result is not None:
        for key, frame in (("density", hotspots_result.density), ("gistar", hotspots_result.gistar)):
            if frame is not None:
                results[key] = frame
    return results


# ------------------------------------------------------------------------------------------------ summary
def _summary(
    result: RunResult, config: RunConfig, area: StudyArea | None, read: ReadResult, t0: float
) -> str:
    lines = []
    if config.run.demo:
        lines.append(f"[{DEMO_LABEL.upper()} / synthetic demo data]")
    lines.append(
        f"{config.run.title} — {area.name if area is not None else 'inget studieområde / no study area'}"
    )
    n_rej = int(
        result.rejects[result.rejects["status"] == "rejected"][["file", "row"]].drop_duplicates().shape[0]
    )
    n_warn = int((result.rejects["status"] == "warning").sum())
    by_source = result.reports["source"].value_counts().to_dict()
    lines.append(
        f"Rapporter / reports: {len(result.reports):,} i perioden / in period "
        f"({', '.join(f'{k} {v:,}' for k, v in by_source.items())}); lästa / read {result.rows_read:,}, "
        f"avvisade / rejected {n_rej:,}, varningar / warnings {n_warn:,}, utanför perioden / outside period "
        f"{result.outside_period:,}"
    )
    lines.append(f"CRS: {read.crs_reason}")
    hs = result.hotspots
    if hs is not None:
        lines.append(f"Hot-spots: {len(hs)} ({config.hotspots.method})")
        if len(hs):
            top = hs.sort_values("n_reports", ascending=False).head(8)
            for _, h in top.iterrows():
                lines.append(
                    f"  {h.get('hotspot_id', '')} {h.get('label', '')}: {int(h['n_reports'])} rapporter, "
                    f"{h.get('peak_windows', '')}, trend {h.get('trend', '')}"
                )
    patrol = _safe_read_csv(result.outputs.get("patrol_plan"))
    if patrol is not None and len(patrol):
        lines.append(f"Patrullering / patrol plan: {len(patrol)} besök / visits")
        if {"place", "weekday", "start", "end"} <= set(patrol.columns):
            # places by the share of incidents their visits cover; each place's best windows first
            gain = "expected_share" if "expected_share" in patrol.columns else "start"
            grp = patrol.sort_values(gain, ascending=gain != "expected_share", kind="stable").groupby(
                "place", sort=False
            )
            ranked = sorted(
                grp, key=lambda kv: -(kv[1][gain].sum() if gain == "expected_share" else len(kv[1]))
            )
            for place, g in ranked[:5]:
                slots = list(
                    dict.fromkeys(
                        f"{w} {s}–{e}" for w, s, e in zip(g["weekday"], g["start"], g["end"], strict=True)
                    )
                )
                more = f" +{len(slots) - 3}" if len(slots) > 3 else ""
                lines.append(f"  {place}: {len(g)} besök ({', '.join(slots[:3])}{more})")
    light = _safe_read_csv(result.outputs.get("lighting_proposals"))
    if light is not None and len(light):
        lines.append(f"Belysningsförslag / lighting proposals: {len(light)}")
        for _, r in light.head(3).iterrows():
            where = f" ({r['lat']:.5f}, {r['lon']:.5f})" if {"lat", "lon"} <= set(r.index) else ""
            lines.append(
                f"  {r.get('rank', '')}. {r.get('street', '')}{where}: täcker / covers "
                f"{r.get('covered_reports', '')} rapporter / reports"
            )
    speed = _safe_read_csv(result.outputs.get("enforcement_plan"))
    if speed is not None and len(speed):
        lines.append(f"Hastighetskontroller / speed checks: {len(speed)}")
        for _, r in speed.head(3).iterrows():
            share = pd.to_numeric(pd.Series([r.get("share_over_limit")]), errors="coerce").iloc[0]
            limit = pd.to_numeric(pd.Series([r.get("limit_kmh")]), errors="coerce").iloc[0]
            limit_text = f"{limit:.0f} km/h" if pd.notna(limit) else "? km/h"
            share_text = f"{share:.0%}" if pd.notna(share) else "?"
            lines.append(
                f"  {r.get('rank', '')}. {r.get('street', '')} ({limit_text}) "
                f"{r.get('weekdays', '')} {r.get('start', '')}–{r.get('end', '')}: "
                f"{share_text} över gränsen / over the limit"
            )
    risk = _safe_read_csv(result.outputs.get("forecast"))
    if risk is not None and len(risk):
        first = risk.iloc[0]
        lines.append(
            f"Prognos / forecast ({first.get('method', '')}, {first.get('horizon_days', '')} dagar / days "
            f"från / from {str(first.get('as_of', ''))[:10]}): högst risk / highest risk"
        )
        for _, r in risk.head(3).iterrows():
            lines.append(f"  {int(r['rank'])}. ruta / cell {r['cell_id']} ({r['lat']:.5f}, {r['lon']:.5f})")
    for note in result.notes:
        lines.append(f"Obs: {note}")
    lines.append("Filer / files:")
    for name, p in result.outputs.items():
        lines.append(f"  {name}: {p}")
    lines.append(f"Klart / done in {time.perf_counter() - t0:.1f} s")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ the run
def _label_demo_tables(outputs: dict[str, Path]) -> None:
    """Give every CSV a run wrote a ``data`` column saying "syntetiska demodata" (rewritten atomically)."""
    for path in outputs.values():
        if path.suffix.lower() != ".csv" or not path.exists():
            continue
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "data" not in table.columns:
            table["data"] = DEMO_LABEL
            write_csv(table, path)


def run(
    config: RunConfig, *, progress: Callable[[str], None] | None = None, out_dir: Path | None = None
) -> RunResult:
    """Run the whole lägesbild described by `config`.

    Parameters
    ----------
    config
        The run configuration (:func:`geo.config.load_config`).
    progress
        Called with a short message as each step starts (the CLI shows it).
    out_dir
        Output folder; default ``config.output.dir``.

    Returns
    -------
    result
        Written files, the summary text and the analysed data.

    Raises
    ------
    InputError
        When a source or layer cannot be read, or, with ``output.strict``, when any row was rejected (then
        nothing is written).
    """
    t0 = time.perf_counter()
    say = progress or (lambda _msg: None)
    out = Path(out_dir) if out_dir is not None else config.output.dir
    notes: list[str] = []
    timings: dict[str, float] = {}
    outputs: dict[str, Path] = {}

    def tick(name: str, start: float) -> None:
        timings[name] = round(time.perf_counter() - start, 2)

    # 1. reports ------------------------------------------------------------------------------------------
    t = time.perf_counter()
    say("Studieområde / study area")
    area = load_area(config.area.spec) if config.area is not None else None
    read = _read_sources(config, area, progress=say)
    rejected = read.rejects[read.rejects["status"] == "rejected"]
    if config.output.strict and len(rejected):
        first = rejected.iloc[0]
        raise InputError(
            f"{len(rejected)} rows rejected under output.strict (first: {first['reason']}); "
            "no output written",
            path=str(first["file"]),
            row=int(first["row"]),
            field=str(first["field"]),
        )
    keep = _in_period(read.reports, config)
    reports = Reports(read.reports[keep.to_numpy()].reset_index(drop=True))
    crs = read.crs or pyproj.CRS("EPSG:3006")
    area_m = area.to_crs(crs) if area is not None else None
    if config.run.demo:
        label = reports["data"].fillna(DEMO_LABEL) if "data" in reports.columns else DEMO_LABEL
        reports = Reports(reports.assign(data=label))
    outputs["reports"] = write_frame(reports, out / "reports.parquet")
    outputs["rejects"] = write_csv(read.rejects, out / "rejects.csv")
    tick("reports", t)
    result = RunResult(
        outputs=outputs,
        summary="",
        reports=reports,
        rejects=read.rejects,
        notes=notes,
        timings=timings,
        rows_read=read.n_read,
        outside_period=int((~keep).sum()),
    )

    streets = None
    if config.layers.streets is not None:
        from geo.commands._common import read_layer

        streets = read_layer(config.layers.streets, what="streets layer", crs=crs)

    period_end = (  # the end of the period, exclusive: the hot-spots' trend and the forecast's "now"
        pd.Timestamp(config.period.end + dt.timedelta(days=1)).tz_localize(read.tz)
        if config.period.end
        else None
    )

    # 2. hot-spots ----------------------------------------------------------------------------------------
    hotspots = None
    hotspots_result: HotspotResult | None = None
    analyse = len(reports) > 0
    if not analyse:
        notes.append("inga rapporter i perioden / no reports in the period: analyserna hoppas över")

    if analyse and config.hotspots.enabled:
        from geo.stages.hotspots import HotspotSettings, hotspots_stage

        t = time.perf_counter()
        say("Hot-spots")
        previous = None
        prev_path = out / "hotspots.parquet"
        if prev_path.exists():
            try:
                previous = gpd.read_parquet(prev_path)
            except Exception:  # noqa: BLE001 - an unreadable earlier result only costs stable ids
                notes.append(f"tidigare hot-spots i {prev_path} gick inte att läsa; nya id:n")
        hs_values = config.hotspots.model_dump(exclude={"enabled"})
        hs_values.setdefault("overview", config.maps.enabled)  # the map's density and Gi* cells
        hotspots_result = hotspots_stage(
            reports,
            HotspotSettings(**hs_values),
            area=area_m,
            streets=streets,
            previous=previous,
            period_end=period_end,
            progress=say,
        )
        notes.extend(hotspots_result.notes)
        if hotspots_result.n_reports:
            hotspots = hotspots_result.hotspots
            if config.run.demo:
                hotspots = hotspots.assign(data=DEMO_LABEL)
            outputs["hotspots"] = write_frame(hotspots, out / "hotspots.geojson")
            write_frame(hotspots, prev_path)
        tick("hotspots", t)
    result.hotspots = hotspots

    # 3. lighting -----------------------------------------------------------------------------------------
    if analyse and config.lighting.enabled and config.layers.lamps is not None:
        from geo.commands.lighting import run_lighting

        t = time.perf_counter()
        say("Belysning / lighting")
        paths = run_lighting(
            reports,
            lamps_path=config.layers.lamps,
            ways_path=config.layers.streets,
            budget=config.lighting.budget,
            radius_m=config.lighting.radius_m,
            out_dir=out,
            progress=say,
        )
        _register(outputs, paths)
        tick("lighting", t)

    # 4. patrol -------------------------------------------------------------------------------------------
    if analyse and config.patrol.enabled:
        from geo.commands.patrol import run_patrol

        t = time.perf_counter()
        say("Patrullplan / patrol plan")
        if hotspots is None:
            notes.append("steg patrullplan: inga hot-spots att planera för")
        else:
            pc = config.patrol
            paths = run_patrol(
                reports,
                hotspots=hotspots,
                week=pc.week or _default_week(config),
                shifts=list(pc.shifts),
                visits_per_shift=pc.visits_per_shift,
                visit_min=pc.visit_min,
                history_days=pc.history_days,
                streets=streets,
                demo=config.run.demo,
                out_dir=out,
            )
            _register(outputs, paths)
        tick("patrol", t)

    # 5. speed --------------------------------------------------------------------------------------------
    if config.speed.enabled and config.layers.speed:
        from geo.commands.speed import run_speed

        t = time.perf_counter()
        say("Hastighet / speed")
        if config.layers.streets is None:
            notes.append("steg hastighet: layers.streets saknas (vägsegment med hastighetsgräns)")
        else:
            sc = config.speed
            for i, meas in enumerate(config.layers.speed):
                paths = run_speed(
                    segments_path=config.layers.streets,
                    measurements_path=meas,
                    reports=reports,
                    tolerance_m=sc.tolerance_m,
                    band_hours=sc.band_hours,
                    checks=sc.checks,
                    check_min=sc.check_min,
                    margin_kmh=sc.margin_kmh,
                    out_dir=out if i == 0 else out / f"speed-{i + 1}",
                )
                _register(outputs, paths, suffix="" if i == 0 else f"_{i + 1}")
        tick("speed", t)

    # 6. forecast -----------------------------------------------------------------------------------------
    if analyse and config.forecast.enabled:
        from geo.commands.forecast import run_forecast

        t = time.perf_counter()
        say("Prognos / forecast")
        fc = config.forecast
        paths = run_forecast(
            reports,
            as_of=period_end,
            horizon_days=fc.horizon_days,
            method=fc.method,
            cell_m=fc.cell_m,
            out_dir=out,
            demo=config.run.demo,
        )
        _register(outputs, paths)
        tick("forecast", t)

    # 7. maps ---------------------------------------------------------------------------------------------
    if analyse and config.maps.enabled:
        from geo.commands.map import run_map

        t = time.perf_counter()
        say("Kartor / maps")
        results = _map_results(out, hotspots, hotspots_result)
        stem = f"lagesbild-{_area_slug(area, config)}-{_slug_period(config, reports)}"
        for public in (False, True) if config.maps.public else (False,):
            paths = run_map(
                reports,
                out_html=out / f"{stem}{'-publik' if public else ''}.html",
                results=results if not public else {"hotspots": hotspots},
                public=public,
                k=config.maps.k,
                lang=config.run.lang,
                tiles=config.maps.tiles,
                title=config.run.title,
                demo=config.run.demo,
                area=area,
            )
            for key, p in paths.items():
                outputs[f"{key}_public" if public else key] = p
        tick("maps", t)

    if config.run.demo:
        _label_demo_tables(outputs)
    manifest = {
        "title": config.run.title,
        "demo": config.run.demo,
        "config": str(config.path) if config.path else None,
        "outputs": {k: str(v) for k, v in outputs.items()},
        "timings_s": timings,
        "notes": notes,
    }
    outputs["manifest"] = write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", out / "run.json"
    )
    result.summary = _summary(result, config, area, read, t0)
    return result
