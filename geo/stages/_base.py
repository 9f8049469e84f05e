"""What every stage shares: the settings base class, the result base class and the progress callback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = ["Progress", "StageResult", "StageSettings", "quiet"]

Progress = Callable[[str], None]
"""Called with a short message (Swedish / English) as a stage starts a step; the command line shows it."""


def quiet(_message: str) -> None:
    """Ignore a progress message (the default callback)."""


class StageSettings(BaseModel):
    """Base of every stage's settings: frozen, unknown keys are errors.

    A stage's settings class is the one place its parameters and their defaults live. Each field carries its
    meaning and unit in ``Field(description=...)``; the command line builds its help from it
    (:mod:`geo.commands._settings`) and the TOML section of ``geo run`` is the same class, so a default
    cannot differ between ``geo X`` and ``geo run``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass
class StageResult:
    """Base of every stage's result: what the stage chose and why, and remarks for the user.

    Attributes
    ----------
    settings
        The settings the stage ran with.
    chosen
        Parameter -> a sentence on the value the stage chose automatically and why
        (``"eps_m": "75 m: knee of the 8-nearest-neighbour distances"``).
    notes
        Remarks a user should read (Swedish), e.g. why a stage found nothing.
    """

    settings: Any
    chosen: dict[str, str] = field(default_factory=dict, kw_only=True)
    notes: list[str] = field(default_factory=list, kw_only=True)
