"""``geo run --store``: match hot-spot ids with the kept runs, write what changed, keep this run.

:func:`open_kept` opens the store before the stages run (the hot-spot step takes its earlier places from
it); the ``store`` step (:func:`store_step`, before the maps) writes ``changes.csv`` (places ``new``,
``continuing``, ``ended``) and ``change_counts.csv`` (per category and source against the previous period
of equal length and the same weeks a year before), gives the summary page its "Sedan förra lägesbilden"
lines, and keeps this run in the store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from geo.io.export import write_csv
from geo.io.manifest import OutputFile
from geo.io.runstore import (
    frame_records,
    hotspot_records,
    hotspots_from_record,
    id_history,
    open_run_store,
    previous_run,
    run_key,
)
from geo.rhythm.changes import count_changes, hotspot_changes, since_last_lines
from geo.rhythm.measures import measure_records, measure_status_lines
from geo.rhythm.period import period_text
from geo.service.storage import Store
from geo.service.storage.lagesbild import LagesbildRecord
from geo.time.parse import local_midnight

if TYPE_CHECKING:
    from geo.config import RunConfig
    from geo.pipeline import RunContext
    from geo.stages._base import Progress

__all__ = ["KeptRuns", "keep_previous_week", "open_kept", "store_step"]


@dataclass
class KeptRuns:
    """The run store of one run: the store, the area's key, the previous kept run and the id history."""

    store: Store
    spec: str
    area: str
    start: dt.date
    end: dt.date
    previous: LagesbildRecord | None
    id_history: gpd.GeoDataFrame | None


def open_kept(spec: str, run: RunContext) -> KeptRuns:
    """Open the store `spec` for `run`.

    The kept period is the run's (``--as-of``, ``[period] weeks`` or start/end); a run without one (a run
    started through the service on every stored report) is kept under the days its reports span.
    """
    from geo.errors import ConfigError

    p = run.config.period
    start, end = p.start, p.end
    times = run.result.reports["occurred_at"]
    if (start is None or end is None) and len(times):
        start = start or times.min().date()
        end = end or times.max().date()
    if start is None or end is None:
        raise ConfigError(
            "--store needs a period with a first and a last day: give --as-of, [period] weeks or start/end"
        )
    store = open_run_store(spec)
    area = run.area.name if run.area is not None else ""
    return KeptRuns(
        store=store,
        spec=spec,
        area=area,
        start=start,
        end=end,
        previous=previous_run(store, area=area, end=end),
        id_history=id_history(store, area=area, end=end),
    )


def _document(run: RunContext, kept: KeptRuns) -> dict[str, object]:
    config, r = run.config, run.result
    hs = r.hotspots.hotspots if r.hotspots is not None else None
    counts = {
        "reports": len(r.reports),
        "by_source": {str(k): int(v) for k, v in r.reports["source"].value_counts().items()},
        "by_category": {str(k): int(v) for k, v in r.reports["category"].value_counts().items()},
        "hotspots": 0 if hs is None else len(hs),
        "patrol_visits": 0 if r.patrol is None else len(r.patrol.plan.visits),
        "lamp_proposals": 0 if r.lighting is None else len(r.lighting.plan.proposals.lamps),
    }
    settings = {
        name: getattr(config, name).model_dump(mode="json")
        for name in ("hotspots", "lighting", "patrol", "speed", "forecast")
    }
    return {
        "title": config.run.title,
        "crs": run.crs.to_string(),
        "period": {"start": str(kept.start), "end": str(kept.end), "weeks": config.period.weeks},
        "settings": settings,
        "counts": counts,
        "hotspots": [] if hs is None else hotspot_records(hs),
        "proposals": {
            "lighting": [] if r.lighting is None else frame_records(r.lighting.plan.proposals.lamps),
            "patrol": [] if r.patrol is None else frame_records(r.patrol.plan.visits),
            "enforcement": [] if r.speed is None else frame_records(r.speed.plan),
        },
        "notes": r.notes,
    }


def _priority_areas(run: RunContext, start: pd.Timestamp, end: pd.Timestamp) -> dict[str, object]:
    """Write ``areas.csv`` (figures per priority area) and return each area's figures and weekly counts."""
    from geo.io.area import load_area
    from geo.rhythm.areas import area_figures, area_lines, area_weeks

    if not run.config.areas:
        return {}
    r = run.result
    reports = run.all_reports if run.all_reports is not None else r.reports
    polygons = {a.name: load_area(str(a.file)).to_crs(run.crs) for a in run.config.areas}
    figures = area_figures(reports, polygons, start=start, end=end)
    run.record(
        [OutputFile("areas", str(write_csv(figures, run.out / "areas.csv")), "store")],
        stage="areas",
        settings={"areas": [a.model_dump(mode="json") for a in run.config.areas]},
    )
    r.areas, r.area_lines = figures, area_lines(figures, lang=run.config.run.lang)
    rows = frame_records(figures)
    return {
        row["area"]: {**row, "weekly": area_weeks(reports, polygons[row["area"]], start=start, end=end)}
        for row in rows
    }


