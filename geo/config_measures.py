"""``[measures]`` of a run's TOML: the register of measures (åtgärder) and the evaluation's settings.

Kept apart from :mod:`geo.config` (which imports it) so the run configuration stays one screen a section.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from geo.stages.evaluate import EvaluateSettings

__all__ = ["MeasuresConfig", "resolve_measure_paths"]


class MeasuresConfig(EvaluateSettings):
    """``[measures]``: the register, a comparison polygon and the evaluation's settings.

    ``file`` is the register (:func:`geo.io.measures.read_measures`), ``control`` an optional comparison
    polygon; the rest is :class:`~geo.stages.evaluate.EvaluateSettings`. Without ``file`` nothing runs.
    """

    enabled: bool = True
    file: Path | None = None
    control: Path | None = None


def resolve_measure_paths(data: dict[str, Any], fix: Callable[[Any], Any]) -> None:
    """Make ``measures.file`` and ``measures.control`` absolute with `fix` (in place)."""
    section = data.get("measures")
    if isinstance(section, dict):
        data["measures"] = {k: fix(v) if k in {"file", "control"} else v for k, v in section.items()}
