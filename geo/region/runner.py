"""Run the areas' tasks on Dask (``dask.distributed``): a local cluster, an existing scheduler, or in turn.

Tasks are the areas' runs (:func:`geo.region.task.run_area`), largest first so the long ones do not come
last. A task that fails returns its error in its outcome; a worker that dies (memory, a crash) is retried
by the scheduler on another and, failing that, its area is reported as failed. The others finish.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence

from geo.region.task import AreaJob, AreaOutcome, run_area

__all__ = ["OnDone", "run_jobs"]

OnDone = Callable[[AreaOutcome], None]
"""Called as each area finishes (the command line moves its progress bar)."""


def _failed(job: AreaJob, err: BaseException) -> AreaOutcome:
    error = f"{type(err).__name__}: {err}"
    return AreaOutcome(code=job.code, name=job.name, ok=False, error=error, folder=job.out)


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

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
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
