"""Address search of the report page: the gazetteer of an OpenStreetMap extract, inside the study area.

The extract is read once when the app is built (:func:`load_address_search`); only the addresses and named
streets inside the study area are kept, so a country-wide extract serves one municipality and a search never
offers a place the intake would refuse. Searching happens on this machine: the page asks the service, the
service asks nobody.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.crs import choose_crs
from geo.errors import InputError
from geo.geocode import Gazetteer, Match, parse_address

__all__ = ["MAX_QUERY_CHARS", "AddressSearch", "gazetteer_source", "load_address_search"]

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 100
"""Longest search text accepted (an address with postcode and town fits easily)."""


@dataclass(frozen=True)
class AddressSearch:
    """A gazetteer of the study area and the extract it was read from.

    Attributes
    ----------
    gazetteer
        Addresses and named streets inside the study area.
    source
        The ``.osm.pbf`` file read.
    """

    gazetteer: Gazetteer
    source: Path

    def __len__(self) -> int:
        return len(self.gazetteer)

    def search(self, query: str, *, limit: int = 8) -> list[dict[str, Any]]:
        """Offer places for what a resident typed, best first.

        The address or street the text names exactly comes first (a house at ``address`` precision, a
        street, or a house number the street does not have, at ``street`` precision), then the addresses
        whose street starts with the typed text and whose number starts with the typed digits. Each label is
        offered once.

        Parameters
        ----------
        query
            ``"Storgatan 3"``, ``"storg"``; blanks are collapsed. Fewer than two characters offer nothing.
        limit
            At most this many places.

        Returns
        -------
        matches
            ``label``, ``lat``, ``lon`` (WGS84 degrees, 6 decimals) and ``precision`` (``address`` or
            ``street``).
        """
        text = " ".join(query.split())
        if len(text) < 2 or parse_address(text) is None:
            return []
        found: dict[str, Match] = {}
        exact = self.gazetteer.geocode(text)
        if exact is not None:
            found[exact.label] = exact
        for m in self.gazetteer.search(text, limit=limit * 4):
            if len(found) >= limit:
                break
            found.setdefault(m.label, m)
        return [
            {"label": m.label, "lat": round(m.lat, 6), "lon": round(m.lon, 6), "precision": m.precision}
            for m in list(found.values())[:limit]
        ]


def gazetteer_source(geocode: Path | None, run_config: Path | None) -> Path | None:
    """Return the extract the address search reads: `geocode`, else the run TOML's first ``geocode``."""
    if geocode is not None or run_config is None:
        return geocode
    from geo.config import load_config

    for source in load_config(run_config).sources:
        if source.geocode:
            return Path(source.geocode)
    return None


def load_address_search(pbf: Path, area_wgs84: BaseGeometry, *, area_name: str) -> AddressSearch:
    """Read the extract's addresses and named streets inside the study area into a gazetteer.

    Parameters
    ----------
    pbf
        An OpenStreetMap extract (``.osm.pbf``).
    area_wgs84
        The study area (WGS84).
    area_name
        Its name, for the error message.

    Raises
    ------
    InputError
        If the file is missing or unreadable, or holds no address inside the study area.
    """
    from geo.io.addresses import read_addresses

    addresses, streets = read_addresses(pbf)
    shapely.prepare(area_wgs84)
    inside = shapely.contains_xy(area_wgs84, addresses["lon"].to_numpy(), addresses["lat"].to_numpy())
    addresses = addresses[inside].reset_index(drop=True)
    if addresses.empty:
        raise InputError(f"holds no addresses inside the study area {area_name}", path=str(pbf))
    named: gpd.GeoDataFrame = streets[streets.intersects(area_wgs84)]
    crs, _ = choose_crs(addresses["lon"].to_numpy(), addresses["lat"].to_numpy())
    log.info("address search: %d addresses and %d streets from %s", len(addresses), len(named), pbf)
    return AddressSearch(Gazetteer(addresses, named, crs=crs), Path(pbf))
