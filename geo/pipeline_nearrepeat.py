"""The near-repeat step of ``geo run`` (section ``[nearrepeat]``, off unless ``enabled = true``).

Kept beside :mod:`geo.pipeline_steps` (which lists it in ``STAGES``): the section is
:class:`~geo.stages.nearrepeat.NearRepeatSettings` plus ``enabled``; the files are ``knox.csv``,
``alerts.csv`` and ``alert_zones.geojson`` in the run's folder, and the zones go on the internal map.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.config import stage_settings
from geo.stages.nearrepeat import NearRepeatSettings

if TYPE_CHECKING:
    from geo.pipeline import RunContext

__all__ = ["nearrepeat_step"]


def nearrepeat_step(run: RunContext) -> None:
    """Run the Knox test and the alerts on the run's reports, up to the period's end."""
    from geo.io.outputs.nearrepeat import write_nearrepeat
    from geo.stages.nearrepeat import nearrepeat_stage

    res = nearrepeat_stage(
        run.reports,
        stage_settings(run.config.nearrepeat, NearRepeatSettings),
        end=run.period_end,
        streets=run.streets,
        progress=run.say,
        lang=run.config.run.lang,
    )
    run.result.notes.extend(res.notes)  # each starts "nära upprepning: ..." ("near repeat: ...")
    run.record(write_nearrepeat(res, run.out), stage="nearrepeat", settings=res.settings)
    run.result.nearrepeat = res
