"""``/api/measures``: the register of measures (åtgärder) for staff, with a history of status changes.

``POST /api/measures`` creates, ``GET /api/measures`` lists, ``GET /api/measures/{id}`` shows one with its
history, ``PATCH /api/measures/{id}`` changes fields (a new status is recorded with who and when), and
``POST /api/measures/accept`` turns a run's proposal (``lamp:LP-001``, ``patrol:HS-0003``, ``speed:2``) into a
measure in one call.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from geo.service.auth import Principal, require
from geo.service.measures import check_measure, proposal_measure
from geo.service.storage.measures import MeasureRecord

__all__ = ["router"]

router = APIRouter(prefix="/api/measures", tags=["measures"])

_TEXT = Field(default=None, max_length=500)


class MeasureIn(BaseModel):
    """A new measure: id, kind, start and a place (``lat``/``lon``/``radius_m`` or a GeoJSON polygon)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    measure_id: str = Field(min_length=1, max_length=64)
    kind: str = Field(max_length=40, examples=["belysning"])
    start: str = Field(max_length=40, examples=["2025-03-01"])
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    radius_m: float | None = Field(default=None, gt=0, le=5000)
    geometry: dict[str, Any] | None = Field(default=None, description="GeoJSON polygon, WGS84.")
    end: str | None = Field(default=None, max_length=40)
    hours: str | None = Field(default=None, max_length=40, examples=["fre-lör 22-03"])
    categories: str | None = _TEXT
    focus: str | None = Field(default=None, max_length=40)
    status: str | None = Field(default=None, max_length=20)
    owner: str | None = _TEXT
    name: str | None = _TEXT
    notes: str | None = Field(default=None, max_length=4000)
    proposal_id: str | None = Field(default=None, max_length=64)


class MeasurePatch(BaseModel):
    """Fields to change; ``note`` goes into the status history."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: str | None = Field(default=None, max_length=20)
    start: str | None = Field(default=None, max_length=40)
    end: str | None = Field(default=None, max_length=40)
    hours: str | None = Field(default=None, max_length=40)
    categories: str | None = _TEXT
    focus: str | None = Field(default=None, max_length=40)
    owner: str | None = _TEXT
    name: str | None = _TEXT
    notes: str | None = Field(default=None, max_length=4000)
    note: str | None = Field(default=None, max_length=500, description="Why the status changed.")


class AcceptProposal(BaseModel):
    """A proposal of a run to accept as a measure."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    proposal: str = Field(max_length=80, examples=["lamp:LP-001", "patrol:HS-0003", "speed:2"])
    start: str = Field(max_length=40, examples=["2026-12-01"])
    run_id: str | None = Field(default=None, max_length=64, description="Default: the latest finished run.")
    measure_id: str | None = Field(default=None, max_length=64)
    status: str | None = Field(default=None, max_length=20)
    focus: str | None = Field(default=None, max_length=40)
    owner: str | None = _TEXT
    name: str | None = _TEXT
    radius_m: float | None = Field(default=None, gt=0, le=5000)


def _tz(request: Request) -> str:
    return str(request.app.state.lb.runs.ctx.tz)


def _body(rec: MeasureRecord, history: list[Any] | None = None) -> dict[str, Any]:
    out = asdict(rec)
    if history is not None:
        out["history"] = [asdict(h) for h in history]
    return out


def _store_new(request: Request, rec: MeasureRecord, user: Principal) -> dict[str, Any]:
    table = request.app.state.lb.store.measures
    created = table.create(rec, by=user.user.name)
    if created is None:
        raise HTTPException(status_code=409, detail=f"measure '{rec.measure_id}' exists; use PATCH")
    return _body(created, table.history(created.measure_id))


@router.post("", status_code=201, responses={401: {}, 403: {}, 409: {}, 422: {}})
async def create_measure(
    body: MeasureIn, request: Request, user: Annotated[Principal, Depends(require("measures:write"))]
) -> dict[str, Any]:
    """Create a measure (status ``föreslagen`` unless given); its first history row says who made it."""
    values = check_measure(body.model_dump(exclude_none=True), tz=_tz(request))
    if "geometry_wkt" not in values and not {"lat", "lon", "radius_m"} <= set(values):
        raise HTTPException(status_code=422, detail="a place is needed: lat, lon and radius_m, or geometry")
    values.setdefault("status", "föreslagen")
    return await run_in_threadpool(_store_new, request, MeasureRecord(**values), user)


@router.post("/accept", status_code=201, responses={401: {}, 403: {}, 409: {}, 422: {}})
async def accept_proposal(
    body: AcceptProposal, request: Request, user: Annotated[Principal, Depends(require("measures:write"))]
) -> dict[str, Any]:
    """Accept a run's proposal as a measure (status ``beslutad`` unless given), in one call."""
    lb = request.app.state.lb
    extra = check_measure(body.model_dump(exclude_none=True, exclude={"proposal", "run_id"}), tz=_tz(request))

    def accept() -> dict[str, Any]:
        run = lb.store.get_run(body.run_id) if body.run_id else lb.store.latest_run()
        rec = proposal_measure(body.proposal, run, lb.settings.maps_dir, extra=extra)
        return _store_new(request, rec, user)

    return await run_in_threadpool(accept)


@router.get("", responses={401: {}, 403: {}})
async def list_measures(
    request: Request,
    user: Annotated[Principal, Depends(require("measures:read"))],
    status: str | None = None,
) -> dict[str, Any]:
    """List measures (optionally of one status), oldest first."""
    rows = await run_in_threadpool(request.app.state.lb.store.measures.all, status=status)
    return {"measures": [_body(r) for r in rows], "count": len(rows)}


@router.get("/{measure_id}", responses={401: {}, 403: {}, 404: {}})
async def get_measure(
    measure_id: str, request: Request, user: Annotated[Principal, Depends(require("measures:read"))]
) -> dict[str, Any]:
    """Show a measure with its history of status changes (who, when, from, to)."""
    table = request.app.state.lb.store.measures
    rec = await run_in_threadpool(table.get, measure_id)
    if rec is None:
        raise HTTPException(status_code=404, detail=f"no measure '{measure_id}'")
    return _body(rec, await run_in_threadpool(table.history, measure_id))


@router.patch("/{measure_id}", responses={401: {}, 403: {}, 404: {}, 422: {}})
async def patch_measure(
    measure_id: str,
    body: MeasurePatch,
    request: Request,
    user: Annotated[Principal, Depends(require("measures:write"))],
) -> dict[str, Any]:
    """Change a measure; a new status is recorded in its history with the user and the time."""
    changes = check_measure(body.model_dump(exclude_none=True, exclude={"note"}), tz=_tz(request))
    table = request.app.state.lb.store.measures

    def change() -> dict[str, Any] | None:
        rec = table.update(measure_id, changes, by=user.user.name, note=body.note or "")
        return None if rec is None else _body(rec, table.history(measure_id))

    out = await run_in_threadpool(change)
    if out is None:
        raise HTTPException(status_code=404, detail=f"no measure '{measure_id}'")
    return out
