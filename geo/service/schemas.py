"""Request and response bodies of the service (separate in/out models)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "FeatureCollection",
    "Health",
    "ReportCreated",
    "ReportIn",
    "RunAccepted",
    "RunStatus",
]


class ReportIn(BaseModel):
    """A submitted report (``POST /api/reports``).

    Give either ``occurred_at`` (a moment) or ``occurred_from`` and ``occurred_to`` (a window). Times are
    ISO 8601; without an offset they are local time of the study area.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    lat: float = Field(ge=-90, le=90, description="Latitude, WGS84 degrees.", examples=[57.1857])
    lon: float = Field(ge=-180, le=180, description="Longitude, WGS84 degrees.", examples=[14.0476])
    category: str = Field(
        min_length=1, max_length=64, description="A code from /api/categories.", examples=["mörkt"]
    )
    occurred_at: str | None = Field(default=None, max_length=40, examples=["2025-01-10T21:30"])
    occurred_from: str | None = Field(default=None, max_length=40)
    occurred_to: str | None = Field(default=None, max_length=40)
    description: str | None = Field(
        default=None, description="Free text; internal only, deleted after the retention time."
    )
    source: str | None = Field(
        default=None, max_length=32, description="resident (default), safety_walk, staff, ..."
    )
    people: int | None = Field(
        default=None, ge=0, le=10_000, description="How many people were there (partners' checklist)."
    )


class ReportCreated(BaseModel):
    """Answer to a stored submission."""

    id: str


class RunAccepted(BaseModel):
    """Answer to ``POST /api/runs``."""

    run_id: str
    status: str


class RunStatus(BaseModel):
    """A run's status and outputs."""

    run_id: str
    status: str = Field(description="queued, running, done or failed")
    created_at: dt.datetime
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    requested_by: str
    n_reports: int | None = None
    outputs: dict[str, str] = Field(default_factory=dict)
    message: str = ""


class Health(BaseModel):
    """``GET /healthz``."""

    status: str
    storage: str
    schema_version: int
    reports: int


class FeatureCollection(BaseModel):
    """A GeoJSON FeatureCollection (WGS84)."""

    model_config = ConfigDict(extra="allow")

    type: str = "FeatureCollection"
    features: list[dict[str, Any]]
