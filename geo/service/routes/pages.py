"""``/report`` (the public report page) and ``/healthz``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

__all__ = ["router"]

router = APIRouter(tags=["pages"])

_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src 'self' data: https://tile.openstreetmap.org; connect-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


@router.get("/report", response_class=HTMLResponse, summary="Public report page (Swedish)")
async def report_page(request: Request) -> HTMLResponse:
    """Serve the page where a resident reports an unsafe place."""
    return HTMLResponse(
        request.app.state.lb.page_html,
        headers={
            "Content-Security-Policy": _CSP,
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
    """``ok`` with the storage kind, schema version and number of reports; 503 when storage fails."""
    lb = request.app.state.lb
    try:
        n = await run_in_threadpool(lb.store.count_reports)
        version = await run_in_threadpool(lb.store.schema_version)
    except Exception as err:  # noqa: BLE001 - any storage failure means unhealthy
        return JSONResponse({"status": "error", "detail": f"{type(err).__name__}"}, status_code=503)
    storage = "postgis" if lb.store.url.startswith("postgresql") else "geopackage"
    return JSONResponse({"status": "ok", "storage": storage, "schema_version": version, "reports": n})
