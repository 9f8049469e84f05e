"""The insecurity step of ``geo run``: felt insecurity against recorded crime, when the sources hold both.

Kept beside :mod:`geo.pipeline_steps` (which lists it in ``STAGES``): the config section ``[insecurity]``
(:class:`~geo.config_insecurity.InsecurityConfig`) gives the settings and optional ``areas`` and ``survey``
files; the files are ``insecurity.csv`` and ``insecurity.gpkg`` in the run's folder. The step is skipped,
with a note, when the run's reports lack either kind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.i18n import gettext
from geo.stages.insecurity import InsecuritySettings

if TYPE_CHECKING:
    from geo.pipeline import RunContext

__all__ = ["insecurity_step"]


def insecurity_step(run: RunContext) -> None:
    """Compare felt insecurity with recorded crime in the run's reports (only when both kinds are there)."""
    from geo.insecurity import felt_reports, recorded_reports
    from geo.io.layers import read_layer
    from geo.io.outputs.insecurity import write_insecurity
    from geo.stages.insecurity import insecurity_stage

    config = run.config
    section = config.insecurity
    settings = InsecuritySettings(**section.model_dump(exclude={"enabled", "areas", "survey"}))
    felt = felt_reports(
        run.reports,
        sources=settings.felt_sources,
        category_sources=settings.category_sources,
        unsafe_words=settings.unsafe_words,
        traffic_words=settings.traffic_words,
    )
    recorded = recorded_reports(run.reports, sources=settings.recorded_sources)
    if not len(felt) or not len(recorded):
        lang = config.run.lang
        missing = gettext("upplevd otrygghet", lang) if not len(felt) else gettext("anmälda brott", lang)
        wanted = ", ".join(settings.felt_sources if not len(felt) else settings.recorded_sources)
        run.result.notes.append(
            gettext(
                "steg otrygghet och brott: inga rapporter om %(missing)s (källorna %(wanted)s); "
                "jämförelsen kräver båda slagen",
                lang,
                missing=missing,
                wanted=wanted,
            )
        )
        return
    areas = read_layer(section.areas, what="areas", crs=run.crs) if section.areas is not None else None
    survey = read_layer(section.survey, what="survey", crs=run.crs) if section.survey is not None else None
    res = insecurity_stage(
        run.reports,
        settings,
        area=run.area_m if areas is None else None,
        areas=areas,
        survey=survey,
        streets=run.streets,
        progress=run.say,
        lang=config.run.lang,
    )
    files = write_insecurity(res, run.out, demo=config.run.demo)
    run.record(files, stage="insecurity", settings=res.settings)
    run.result.insecurity = res
