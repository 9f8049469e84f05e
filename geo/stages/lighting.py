"""Lighting stage: reports, lamps and ways in, the lighting layer, dark places and lamp proposals out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from pydantic import Field

from geo.stages._base import StageResult, StageSettings

__all__ = ["LightingResult", "LightingSettings"]


class LightingSettings(StageSettings):
    """Settings of the lighting stage (``[lighting]`` in the TOML, options of ``geo lighting``)."""

    budget: int = Field(10, ge=0, description="Number of new lamps to propose")
    radius_m: float = Field(25.0, gt=0, description="Effective lit radius of a lamp in metres")


@dataclass
class LightingResult(StageResult):
    """The lighting layer and plan.

    Attributes
    ----------
    plan
        :class:`geo.plan.lighting.LightingPlan`: ``layer``, ``evidence``, ``dark_places``, ``proposals``,
        ``fixes``; ``plan.map_layers()`` gives the map's frames.
    rejects
        Lamp/way rows not used (``file,row,field,reason,status,value``).
    follow_up
        Before/after follow-up of an earlier change (:class:`geo.plan.lighting.FollowUp`), or ``None``.
    """

    plan: Any
    rejects: pd.DataFrame
    follow_up: Any = None
