"""Moderation: ``PATCH /api/reports/{id}`` (status, duplicate_of, edited text, note) and its history.

Also a partner's own submissions (``GET /api/partner/reports``) and the two pages: ``/moderera`` (moderators
and staff) and ``/rapportera/partner`` (partners).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from geo.service.auth import Principal, require
from geo.service.routes.reports import reports_geojson
from geo.service.storage import HistoryEntry, ModerationError, ReportFilter
from geo.service.templating import request_lang

__all__ = ["ReportChange", "router"]

router = APIRouter(tags=["moderation"])


_PAGE_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src 'self' data: https://tile.openstreetmap.org; connect-src 'self'{connect}; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class ReportChange(BaseModel):
    """Body of ``PATCH /api/reports/{id}``; every field optional."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: str | None = Field(default=None, description="new, approved, rejected or duplicate")
    duplicate_of: str | None = Field(default=None, max_length=64, description="With status duplicate.")
    note: str = Field(default="", max_length=1000, description="Why (kept in the history).")
    description: str | None = Field(
        default=None, max_length=20_000, description="Edited free text; the original is kept."
    )


def _entry(e: HistoryEntry) -> dict[str, Any]:
    return {"at": e.at, "by": e.by, "change": e.change}


@router.patch(
    "/api/reports/{report_id}",
    summary="Moderate a report (moderator, staff)",
    responses={401: {}, 403: {}, 404: {}, 422: {}},
)
async def patch_report(
    report_id: str,
    change: ReportChange,
    request: Request,
    user: Annotated[Principal, Depends(require("reports:moderate"))],
) -> JSONResponse:
    """Set ``approved``, ``rejected`` or ``duplicate`` (with ``duplicate_of``), edit the text, add a note.

    Every change is kept in ``GET /api/reports/{id}/history`` with who and when; an edited text keeps the
    original.
    """
    lb = request.app.state.lb
    if change.description is not None and len(change.description) > lb.settings.max_text_chars:
        raise HTTPException(
            status_code=422,
            detail={"problems": {"description": f"longer than {lb.settings.max_text_chars} characters"}},
        )
    try:
        entry = await run_in_threadpool(
            lb.store.moderation.change,
            report_id,
            by=user.user.name,
            status=change.status,
            duplicate_of=change.duplicate_of,
            description=change.description,
            note=change.note,
        )
    except ModerationError as err:
        raise HTTPException(status_code=422, detail={"problems": {err.field: str(err)}}) from None
    if entry is None:
        raise HTTPException(status_code=404, detail=f"no report '{report_id}' / rapporten finns inte")
    rows = await run_in_threadpool(lb.store.list_reports, ReportFilter(ids=(report_id,), limit=1))
    return JSONResponse({"feature": reports_geojson(rows)[0], "change": _entry(entry)})


@router.get(
    "/api/reports/{report_id}/history",
    summary="Every change of a report (moderator, staff)",
    responses={401: {}, 403: {}, 404: {}},
)
async def report_history(
    report_id: str,
    request: Request,
    user: Annotated[Principal, Depends(require("reports:moderate"))],
) -> JSONResponse:
    """``[{at, by, change}]``, oldest first; the first entry is the submission itself.

    When a moderator edited the text, the submission's entry holds the original (``description``).
    """
    store = request.app.state.lb.store
    rows = await run_in_threadpool(store.list_reports, ReportFilter(ids=(report_id,), limit=1))
    if not rows:
        raise HTTPException(status_code=404, detail=f"no report '{report_id}' / rapporten finns inte")
    r = rows[0]
    changes = await run_in_threadpool(store.moderation.history, report_id)
    original = await run_in_threadpool(store.moderation.original_text, report_id)
    first_status = next((c.change["status"]["from"] for c in changes if "status" in c.change), r.status)
    created: dict[str, Any] = {"created": {"status": first_status, "source": r.source, "org": r.org}}
    if original is not None:
        created["created"]["description"] = original
    entries = [{"at": r.created_at.isoformat(), "by": r.submitted_by or r.source, "change": created}]
    return JSONResponse(entries + [_entry(c) for c in changes])


@router.get(
    "/api/partner/reports",
    summary="A partner's own submissions (partner)",
    responses={401: {}, 403: {}},
)
async def own_reports(
    request: Request,
    user: Annotated[Principal, Depends(require("reports:partner"))],
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> Response:
    """GeoJSON of the reports this partner user sent (never anyone else's)."""
    flt = ReportFilter(submitted_by=user.user.name, limit=limit)
    rows = await run_in_threadpool(request.app.state.lb.store.list_reports, flt)
    body = {
        "type": "FeatureCollection",
        "features": reports_geojson(rows),
        "count": len(rows),
        "user": user.user.name,
        "org": user.user.org,
    }
    return JSONResponse(body, media_type="application/geo+json")


def _page(body: str, *, lang: str = "sv", connect: str = "") -> HTMLResponse:
    return HTMLResponse(
        body,
        headers={
            "Content-Security-Policy": _PAGE_CSP.format(connect=connect),
            "Content-Language": lang,
            "Vary": "Accept-Language",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-cache",
        },
    )


@router.get("/moderera", response_class=HTMLResponse, summary="Moderation page (moderator, staff)")
async def moderation_page(request: Request, lang: str | None = None) -> HTMLResponse:
    """Serve the moderation page (``?lang=en``, else by ``Accept-Language``).

    It holds no report and asks for a token before it lists any.
    """
    chosen = request_lang(lang, request.headers.get("accept-language"))
    return _page(request.app.state.lb.moderation_html[chosen], lang=chosen)


@router.get(
    "/rapportera/partner", response_class=HTMLResponse, summary="Partner reporting page (Swedish or English)"
)
async def partner_page(request: Request, lang: str | None = None) -> HTMLResponse:
    """Serve the partners' checklist page (``#token=...`` in the personal link).

    ``?lang=en``, else by ``Accept-Language``.
    """
    from geo.service.partner_page import GEOCODER_URL

    lb = request.app.state.lb
    # with the service's own gazetteer (--geocode) the page asks nobody else
    connect = "" if lb.addresses is not None else " " + GEOCODER_URL.split("/search")[0]
    chosen = request_lang(lang, request.headers.get("accept-language"))
    return _page(lb.partner_html[chosen], lang=chosen, connect=connect)
