"""The whole lägesbild run (``geo run CONFIG.toml``, ``geo demo``): read, run the stages, write.

:func:`run` takes a :class:`~geo.config.RunConfig` and

1. reads every report source with its own column mapping, inside the study area, into one report frame, and
   keeps the period asked for (``reports.parquet``, ``rejects.csv``);
2. runs the stages in order, each a library function of :mod:`geo.stages` called with its settings from the
   config: hot-spots → lighting → patrol (over the hot-spots) → speed → forecast → the internal and public
   maps with the EST summary page (drawn from the other stages' results, in memory);
3. writes each result with its writer from :mod:`geo.io.outputs` and, last, the manifest ``run.json``
   naming every file's kind, stage and settings.

Nothing is read back from the output folder except the previous run's hot-spots (stable ids).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyproj
from shapely.geometry.base import BaseGeometry

from geo.config import RunConfig
from geo.errors import InputError
from geo.i18n import gettext
from geo.io import ReadResult, merge_results, read_reports
from geo.io.area import StudyArea, load_area
from geo.io.export import label_tables, write_csv, write_frame
from geo.io.manifest import Manifest, OutputFile, write_manifest
from geo.io.merge import without_free_text
from geo.model import Reports
from geo.pipeline_steps import STAGES
from geo.pipeline_store import KeptRuns, open_kept
from geo.rejects_text import localize_rejects
from geo.rhythm.asof import resolve_period
from geo.rhythm.period import period_text
from geo.run_summary import DEMO_LABEL, summary_text
from geo.stages._base import Progress, StageResult, quiet
from geo.stages.evaluate import EvaluateResult
from geo.stages.forecast import ForecastResult
from geo.stages.hotspots import HotspotResult
from geo.stages.insecurity import InsecurityResult
from geo.stages.lighting import LightingResult
from geo.stages.maps import MapResult
from geo.stages.nearrepeat import NearRepeatResult
from geo.stages.patrol import PatrolResult
from geo.stages.speed import SpeedResult
from geo.time.parse import local_midnight

__all__ = ["RunResult", "run"]


@dataclass
class RunResult:
    """What a run produced.

    Attributes
    ----------
    outputs
        Kind -> written file (``reports``, ``rejects``, ``hotspots``, ``patrol_plan``, ``map``,
        ``map_public``, ``manifest``, ...), the same kinds the manifest lists.
    summary
        The console summary (:func:`geo.run_summary.summary_text`).
    reports
        The reports analysed (inside the period).
    rejects
        The rejection table (``file,row,field,reason,status,value``).
    manifest
        The manifest written as ``run.json``.
    hotspots, lighting, patrol, speed, forecast, measures
        Each stage's result, ``None`` when the stage did not run.
    maps
        The maps drawn (internal first, then public).
    notes
        Stages skipped and why, and the stages' own notes.
    timings
        Seconds per stage.
    rows_read
        Rows read from all sources, rejected rows included.
    outside_period
        Reports read but outside the period asked for.
    crs_reason
        The metric CRS used and why.
    """

    outputs: dict[str, Path]
    summary: str
    reports: Reports
    rejects: pd.DataFrame
    manifest: Manifest = field(default_factory=Manifest)
    hotspots: HotspotResult | None = None
    lighting: LightingResult | None = None
    patrol: PatrolResult | None = None
    speed: SpeedResult | None = None
    forecast: ForecastResult | None = None
    measures: EvaluateResult | None = None
    insecurity: InsecurityResult | None = None
    nearrepeat: NearRepeatResult | None = None
    maps: list[MapResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    rows_read: int = 0
    outside_period: int = 0
    crs_reason: str = ""
    period: str = ""
    """The period analysed, in words (``2026-10-05 – 2026-11-01 (v. 41–44, 4 veckor)``)."""
    changes: pd.DataFrame | None = None
    """With a store: ``changes.csv``, places new, continuing and ended since the previous kept run."""
    change_counts: pd.DataFrame | None = None
    """With a store: ``change_counts.csv``, counts per category and source against earlier periods."""
    since_last: list[str] = field(default_factory=list)
    """With a store: "Sedan förra lägesbilden", in Swedish sentences."""
    areas: pd.DataFrame | None = None
    """With ``[[areas]]``: ``areas.csv``, the priority areas' figures."""
    area_lines: list[str] = field(default_factory=list)
    """The priority areas' figures in Swedish sentences (the summary page)."""


