"""The ``[nearrepeat]`` section of the run's TOML file (kept beside :mod:`geo.config`)."""

from __future__ import annotations

from geo.stages.nearrepeat import NearRepeatSettings

__all__ = ["NearRepeatConfig"]


class NearRepeatConfig(NearRepeatSettings):
    """``[nearrepeat]``: the near-repeat stage's settings plus ``enabled``.

    Off unless ``enabled = true``: 999 permutations of every report's time is not a default cost of a run,
    and a category (``categories = ["inbrott"]``) is what the analysis is for.
    """

    enabled: bool = False
