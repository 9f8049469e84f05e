"""``/api/reports``: submit (public, rate-limited, idempotent) and list (staff, GeoJSON)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from geo.service.auth import OptionalUser, Principal, require
from geo.service.categories import CATEGORIES, SOURCES
from geo.service.intake import Refusal, read_time
from geo.service.moderation import duplicate_candidates, initial_status
from geo.service.ratelimit import STAFF_FACTOR, RateLimiter, client_key
from geo.service.schemas import ReportCreated, ReportIn
from geo.service.storage import STATUSES, IdempotencyConflict, ReportFilter, StoredReport, request_hash

__all__ = ["router", "submit_report", "reports_geojson"]

router = APIRouter(prefix="/api", tags=["reports"])

_MAX_KEY_CHARS = 200


def client_address(request: Request) -> str:
    """Return the client's address; ``X-Forwarded-For`` counts only from a trusted proxy."""
    host = request.client.host if request.client else "unknown"
    trusted = request.app.state.lb.settings.trusted_proxies
    if host in trusted:
        forwarded = request.headers.get("x-forwarded-for", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1]
    return host


def check_rate(
    request: Request,
    user: Principal | None,
    *,
    limiter: RateLimiter | None = None,
    what: tuple[str, str] = ("reports", "rapporter"),
) -> None:
    """Refuse with 429 and ``Retry-After`` when a client exceeds its budget per minute.

    The public is counted by address (an IPv6 /64 as one); a signed-in user of any role by user name, with
    :data:`~geo.service.ratelimit.STAFF_FACTOR` times the public budget. `limiter` defaults to the
    submissions' one; `what` names what was counted in the refusal (English, Swedish).
    """
    limiter = limiter if limiter is not None else request.app.state.lb.limiter
    if user is None:
        wait_s = limiter.hit(client_key(client_address(request)))
    else:
        wait_s = limiter.hit(f"user:{user.user.name}", per_min=limiter.per_min * STAFF_FACTOR)
    if wait_s:
        en, sv = what
        raise HTTPException(
            status_code=429,
            detail=f"too many {en}; try again in {wait_s} s / för många {sv}, försök igen om {wait_s} s",
            headers={"Retry-After": str(wait_s)},
        )


def check_key(key: str | None) -> str | None:
    """Validate an ``Idempotency-Key`` header (printable ASCII, at most 200 characters)."""
    if key is None:
        return None
    if not key or len(key) > _MAX_KEY_CHARS or not all(33 <= ord(ch) <= 126 for ch in key):
        raise HTTPException(
            status_code=422,
            detail={
                "problems": {"Idempotency-Key": f"must be 1-{_MAX_KEY_CHARS} printable ASCII characters"}
            },
        )
    return key


async def submit_report(
    request: Request,
    payload: dict[str, Any],
    *,
    user: Principal | None,
    key: str | None,
    public_sources: tuple[str, ...] = ("resident", "safety_walk"),
) -> tuple[str, bool]:
    """Validate and durably store one submission; return ``(id, replayed)``.

    Staff may give any known source; the public only `public_sources`. A partner's report is stored with
    ``source=partner`` and the partner's organisation and may use the checklist's categories; partners',
    moderators' and staff's reports are ``approved`` from the start, everyone else's ``new``.

    Raises ``HTTPException`` 422 (invalid, or key reused with another body) or 503 (storage failed).
    """
    lb = request.app.state.lb
    try:
        parsed = ReportIn.model_validate(payload)
    except ValidationError as err:
        problems = {".".join(str(p) for p in e["loc"]) or "body": e["msg"] for e in err.errors()}
        raise HTTPException(status_code=422, detail={"problems": problems}) from None
    data = parsed.model_dump()
    body_hash = request_hash({k: v for k, v in data.items() if k != "people" or v is not None})
    if key is not None:
        found = await run_in_threadpool(lb.store.lookup_idempotent, key)
        if found is not None:
            if found[1] is not None and found[1] != body_hash:
                raise HTTPException(
                    status_code=422,
                    detail={"problems": {"Idempotency-Key": "used before for another report"}},
                )
            return found[0], True
    partner = user is not None and user.can("reports:partner")
    sources = SOURCES if user is not None and user.can("reports:read") else public_sources
    categories = tuple(CATEGORIES)
    if partner:
        sources = ("partner",)
        categories = tuple(dict.fromkeys([*(c.code for c in lb.checklist), *CATEGORIES]))
    try:
        report = lb.intake.check(
            data,
            now=dt.datetime.now(dt.UTC),
            idempotency_key=key,
            body_hash=body_hash,
            sources=sources,
            categories=categories,
        )
    except Refusal as err:
        raise HTTPException(status_code=422, detail={"problems": err.problems}) from None
    report = dataclasses.replace(
        report,
        status=initial_status(reviewed=partner or (user is not None and user.can("reports:moderate"))),
        org=user.user.org if partner and user is not None else None,
        submitted_by=user.user.name if user is not None else None,
    )
    try:
        result = await asyncio.wrap_future(lb.writer.submit(report))
    except Exception as err:  # noqa: BLE001 - the database failed: nothing was stored
        raise HTTPException(
            status_code=503,
            detail=f"storage unavailable, nothing stored; retry: {type(err).__name__}",
            headers={"Retry-After": "2"},
        ) from err
    if isinstance(result, IdempotencyConflict):
        raise HTTPException(
            status_code=422, detail={"problems": {"Idempotency-Key": "used before for another report"}}
        )
    return result, result != report.report_id


