"""``/api/runs``: start an analysis run on the stored reports (staff) and follow it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from geo.service.auth import Principal, require
from geo.service.schemas import RunAccepted, RunStatus

__all__ = ["router"]

router = APIRouter(prefix="/api/runs", tags=["runs"])


@router.post("", status_code=202, response_model=RunAccepted, responses={401: {}, 403: {}})
async def start_run(
    request: Request, user: Annotated[Principal, Depends(require("runs:write"))]
) -> JSONResponse:
    """Queue a run (``geo run`` on the stored reports) in the background; answers 202 ``{run_id}``."""
    run = await run_in_threadpool(request.app.state.lb.runs.submit, requested_by=user.user.name)
    return JSONResponse(
        {"run_id": run.run_id, "status": run.status},
        status_code=202,
        headers={"Location": f"/api/runs/{run.run_id}"},
    )


@router.get("/{run_id}", response_model=RunStatus, responses={401: {}, 403: {}, 404: {}})
async def get_run(
    run_id: str, request: Request, user: Annotated[Principal, Depends(require("runs:read"))]
) -> RunStatus:
    """Show a run's status (queued, running, done, failed), its outputs and summary."""
    run = await run_in_threadpool(request.app.state.lb.store.get_run, run_id)
    if run is None:
        raise HTTPException(status_code=404, detail=f"no run '{run_id}'")
    outputs = {k: f"/maps/{v}" for k, v in run.outputs.items()}  # each one served by /maps/... to staff
    return RunStatus(
        run_id=run.run_id,
        status=run.status,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        requested_by=run.requested_by,
        n_reports=run.n_reports,
        outputs=outputs,
        message=run.message,
    )
