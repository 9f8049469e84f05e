"""Run the areas' tasks on Dask (``dask.distributed``): a local cluster, an existing scheduler, or in turn.

Tasks are the areas' runs (:func:`geo.region.task.run_area`), largest first so the long ones do not come
last. A task that fails returns its error in its outcome; a worker that dies (memory, a crash) is retried
by the scheduler on another and, failing that, its area is reported as failed. The others finish.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from geo.region.task import AreaJob, AreaOutcome, run_area

__all__ = ["OnDone", "run_jobs"]

OnDone = Callable[[AreaOutcome], None]
"""Called as each area finishes (the command line moves its progress bar)."""


def _failed(job: AreaJob, err: BaseException) -> AreaOutcome:
    error = f"{type(err).__name__}: {err}"
    return AreaOutcome(code=job.code, name=job.name, ok=False, error=error, folder=job.out)


_PRELOAD = ("distributed", "geo.pipeline", "geo.region.task")
"""Imported once by the fork server that the local workers start from (the engine takes seconds to import)."""


def _local_cluster(workers: int | None, local_cluster: Any) -> Any:
    """Start the local cluster of one-thread worker processes.

    Where the platform has one, the workers are forked from a clean, single-threaded fork server that has
    imported the engine once (so a worker starts in about a second, not the tens of seconds of an import on a
    busy machine); else they are spawned.
    """
    import multiprocessing

    import dask

    options = {
        "n_workers": workers,
        "threads_per_worker": 1,
        "processes": True,
        "dashboard_address": None,
        "silence_logs": logging.ERROR,
    }
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return local_cluster(**options)
    from distributed.utils import get_mp_context

    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        get_mp_context()  # distributed sets its own preload on first use; ours replaces it
        multiprocessing.get_context("forkserver").set_forkserver_preload(list(_PRELOAD))
        return local_cluster(**options)


def run_jobs(
    jobs: Sequence[AreaJob],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    serial: bool = False,
    on_done: OnDone | None = None,
) -> list[AreaOutcome]:
    """Run every job and return the outcomes in the order the jobs were given.

    Parameters
    ----------
    jobs
        One job an area.
    workers
        Worker processes of the local cluster (one thread each); default: the machine's cores.
    scheduler
        Address of an existing Dask scheduler (``tcp://host:8786``); its workers must see the output folder
        and the partitions (a shared file system) and have lagesbild installed.
    serial
        Run in this process, one area after another (no Dask; for comparison and debugging).
    on_done
        Called with each outcome as it arrives.

    Returns
    -------
    outcomes
        One outcome a job.
    """
    done: dict[str, AreaOutcome] = {}

    def finish(outcome: AreaOutcome) -> None:
        done[outcome.code] = outcome
        if on_done is not None:
            on_done(outcome)

    if serial:
        for job in jobs:
            finish(run_area(job))
        return [done[j.code] for j in jobs]

    from distributed import Client, LocalCluster, as_completed

    cluster = _local_cluster(workers, LocalCluster) if scheduler is None else None
    client = Client(cluster if cluster is not None else scheduler)
    try:
        tag = uuid.uuid4().hex[:8]
        futures = {
            client.submit(run_area, job, key=f"lagesbild-{job.code}-{tag}", pure=False): job for job in jobs
        }
        for future in as_completed(list(futures)):
            job = futures[future]
            try:
                outcome = future.result()
            except Exception as err:  # noqa: BLE001 - a lost worker fails its area, not the run
                outcome = _failed(job, err)
            finish(outcome)
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return [done[j.code] for j in jobs]