@dataclass
class RunContext:
    """What every stage of one run needs."""

    config: RunConfig
    out: Path
    say: Progress
    area: StudyArea | None
    area_m: BaseGeometry | None
    crs: pyproj.CRS
    streets: gpd.GeoDataFrame | None
    period_end: pd.Timestamp | None
    result: RunResult
    all_reports: Reports | None = None
    """Every report read, before the cut to the period (for comparisons with earlier periods)."""
    kept: KeptRuns | None = None
    """The run store (``--store``), with the previous kept run."""

    @property
    def reports(self) -> Reports:
        return self.result.reports

    def record(self, files: list[OutputFile], *, stage: str, settings: object, suffix: str = "") -> None:
        """Add a stage's files to the manifest and the outputs (GeoPackage layers only to the manifest)."""
        if suffix:
            files = [dataclasses.replace(f, kind=f"{f.kind}{suffix}") for f in files]
        self.result.manifest.add(files, stage=stage if not suffix else f"{stage}{suffix}", settings=settings)
        self.result.outputs.update({f.kind: Path(f.path) for f in files if f.layer is None})


# ------------------------------------------------------------------------------------------------ reading
def _read_sources(config: RunConfig, area: StudyArea | None, *, progress: Progress) -> ReadResult:
    """Read every source with its own options into one frame; repeated ids across sources are rejected."""
    crs: pyproj.CRS | str | None = config.run.crs
    results: list[ReadResult] = []
    for src in config.sources:
        progress(gettext("Läser %(source)s", config.run.lang, source=src.label))
        res = read_reports([src.path], src.reader_options(tz=config.run.tz), area=area, crs=crs)
        if crs is None and res.crs is not None:
            crs = res.crs
        results.append(res)
    return merge_results(results)


def _check_strict(config: RunConfig, rejects: pd.DataFrame) -> None:
    rejected = rejects[rejects["status"] == "rejected"]
    if config.output.strict and len(rejected):
        first = rejected.iloc[0]
        raise InputError(
            f"{len(rejected)} rows rejected under output.strict (first: {first['reason']}); "
            "no output written",
            path=str(first["file"]),
            row=int(first["row"]),
            field=str(first["field"]),
        )


def _in_period(reports: Reports, config: RunConfig, tz: str) -> pd.Series:
    keep = pd.Series(True, index=reports.index)
    if config.period.start is not None:
        keep &= reports["occurred_at"] >= local_midnight(config.period.start, tz)
    if config.period.end is not None:
        keep &= reports["occurred_at"] < local_midnight(config.period.end + dt.timedelta(days=1), tz)
    return keep


def _start(config: RunConfig, out: Path, say: Progress) -> RunContext:
    """Read the study area and every source, keep the period, write the reports and the rejects."""
    say("Studieområde / study area")
    area = load_area(config.area.spec) if config.area is not None else None
    read = _read_sources(config, area, progress=say)
    if not config.output.free_text:
        read = without_free_text(read)
    _check_strict(config, read.rejects)
    keep = _in_period(read.reports, config, read.tz)
    reports = Reports(read.reports[keep.to_numpy()].reset_index(drop=True))
    if config.run.demo:
        label = reports["data"].fillna(DEMO_LABEL) if "data" in reports.columns else DEMO_LABEL
        reports = Reports(reports.assign(data=label))
    crs = pyproj.CRS(read.crs or "EPSG:3006")
    result = RunResult(
        outputs={},
        summary="",
        reports=reports,
        rejects=read.rejects,
        rows_read=read.n_read,
        outside_period=int((~keep).sum()),
        crs_reason=read.crs_reason,
        period=period_text(config.period.start, config.period.end, lang=config.run.lang),
    )
    streets = None
    if config.layers.streets is not None:
        from geo.io.layers import read_layer

        streets = read_layer(config.layers.streets, what="streets layer", crs=crs)
    end = config.period.end
    run = RunContext(
        config=config,
        out=out,
        say=say,
        area=area,
        area_m=area.to_crs(crs) if area is not None else None,
        crs=crs,
        streets=streets,
        period_end=local_midnight(end + dt.timedelta(days=1), read.tz) if end else None,
        result=result,
        all_reports=read.reports,
    )
    files = [
        OutputFile("reports", str(write_frame(reports, out / "reports.parquet")), "reports"),
        OutputFile(
            "rejects",
            str(write_csv(localize_rejects(read.rejects, config.run.lang), out / "rejects.csv")),
            "reports",
        ),
    ]
    run.record(files, stage="reports", settings=None)
    return run


