"""The partner page and the moderation page in real headless Chromium on a phone-sized screen: a report saved
while offline is sent when the connection returns and stored exactly once, also when the first answer is lost;
the moderation page approves and rejects with the keyboard."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.service.conftest import BOR, Server, add_user, make_db
from tests.service.test_moderation import _partner
from tests.service.test_page import browser  # noqa: F401 - the shared Chromium fixture

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "sv-SE"}


class Site:
    def __init__(self, server: Server, staff: str, moderator: str, partner: str) -> None:
        self.server, self.staff, self.moderator, self.partner = server, staff, moderator, partner

    def stored(self, text: str) -> list[dict[str, object]]:
        with httpx.Client(base_url=self.server.url, headers={"Authorization": f"Bearer {self.staff}"}) as c:
            feats = c.get("/api/reports", params={"limit": 100000}).json()["features"]
        return [f for f in feats if f["properties"]["description"] == text]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("partner-page")
    db = make_db("gpkg", tmp, request)
    staff = add_user(db, "staff-user", "staff")
    moderator = add_user(db, "moderator-user", "moderator")
    partner = _partner(db, "vaktbolaget", "Vaktbolaget AB")
    server = Server(db, tmp, "--rate-limit", "0").start()
    try:
        yield Site(server, staff, moderator, partner)
    finally:
        server.stop()


def _open(browser: object, url: str) -> tuple[object, object, list[str]]:  # noqa: F811
    ctx = browser.new_context(**PHONE)  # type: ignore[attr-defined]
    page = ctx.new_page()
    errors: list[str] = []

    def route(r):  # noqa: ANN001, ANN202 - only the server itself; no tiles, no geocoder
        if urlsplit(r.request.url).hostname not in ("127.0.0.1", "localhost"):
            return r.abort()
        return r.continue_()

    page.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.locator(".leaflet-container").wait_for()
    return ctx, page, errors


def _fill(page: object, text: str) -> None:
    page.get_by_label("Otrygghetsskapande samling av personer").check()  # type: ignore[attr-defined]
    page.fill("#search", f"{BOR[0]}, {BOR[1]}")  # type: ignore[attr-defined]
    page.click("#search-btn")  # type: ignore[attr-defined]
    page.fill("#people", "6")  # type: ignore[attr-defined]
    page.get_by_label("Beskrivning").fill(text)  # type: ignore[attr-defined]


def test_offline_report_is_sent_once_when_back_online(browser: object, site: Site) -> None:  # noqa: F811
    ctx, page, errors = _open(browser, f"{site.server.url}/rapportera/partner#token={site.partner}")
    try:
        assert "#token" not in page.url  # the token leaves the address bar
        page.locator("#who", has_text="Vaktbolaget AB").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        text = f"Grupp vid busshållplatsen {uuid.uuid4().hex[:8]}"
        ctx.set_offline(True)
        _fill(page, text)
        page.click("#send")
        page.locator("#status", has_text="Ingen anslutning").wait_for()
        assert page.evaluate("JSON.parse(localStorage.getItem('lb-partner-outbox')).length") == 1
        assert site.stored(text) == []
        ctx.set_offline(False)
        page.locator("#status", has_text="Tack").wait_for(timeout=30_000)
        assert page.evaluate("JSON.parse(localStorage.getItem('lb-partner-outbox')).length") == 0
        stored = site.stored(text)
        assert len(stored) == 1
        props = stored[0]["properties"]
        assert props["source"] == "partner" and props["org"] == "Vaktbolaget AB"
        assert props["status"] == "approved" and props["category"] == "samling" and props["people"] == 6
        page.locator("#mine li").first.wait_for()
        assert errors == []
    finally:
        ctx.close()


def test_lost_answer_is_retried_without_a_double(browser: object, site: Site) -> None:  # noqa: F811
    ctx, page, errors = _open(browser, f"{site.server.url}/rapportera/partner?lang=en#token={site.partner}")
    try:
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("#send").inner_text() == "Save and send"
        page.click("#lang")  # the page in Swedish; the token and any draft stay in the phone
        page.wait_for_url("**/rapportera/partner?lang=sv")
        page.locator("#send", has_text="Spara och skicka").wait_for()
        assert page.locator("html").get_attribute("lang") == "sv"
        lost: list[str] = []

        def lose_first(r):  # noqa: ANN001, ANN202 - the server stores it, the phone never hears back
            if r.request.method == "POST" and not lost:
                lost.append(r.request.headers.get("idempotency-key", ""))
                r.fetch()
                return r.abort()
            return r.continue_()

        page.route("**/api/reports", lose_first)
        text = f"Klotter på skolans vägg {uuid.uuid4().hex[:8]}"
        _fill(page, text)
        page.click("#send")
        page.locator("#status", has_text="Ingen anslutning").or_(
            page.locator("#status", has_text="Tack")
        ).first.wait_for()
        assert lost and lost[0]
        assert len(site.stored(text)) == 1  # stored although the answer was lost
        page.evaluate("window.dispatchEvent(new Event('online'))")  # what the browser fires on reconnecting
        page.locator("#status", has_text="Tack").wait_for(timeout=30_000)
        assert len(site.stored(text)) == 1  # the retry with the same key stored nothing new
        assert errors == []
        Path(site.server.workdir / "partner.png").write_bytes(page.screenshot(full_page=True))
    finally:
        ctx.close()


def test_moderation_page_with_the_keyboard(browser: object, site: Site) -> None:  # noqa: F811
    texts = [f"granska {i} {uuid.uuid4().hex[:6]}" for i in range(3)]
    with httpx.Client(base_url=site.server.url) as pub:
        for i, t in enumerate(texts):
            body = {
                "lat": BOR[0],
                "lon": BOR[1] + i * 0.0001,
                "category": "mörkt",
                "occurred_at": f"2025-09-0{i + 1}T21:00",
                "description": t,
            }
            assert pub.post("/api/reports", json=body).status_code == 201
    ctx, page, errors = _open(browser, f"{site.server.url}/moderera#token={site.moderator}")
    try:
        page.locator("#queue li").first.wait_for()
        n = page.locator("#queue li").count()
        assert n >= 3
        page.keyboard.press("a")
        page.locator("#msg", has_text="godkänd").wait_for()
        page.keyboard.press("r")
        page.locator("#msg", has_text="avvisad").wait_for()
        assert page.locator("#queue li").count() == n - 2
        # the third is 8 m from the second: its nearest candidate is offered, D marks it
        page.locator("#detail-body", has_text=texts[2]).wait_for()
        assert page.locator(".cand").count() >= 1
        page.keyboard.press("d")
        page.locator("#msg", has_text="dubblett").wait_for()
        with httpx.Client(base_url=site.server.url, headers={"Authorization": f"Bearer {site.staff}"}) as c:
            feats = c.get("/api/reports", params={"limit": 100000}).json()["features"]
        by_text = {f["properties"]["description"]: f["properties"] for f in feats}
        assert [by_text[t]["status"] for t in texts] == ["approved", "rejected", "duplicate"]
        assert by_text[texts[2]]["duplicate_of"] is not None
        Path(site.server.workdir / "moderation.png").write_bytes(page.screenshot(full_page=True))
        assert errors == []
    finally:
        ctx.close()
