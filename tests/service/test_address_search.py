"""The report page's address search on the real OpenStreetMap extract of central Helsinki (about 1,400
addresses): ``GET /api/address`` over a real ``geo serve --geocode``, and the search field in Chromium (type,
choose, the marker moves there and the report is stored at that place)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import geopandas as gpd
import httpx
import numpy as np
import pandas as pd
import pytest

from geo.errors import InputError
from geo.geocode import street_key
from geo.service.addresses import gazetteer_source, load_address_search
from geo.service.page import report_page
from tests.service.conftest import Deployment, Server, add_user
from tests.service.test_page import browser  # noqa: F401 - the shared Chromium fixture

HELSINKI_CRS = "EPSG:3067"
# central Helsinki around the extract (WGS84 lon/lat)
BOX = [[24.93, 60.162], [24.958, 60.162], [24.958, 60.181], [24.93, 60.181], [24.93, 60.162]]
SEARCH_LIMIT = 150


def _area_file(folder: Path) -> Path:
    path = folder / "helsingfors.geojson"
    feature = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [BOX]}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    return path


class Site:
    def __init__(self, server: Server, staff: str) -> None:
        self.server, self.staff = server, staff

    def client(self, *, local_address: str | None = None) -> httpx.Client:
        transport = httpx.HTTPTransport(local_address=local_address) if local_address else None
        return httpx.Client(base_url=self.server.url, timeout=60, transport=transport)


@pytest.fixture(scope="module")
def helsinki(tmp_path_factory: pytest.TempPathFactory, pbf: Path) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("address-search")
    db = str(tmp / "lagesbild.gpkg")
    staff = add_user(db, "staff-user", "staff")
    args = ("--area", str(_area_file(tmp)), "--geocode", str(pbf), "--rate-limit", "0")
    server = Server(db, tmp, *args, "--search-rate-limit", str(SEARCH_LIMIT)).start()
    try:
        yield Site(server, staff)
    finally:
        server.stop()


def _metres(lat: object, lon: object) -> np.ndarray:
    """Return x and y (rows) in Helsinki's metric CRS of WGS84 points (columns)."""
    p = gpd.GeoSeries(gpd.points_from_xy(np.atleast_1d(lon), np.atleast_1d(lat)), crs=4326).to_crs(
        HELSINKI_CRS
    )
    return np.vstack([p.x.to_numpy(), p.y.to_numpy()])


def test_the_service_finds_real_addresses_within_30_m(helsinki: Site, osm_addresses: pd.DataFrame) -> None:
    """Every 20th OSM address, typed as written: the first offer is that house, within 30 m of its point.

    One address can be several points (a building and its entrances): the nearest of them counts, as in
    tests/io/test_addresses.py.
    """
    street = osm_addresses["street"].str.rsplit(",", n=1).str[-1].map(street_key)  # "Asemahalli, Kaivokatu"
    keys = (street + " " + osm_addresses["housenumber"].str.replace(" ", "").str.casefold()).to_numpy()
    points = _metres(osm_addresses["lat"], osm_addresses["lon"])
    sample = osm_addresses.iloc[::20]
    assert len(sample) > 60
    dist = []
    with helsinki.client() as c:
        for i, (name, number) in zip(
            sample.index, sample[["street", "housenumber"]].itertuples(index=False), strict=True
        ):
            r = c.get("/api/address", params={"q": f"{name} {number}"})
            assert r.status_code == 200, r.text
            assert r.headers["content-type"] == "application/json"
            matches = r.json()["matches"]
            assert 1 <= len(matches) <= 8
            first = matches[0]
            digits = re.match(r"\d+", str(number))
            assert first["precision"] == "address" and digits is not None and digits[0] in first["label"]
            same = points[:, keys == keys[i]]
            got = _metres(first["lat"], first["lon"])
            dist.append(float(np.hypot(*(same - got)).min()))
    assert max(dist) <= 30.0, sorted(dist)[-5:]
    assert float(np.median(dist)) < 1.0


def test_typing_offers_addresses_of_the_street_and_the_street_itself(helsinki: Site) -> None:
    with helsinki.client() as c:
        typed = c.get("/api/address", params={"q": "mannerh"}).json()["matches"]
        street = c.get("/api/address", params={"q": "MANNERHEIMINTIE"}).json()["matches"]
        no_house = c.get("/api/address", params={"q": "Mannerheimintie 9999"}).json()["matches"]
    assert len(typed) == 8 and all("Mannerheimin" in m["label"] for m in typed)
    assert {m["precision"] for m in typed} == {"address"}
    assert street[0] == {**street[0], "label": "Mannerheimintie", "precision": "street"}
    # a house number the street does not have: the street, never an address
    assert [m["precision"] for m in no_house] == ["street"]


