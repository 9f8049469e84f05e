"""The run configuration's ``[period]``, ``[store]`` and ``[[areas]]`` tables (used by :mod:`geo.config`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["PeriodConfig", "PriorityArea", "StoreConfig"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PeriodConfig(_Model):
    """``[period]``: first and last day analysed (both included); open when left out.

    ``weeks = N`` instead: the N whole ISO weeks before ``geo run --as-of`` (default today), or N weeks
    ending at ``end`` / starting at ``start``.
    """

    start: dt.date | None = None
    end: dt.date | None = None
    weeks: int | None = Field(None, ge=1)

    @model_validator(mode="after")
    def _order(self) -> PeriodConfig:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        if self.weeks is not None and self.start and self.end:
            raise ValueError("give 'weeks' with at most one of 'start' and 'end'")
        return self


class StoreConfig(_Model):
    """``[store]``: keep each run in a run store (a ``.gpkg`` file or ``postgresql://`` URL; the service's).

    With a store, hot-spot ids follow the places from run to run and each run writes ``changes.csv``.
    """

    path: str | None = None
    enabled: bool = True


class PriorityArea(_Model):
    """``[[areas]]``: a priority area (prioriterat område), a named polygon with its own figures each run."""

    name: str = Field(min_length=1)
    file: Path
    """A polygon file (GeoJSON, GeoPackage, Shapefile); relative to the config's folder."""
