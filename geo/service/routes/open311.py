"""Open311 GeoReport v2 beside our own API, so existing citizen-report apps can post into lagesbild.

Implemented (JSON format): ``GET /open311/v2/services.json``, ``POST /open311/v2/requests.json`` (form
fields or JSON: ``service_code``, ``lat``, ``long``, ``description``, optional ``requested_datetime`` as when
it happened), ``GET /open311/v2/requests.json`` and ``GET /open311/v2/requests/{id}.json``. Errors use
GeoReport's list of ``{code, description}``. The public sees requests without free text and with positions
generalised (:mod:`geo.service.generalise`): no free text, the position as the centre of a 250 m cell and
withheld where fewer than ``k`` reports share the cell, times as the local day only; a token whose role may
read reports (bearer or ``api_key``) sees the full record.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from geo.service.auth import OptionalUser, Principal
from geo.service.categories import CATEGORIES
from geo.service.generalise import CellCounts, PublicGrid, public_record, sort_public, whole_days
from geo.service.intake import read_time
from geo.service.moderation import public_reports
from geo.service.routes.reports import check_key, check_rate, submit_report
from geo.service.storage import ReportFilter, Store, StoredReport

__all__ = ["router"]

router = APIRouter(prefix="/open311/v2", tags=["open311"])

_PUBLIC_NOTE = (
    " Without a token whose role may read reports the answer is generalised: no description, the position "
    "is the centre of a 250 m cell and is null where fewer than k reports (the service's --k) share that "
    "cell, and every time is the local day (midnight). Whether a cell is shown depends on all publishable "
    "reports, never on the filters given, and start_date/end_date are widened to whole days, so comparing "
    "answers reveals nothing more. / Utan behörighet att läsa rapporter: ingen fritext, position som "
    "mittpunkt i en ruta på 250 m (ingen position där färre än k rapporter delar rutan), tider som dag."
)


def _publishable(store: Store, flt: ReportFilter) -> list[StoredReport]:
    """List the stored reports a public answer may draw on: approved ones, without free text."""
    return public_reports(store, flt)


def _cell_counts(request: Request) -> CellCounts:
    """Return the app's counts of publishable reports per public cell (made on first use)."""
    state = request.app.state
    counts: CellCounts | None = getattr(state, "open311_cells", None)
    if counts is None:
        store = state.lb.store
        counts = CellCounts(PublicGrid(store.crs_epsg), lambda flt: _publishable(store, flt))
        state.open311_cells = counts
    return counts


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


def _request_view(r: StoredReport) -> dict[str, Any]:
    return {
        "service_request_id": r.report_id,
        "status": "open",
        "service_code": r.category,
        "service_name": CATEGORIES.get(r.category, (r.category,))[0],
        "description": r.description,
        "requested_datetime": r.created_at.isoformat(),
        "updated_datetime": r.created_at.isoformat(),
        "occurred_datetime": r.occurred_at.isoformat(),
        "lat": r.lat,
        "long": r.lon,
        "address": None,
        "media_url": None,
    }


def _views(request: Request, rows: list[StoredReport], user: Principal | None) -> list[dict[str, Any]]:
    """Full records for a token that may read reports, else the generalised public records."""
    if user is not None and user.can("reports:read"):
        return [_request_view(r) for r in rows]
    lb = request.app.state.lb
    cells = _cell_counts(request)
    counts = cells.counts()
    zone = lb.intake.tz
    return sort_public(
        {**_request_view(r), **public_record(r, grid=cells.grid, counts=counts, k=lb.settings.k, zone=zone)}
        for r in rows
    )


@router.get("/requests.json", summary="Open311: list service requests", description=_PUBLIC_NOTE)
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

    Ordered by when they happened, oldest first (the public view: by day, cell and category).
    """
    tz = request.app.state.lb.intake.tz
    full = user is not None and user.can("reports:read")
    try:
        end = read_time(end_date, tz=tz) if end_date else None
        start = read_time(start_date, tz=tz) if start_date else None
    except ValueError as err:
        return _error(400, f"start_date and end_date must be ISO 8601 times: {err}")
    if start is None and end is None and not service_request_id:
        start = dt.datetime.now(dt.UTC) - dt.timedelta(days=90)
    if not full:
        start, end = whole_days(start, end, tz)
    ids = tuple(i.strip() for i in service_request_id.split(",") if i.strip()) if service_request_id else ()
    if status and status not in {"open"}:
        return JSONResponse([])
    flt = ReportFilter(received_since=start, received_until=end, category=service_code, limit=limit, ids=ids)
    store = request.app.state.lb.store
    if full:
        rows = await run_in_threadpool(store.list_reports, flt)
    else:
        rows = await run_in_threadpool(_publishable, store, flt)
    return JSONResponse(await run_in_threadpool(_views, request, rows, user))


@router.get("/requests/{request_id}.json", summary="Open311: one service request", description=_PUBLIC_NOTE)
async def get_request(request_id: str, request: Request, user: OptionalUser) -> JSONResponse:
    """One request by id (a list of one, as GeoReport answers)."""
    store = request.app.state.lb.store
    flt = ReportFilter(ids=(request_id,), limit=1)
    if user is not None and user.can("reports:read"):
        rows = await run_in_threadpool(store.list_reports, flt)
    else:
        rows = await run_in_threadpool(_publishable, store, flt)
    if not rows:
        return _error(404, "no such request / ingen sådan rapport")
    return JSONResponse(await run_in_threadpool(_views, request, rows, user))