@router.post(
    "/reports",
    status_code=201,
    response_model=ReportCreated,
    responses={401: {}, 413: {}, 422: {}, 429: {}, 503: {}},
    summary="Submit a report (public)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ReportIn.model_json_schema()}},
        }
    },
)
async def post_report(
    request: Request,
    user: OptionalUser,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Response:
    """Store a report. Answers 201 ``{id}`` only after the report is durably committed.

    A retry with the same ``Idempotency-Key`` and body gets the same ``id`` and is stored once.
    """
    check_rate(request, user)
    key = check_key(idempotency_key)
    try:
        payload = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise HTTPException(status_code=422, detail={"problems": {"body": "not valid JSON"}}) from None
    if not isinstance(payload, dict):
        raise HTTPException(status_code=422, detail={"problems": {"body": "must be a JSON object"}})
    report_id, replayed = await submit_report(request, payload, user=user, key=key)
    headers = {"Location": f"/api/reports?ids={report_id}"}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse({"id": report_id}, status_code=201, headers=headers)


def _time_param(value: str | None, name: str, request: Request) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return read_time(value, tz=request.app.state.lb.intake.tz)
    except ValueError as err:
        raise HTTPException(status_code=422, detail={"problems": {name: str(err)}}) from None


def reports_geojson(
    rows: list[StoredReport],
    *,
    with_text: bool = True,
    candidates: dict[str, list[str]] | None = None,
) -> list[dict[str, Any]]:
    """GeoJSON features of stored reports (position in WGS84 as submitted); internal views only.

    With `candidates` (the queue) each feature also carries ``duplicate_candidates``.
    """
    return [
        {
            "type": "Feature",
            "id": r.report_id,
            "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
            "properties": {
                "id": r.report_id,
                "occurred_at": r.occurred_at.isoformat(),
                "occurred_to": r.occurred_to.isoformat() if r.occurred_to else None,
                "category": r.category,
                "source": r.source,
                "status": r.status,
                "org": r.org,
                "people": r.people,
                "duplicate_of": r.duplicate_of,
                **({"description": r.description} if with_text else {}),
                "created_at": r.created_at.isoformat(),
                **(
                    {"duplicate_candidates": candidates.get(r.report_id, [])}
                    if candidates is not None
                    else {}
                ),
            },
        }
        for r in rows
    ]


def _statuses(value: str | None) -> tuple[str, ...]:
    wanted = tuple(s.strip() for s in value.split(",") if s.strip()) if value else ()
    unknown = [s for s in wanted if s not in STATUSES]
    if unknown:
        raise HTTPException(
            status_code=422,
            detail={"problems": {"status": f"unknown {', '.join(unknown)}; allowed: {', '.join(STATUSES)}"}},
        )
    return wanted


@router.get("/reports", summary="Stored reports as GeoJSON (moderator, staff)", responses={401: {}, 403: {}})
async def get_reports(
    request: Request,
    user: Annotated[Principal, Depends(require("reports:read"))],
    since: Annotated[
        str | None, Query(description="occurred_at >= since (ISO 8601; local time if naive)")
    ] = None,
    until: Annotated[str | None, Query(description="occurred_at < until")] = None,
    category: str | None = None,
    source: str | None = None,
    ids: Annotated[str | None, Query(description="comma-separated report ids")] = None,
    status: Annotated[
        str | None, Query(description="comma-separated: new, approved, rejected, duplicate")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 1000,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """List reports oldest first, paged with ``limit`` (default 1000, at most 100000) and ``offset``.

    With ``status`` (``?status=new`` is the moderation queue) each feature also lists its
    ``duplicate_candidates``: earlier reports of the same category within 50 m and 7 days, nearest first.
    """
    flt = ReportFilter(
        since=_time_param(since, "since", request),
        until=_time_param(until, "until", request),
        category=category,
        source=source,
        limit=limit,
        offset=offset,
        ids=tuple(i.strip() for i in ids.split(",") if i.strip()) if ids else (),
        statuses=_statuses(status),
    )
    store = request.app.state.lb.store
    rows = await run_in_threadpool(store.list_reports, flt)
    candidates = await run_in_threadpool(duplicate_candidates, store, rows) if status else None
    body = {
        "type": "FeatureCollection",
        "features": reports_geojson(rows, candidates=candidates),
        "limit": limit,
        "offset": offset,
        "count": len(rows),
        "next_offset": offset + len(rows) if len(rows) == limit else None,
    }
    return JSONResponse(body, media_type="application/geo+json")


@router.get("/categories", summary="Categories a report can have")
async def get_categories() -> list[dict[str, str]]:
    """Category codes with Swedish and English labels."""
    return [{"code": c, "label_sv": sv, "label_en": en, "group": g} for c, (sv, en, g) in CATEGORIES.items()]
