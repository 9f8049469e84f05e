"""A gazetteer: address points and named streets, matched tolerantly (case, abbreviations, spacing).

Matching rules, in order:

1. The address is split into street, house number (with a letter: ``12B``, ``12 b``), postcode and city
   (:func:`parse_address`). The street's key ignores case, spaces, hyphens and dots and expands the common
   abbreviations (``Storg.`` -> ``storgatan``, ``Kyrkv.`` -> ``kyrkvägen``, ``-gata`` -> ``-gatan``,
   Finnish ``-k.`` -> ``-katu``, ``-t.`` -> ``-tie``) (:func:`street_key`).
2. A house with that street, number and letter is precision ``address``; without the letter asked for, the
   same number without a letter (the same property) is taken. A postcode or city given narrows the
   candidates when the street exists in several places.
3. A known street without that number is precision ``street``: the point on the street nearest the middle
   of its numbered addresses, or the street's midpoint when it has none.
4. Anything else is not found (``None``): the caller rejects the row, naming the column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

__all__ = ["Gazetteer", "Match", "ParsedAddress", "parse_address", "street_key"]

_ABBREVIATIONS = (
    (re.compile(r"(\w{2,}|^|\s)g\.(?=\s|$|,)"), r"\1gatan"),
    (re.compile(r"(\w{2,}|^|\s)v\.(?=\s|$|,)"), r"\1vägen"),
    (re.compile(r"(\w{2,})gata$"), r"\1gatan"),
    (re.compile(r"(\w{3,}|^|\s)k\.(?=\s|$|,)"), r"\1katu"),
    (re.compile(r"(\w{3,})t\.(?=\s|$|,)"), r"\1tie"),
)
_NUMBER = re.compile(
    r"^(?P<street>.*?[^\W\d_].*?)[\s,]*(?P<house>(?P<num>\d{1,4})\s*(?P<letter>[^\W\d_])?(?![^\W\d_])"
    r"(?:\s*[-–/]\s*\d+\s*[^\W\d_]?(?![^\W\d_]))?)(?P<rest>.*)$"
)
_POSTCODE = re.compile(r"\b(\d{3})\s?(\d{2})\b")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def street_key(name: str) -> str:
    """Return the matching key of a street name: folded, abbreviations expanded, no spaces, hyphens or dots.

    Examples
    --------
    >>> street_key("Storg.") == street_key("STORGATAN") == street_key("Stor gatan")
    True
    >>> street_key("Kyrkv.")
    'kyrkvägen'
    """
    s = _fold(name)
    for pattern, repl in _ABBREVIATIONS:
        s = pattern.sub(repl, s)
    return re.sub(r"[\s\-.'’]", "", s)


@dataclass(frozen=True)
class ParsedAddress:
    """An address split into its parts (``None`` where not given)."""

    street: str
    number: int | None
    letter: str | None
    postcode: str | None
    city: str | None
    house: str | None = None
    """The house number as written, folded without spaces (``12b``, ``14-20``)."""


def parse_address(text: str) -> ParsedAddress | None:
    """Split an address into street, house number and letter, postcode and city.

    ``"Storgatan 12B, 331 30 Värnamo"``, ``"storg 12 b"``, ``"Storgatan 12-14"`` (the first number),
    ``"Storgatan"`` (no number). ``None`` for an empty text.
    """
    s = unicodedata.normalize("NFC", str(text)).strip()
    if not s:
        return None
    parts = [p.strip() for p in s.split(",")]
    # the part with a house number is the street ("Asemahalli, Kaivokatu 1"), else the first part
    at = next((i for i, p in enumerate(parts) if _NUMBER.match(p)), 0)
    head, tail = parts[at], ", ".join(parts[at + 1 :])
    m = _NUMBER.match(head)
    street, number, letter, rest, house = head, None, None, "", None
    if m:
        street, number = m["street"], int(m["num"])
        house = re.sub(r"\s", "", _fold(m["house"])).replace("–", "-")
        letter = m["letter"].casefold() if m["letter"] else None
        rest = m["rest"]
    rest = f"{rest} {tail}".strip(" ,")
    postcode = None
    if pc := _POSTCODE.search(rest):
        postcode = pc[1] + pc[2]
        rest = (rest[: pc.start()] + rest[pc.end() :]).strip(" ,")
    city = re.sub(r"[\d,]+", " ", rest).strip() or None
    street = street.strip(" ,")
    if not street:
        return None
    return ParsedAddress(street, number, letter, postcode, _fold(city) if city else None, house)


@dataclass(frozen=True)
class Match:
    """Where an address was placed.

    Attributes
    ----------
    lat, lon
        WGS84 degrees.
    precision
        ``address`` (a house) or ``street`` (a point on the street).
    label
        The address as the gazetteer knows it (``"Storgatan 12B, Värnamo"``).
    """

    lat: float
    lon: float
    precision: str
    label: str


class Gazetteer:
    """Address points and named streets of one area, for matching addresses on the machine.

    Parameters
    ----------
    addresses
        One row an address point: ``street``, ``housenumber`` (as written: ``12``, ``12B``, ``12-14``),
        optional ``postcode`` and ``city``, and ``lat``/``lon`` (WGS84).
    streets
        Named street lines (``name``; any CRS with one), for street-precision points; optional.
    crs
        Metric CRS used to find points on streets (default: EPSG:3006).
    """

    def __init__(
        self, addresses: pd.DataFrame, streets: gpd.GeoDataFrame | None = None, *, crs: object = "EPSG:3006"
    ) -> None:
        a = addresses.reset_index(drop=True).copy()
        for c in ("postcode", "city"):
            if c not in a.columns:
                a[c] = None
        parsed = [parse_address(f"{s} {n}") for s, n in zip(a["street"], a["housenumber"], strict=True)]
        # "Asemahalli, Kaivokatu": a building's name before the street
        a["key"] = [street_key(str(s).rsplit(",", 1)[-1]) for s in a["street"]]
        a["number"] = [p.number if p is not None else None for p in parsed]
        a["letter"] = [p.letter if p is not None else None for p in parsed]
        a["house"] = [p.house if p is not None else None for p in parsed]
        a["postcode"] = a["postcode"].astype("string").str.replace(" ", "", regex=False)
        a["city_key"] = a["city"].astype("string").map(lambda c: _fold(c) if isinstance(c, str) else None)
        self.addresses = a[a["key"] != ""].reset_index(drop=True)
        self.crs = crs
        self.streets = self._streets(streets)

    def _streets(self, streets: gpd.GeoDataFrame | None) -> dict[str, BaseGeometry]:
        """Street key -> the street's lines (metric), merged per name."""
        if streets is None or not len(streets):
            return {}
        named = streets[streets["name"].notna()].to_crs(self.crs)
        keys = named["name"].astype(str).map(street_key)
        return {k: shapely.union_all(g.geometry.to_numpy()) for k, g in named.groupby(keys.to_numpy())}

    def __len__(self) -> int:
        return len(self.addresses)

    @cached_property
    def _houses(self) -> dict[tuple[str, int, str | None], list[int]]:
        index: dict[tuple[str, int, str | None], list[int]] = {}
        for i, (k, n, letter) in enumerate(
            zip(self.addresses["key"], self.addresses["number"], self.addresses["letter"], strict=True)
        ):
            if n is not None and not pd.isna(n):
                index.setdefault((k, int(n), letter if isinstance(letter, str) else None), []).append(i)
        return index

    @cached_property
    def _exact(self) -> dict[tuple[str, str], list[int]]:
        """(street key, house number as written) -> rows: ``14-20`` finds the house ``14-20``."""
        index: dict[tuple[str, str], list[int]] = {}
        for i, (k, h) in enumerate(zip(self.addresses["key"], self.addresses["house"], strict=True)):
            if isinstance(h, str):
                index.setdefault((k, h), []).append(i)
        return index

    def _medoid(self, rows: list[int]) -> int:
        """Return the row nearest the middle of an address's points (a building, its entrances, shops)."""
        if len(rows) == 1:
            return rows[0]
        pts = self.addresses.iloc[rows]
        lat, lon = pts["lat"].to_numpy(float), pts["lon"].to_numpy(float)
        scale = np.cos(np.radians(lat.mean()))
        d = np.hypot(lat - lat.mean(), (lon - lon.mean()) * scale)
        return rows[int(np.argmin(d))]

    @cached_property
    def _by_street(self) -> dict[str, np.ndarray]:
        return {str(k): g.index.to_numpy() for k, g in self.addresses.groupby("key")}

    def _letters(self, key: str, number: int) -> list[str]:
        """Return the letters a house number has on a street (``12A``, ``12B``), in order."""
        got = self._letters_of.get((key, number), set())
        return sorted(got)

    @cached_property
    def _letters_of(self) -> dict[tuple[str, int], set[str]]:
        out: dict[tuple[str, int], set[str]] = {}
        for k, n, letter in self._houses:
            if letter is not None:
                out.setdefault((k, n), set()).add(letter)
        return out

    def _narrow(self, rows: list[int] | np.ndarray, parsed: ParsedAddress) -> list[int]:
        """Keep the rows in the postcode or city asked for, when any are (else all)."""
        rows = list(rows)
        for column, want in (("postcode", parsed.postcode), ("city_key", parsed.city)):
            if want is None:
                continue
            values = self.addresses[column]
            got = [i for i in rows if isinstance(v := values.iat[i], str) and v == want]
            rows = got or rows
        return rows

    def _label(self, i: int) -> str:
        r = self.addresses.iloc[i]
        place = r["city"] if isinstance(r["city"], str) else ""
        return f"{r['street']} {r['housenumber']}{', ' + place if place else ''}"

    def _street_point(self, key: str, rows: list[int]) -> tuple[float, float] | None:
        """Return the street's point nearest the middle of its numbered addresses, else its midpoint."""
        line = self.streets.get(key)
        if rows:
            pts = self.addresses.iloc[rows]
            middle = gpd.GeoSeries(gpd.points_from_xy(pts["lon"], pts["lat"]), crs="EPSG:4326").to_crs(
                self.crs
            )
            centre = shapely.Point(float(middle.x.mean()), float(middle.y.mean()))
            target = nearest_points(line, centre)[0] if line is not None else centre
        elif line is not None:
            parts = list(getattr(line, "geoms", [line]))
            longest = max(parts, key=lambda g: g.length)
            target = longest.interpolate(0.5, normalized=True)
        else:
            return None
        wgs = gpd.GeoSeries([target], crs=self.crs).to_crs("EPSG:4326").iloc[0]
        return float(wgs.y), float(wgs.x)

    def geocode(self, address: str) -> Match | None:
        """Place one address: a house (``address``), else its street (``street``), else ``None``."""
        parsed = parse_address(address)
        if parsed is None:
            return None
        key = street_key(parsed.street)
        if parsed.number is not None:
            tries = [self._exact.get((key, parsed.house or ""), [])]
            for letter in dict.fromkeys((parsed.letter, None, *self._letters(key, parsed.number))):
                tries.append(self._houses.get((key, parsed.number, letter), []))
            for found in tries:
                rows = self._narrow(found, parsed)
                if rows:
                    i = self._medoid(rows)
                    r = self.addresses.iloc[i]
                    return Match(float(r["lat"]), float(r["lon"]), "address", self._label(i))
        on_street = self._by_street.get(key)
        if on_street is None and key not in self.streets:
            return None
        rows = self._narrow(on_street if on_street is not None else [], parsed)
        numbered = [i for i in rows if not pd.isna(self.addresses.at[i, "number"])]
        point = self._street_point(key, numbered)
        if point is None:
            return None
        name = str(self.addresses.at[rows[0], "street"]) if rows else parsed.street
        return Match(point[0], point[1], "street", name)

    def geocode_many(self, addresses: pd.Series) -> list[Match | None]:
        """Place each address (repeated addresses are matched once)."""
        done: dict[str, Match | None] = {}
        out = []
        for a in addresses:
            text = "" if a is None or (not isinstance(a, str) and pd.isna(a)) else str(a)
            if text not in done:
                done[text] = self.geocode(text) if text.strip() else None
            out.append(done[text])
        return out

    def search(self, query: str, *, limit: int = 10) -> list[Match]:
        """Offer addresses for what a user has typed (street prefix, then the number), best first.

        Parameters
        ----------
        query
            ``"storg"``, ``"Storgatan 1"``: the street's key must start with the typed street, and the
            house number with the typed digits.
        limit
            At most this many.
        """
        parsed = parse_address(query)
        if parsed is None or limit < 1:
            return []
        key = street_key(parsed.street)
        a = self.addresses
        hit = a["key"].str.startswith(key)
        if parsed.number is not None:
            hit &= a["number"].astype("string").str.startswith(str(parsed.number)).fillna(False)
        rows = (
            a[hit].sort_values(["key", "number", "letter"], na_position="first", kind="stable").index[:limit]
        )
        return [
            Match(float(a.at[i, "lat"]), float(a.at[i, "lon"]), "address", self._label(int(i))) for i in rows
        ]
