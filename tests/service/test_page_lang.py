"""The report page in Swedish and English from its template: each language without words of the other, the
language chosen by ``?lang=`` or ``Accept-Language``, escaping and the CSP hashes as before."""

from __future__ import annotations

import pytest
import shapely

from geo.service.csp import html_csp
from geo.service.page import report_page
from geo.service.templating import request_lang
from tests.language import visible_words
from tests.service.conftest import Deployment

AREA = shapely.box(13.9, 57.1, 14.2, 57.25)

SV = ("rapportera", "otrygg", "kartan", "plats", "välj", "skicka", "beskrivning", "tid", "och", "rapporten")
EN = ("report", "unsafe", "map", "place", "choose", "send", "description", "time", "and", "location")


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return {
        lang: report_page(area_name="Värnamo", area_wgs84=AREA, lang=lang, search_endpoint="/api/address")
        for lang in ("sv", "en")
    }


@pytest.mark.parametrize(("lang", "own", "other"), [("sv", SV, EN), ("en", EN, SV)])
def test_each_language_has_no_words_of_the_other(pages: dict[str, str], lang: str, own, other) -> None:
    words = visible_words(pages[lang])
    assert set(own) <= words  # the page really is in its language
    assert not words & set(other), sorted(words & set(other))
    assert f'<html lang="{lang}">' in pages[lang]


def test_categories_texts_and_the_other_language_link(pages: dict[str, str]) -> None:
    sv, en = pages["sv"], pages["en"]
    assert "Mörkt – dålig belysning" in sv and "Dark – poor lighting" in en
    assert 'value="mörkt"' in sv and 'value="mörkt"' in en  # the stored code never changes
    assert '"thanks": "Tack! Din rapport är mottagen (nummer {id})."' in sv
    assert '"thanks": "Thank you! Your report has been received (number {id})."' in en
    assert '<a href="?lang=en" lang="en" hreflang="en">English</a>' in sv
    assert '<a href="?lang=sv" lang="sv" hreflang="sv">Svenska</a>' in en


def test_names_are_escaped_and_only_our_scripts_run() -> None:
    page = report_page(area_name='<img src=x onerror="alert(1)">', area_wgs84=AREA, lang="en")
    assert "<img src=x" not in page and "&lt;img src=x onerror=" in page
    csp = html_csp(page, connect_self=True)
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert csp.count("'sha256-") == 3  # the configuration, Leaflet, the page's script and nothing else
    with_search = report_page(area_name="Värnamo", area_wgs84=AREA, lang="en", search_endpoint="/api/address")
    assert html_csp(with_search, connect_self=True).count("'sha256-") == 4  # and the address search


@pytest.mark.parametrize(
    ("query", "header", "lang"),
    [
        (None, None, "sv"),
        ("en", "sv-SE,sv;q=0.9", "en"),
        ("sv", "en-GB,en;q=0.9", "sv"),
        ("fi", "en-GB,en;q=0.9", "en"),
        (None, "fi-FI,fi;q=0.9,en;q=0.5,sv;q=0.4", "en"),
        (None, "de, sv;q=0.8, en;q=0.9", "en"),
        (None, "en;q=0, sv", "sv"),
        (None, "garbage;q=x, en;q=oops", "sv"),
    ],
)
def test_request_language(query: str | None, header: str | None, lang: str) -> None:
    assert request_lang(query, header) == lang


