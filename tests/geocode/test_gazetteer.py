"""The gazetteer's matching rules on a small planted street (pure, no files)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.geocode import Gazetteer, parse_address, street_key

# Storgatan runs east-west through Värnamo at y = 6 340 000 (SWEREF 99 TM); houses 2, 4, 6A, 6B on it
_X0, _Y = 450_000.0, 6_340_000.0


def _wgs(x: float, y: float) -> tuple[float, float]:
    p = gpd.GeoSeries([shapely.Point(x, y)], crs=3006).to_crs(4326).iloc[0]
    return float(p.y), float(p.x)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    rows = []
    for number, dx in (("2", 0.0), ("4", 40.0), ("6A", 80.0), ("6B", 90.0)):
        lat, lon = _wgs(_X0 + dx, _Y + 10)
        rows.append({"street": "Storgatan", "housenumber": number, "postcode": "331 30", "city": "Värnamo"})
        rows[-1] |= {"lat": lat, "lon": lon}
    lat, lon = _wgs(_X0 + 500, _Y + 500)  # a Storgatan in another town
    rows.append({"street": "Storgatan", "housenumber": "2", "postcode": "335 30", "city": "Gnosjö"})
    rows[-1] |= {"lat": lat, "lon": lon}
    lat, lon = _wgs(_X0, _Y + 300)
    rows.append({"street": "Kyrkvägen", "housenumber": "1", "lat": lat, "lon": lon})
    streets = gpd.GeoDataFrame(
        {"name": ["Storgatan", "Parkgränd"]},
        geometry=[
            shapely.LineString([(_X0 - 100, _Y), (_X0 + 200, _Y)]),
            shapely.LineString([(_X0, _Y - 200), (_X0 + 100, _Y - 200)]),
        ],
        crs=3006,
    )
    return Gazetteer(pd.DataFrame(rows), streets, crs="EPSG:3006")


def _metres(lat: float, lon: float) -> tuple[float, float]:
    p = gpd.GeoSeries([shapely.Point(lon, lat)], crs=4326).to_crs(3006).iloc[0]
    return float(p.x), float(p.y)


def test_street_keys_tolerate_case_abbreviations_and_spacing() -> None:
    assert street_key("STORGATAN") == street_key("Storg.") == street_key("Stor gatan") == "storgatan"
    assert street_key("Storgata") == "storgatan"
    assert street_key("Kyrkv.") == street_key("kyrk-vägen") == "kyrkvägen"
    assert street_key("Aleksanterink.") == "aleksanterinkatu"


def test_parse_address_splits_number_letter_postcode_and_city() -> None:
    p = parse_address("Storgatan 12B, 331 30 Värnamo")
    assert p is not None and (p.street, p.number, p.letter, p.postcode, p.city) == (
        "Storgatan",
        12,
        "b",
        "33130",
        "värnamo",
    )
    q = parse_address("storg 12 b")
    assert q is not None and (q.number, q.letter) == (12, "b")
    r = parse_address("Storgatan 12-14")
    assert r is not None and (r.number, r.letter) == (12, None)
    assert parse_address("   ") is None


@pytest.mark.parametrize("text", ["Storgatan 4", "STORGATAN 4", "storg. 4", "Stor gatan 4, 331 30 Värnamo"])
def test_a_house_is_found_at_address_precision(gazetteer: Gazetteer, text: str) -> None:
    m = gazetteer.geocode(text)
    assert m is not None and m.precision == "address"
    x, y = _metres(m.lat, m.lon)
    assert abs(x - (_X0 + 40)) < 0.5 and abs(y - (_Y + 10)) < 0.5


def test_letters_after_numbers(gazetteer: Gazetteer) -> None:
    b = gazetteer.geocode("Storgatan 6 b")
    assert b is not None and b.precision == "address" and abs(_metres(b.lat, b.lon)[0] - (_X0 + 90)) < 0.5
    plain = gazetteer.geocode("Storgatan 6")  # the number without a letter: its first lettered house
    assert plain is not None and abs(_metres(plain.lat, plain.lon)[0] - (_X0 + 80)) < 0.5


def test_postcode_or_city_chooses_among_streets_of_the_same_name(gazetteer: Gazetteer) -> None:
    gn = gazetteer.geocode("Storgatan 2, Gnosjö")
    vm = gazetteer.geocode("Storgatan 2, 331 30 Värnamo")
    assert gn is not None and vm is not None
    assert abs(_metres(gn.lat, gn.lon)[0] - (_X0 + 500)) < 0.5
    assert abs(_metres(vm.lat, vm.lon)[0] - _X0) < 0.5


def test_an_unknown_house_number_is_placed_on_the_street_never_as_an_address(gazetteer: Gazetteer) -> None:
    m = gazetteer.geocode("Storgatan 99, Värnamo")
    assert m is not None and m.precision == "street"
    x, y = _metres(m.lat, m.lon)
    # on the street line, at the middle of its numbered houses in Värnamo (x0 + 52.5)
    assert abs(y - _Y) < 0.5 and abs(x - (_X0 + 52.5)) < 0.5


def test_a_street_without_addresses_is_placed_at_its_midpoint(gazetteer: Gazetteer) -> None:
    m = gazetteer.geocode("Parkgränd 3")
    assert m is not None and m.precision == "street"
    x, y = _metres(m.lat, m.lon)
    assert abs(x - (_X0 + 50)) < 0.5 and abs(y - (_Y - 200)) < 0.5


def test_an_unknown_street_is_not_found(gazetteer: Gazetteer) -> None:
    assert gazetteer.geocode("Påhittadgatan 3") is None
    assert gazetteer.geocode("") is None


def test_search_offers_addresses_as_the_user_types(gazetteer: Gazetteer) -> None:
    labels = [m.label for m in gazetteer.search("storg", limit=3)]
    assert labels == ["Storgatan 2, Värnamo", "Storgatan 2, Gnosjö", "Storgatan 4, Värnamo"]
    assert [m.label for m in gazetteer.search("Storgatan 6")] == [
        "Storgatan 6A, Värnamo",
        "Storgatan 6B, Värnamo",
    ]
    assert gazetteer.search("zzz") == []
