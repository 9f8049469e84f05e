"""The measures step of ``geo run``: read the register, evaluate the running and finished measures, write.

Kept beside :mod:`geo.pipeline_steps` (which lists it in ``STAGES``): the config section ``[measures]``
(:class:`~geo.config_measures.MeasuresConfig`) gives the register ``file``, an optional ``control`` polygon
and the evaluation's settings; the files are ``evaluation.csv`` and ``evaluation.html`` in the run's folder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.stages.evaluate import EvaluateSettings

if TYPE_CHECKING:
    from geo.pipeline import RunContext

__all__ = ["measures_step"]


def measures_step(run: RunContext) -> None:
    """Evaluate the register's measures against the run's reports (nothing without ``measures.file``)."""
    from geo.io.layers import read_layer
    from geo.io.measures import read_measures
    from geo.io.outputs.evaluate import write_evaluation
    from geo.stages.evaluate import evaluate_stage

    config = run.config
    section = config.measures
    if section.file is None:
        return
    tz = str(run.reports["occurred_at"].dt.tz)
    register = read_measures(section.file, crs=run.crs, tz=tz)
    control = None
    if section.control is not None:
        control = read_layer(section.control, what="control area", crs=run.crs).geometry.union_all()
    comparison = None
    if control is None and run.area is not None:
        comparison = f"övriga {run.area.name}"
    res = evaluate_stage(
        run.reports,
        register,
        EvaluateSettings(**section.model_dump(exclude={"enabled", "file", "control"})),
        control=control,
        comparison=comparison,
        period_end=run.period_end,
        progress=run.say,
        lang=config.run.lang,
    )
    files = write_evaluation(res, run.out, lang=config.run.lang)
    run.record(files, stage="evaluate", settings=res.settings)
    run.result.measures = res