def test_unknown_streets_give_no_matches_and_long_queries_are_refused(helsinki: Site) -> None:
    with helsinki.client() as c:
        assert c.get("/api/address", params={"q": "Påhittadgatan 3"}).json()["matches"] == []
        assert c.get("/api/address", params={"q": "x"}).json()["matches"] == []
        too_long = c.get("/api/address", params={"q": "Mannerheimintie 1 " + "a" * 100})
        assert too_long.status_code == 422
        assert "q" in too_long.json()["detail"]["problems"]
        assert c.get("/api/address").status_code == 422


def test_searches_are_rate_limited_per_client(helsinki: Site) -> None:
    with helsinki.client(local_address="127.0.0.7") as c:
        codes = [
            c.get("/api/address", params={"q": "Kaivokatu"}).status_code for _ in range(SEARCH_LIMIT + 1)
        ]
        last = c.get("/api/address", params={"q": "Kaivokatu"})
    assert codes[:SEARCH_LIMIT] == [200] * SEARCH_LIMIT and codes[-1] == 429
    assert last.status_code == 429 and int(last.headers["retry-after"]) >= 1
    with helsinki.client() as other:  # another client keeps its own budget
        assert other.get("/api/address", params={"q": "Kaivokatu"}).status_code == 200


def test_without_a_gazetteer_there_is_no_search(deployment: Deployment) -> None:
    with deployment.client() as c:
        page = c.get("/report").text
        assert 'id="address"' not in page and "/api/address" not in page
        assert c.get("/api/address", params={"q": "Storgatan 3"}).status_code == 404


def test_only_addresses_inside_the_study_area_are_offered(pbf: Path) -> None:
    import shapely

    west = shapely.box(24.93, 60.162, 24.9415, 60.181)  # the western part of the extract
    search = load_address_search(pbf, west, area_name="väst")
    full = load_address_search(pbf, shapely.Polygon(BOX), area_name="centrum")
    assert 0 < len(search) < len(full)
    for q in ("Mannerheimintie", "Kaivokatu", "Aleksanterinkatu"):
        assert all(m["lon"] <= 24.9415 for m in search.search(q))
    with pytest.raises(InputError, match="no addresses inside the study area Värnamo"):
        load_address_search(pbf, shapely.box(14.0, 57.1, 14.1, 57.2), area_name="Värnamo")


def test_the_run_configs_extract_is_used_without_geocode(tmp_path: Path, pbf: Path) -> None:
    toml = tmp_path / "run.toml"
    toml.write_text(
        f'[[sources]]\npath = "polis.csv"\ngeocode = "{pbf}"\n[sources.columns]\naddress = "Adress"\n',
        encoding="utf-8",
    )
    assert gazetteer_source(None, toml) == pbf
    assert gazetteer_source(tmp_path / "own.osm.pbf", toml) == tmp_path / "own.osm.pbf"
    assert gazetteer_source(None, None) is None


def test_the_page_has_the_field_only_with_a_search() -> None:
    import shapely

    area = shapely.Polygon(BOX)
    page = report_page(area_name="<b>x</b>", area_wgs84=area, search_endpoint="/api/address")
    assert '<label for="address">Sök en adress</label>' in page and '"search": "/api/address"' in page
    assert "<b>x</b>" not in page
    plain = report_page(area_name="Helsingfors", area_wgs84=area)
    assert 'id="address"' not in plain and "lb:address" in plain  # the page's own script listens anyway


