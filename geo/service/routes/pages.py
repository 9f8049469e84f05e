"""``/report`` (the public report page) and ``/healthz``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from geo.service.csp import html_csp
from geo.service.templating import request_lang

__all__ = ["router"]

router = APIRouter(tags=["pages"])


@router.get("/report", response_class=HTMLResponse, summary="Public report page (Swedish or English)")
async def report_page(request: Request, lang: str | None = None) -> HTMLResponse:
    """Serve the page where a resident reports an unsafe place (``?lang=en``, else by ``Accept-Language``)."""
    chosen = request_lang(lang, request.headers.get("accept-language"))
    page = request.app.state.lb.page_html[chosen]
    return HTMLResponse(
        page,
        headers={
            "Content-Security-Policy": html_csp(page, connect_self=True, form_self=True),
            "Content-Language": chosen,
            "Vary": "Accept-Language",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )


@router.get("/", include_in_schema=False)
async def root() -> RedirectResponse:
    """Send visitors to the report page."""
    return RedirectResponse("/report")


@router.get("/healthz", summary="Liveness and storage check")
async def healthz(request: Request) -> JSONResponse:
    """``ok`` with the storage kind, schema version and number of reports.

    503 when storage fails, also when it can still be read but not written (each check commits one small
    write, so a full disk or a read-only database shows here).
    """
    lb = request.app.state.lb
    try:
        await run_in_threadpool(lb.store.check_writable)
        n = await run_in_threadpool(lb.store.count_reports)
        version = await run_in_threadpool(lb.store.schema_version)
    except Exception as err:  # noqa: BLE001 - any storage failure means unhealthy
        return JSONResponse({"status": "error", "detail": f"{type(err).__name__}"}, status_code=503)
    storage = "postgis" if lb.store.url.startswith("postgresql") else "geopackage"
    return JSONResponse({"status": "ok", "storage": storage, "schema_version": version, "reports": n})
