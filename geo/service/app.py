"""The app factory: :func:`create_app` builds one FastAPI app from explicit settings (no global app).

The store is opened (and its schema created or migrated) when the app is built, so a wrong ``--db`` fails
before the server listens. The writer thread, the retention sweeper and the run queue live for the app's
lifespan.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pyproj
import shapely
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from geo.config_partner import DEFAULT_CHECKLIST, ChecklistItem
from geo.crs import choose_crs, choose_tz
from geo.errors import InputError, LagesbildError
from geo.i18n import LANGS
from geo.io.area import StudyArea, load_area
from geo.service.addresses import AddressSearch, gazetteer_source, load_address_search
from geo.service.guard import RequestGuard, install_log_redaction
from geo.service.intake import Intake
from geo.service.moderation_page import moderation_page
from geo.service.page import report_page
from geo.service.partner_page import partner_page
from geo.service.ratelimit import RateLimiter
from geo.service.runs import RunContext, RunManager
from geo.service.settings import ServiceSettings
from geo.service.storage import GroupCommitWriter, Store, open_store

__all__ = ["ServiceState", "create_app", "open_service_store"]

log = logging.getLogger(__name__)


@dataclass
class ServiceState:
    """Everything one app instance holds (reached by routes as ``request.app.state.lb``)."""

    settings: ServiceSettings
    area: StudyArea
    store: Store
    intake: Intake
    limiter: RateLimiter
    writer: GroupCommitWriter
    runs: RunManager
    page_html: dict[str, str]
    """The report page per language."""
    stop: threading.Event
    checklist: tuple[ChecklistItem, ...] = DEFAULT_CHECKLIST
    partner_html: dict[str, str] = field(default_factory=dict)
    """The partner page per language."""
    moderation_html: dict[str, str] = field(default_factory=dict)
    """The moderation page per language."""
    addresses: AddressSearch | None = None
    search_limiter: RateLimiter = field(default_factory=lambda: RateLimiter(0))


def _area_crs(area: StudyArea) -> tuple[int, str]:
    c = area.geometry.representative_point()
    crs, _ = choose_crs([c.x], [c.y])  # type: ignore[arg-type]
    epsg = crs.to_epsg()
    if epsg is None:
        raise LagesbildError(f"no EPSG code for the CRS chosen for {area.name}")
    return int(epsg), choose_tz(c.x, c.y)


def open_service_store(settings: ServiceSettings) -> tuple[Store, StudyArea, str]:
    """Load the study area and open the store in the area's metric CRS; return ``(store, area, tz)``."""
    area = load_area(settings.area)
    epsg, tz = _area_crs(area)
    return open_store(settings.db, crs_epsg=epsg), area, tz


def _retention_loop(state: ServiceState) -> None:
    """Delete free text older than the retention time: at start, then every sweep interval (until stop)."""
    while True:
        cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=state.settings.retention_days)
        try:
            n = state.store.purge_text(older_than=cutoff)
            n_runs = state.runs.prune(older_than=cutoff)
            if n or n_runs:
                log.info(
                    "retention: cleared free text of %d reports and %d run folders older than %s",
                    n,
                    n_runs,
                    cutoff.isoformat(),
                )
        except Exception:  # noqa: BLE001 - a failed sweep is retried at the next interval
            log.exception("retention sweep failed")
        if state.stop.wait(state.settings.retention_sweep_min * 60):
            return


def _feed_thread(state: ServiceState) -> threading.Thread | None:
    """Start the Police events archive's schedule when ``--feed-archive`` is given."""
    s = state.settings
    if s.feed_archive is None:
        return None
    from geo.service.feed_schedule import feed_loop

    thread = threading.Thread(
        target=feed_loop,
        args=(s.feed_archive,),
        kwargs={"url": s.feed_url, "interval_min": s.feed_interval_min, "stop": state.stop},
        name="lagesbild-feed",
        daemon=True,
    )
    thread.start()
    return thread


def _check_extra_sources(settings: ServiceSettings) -> None:
    """Refuse an ``--extra-source`` that is the service's own GeoPackage."""
    for extra in settings.run_extra_sources:
        if (
            "://" not in extra
            and "://" not in settings.db
            and Path(extra).resolve() == Path(settings.db).resolve()
        ):
            # runs read the store through a snapshot; GDAL opening the live file in-process breaks its locks
            raise InputError("--extra-source names the service's own --db; it is read anyway", path=extra)


def _intake(settings: ServiceSettings, store: Store, area: StudyArea, tz: str) -> Intake:
    """Build the submission checker for the study area, the store's metric CRS and the local time zone."""
    crs = pyproj.CRS.from_epsg(store.crs_epsg)
    prepared = area.geometry
    shapely.prepare(prepared)
    return Intake(
        area_name=area.name,
        area=prepared,
        to_metric=pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True),
        tz=ZoneInfo(tz),
        max_text_chars=settings.max_text_chars,
        future_slack_min=settings.future_slack_min,
    )