@pytest.mark.browser
def test_type_choose_and_the_marker_moves(
    browser: object,  # noqa: F811
    helsinki: Site,
) -> None:
    phone = {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "locale": "sv-SE",
    }
    ctx = browser.new_context(**phone)  # type: ignore[attr-defined]
    page = ctx.new_page()
    errors: list[str] = []
    outside: list[str] = []

    def route(r):  # noqa: ANN001, ANN202 - only the server itself: no tiles, no geocoder
        if urlsplit(r.request.url).hostname not in ("127.0.0.1", "localhost"):
            outside.append(r.request.url)
            return r.abort()
        return r.continue_()

    page.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(helsinki.server.url + "/report")
        page.locator(".leaflet-container").wait_for()
        box = page.locator("#map").bounding_box()
        assert box is not None
        page.locator("#map").click(position={"x": box["width"] - 40, "y": box["height"] / 2})  # by hand first
        before = (float(page.locator("#lat").input_value()), float(page.locator("#lon").input_value()))
        field = page.get_by_label("Sök en adress")
        field.press_sequentially("kaivok 1", delay=30)
        page.locator("#address-list li", has_text="Kaivokatu 10").wait_for()
        assert field.get_attribute("aria-expanded") == "true"
        with helsinki.client() as c:
            offered = c.get("/api/address", params={"q": "kaivok 1"}).json()["matches"]
        assert page.locator("#address-list li").all_inner_texts() == [m["label"] for m in offered]
        # the keyboard: down to the second suggestion, Enter chooses it (and sends nothing)
        field.press("ArrowDown")
        field.press("ArrowDown")
        field.press("Enter")
        chosen = offered[1]
        assert field.input_value() == chosen["label"] and page.locator("#address-list").is_hidden()
        assert page.locator("#status").inner_text() == ""
        lat, lon = float(page.locator("#lat").input_value()), float(page.locator("#lon").input_value())
        assert (lat, lon) != before and (lat, lon) == (chosen["lat"], chosen["lon"])
        assert chosen["label"] in page.locator("#where").inner_text()
        # the marker is drawn there, and the map centred on it
        page.wait_for_timeout(600)  # Leaflet's zoom animation
        marker = page.locator("path.leaflet-interactive").last.bounding_box()
        centre = page.locator("#map").bounding_box()
        assert marker is not None and centre is not None
        assert abs(marker["x"] + marker["width"] / 2 - (centre["x"] + centre["width"] / 2)) < 3
        assert abs(marker["y"] + marker["height"] / 2 - (centre["y"] + centre["height"] / 2)) < 3
        # the report goes where the address is, as before
        page.get_by_label("Mörkt – dålig belysning").check()
        page.get_by_role("button", name="Skicka rapporten").click()
        page.locator("#status", has_text="Tack").wait_for()
        rid = page.locator("#status").inner_text().split("nummer ")[1].rstrip(").")
        staff = {"Authorization": f"Bearer {helsinki.staff}"}
        with httpx.Client(base_url=helsinki.server.url, headers=staff) as c:
            feat = c.get("/api/reports", params={"ids": rid}).json()["features"][0]
        assert feat["geometry"]["coordinates"] == pytest.approx([lon, lat], abs=1e-6)
        # an unknown street: told so, the place stays
        field.fill("")
        field.press_sequentially("Påhittadgatan 3", delay=20)
        page.locator("#address-status", has_text="Ingen adress hittades").wait_for(state="attached")
        assert page.locator("#address-list").is_hidden()
        assert errors == [] and all(not u.startswith(helsinki.server.url) for u in outside)
    finally:
        ctx.close()


def test_the_partner_page_asks_the_service_not_nominatim(helsinki: Site) -> None:
    with helsinki.client() as c:
        page = c.get("/rapportera/partner")
    csp = page.headers["content-security-policy"]
    assert "nominatim" not in csp and "connect-src 'self';" in csp
    assert '"search": "/api/address"' in page.text and '"geocoder": null' in page.text


@pytest.mark.browser
def test_the_partner_page_searches_the_gazetteer(browser: object, helsinki: Site) -> None:  # noqa: F811
    ctx = browser.new_context(locale="sv-SE")  # type: ignore[attr-defined]
    page = ctx.new_page()
    asked: list[str] = []

    def route(r):  # noqa: ANN001, ANN202 - only the server itself
        if urlsplit(r.request.url).hostname not in ("127.0.0.1", "localhost"):
            asked.append(r.request.url)
            return r.abort()
        return r.continue_()

    page.route("**/*", route)
    try:
        page.goto(helsinki.server.url + "/rapportera/partner")
        page.locator(".leaflet-container").wait_for()
        page.get_by_label("Sök adress eller plats").fill("Mannerheimintie 5")
        page.get_by_role("button", name="Sök", exact=True).click()
        first = page.locator("#search-results button").first
        first.wait_for()
        with helsinki.client() as c:
            offered = c.get("/api/address", params={"q": "Mannerheimintie 5"}).json()["matches"]
        assert first.inner_text() == offered[0]["label"]
        first.click()
        lat, lon = float(page.locator("#lat").input_value()), float(page.locator("#lon").input_value())
        assert (lat, lon) == (offered[0]["lat"], offered[0]["lon"])
        assert not [u for u in asked if "nominatim" in u]
    finally:
        ctx.close()