# ------------------------------------------------------------------------------------------------ the run
def _produced_nothing(stage: StageResult) -> bool:
    """Tell whether a stage's main output is empty (then its notes, which say why, are the run's notes)."""
    if isinstance(stage, HotspotResult):
        return not len(stage.hotspots)
    if isinstance(stage, LightingResult):
        return not len(stage.plan.proposals.lamps)
    if isinstance(stage, PatrolResult):
        return not len(stage.plan.visits)
    if isinstance(stage, SpeedResult):
        return not len(stage.plan)
    return False


def _finish(run: RunContext, t0: float) -> None:
    """Label demo tables, write the manifest last, and make the summary."""
    config, r = run.config, run.result
    if config.run.demo:
        label_tables(r.outputs.values(), column="data", value=DEMO_LABEL)
    if config.output.workbook:
        from geo.io.outputs.workbook import run_tables, write_workbook

        tables = run_tables(r.manifest.files)
        run.record(write_workbook(tables, run.out, lang=config.run.lang), stage="workbook", settings=None)
    r.manifest.info = {
        "title": config.run.title,
        "demo": config.run.demo,
        "config": str(config.path) if config.path else None,
        "area": run.area.name if run.area is not None else None,
        "period": {
            "start": str(config.period.start or ""),
            "end": str(config.period.end or ""),
            "weeks": config.period.weeks,
        },
        "crs": run.crs.to_string(),
        "timings_s": r.timings,
        "notes": r.notes,
        "stage_notes": {
            name: stage.notes
            for name in ("hotspots", "lighting", "patrol", "speed", "forecast", "measures", "insecurity")
            if isinstance(stage := getattr(r, name), StageResult) and stage.notes
        },
    }
    r.outputs["manifest"] = write_manifest(r.manifest, run.out)
    area_name = run.area.name if run.area is not None else None
    r.summary = summary_text(
        r,
        title=config.run.title,
        area_name=area_name,
        demo=config.run.demo,
        seconds=time.perf_counter() - t0,
        lang=config.run.lang,
    )


def run(
    config: RunConfig,
    *,
    progress: Progress | None = None,
    out_dir: Path | None = None,
    as_of: dt.date | None = None,
    store: str | None = None,
) -> RunResult:
    """Run the whole lägesbild described by `config`.

    Parameters
    ----------
    config
        The run configuration (:func:`geo.config.load_config`).
    progress
        Called with a short message as each step starts (the command line shows it).
    out_dir
        Output folder; default ``config.output.dir``.
    as_of
        Make the lägesbild as of this date: the ``[period] weeks`` (default 4) whole ISO weeks before it
        (:func:`geo.rhythm.asof.resolve_period`).
    store
        Keep the run in this store (``.gpkg`` or ``postgresql://``; default ``[store] path``): hot-spot ids
        follow the kept runs and ``changes.csv`` says what changed since the previous one.

    Returns
    -------
    result
        Every stage's result, the written files and the summary text.

    Raises
    ------
    InputError
        When a source or layer cannot be read, or, with ``output.strict``, when any row was rejected (then
        nothing is written).
    """
    t0 = time.perf_counter()
    config = resolve_period(config, as_of=as_of)
    say = progress or quiet
    t = time.perf_counter()
    run_ = _start(config, Path(out_dir) if out_dir is not None else config.output.dir, say)
    result = run_.result
    result.timings["reports"] = round(time.perf_counter() - t, 2)
    spec = store or config.store.path
    if spec is not None and config.store.enabled:
        run_.kept = open_kept(spec, run_)
    try:
        _stages(run_, say)
    finally:
        if run_.kept is not None:
            run_.kept.store.close()
    _finish(run_, t0)
    return result


def _stages(run_: RunContext, say: Progress) -> None:
    """Run every enabled stage in order."""
    config, result = run_.config, run_.result
    if not len(result.reports):
        result.notes.append(gettext("inga rapporter i perioden: analyserna hoppas över", config.run.lang))
    for name, text, step in STAGES:
        section = getattr(config, name)
        needs_reports = name != "speed"
        if not section.enabled or (needs_reports and not len(result.reports)):
            continue
        t = time.perf_counter()
        say(gettext(text, config.run.lang))
        step(run_)
        stage = getattr(result, name, None)
        if isinstance(stage, StageResult) and _produced_nothing(stage):  # say why, in the run's notes
            result.notes.extend(f"{name}: {n}" for n in stage.notes)
        result.timings[name] = round(time.perf_counter() - t, 2)
