"""``GET /api/address``: the report page's address search, answered from the service's own gazetteer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from geo.service.addresses import MAX_QUERY_CHARS
from geo.service.auth import OptionalUser
from geo.service.routes.reports import check_rate

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["pages"])


@router.get(
    "/address",
    summary="Address search of the report page (this machine's OpenStreetMap gazetteer)",
    responses={404: {}, 422: {}, 429: {}},
)
async def address_search(
    request: Request,
    q: Annotated[
        str,
        Query(min_length=1, max_length=MAX_QUERY_CHARS, description="What was typed ('Storgatan 3')."),
    ],
    user: OptionalUser,
) -> JSONResponse:
    """Up to 8 places for `q` inside the study area: ``label``, ``lat``, ``lon``, ``precision``.

    ``precision`` is ``address`` (a house) or ``street`` (a point on the street). Public, counted per client
    apart from submissions (``--search-rate-limit``); 404 when the service has no gazetteer (``--geocode``).
    """
    lb = request.app.state.lb
    if lb.addresses is None:
        raise HTTPException(
            status_code=404,
            detail="ingen adressökning här / no address search here (geo serve --geocode FILE.osm.pbf)",
        )
    check_rate(request, user, limiter=lb.search_limiter, what=("searches", "sökningar"))
    matches = await run_in_threadpool(lb.addresses.search, q)
    return JSONResponse({"query": q, "matches": matches}, headers={"Cache-Control": "no-store"})
