"""Evaluation stage: measures and reports in, one honest before/after evaluation a measure out."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from pydantic import Field
from shapely.geometry.base import BaseGeometry

from geo.i18n import gettext, ngettext, number
from geo.measures.evaluate import Rules, evaluate_measures
from geo.measures.model import Measures
from geo.model import Reports
from geo.stages._base import Progress, StageResult, StageSettings, quiet

__all__ = ["EvaluateResult", "EvaluateSettings", "evaluate_stage"]


class EvaluateSettings(StageSettings):
    """Settings of the evaluation (``[measures]`` in the TOML, options of ``geo evaluate``)."""

    buffer_m: float = Field(
        200.0, gt=0, description="Width of the buffer ring around a treated area, in metres"
    )
    before_days: int = Field(365, ge=1, description="Longest before window, in days (shortened to the data)")
    after_days: int = Field(
        365, ge=1, description="Longest after window, in days (both windows get the shorter length)"
    )
    min_days: int = Field(
        28, ge=1, description="Shortest window that gives a verdict, in days (else too_early)"
    )
    min_expected: float = Field(
        10.0,
        ge=0,
        description="Fewest reports in the treated area after the start (expected without effect, or "
        "observed) for a verdict (else too_early)",
    )
    statuses: list[str] = Field(
        default_factory=lambda: ["pågår", "genomförd", "avbruten"],
        description="Statuses evaluated (measures without a status always are)",
    )
    insecurity_sources: list[str] = Field(
        default_factory=lambda: ["resident", "safety_walk"],
        description="Sources of residents' insecurity reports, evaluated apart from the other reports",
    )


@dataclass
class EvaluateResult(StageResult):
    """What the evaluation found.

    Attributes
    ----------
    measures
        Every measure read (the map draws them all, with their status).
    evaluation
        One row a measure evaluated: :data:`~geo.measures.evaluate.CONTRACT_COLUMNS` and the extras of
        :func:`~geo.measures.evaluate.evaluate_measures`, on the reports other than insecurity reports.
    insecurity
        The same on residents' insecurity reports alone, when the data hold both kinds; else ``None``.
    comparison
        What the comparison area is called in the texts (``övriga Värnamo``).
    """

    measures: Measures
    evaluation: pd.DataFrame
    insecurity: pd.DataFrame | None = None
    comparison: str = "övriga området"

    def map_frame(self) -> gpd.GeoDataFrame:
        """Return every measure with its evaluation, for the map and the summary page.

        Columns: the measure's (``measure_id``, ``kind``, ``name``, ``status``, ``focus``, ``hours``,
        ``start``, ``end`` as dates), ``buffer_m``, and for evaluated measures ``verdict``,
        ``buffer_verdict``, ``effect`` (in words, :func:`~geo.measures.texts.effect_text`), ``effect_en`` (the
        same in English) and ``note``;
        polygons of the treated areas.
        """
        from geo.measures.texts import comparison_english, effect_text

        m = self.measures
        cols = ["measure_id", "kind", "name", "status", "focus", "hours", "start", "end"]
        out = gpd.GeoDataFrame(
            m[cols].astype({"start": object, "end": object}), geometry=m.geometry, crs=m.crs
        )
        out["start"] = m["start"].dt.strftime("%Y-%m-%d")
        out["end"] = m["end"].dt.strftime("%Y-%m-%d").fillna("")
        out["buffer_m"] = self.settings.buffer_m
        ev = self.evaluation.set_index("measure_id") if len(self.evaluation) else pd.DataFrame()
        verdicts, buffers, effects, effects_en, notes = [], [], [], [], []
        comparison_en = comparison_english(self.comparison)
        for mid in out["measure_id"]:
            if mid in ev.index:
                row = ev.loc[mid]
                verdicts.append(str(row["verdict"]))
                buffers.append(str(row["buffer_verdict"]))
                effects.append(effect_text({**row.to_dict()}, comparison=self.comparison))
                effects_en.append(effect_text({**row.to_dict()}, comparison=comparison_en, lang="en"))
                notes.append(str(row["note"]))
            else:
                verdicts.append("")
                buffers.append("")
                effects.append("")
                effects_en.append("")
                notes.append("")
        return out.assign(
            verdict=verdicts, buffer_verdict=buffers, effect=effects, effect_en=effects_en, note=notes
        )


def evaluate_stage(
    reports: Reports,
    measures: Measures,
    settings: EvaluateSettings,
    *,
    control: BaseGeometry | None = None,
    comparison: str | None = None,
    period_end: pd.Timestamp | None = None,
    progress: Progress = quiet,
    lang: str = "sv",
) -> EvaluateResult:
    """Evaluate the measures of `settings.statuses` (and those without a status) against their places.

    Parameters
    ----------
    reports
        Validated reports in the measures' CRS. Not modified.
    measures
        Validated measures.
    settings
        The stage's settings.
    control
        Comparison polygon (default: everywhere the reports are, outside every measure's buffer).
    comparison
        The comparison area's name in the texts (default ``övriga området``, or ``jämförelseområdet``
        with `control`).
    period_end
        End of the data (exclusive); default the end of the last report's day.
    progress
        Called with a message per step.
    lang
        Language of the notes, the reason in ``chosen`` and the progress messages (``"sv"`` or ``"en"``);
        the texts of the evaluation itself stay as :func:`~geo.measures.evaluate.evaluate_measures` writes
        them.
    """
    name = comparison or ("jämförelseområdet" if control is not None else "övriga området")
    rules = Rules(
        buffer_m=settings.buffer_m,
        before_days=settings.before_days,
        after_days=settings.after_days,
        min_days=settings.min_days,
        min_expected=settings.min_expected,
        comparison_name=name,
    )
    status = measures["status"].fillna("")
    chosen = measures[(status == "") | status.isin(settings.statuses)]
    result = EvaluateResult(settings=settings, measures=measures, evaluation=pd.DataFrame(), comparison=name)
    skipped = len(measures) - len(chosen)
    if skipped:
        result.notes.append(
            ngettext(
                "%(num)s åtgärd utvärderas inte för att dess status inte är %(statuses)s",
                "%(num)s åtgärder utvärderas inte för att deras status inte är %(statuses)s",
                skipped,
                lang,
                statuses=", ".join(settings.statuses),
            )
        )
    insecure = reports["source"].isin(settings.insecurity_sources).to_numpy()
    crimes = Reports(reports.loc[~insecure]) if 0 < insecure.sum() < len(reports) else reports
    progress(gettext("Utvärderar åtgärder", lang))
    times = reports["occurred_at"]
    kwargs = {"control": control, "period_end": period_end}
    if len(reports):
        kwargs["period_start"] = times.min().normalize()
        if period_end is None:
            kwargs["period_end"] = times.max().normalize() + pd.DateOffset(days=1)
    result.evaluation = evaluate_measures(crimes, Measures(chosen), rules, **kwargs)
    if crimes is not reports:
        result.insecurity = evaluate_measures(
            Reports(reports.loc[insecure]),
            Measures(chosen),
            rules,
            **kwargs,
        )
        insecurity = number(int(insecure.sum()), lang)
        result.chosen["reports"] = ngettext(
            "%(num)s rapport utom %(sources)s; otrygghetsrapporterna (%(insecurity)s) utvärderas för sig",
            "%(num)s rapporter utom %(sources)s; otrygghetsrapporterna (%(insecurity)s) utvärderas för sig",
            int((~insecure).sum()),
            lang,
            sources=", ".join(settings.insecurity_sources),
            insecurity=insecurity,
        )
    if not len(chosen):
        result.notes.append(gettext("inga åtgärder att utvärdera", lang))
    return result
