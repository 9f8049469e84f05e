"""One task of a many-area run: one area's lägesbild through the engine (:func:`geo.pipeline.run`).

A task gets an :class:`AreaJob` (small: the config, the paths of its own partition and polygon, its output
folder) and returns an :class:`AreaOutcome` (the area's figures for the overview, or its error). It reads only
its own partition, so a worker never holds more than the areas it runs. A failure is caught and returned:
the other areas finish.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import resource
import socket
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from geo.config import AreaConfig, RunConfig, SourceConfig

__all__ = ["VERDICTS", "AreaJob", "AreaOutcome", "area_config", "peak_rss_mb", "run_area"]

VERDICTS = ("decrease", "increase", "no_clear_effect", "too_early")
"""The measures' verdicts counted in the overview (:mod:`geo.measures.evaluate`)."""


@dataclass(frozen=True)
class AreaJob:
    """What one task needs: the area, the config, its own partition and polygon, where to write.

    Attributes
    ----------
    code, name
        The area (``"0683"``, ``"Värnamo"``).
    config
        The run's config; the task replaces its sources with `reports` and its area with `polygon`.
    reports
        The area's reports (GeoParquet in the report model), written by the partitioning.
    polygon
        The area's polygon (one-feature GeoJSON with ``kom_namn`` and ``id``).
    out
        The area's output folder (``DIR/<code>-<name>``).
    store
        The run store, shared by all areas (each keeps its runs under its own area name).
    as_of
        ``--as-of``: the lägesbild as of this date.
    measures
        The area's own part of the measures register (``[measures] file``), when the config has one.
    """

    code: str
    name: str
    config: RunConfig
    reports: Path
    polygon: Path
    out: Path
    store: str | None = None
    as_of: dt.date | None = None
    measures: Path | None = None


@dataclass
class AreaOutcome:
    """What one area's run gave: its figures, or its error.

    Attributes
    ----------
    code, name
        The area.
    ok
        Whether the run finished.
    error
        The error (type and message) when it did not.
    figures
        ``reports``, ``hotspots``, ``new``, ``continuing``, ``ended`` (``None`` without a previous run),
        ``proposals``, ``measures`` and one count per verdict in :data:`VERDICTS`.
    maps
        The maps written (``map``, ``map_public``, ``map_summary``) -> path.
    seconds
        Wall time of the run.
    cpu_s
        CPU time of the run (this process, user and system): the work, whatever else the machine runs.
    peak_mb
        Peak resident memory of the process that ran it (MiB), so far in its life: a worker's peak.
    worker
        ``host:pid`` of that process.
    folder
        The area's output folder.
    """

    code: str
    name: str
    ok: bool
    error: str = ""
    figures: dict[str, int | None] = field(default_factory=dict)
    maps: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0
    cpu_s: float = 0.0
    peak_mb: float = 0.0
    worker: str = ""
    folder: Path | None = None


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MiB (``ru_maxrss``: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


def area_config(job: AreaJob) -> RunConfig:
    """Return the config of one area: its partition as the only source, its polygon, its own measures."""
    config = job.config
    title = f"{config.run.title} – {job.name}" if config.run.title else f"Lägesbild {job.name}"
    measures = config.measures
    if job.measures is not None:
        measures = measures.model_copy(update={"file": job.measures})
    return config.model_copy(
        update={
            "measures": measures,
            "sources": [SourceConfig(path=str(job.reports), name=f"{job.code}-{job.name}")],
            "area": AreaConfig(file=job.polygon),
            "run": config.run.model_copy(update={"title": title}),
            "output": config.output.model_copy(update={"dir": job.out}),
        }
    )


def _figures(result: object) -> dict[str, int | None]:
    from geo.pipeline import RunResult

    if not isinstance(result, RunResult):
        raise TypeError("a RunResult expected")
    r = result
    hotspots = 0 if r.hotspots is None else len(r.hotspots.hotspots)
    changes: dict[str, int | None] = {"new": None, "continuing": None, "ended": None}
    if r.changes is not None:
        status = r.changes["status"].astype(str)
        changes = {k: int((status == k).sum()) for k in changes}
    proposals = (
        (0 if r.lighting is None else len(r.lighting.plan.proposals.lamps))
        + (0 if r.patrol is None else len(r.patrol.plan.visits))
        + (0 if r.speed is None else len(r.speed.plan))
    )
    figures: dict[str, int | None] = {"reports": len(r.reports), "hotspots": hotspots, **changes}
    figures["proposals"] = proposals
    evaluation = r.measures.evaluation if r.measures is not None else None
    figures["measures"] = 0 if evaluation is None else len(evaluation)
    for verdict in VERDICTS:
        n = 0 if evaluation is None else int((evaluation["verdict"].astype(str) == verdict).sum())
        figures[f"verdict_{verdict}"] = n
    return figures


def run_area(job: AreaJob) -> AreaOutcome:
    """Run one area's lägesbild into ``job.out``; never raises (an error is returned in the outcome)."""
    from geo.pipeline import run

    t0, c0 = time.perf_counter(), time.process_time()
    host = f"{socket.gethostname()}:{os.getpid()}"
    outcome = AreaOutcome(code=job.code, name=job.name, ok=False, worker=host, folder=job.out)
    quiet_plots = logging.getLogger("matplotlib")  # a worker's log would repeat axis notes once an area
    level = quiet_plots.level
    quiet_plots.setLevel(logging.ERROR)
    try:
        result = run(area_config(job), out_dir=job.out, as_of=job.as_of, store=job.store)
        outcome.figures = _figures(result)
        outcome.maps = {k: v for k, v in result.outputs.items() if k in {"map", "map_public", "map_summary"}}
        outcome.ok = True
    except Exception as err:  # noqa: BLE001 - one area's failure is reported; the others go on
        last = traceback.extract_tb(err.__traceback__)[-1:] if err.__traceback__ else []
        where = f" ({Path(last[0].filename).name}:{last[0].lineno})" if last else ""
        outcome.error = f"{type(err).__name__}: {err}{where}"
    finally:
        quiet_plots.setLevel(level)
    outcome.seconds = round(time.perf_counter() - t0, 2)
    outcome.cpu_s = round(time.process_time() - c0, 2)
    outcome.peak_mb = peak_rss_mb()
    return outcome
