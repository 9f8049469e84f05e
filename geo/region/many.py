"""Many areas, one config (``geo run CONFIG --county 06 --out DIR``): split, run each area, overview.

:func:`run_region`

1. reads the config's sources once (one export for the county, the region or the country), in chunks of
   rows (:mod:`geo.region.split`), so that its memory is a chunk and an area, not the whole export;
2. gives each report its area (exactly one; reports in no chosen area are counted, and listed in
   ``DIR/outside.csv``) and appends each area's reports to its own partition in a temporary folder in
   ``DIR`` (its polygon beside it), so that a task reads only its own area;
3. runs each area's lägesbild through the engine (:func:`geo.pipeline.run` with the config's settings and the
   area's polygon) into ``DIR/<code>-<name>/``, on Dask (:mod:`geo.region.runner`), into one store when given;
4. writes ``DIR/overview.csv`` and ``DIR/overview.html`` (a map of the areas and a table sorted by change).
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import i18n
from geo.config import RunConfig
from geo.errors import ConfigError, InputError
from geo.region.assign import area_km2, assign_areas
from geo.region.overview import overview_table
from geo.region.runner import OnDone, run_jobs
from geo.region.split import split_export
from geo.region.task import AreaJob, AreaOutcome
from geo.stages._base import Progress, quiet

__all__ = ["RegionResult", "run_region"]


@dataclass
class RegionResult:
    """What a many-area run gave.

    Attributes
    ----------
    outcomes
        One outcome an area (figures or error), in code order.
    overview
        The table written as ``overview.csv``.
    files
        ``overview``, ``overview_page``, ``rejects`` and, when any report fell outside, ``outside``.
    rows_read, reports, rejected
        Rows read from all sources, reports accepted, rows rejected.
    elsewhere, nowhere
        Reports in a municipality not chosen, and reports in no municipality at all.
    seconds
        Wall time, and the seconds of the read and split (``split_s``).
    """

    outcomes: list[AreaOutcome]
    overview: pd.DataFrame
    files: dict[str, Path] = field(default_factory=dict)
    rows_read: int = 0
    reports: int = 0
    rejected: int = 0
    elsewhere: int = 0
    nowhere: int = 0
    seconds: float = 0.0
    split_s: float = 0.0

    @property
    def failed(self) -> list[AreaOutcome]:
        """The areas whose run failed."""
        return [o for o in self.outcomes if not o.ok]


def _store_spec(config: RunConfig, store: str | None, as_of: dt.date | None) -> str | None:
    from geo.rhythm.asof import resolve_period

    spec = store or (str(config.store.path) if config.store.path is not None else None)
    if spec is None or not config.store.enabled:
        return None
    p = resolve_period(config, as_of=as_of).period
    if p.start is None or p.end is None:
        raise ConfigError(
            "--store needs a period with a first and a last day: give --as-of, [period] weeks or start/end"
        )
    from geo.io.runstore import open_run_store

    open_run_store(spec).close()  # create or migrate once, before the areas open it side by side
    return spec


def _split_register(
    config: RunConfig,
    chosen: gpd.GeoDataFrame,
    every: gpd.GeoDataFrame,
    folder: Path,
    *,
    crs: object,
    tz: str,
) -> dict[str, Path]:
    """Give each area the measures whose treated area lies in it (by a point inside the treated area)."""
    from geo.io.region import read_register_places, write_register_parts

    file = config.measures.file
    if file is None or not config.measures.enabled:
        return {}
    places = read_register_places(Path(file), crs=str(crs), tz=tz)
    labels, _ = assign_areas(places.geometry.representative_point(), chosen, every)
    rows = {
        str(code): [int(r) for r in places["source_row"][labels == code]]
        for code in chosen["code"].astype(str)
    }
    return write_register_parts(Path(file), rows, folder)


def run_region(
    config: RunConfig,
    chosen: gpd.GeoDataFrame,
    every: gpd.GeoDataFrame,
    out: Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    serial: bool = False,
    store: str | None = None,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
    on_start: Callable[[int], None] | None = None,
    on_done: OnDone | None = None,
    chunk_rows: int | None = None,
) -> RegionResult:
    """Run every chosen area's lägesbild and write the overview.

    Parameters
    ----------
    config
        The run's config: its sources are the export for all areas; its ``[area]`` is replaced by each area.
    chosen, every
        The areas to run and every known area (:func:`geo.io.region.load_region_areas`).
    out
        Output folder: ``<code>-<name>/`` per area, ``overview.csv``, ``overview.html``.
    workers, scheduler, serial
        Where the areas run (:func:`geo.region.runner.run_jobs`).
    store
        Keep every area's run in this store (default ``[store] path``), each under its own area name.
    as_of
        The lägesbild as of this date (``[period] weeks`` whole ISO weeks before it).
    progress
        Called with a message as each step starts.
    on_start
        Called once with the number of areas, before the first runs (to size a progress bar).
    on_done
        Called with each area's outcome as it arrives.
    chunk_rows
        Rows of the export read at a time (default :data:`geo.io.export_chunks.CHUNK_ROWS`): the client
        holds one chunk and one area's partition, never the whole export.

    Raises
    ------
    InputError, ConfigError
        When a source cannot be read, the store needs a period, or (``output.strict``) a row was rejected.
    """
    from geo.io.export import write_csv
    from geo.io.partitions import place_file
    from geo.io.region import area_folder, partition_folder, write_overview
    from geo.maps.overview import overview_html

    say = progress or quiet
    lang = config.run.lang
    t0 = time.perf_counter()
    spec = _store_spec(config, store, as_of)
    say(i18n.gettext("Läser och delar exporten per kommun", lang))
    new_out = not out.exists()

    def read_so_far(rows: int) -> None:
        text = i18n.number(rows, lang)
        say(i18n.gettext("Läser och delar exporten per kommun: %(rows)s rader", lang, rows=text))

    with partition_folder(out) as folder:
        split = split_export(config, chosen, every, folder, chunk_rows=chunk_rows, progress=read_so_far)
        rejected = split.rejects[split.rejects["status"] == "rejected"]
        if config.output.strict and len(rejected):
            if new_out:
                shutil.rmtree(out, ignore_errors=True)  # the partitions go with it: no output written
            raise InputError(f"{len(rejected)} rows rejected under output.strict; no output written")
        files = {"rejects": write_csv(split.rejects, out / "rejects.csv")}
        if split.outside is not None:
            files["outside"] = place_file(split.outside, out / "outside.csv")
        km2 = dict(zip(chosen["code"], area_km2(chosen, split.crs), strict=True))
        registers = _split_register(config, chosen, every, folder, crs=split.crs, tz=split.tz)
        split_s = time.perf_counter() - t0
        jobs = [
            AreaJob(
                code=str(code),
                name=str(name),
                config=config,
                reports=split.parts[str(code)][0],
                polygon=split.parts[str(code)][1],
                out=(out / area_folder(str(code), str(name))).resolve(),
                store=spec,
                as_of=as_of,
                measures=registers.get(str(code)),
            )
            for code, name in zip(chosen["code"], chosen["name"], strict=True)
        ]
        jobs.sort(key=lambda j: -int(split.counts.get(j.code, 0)))  # the largest first
        if on_start is not None:
            on_start(len(jobs))
        say(i18n.ngettext("Kör %(num)s område", "Kör %(num)s områden", len(jobs), lang))
        outcomes = run_jobs(jobs, workers=workers, scheduler=scheduler, serial=serial, on_done=on_done)
    outcomes.sort(key=lambda o: o.code)
    table = overview_table(outcomes, chosen, km2=km2, out=out)
    n_else, n_none = split.elsewhere, split.nowhere
    page = overview_html(
        table,
        chosen,
        title=config.run.title,
        outside={"elsewhere": n_else, "nowhere": n_none},
        tiles=config.maps.tiles,
        demo=config.run.demo,
        lang=config.run.lang,
    )
    files["overview"], files["overview_page"] = write_overview(table, page, out)
    return RegionResult(
        outcomes=outcomes,
        overview=table,
        files=files,
        rows_read=split.rows_read,
        reports=split.reports,
        rejected=len(rejected),
        elsewhere=n_else,
        nowhere=n_none,
        seconds=round(time.perf_counter() - t0, 2),
        split_s=round(split_s, 2),
    )
