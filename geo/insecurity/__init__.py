"""Felt insecurity against recorded crime: two surfaces on one grid or set of areas, and where they differ.

:func:`~geo.insecurity.compare.compare_surfaces` counts felt-insecurity reports (residents, safety walks,
partners) and recorded crimes (police) per square cell or user area, tests each count against what the study
area's overall rate of that kind predicts (one-sided Poisson, Benjamini–Hochberg over the cells) and classes
every cell ``felt_not_recorded``, ``recorded_not_felt``, ``both`` or ``neither`` with a sentence on what it
suggests. :func:`~geo.insecurity.survey.join_survey` adds a municipality's own survey figures.
"""

from __future__ import annotations

from geo.insecurity.classes import CLASSES, class_sentence
from geo.insecurity.compare import compare_surfaces
from geo.insecurity.select import felt_reports, recorded_reports
from geo.insecurity.survey import join_survey

__all__ = [
    "CLASSES",
    "class_sentence",
    "compare_surfaces",
    "felt_reports",
    "join_survey",
    "recorded_reports",
]
