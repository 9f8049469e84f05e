"""The run configuration's ``[run]`` and ``[output]`` tables (re-exported by :mod:`geo.config`)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["OutputConfig", "RunSection"]


class RunSection(BaseModel):
    """``[run]``: what the run is called and how it speaks."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = "Lägesbild"
    demo: bool = False
    """Label every output "syntetiska demodata"."""
    lang: Literal["sv", "en"] = "sv"
    crs: str | None = None
    """Metric CRS (``EPSG:3006``); chosen from the data when not given."""
    tz: str | None = None
    """IANA zone of naive local times; chosen from the data's location when not given."""


class OutputConfig(BaseModel):
    """``[output]``: where everything goes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dir: Path = Path("maps")
    strict: bool = False
    """Any rejected row is an error and nothing is written."""
    free_text: bool = True
    """Whether outputs may hold free text (descriptions); ``false`` empties them as the sources are read, so
    no map, GeoPackage, Parquet or CSV of the run holds any (every service run does this)."""
    workbook: bool = True
    """Write ``lagesbild.xlsx``: every table of the run on its own sheet (Excel)."""
