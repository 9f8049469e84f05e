"""Open311 GeoReport v2 beside our own API, so existing citizen-report apps can post into lagesbild.

Implemented (JSON format): ``GET /open311/v2/services.json``, ``POST /open311/v2/requests.json`` (form
fields or JSON: ``service_code``, ``lat``, ``long``, ``description``, optional ``requested_datetime`` as when
it happened), ``GET /open311/v2/requests.json`` and ``GET /open311/v2/requests/{id}.json``. Errors use
GeoReport's list of ``{code, description}``. The public sees requests without free text and with positions
rounded to three decimals (about 100 m); a staff token (bearer or ``api_key``) sees everything.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from geo.service.auth import OptionalUser
from geo.service.categories import CATEGORIES
from geo.service.intake import read_time
from geo.service.moderation import public_reports
from geo.service.routes.reports import check_key, check_rate, submit_report
from geo.service.storage import ReportFilter, StoredReport

__all__ = ["router"]

router = APIRouter(prefix="/open311/v2", tags=["open311"])


def _error(status: int, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse([{"code": status, "description": message}], status_code=status, headers=headers)


def _detail_text(detail: Any) -> str:
    if isinstance(detail, dict) and "problems" in detail:
        return "; ".join(f"{k}: {v}" for k, v in detail["problems"].items())
    return str(detail)


@router.get("/services.json", summary="Open311: service list")
async def services() -> list[dict[str, Any]]:
    """Every report category as an Open311 service (no extra attributes)."""
    return [
        {
            "service_code": code,
            "service_name": sv,
            "description": en,
            "metadata": False,
            "type": "realtime",
            "keywords": code,
            "group": group,
        }
        for code, (sv, en, group) in CATEGORIES.items()
    ]


@router.post("/requests.json", status_code=201, summary="Open311: create a service request")
async def create_request(
    request: Request,
    user: OptionalUser,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> JSONResponse:
    """Store a GeoReport request as a report (source ``open311``); answers 201 after the durable commit."""
    try:
        check_rate(request, user)
        key = check_key(idempotency_key)
    except HTTPException as err:
        return _error(err.status_code, _detail_text(err.detail), err.headers)
    ctype = request.headers.get("content-type", "")
    try:
        if ctype.startswith("application/json"):
            form: dict[str, Any] = json.loads(await request.body())
            if not isinstance(form, dict):
                raise ValueError("not an object")
        else:
            form = dict((await request.form()).items())
    except (ValueError, UnicodeDecodeError, AssertionError):
        return _error(400, "body must be form fields or a JSON object")
    if not form.get("service_code"):
        return _error(400, "service_code is required")
    if form.get("lat") in (None, "") or form.get("long") in (None, ""):
        return _error(400, "lat and long are required (address_string alone is not supported)")
    payload: dict[str, Any] = {
        "lat": form.get("lat"),
        "lon": form.get("long"),
        "category": form.get("service_code"),
        "occurred_at": form.get("requested_datetime") or dt.datetime.now(dt.UTC).isoformat(),
        "description": form.get("description") or None,
        "source": "open311",
    }
    try:
        report_id, _ = await submit_report(request, payload, user=user, key=key, public_sources=("open311",))
    except HTTPException as err:
        return _error(err.status_code, _detail_text(err.detail), err.headers)
    return JSONResponse(
        [
            {
                "service_request_id": report_id,
                "service_notice": "Tack! Rapporten är mottagen.",
                "account_id": None,
            }
        ],
        status_code=201,
    )


def _request_view(r: StoredReport, *, full: bool) -> dict[str, Any]:
    lat, lon = (r.lat, r.lon) if full else (round(r.lat, 3), round(r.lon, 3))
    return {
        "service_request_id": r.report_id,
        "status": "open",
        "service_code": r.category,
        "service_name": CATEGORIES.get(r.category, (r.category,))[0],
        "description": r.description if full else None,
        "requested_datetime": r.created_at.isoformat(),
        "updated_datetime": r.created_at.isoformat(),
        "occurred_datetime": r.occurred_at.isoformat(),
        "lat": lat,
        "long": lon,
        "address": None,
        "media_url": None,
    }


@router.get("/requests.json", summary="Open311: list service requests")
async def list_requests(
    request: Request,
    user: OptionalUser,
    service_request_id: str | None = None,
    service_code: str | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
    status: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
) -> JSONResponse:
    """List requests received in ``start_date``..``end_date`` (default: the last 90 days, GeoReport's rule).

    Ordered by when they happened, oldest first.
    """
    tz = request.app.state.lb.intake.tz
    try:
        end = read_time(end_date, tz=tz) if end_date else None
        start = read_time(start_date, tz=tz) if start_date else None
    except ValueError as err:
        return _error(400, f"start_date and end_date must be ISO 8601 times: {err}")
    if start is None and end is None and not service_request_id:
        start = dt.datetime.now(dt.UTC) - dt.timedelta(days=90)
    ids = tuple(i.strip() for i in service_request_id.split(",") if i.strip()) if service_request_id else ()
    if status and status not in {"open"}:
        return JSONResponse([])
    flt = ReportFilter(received_since=start, received_until=end, category=service_code, limit=limit, ids=ids)
    full = user is not None and user.can("reports:read")
    lb = request.app.state.lb
    rows = await run_in_threadpool(lb.store.list_reports if full else partial(public_reports, lb.store), flt)
    return JSONResponse([_request_view(r, full=full) for r in rows])


@router.get("/requests/{request_id}.json", summary="Open311: one service request")
async def get_request(request_id: str, request: Request, user: OptionalUser) -> JSONResponse:
    """One request by id (a list of one, as GeoReport answers)."""
    full = user is not None and user.can("reports:read")
    lb = request.app.state.lb
    read = lb.store.list_reports if full else partial(public_reports, lb.store)
    rows = await run_in_threadpool(read, ReportFilter(ids=(request_id,), limit=1))
    if not rows:
        return _error(404, "no such request / ingen sådan rapport")
    return JSONResponse([_request_view(rows[0], full=full)])