def test_the_service_serves_both_languages(deployment: Deployment) -> None:
    with deployment.client() as c:
        sv = c.get("/report")
        en = c.get("/report", params={"lang": "en"})
        asked = c.get("/report", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="sv">' in sv.text and sv.headers["content-language"] == "sv"
    assert '<html lang="en">' in en.text and en.headers["content-language"] == "en"
    assert asked.text == en.text and "accept-language" in asked.headers["vary"].lower()
    for r in (sv, en):
        assert html_csp(r.text, connect_self=True, form_self=True) == r.headers["content-security-policy"]


MOD_SV = ("granska", "rapporter", "godkänn", "avvisa", "dubblett", "anteckning", "logga", "kategori", "källa")
MOD_EN = ("review", "reports", "approve", "reject", "duplicate", "note", "sign", "category", "source")


@pytest.fixture(scope="module")
def moderation_pages() -> dict[str, str]:
    from geo.service.moderation_page import moderation_page

    labels = {"sv": {"brand": "Anlagd brand"}, "en": {"brand": "Arson"}}
    return {
        lang: moderation_page(area_name="Värnamo", area_wgs84=AREA, labels=labels[lang], lang=lang)
        for lang in ("sv", "en")
    }


@pytest.mark.parametrize(("lang", "own", "other"), [("sv", MOD_SV, MOD_EN), ("en", MOD_EN, MOD_SV)])
def test_the_moderation_page_has_no_words_of_the_other_language(
    moderation_pages: dict[str, str], lang: str, own, other
) -> None:
    words = visible_words(moderation_pages[lang], texts_keys=("texts", "labels", "statuses"))
    assert set(own) <= words
    assert not words & set(other), sorted(words & set(other))
    assert f'<html lang="{lang}">' in moderation_pages[lang]


def test_the_moderation_page_names_categories_and_escapes() -> None:
    from geo.service.moderation_page import moderation_page

    page = moderation_page(area_name="<script>x</script>", area_wgs84=AREA, labels={}, lang="en")
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert '"mörkt": "Dark – poor lighting"' in page and '"approved": "approved"' in page


def test_the_service_serves_the_moderation_page_in_both_languages(deployment: Deployment) -> None:
    with deployment.client() as c:
        sv = c.get("/moderera")
        en = c.get("/moderera", headers={"Accept-Language": "en"})
    assert "Granska rapporter" in sv.text and sv.headers["content-language"] == "sv"
    assert "Review reports" in en.text and en.headers["content-language"] == "en"
    assert "Granska" not in en.text


PARTNER_SV = (
    "rapportera",
    "sett",
    "checklistan",
    "skicka",
    "personer",
    "beskriv",
    "spara",
    "kartan",
    "tryck",
)
PARTNER_EN = ("report", "seen", "checklist", "send", "people", "describe", "save", "map", "tap")


@pytest.fixture(scope="module")
def partner_pages() -> dict[str, str]:
    from geo.config_partner import DEFAULT_CHECKLIST
    from geo.service.partner_page import partner_page

    return {
        lang: partner_page(area_name="Värnamo", area_wgs84=AREA, checklist=DEFAULT_CHECKLIST, lang=lang)
        for lang in ("sv", "en")
    }


@pytest.mark.parametrize(
    ("lang", "own", "other"), [("sv", PARTNER_SV, PARTNER_EN), ("en", PARTNER_EN, PARTNER_SV)]
)
def test_the_partner_page_has_no_words_of_the_other_language(
    partner_pages: dict[str, str], lang: str, own, other
) -> None:
    words = visible_words(partner_pages[lang])
    assert set(own) <= words
    assert not words & set(other), sorted(words & set(other))
    assert f'<html lang="{lang}">' in partner_pages[lang]


def test_the_partner_page_names_its_checklist_in_the_language_and_escapes() -> None:
    from geo.config_partner import ChecklistItem
    from geo.service.partner_page import partner_page

    item = ChecklistItem(code="brand", sv="Anlagd <b>brand</b>", en="Arson <i>x</i>")
    sv = partner_page(area_name="<x>", area_wgs84=AREA, checklist=(item,), lang="sv")
    en = partner_page(area_name="<x>", area_wgs84=AREA, checklist=(item,), lang="en")
    assert "Anlagd &lt;b&gt;brand&lt;/b&gt;" in sv and "Arson" not in sv
    assert "Arson &lt;i&gt;x&lt;/i&gt;" in en and "Anlagd" not in en
    assert "<x>" not in sv and '"waiting1": "{n} rapport väntar på att skickas."' in sv
    assert '"waiting": "{n} reports waiting to be sent."' in en


def test_the_service_serves_the_partner_page_in_both_languages(deployment: Deployment) -> None:
    with deployment.client() as c:
        sv = c.get("/rapportera/partner", headers={"Accept-Language": "sv-SE,en;q=0.5"})
        en = c.get("/rapportera/partner", params={"lang": "en"})
    assert "Spara och skicka" in sv.text and sv.headers["content-language"] == "sv"
    assert "Save and send" in en.text and en.headers["content-language"] == "en"
    assert "Spara och skicka" not in en.text and "Save and send" not in sv.text
