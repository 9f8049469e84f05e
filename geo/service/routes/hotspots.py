"""``/api/hotspots``: the latest run's hot-spots; public = aggregated with k-suppression, staff = full."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from geo.service.auth import OptionalUser
from geo.service.runs import frame_to_features

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["hotspots"])


@router.get("/hotspots", summary="Hot-spots of the latest run (public: aggregated; staff: full)")
async def get_hotspots(request: Request, user: OptionalUser) -> Response:
    """GeoJSON of hot-spots in WGS84.

    The public view leaves out hot-spots with fewer than k reports, draws each as the union of 100 m grid
    cells and drops member ids, profiles and small category counts, as the public map does. A token with
    the right ``hotspots:full`` gets every column.
    """
    lb = request.app.state.lb
    full = user is not None and user.can("hotspots:full")
    run_id, frame = await run_in_threadpool(lb.runs.hotspots, public=not full)
    features = await run_in_threadpool(frame_to_features, frame) if frame is not None else []
    body = {
        "type": "FeatureCollection",
        "features": features,
        "run_id": run_id,
        "view": "full" if full else "public",
        "k": lb.settings.k,
    }
    return JSONResponse(body, media_type="application/geo+json")