def _state(settings: ServiceSettings, store: Store, area: StudyArea, tz: str) -> ServiceState:
    """Build the app's state: intake, rate limiter, writer thread, run queue and the report page."""
    intake = _intake(settings, store, area, tz)
    checklist = _checklist(settings)
    pbf = gazetteer_source(settings.geocode, settings.run_config)
    addresses = None if pbf is None else load_address_search(pbf, area.geometry, area_name=area.name)
    return ServiceState(
        settings=settings,
        area=area,
        store=store,
        intake=intake,
        limiter=RateLimiter(settings.rate_limit_per_min),
        writer=GroupCommitWriter(store),
        runs=RunManager(
            RunContext(
                store=store,
                area=area,
                area_spec=settings.area,
                tz=tz,
                maps_dir=settings.maps_dir,
                k=settings.k,
                extra_sources=settings.run_extra_sources,
                run_config=settings.run_config,
            )
        ),
        page_html={
            lang: report_page(
                area_name=area.name,
                area_wgs84=area.geometry,
                lang=lang,
                search_endpoint=None if addresses is None else "/api/address",
            )
            for lang in LANGS
        },
        stop=threading.Event(),
        checklist=checklist,
        partner_html={
            lang: partner_page(
                area_name=area.name,
                area_wgs84=area.geometry,
                checklist=checklist,
                lang=lang,
                search_endpoint=None if addresses is None else "/api/address",
            )
            for lang in LANGS
        },
        moderation_html={
            lang: moderation_page(
                area_name=area.name,
                area_wgs84=area.geometry,
                labels={c.code: c.sv if lang == "sv" else c.en for c in checklist},
                lang=lang,
            )
            for lang in LANGS
        },
        addresses=addresses,
        search_limiter=RateLimiter(settings.search_rate_limit_per_min),
    )


def _checklist(settings: ServiceSettings) -> tuple[ChecklistItem, ...]:
    """Return the partners' checklist: ``[partner]`` of ``--run-config`` when given, else the EST default."""
    if settings.run_config is None:
        return DEFAULT_CHECKLIST
    from geo.config import load_config

    return load_config(settings.run_config).partner.categories


def _lifespan(state_box: dict[str, ServiceState]) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Return the app's lifespan: the retention sweeper runs with the app; closing stops every thread."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = state_box["state"]
        install_log_redaction()  # uvicorn configures its loggers after the app is built
        sweeper = threading.Thread(
            target=_retention_loop, args=(state,), name="lagesbild-retention", daemon=True
        )
        sweeper.start()
        feed = _feed_thread(state)
        try:
            yield
        finally:
            state.stop.set()
            if feed is not None:
                feed.join(timeout=5)
            state.writer.close()
            state.runs.close()
            sweeper.join(timeout=5)
            state.store.close()

    return lifespan


def _add_error_handlers(app: FastAPI) -> None:
    """Answer lagesbild's errors and invalid requests with 422 and a readable ``detail``."""

    @app.exception_handler(LagesbildError)
    async def _lagesbild_error(request: Request, exc: LagesbildError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = {".".join(str(p) for p in e["loc"][1:]) or "request": e["msg"] for e in exc.errors()}
        return JSONResponse({"detail": {"problems": problems}}, status_code=422)


def create_app(settings: ServiceSettings) -> FastAPI:
    """Build the lagesbild service app.

    Parameters
    ----------
    settings
        Storage, study area, folders and limits.

    Returns
    -------
    app
        A FastAPI app with the report intake, staff API, maps, runs, Open311 and the report page; its OpenAPI
        description is at ``/openapi.json`` and ``/docs``.

    Raises
    ------
    InputError
        If the study area is unknown or the store cannot be opened.
    """
    from geo.service.routes import (
        addresses,
        hotspots,
        maps,
        measures,
        moderation,
        open311,
        pages,
        reports,
        runs,
    )

    _check_extra_sources(settings)
    store, area, tz = open_service_store(settings)
    settings.maps_dir.mkdir(parents=True, exist_ok=True)
    state_box: dict[str, ServiceState] = {}
    app = FastAPI(
        title="lagesbild",
        version="0.1.0",
        description=(
            "Gemensam lägesbild: rapporter från invånare och personal, hot-spots och kartor. "
            "Shared situational picture: reports from residents and staff, hot-spots and maps."
        ),
        lifespan=_lifespan(state_box),
    )
    state = _state(settings, store, area, tz)
    state_box["state"] = state
    app.state.lb = state
    _add_error_handlers(app)
    for module in (reports, moderation, hotspots, maps, runs, open311, pages, measures, addresses):
        app.include_router(module.router)
    app.add_middleware(RequestGuard, max_bytes=settings.max_body_bytes)
    install_log_redaction()
    return app
