"""``[insecurity]`` of a run's TOML: felt insecurity against recorded crime, optional areas and survey.

Kept apart from :mod:`geo.config` (which imports it) so the run configuration stays one screen a section.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from geo.stages.insecurity import InsecuritySettings

__all__ = ["InsecurityConfig", "resolve_insecurity_paths"]


class InsecurityConfig(InsecuritySettings):
    """``[insecurity]``: :class:`~geo.stages.insecurity.InsecuritySettings`, ``areas`` and ``survey``.

    The step runs when the sources hold both kinds (felt and recorded); ``areas`` (polygons, e.g. DeSO)
    replaces the square cells, ``survey`` adds a trygghetsmätning's ``share_unsafe`` and ``n_respondents``.
    """

    enabled: bool = True
    areas: Path | None = None
    survey: Path | None = None


def resolve_insecurity_paths(data: dict[str, Any], fix: Callable[[Any], Any]) -> None:
    """Make ``insecurity.areas`` and ``insecurity.survey`` absolute with `fix` (in place)."""
    section = data.get("insecurity")
    if isinstance(section, dict):
        data["insecurity"] = {k: fix(v) if k in {"areas", "survey"} else v for k, v in section.items()}
