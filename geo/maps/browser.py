"""Opening a map in real headless Chromium (Debian ``chromium`` through playwright).

Readiness, requests, console errors, feature counts and screenshots. Used by the browser tests, the
benchmark and, optionally, the summary page's map image.

Every request the page makes is intercepted: tile requests (URLs matching the map's tile templates) are
answered with a blank 256 px PNG (or refused, ``tiles="abort"``), anything else is refused and recorded as
a failure, so a page that tries to fetch a script, style or icon from the network is caught.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM", "PageReport", "chromium_path", "launch", "open_map"]

CHROMIUM = "/usr/bin/chromium"
"""Debian's Chromium, the browser the tests and benchmarks use."""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

TILE_PATTERN = re.compile(
    r"^https?://([a-d]\.)?(tile\.openstreetmap\.org|basemaps\.cartocdn\.com)/|/\d+/\d+/\d+(@2x)?\.(png|jpg|jpeg|webp|pbf)(\?.*)?$"
)
"""Requests counted as tile requests (the named base maps, or any ``/{z}/{x}/{y}.png``-shaped URL)."""

_BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR42mN48+oJAAWAAru99CeIAAAAAElFTkSuQmCC"
)


def chromium_path() -> str | None:
    """Path of the Chromium binary, or ``None`` when it is not installed."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class PageReport:
    """What happened when a map page was opened.

    Attributes
    ----------
    ready_ms
        Milliseconds from navigation start to ``LB.ready`` (Leaflet loaded, default layers drawn).
    wall_s
        Seconds from ``goto`` to ready as measured outside the page.
    console_errors
        Console messages of type ``error`` and uncaught page errors.
    tile_requests, other_requests
        URLs requested: tiles, and everything else that is not the page itself (must be empty offline).
    failed_requests
        Requests that failed (other than refused tiles).
    counts, visible
        Feature count and visibility per registered layer.
    """

    ready_ms: float = float("nan")
    wall_s: float = float("nan")
    console_errors: list[str] = field(default_factory=list)
    tile_requests: list[str] = field(default_factory=list)
    other_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    counts: dict[str, int | None] = field(default_factory=dict)
    visible: dict[str, bool] = field(default_factory=dict)


@contextmanager
def launch(*, executable: str | None = None) -> Iterator[Any]:
    """Start headless Chromium through playwright; yields the browser.

    Raises
    ------
    RuntimeError
        If Chromium or playwright is missing (with the command that installs it).
    """
    exe = executable or chromium_path()
    if exe is None:
        raise RuntimeError(
            "Chromium not found; install it with `apt-get install -y chromium` (make test does)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:  # pragma: no cover - playwright is a test dependency
        raise RuntimeError("playwright is missing; pip install playwright (the [test] extra)") from err
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def open_map(
    browser: Any,
    path: str | Path,
    *,
    tiles: str = "blank",
    viewport: tuple[int, int] = (1280, 800),
    timeout_s: float = 60.0,
) -> Iterator[tuple[Any, PageReport]]:
    """Open a map file in a new page, wait until it is ready and yield ``(page, report)``.

    Parameters
    ----------
    browser
        From :func:`launch`.
    path
        The HTML file.
    tiles
        ``"blank"``: answer tile requests with a blank PNG; ``"abort"``: refuse them (an offline network).
    viewport
        Page size in pixels.
    timeout_s
        Longest wait for readiness.
    """
    report = PageReport()
    url = Path(path).resolve().as_uri()
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()

    def on_console(msg: Any) -> None:
        if msg.type == "error":
            report.console_errors.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda err: report.console_errors.append(f"pageerror: {err}"))

    def on_failed(req: Any) -> None:
        if not TILE_PATTERN.search(req.url):
            report.failed_requests.append(f"{req.url} ({req.failure})")

    page.on("requestfailed", on_failed)

    def route(r: Any) -> None:
        req_url = r.request.url
        if req_url == url or req_url.startswith("data:") or req_url.startswith("blob:"):
            r.continue_()
            return
        if TILE_PATTERN.search(req_url):
            report.tile_requests.append(req_url)
            if tiles == "blank":
                r.fulfill(status=200, content_type="image/png", body=_BLANK_PNG)
            else:
                r.abort()
            return
        report.other_requests.append(req_url)
        r.abort()

    page.route("**/*", route)
    try:
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_function("() => window.LB && window.LB.ready === true", timeout=timeout_s * 1000)
        report.wall_s = time.perf_counter() - t0
        report.ready_ms = float(page.evaluate("() => window.LB.readyMs"))
        info = page.evaluate(
            "() => { var o = {}; LB.order.forEach(function (k) {"
            " o[k] = [LB.featureCount(k), LB.visible(k)]; }); return o; }"
        )
        report.counts = {k: v[0] for k, v in info.items()}
        report.visible = {k: bool(v[1]) for k, v in info.items()}
        yield page, report
    finally:
        context.close()


def screenshot(page: Any, path: str | Path) -> Path:
    """Save a PNG of the page (directories created)."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out))
    return out


def in_ci() -> bool:
    """Tell whether the environment variable CI is set (missing tools must then fail, not skip)."""
    return bool(os.environ.get("CI"))