def _period_bounds(run: RunContext) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    r, p = run.result, run.config.period
    times = r.reports["occurred_at"]
    if not len(times):
        return None
    tz = str(times.dt.tz)
    start = local_midnight(p.start, tz) if p.start else times.min().normalize()
    end = (
        local_midnight(p.end + dt.timedelta(days=1), tz)
        if p.end
        else (times.max() + pd.Timedelta(days=1)).normalize()
    )
    return start, end


def store_step(run: RunContext) -> None:
    """Write ``areas.csv``; with a store, ``changes.csv`` and ``change_counts.csv``, and keep this run."""
    kept, r = run.kept, run.result
    bounds = _period_bounds(run)
    if bounds is None:
        return
    start, end = bounds
    areas = _priority_areas(run, start, end)
    if kept is None:
        return
    all_reports = run.all_reports if run.all_reports is not None else r.reports
    counts = count_changes(all_reports, start=start, end=end)
    files = [OutputFile("change_counts", str(write_csv(counts, run.out / "change_counts.csv")), "store")]
    changes = None
    previous_text = None
    if kept.previous is not None:
        previous_text = period_text(
            kept.previous.period_start, kept.previous.period_end, lang=run.config.run.lang
        )
        now = r.hotspots.hotspots if r.hotspots is not None else None
        before = hotspots_from_record(kept.previous)
        if now is None:
            now = before.iloc[0:0]
        changes = hotspot_changes(now, before.to_crs(now.crs) if before.crs is not None else before)
        files.append(OutputFile("changes", str(write_csv(changes, run.out / "changes.csv")), "store"))
    else:
        r.notes.append(
            "arkiv: ingen tidigare lägesbild för området i arkivet; ingen changes.csv den här gången"
        )
    r.changes, r.change_counts = changes, counts
    measures = measure_records(None if r.measures is None else r.measures.map_frame())
    document = {**_document(run, kept), "areas": areas, "measures": measures}
    lang = run.config.run.lang
    r.since_last = since_last_lines(changes, counts, previous_period=previous_text, lang=lang)
    if kept.previous is not None:
        r.since_last += measure_status_lines(measures, kept.previous.document.get("measures"), lang=lang)
    record = LagesbildRecord(
        key=run_key(kept.area, kept.start, kept.end),
        area=kept.area,
        period_start=kept.start,
        period_end=kept.end,
        created_at=dt.datetime.now(dt.UTC),
        document=document,
    )
    kept.store.save_lagesbild(record)
    run.record(files, stage="store", settings={"store": _shown(kept.spec)})


def _shown(spec: str) -> str:
    """Return the store as shown in the manifest (a database URL without its password)."""
    from geo.service.storage import is_database_url

    if is_database_url(spec):
        from geo.service.storage.postgis import redact_url

        return redact_url(spec)
    return spec


def keep_previous_week(config: RunConfig, spec: str, *, progress: Progress | None = None) -> bool:
    """Keep the run one week before `config`'s period in the store `spec`, unless an earlier run is kept.

    ``geo demo`` calls this so that its first run already has a previous lägesbild to compare with: the
    same configuration, period moved back seven days, hot-spots only, written to a temporary folder.

    Returns
    -------
    kept
        Whether the earlier week was run now.
    """
    import tempfile

    from geo.pipeline import run

    p = config.period
    if p.start is None or p.end is None:
        return False
    store = open_run_store(spec)
    try:
        if any(r.period_end < p.end for r in store.lagesbild_runs()):
            return False
    finally:
        store.close()
    week = dt.timedelta(days=7)
    off = {"enabled": False}
    earlier = config.model_copy(
        update={
            "period": p.model_copy(update={"start": p.start - week, "end": p.end - week}),
            **{name: getattr(config, name).model_copy(update=off) for name in _NOT_FOR_IDS},
        }
    )
    with tempfile.TemporaryDirectory(prefix="lagesbild-forra-") as tmp:
        run(earlier, out_dir=Path(tmp), store=spec, progress=progress)
    return True


_NOT_FOR_IDS = ("lighting", "patrol", "speed", "forecast", "maps")
"""Stages the previous week's run leaves out: the comparison needs the hot-spots and counts only."""
