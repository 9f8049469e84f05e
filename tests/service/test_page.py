"""The public report page in real headless Chromium: no CDN, labelled controls, keyboard use, phone size,
and a report sent from the page arrives in the store.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.service.conftest import Deployment

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        if os.environ.get("CI"):
            pytest.fail(f"playwright is required under CI: {err}")
        pytest.skip(f"playwright missing: {err}")
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is required under CI (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} missing")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def open_page(browser: object, deployment: Deployment, **context: object):  # noqa: ANN201
    context.setdefault("locale", "sv-SE")  # the page follows the browser's language (Accept-Language)
    ctx = browser.new_context(**context)  # type: ignore[attr-defined]
    page = ctx.new_page()
    outside: list[str] = []
    errors: list[str] = []

    def route(r):  # noqa: ANN001, ANN202
        host = urlsplit(r.request.url).hostname
        if host not in ("127.0.0.1", "localhost"):
            outside.append(f"{r.request.resource_type} {r.request.url}")
            return r.abort()
        return r.continue_()

    page.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(deployment.url + "/report")
    page.locator(
        ".leaflet-container"
    ).wait_for()  # (wait_for_function would need eval, which the CSP forbids)
    assert page.evaluate("typeof window.L") == "object"
    return ctx, page, outside, errors


def test_page_offline_accessible_and_submits(browser: object, deployment: Deployment) -> None:
    ctx, page, outside, errors = open_page(browser, deployment, viewport={"width": 1200, "height": 900})
    try:
        assert page.locator("html").get_attribute("lang") == "sv"
        # only map tiles may come from elsewhere: no script or style from any CDN
        assert not [u for u in outside if not u.startswith("image ")], outside
        # every form control has a label
        unlabeled = page.evaluate(
            """() => [...document.querySelectorAll('input, textarea, select')]
                 .filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label'))
                 .map(e => e.id || e.name)"""
        )
        assert unlabeled == []
        assert page.get_by_role("application").get_attribute("aria-label")
        # send without a place: a clear message, nothing sent
        page.get_by_role("button", name="Skicka rapporten").click()
        assert "Välj en plats" in page.locator("#status").inner_text()
        # click the map, choose, describe and send
        box = page.locator("#map").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert page.locator("#lat").input_value() != ""
        page.get_by_label("Mörkt – dålig belysning").check()
        page.get_by_label("Beskrivning").fill("<b>Lampan</b> är trasig")
        page.get_by_role("button", name="Skicka rapporten").click()
        page.locator("#status", has_text="Tack").wait_for()
        status = page.locator("#status").inner_text()
        rid = status.split("nummer ")[1].rstrip(").")
        with deployment.client(deployment.staff) as staff:
            props = staff.get("/api/reports", params={"ids": rid}).json()["features"][0]["properties"]
        assert props["category"] == "mörkt" and props["description"] == "<b>Lampan</b> är trasig"
        assert props["source"] == "resident"
        assert errors == []
    finally:
        ctx.close()


def test_keyboard_only_on_a_phone(browser: object, deployment: Deployment) -> None:
    ctx, page, outside, errors = open_page(
        browser,
        deployment,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    try:
        # phone: nothing wider than the screen
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # keyboard: Tab reaches the map; arrows pan; Enter picks the place under the cross
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "map":
                break
        assert page.evaluate("document.activeElement.id") == "map"
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Enter")
        assert "Vald plats" in page.locator("#where").inner_text()
        page.focus("input[name=category][value='stökigt']")
        page.keyboard.press("Space")
        page.focus("#send")
        page.keyboard.press("Enter")
        page.locator("#status.ok", has_text="Tack").or_(page.locator("#status.err")).wait_for()
        assert "Tack" in page.locator("#status").inner_text(), page.locator("#status").inner_text()
        # buttons are big enough to hit with a finger
        small = page.evaluate(
            "() => [...document.querySelectorAll('button')]"
            ".filter(b => !b.hidden && b.getBoundingClientRect().height < 44).length"
        )
        assert small == 0
        assert errors == []
    finally:
        ctx.close()
