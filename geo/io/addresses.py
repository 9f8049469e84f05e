"""Reading a gazetteer from an OpenStreetMap extract: address points, addressed buildings, named streets.

Address points are nodes with ``addr:street`` (or ``addr:place``) and ``addr:housenumber``; a building or
other way with them gives its centre. ``addr:postcode`` and ``addr:city`` are kept where given. Named
``highway`` ways are the streets (for street-precision points). The file is read on this machine; nothing is
looked up on the internet.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import osmium
import pandas as pd
import shapely
from shapely.geometry import LineString

from geo.crs import choose_crs
from geo.errors import InputError
from geo.geocode import Gazetteer
from geo.io.rejects import RawTable

__all__ = ["place_addresses", "read_addresses", "read_gazetteer"]


def _address(tags: osmium.osm.TagList, lon: float, lat: float) -> dict[str, object] | None:
    number = tags.get("addr:housenumber")
    street = tags.get("addr:street") or tags.get("addr:place")
    if not number or not street:
        return None
    return {
        "street": street,
        "housenumber": number,
        "postcode": tags.get("addr:postcode"),
        "city": tags.get("addr:city"),
        "lat": lat,
        "lon": lon,
    }


def read_addresses(path: str | Path) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """Read an extract's address points and named streets.

    Parameters
    ----------
    path
        An ``.osm.pbf`` (or ``.osm``) file.

    Returns
    -------
    addresses, streets
        Addresses (``street``, ``housenumber``, ``postcode``, ``city``, ``lat``, ``lon``; WGS84) and the
        named highway lines (``name``, WGS84).

    Raises
    ------
    InputError
        If the file is missing, cannot be read or holds no address.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", path=str(path))
    rows: list[dict[str, object]] = []
    streets: list[dict[str, object]] = []
    try:
        for obj in osmium.FileProcessor(str(path)).with_locations():
            if isinstance(obj, osmium.osm.Node):
                if "addr:housenumber" in obj.tags and obj.location.valid():
                    rec = _address(obj.tags, obj.location.lon, obj.location.lat)
                    rows += [rec] if rec else []
            elif isinstance(obj, osmium.osm.Way):
                coords = [(n.location.lon, n.location.lat) for n in obj.nodes if n.location.valid()]
                if len(coords) < 2:
                    continue
                if "addr:housenumber" in obj.tags:
                    ring = shapely.Polygon(coords) if len(coords) >= 4 and coords[0] == coords[-1] else None
                    centre = (ring if ring is not None and ring.is_valid else LineString(coords)).centroid
                    rec = _address(obj.tags, centre.x, centre.y)
                    rows += [rec] if rec else []
                if "highway" in obj.tags and obj.tags.get("name"):
                    streets.append({"name": obj.tags.get("name"), "geometry": LineString(coords)})
    except RuntimeError as err:
        raise InputError(f"cannot read OSM data: {err}", path=str(path)) from err
    if not rows:
        raise InputError("holds no addresses (addr:street and addr:housenumber)", path=str(path))
    lines = gpd.GeoDataFrame(
        streets or {"name": []}, geometry="geometry" if streets else None, crs="EPSG:4326"
    )
    if not streets:
        lines = gpd.GeoDataFrame({"name": pd.Series(dtype="string")}, geometry=[], crs="EPSG:4326")
    return pd.DataFrame(rows), lines


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> Gazetteer:
    addresses, streets = read_addresses(path)
    crs, _ = choose_crs(addresses["lon"].to_numpy(), addresses["lat"].to_numpy())
    return Gazetteer(addresses, streets, crs=crs)


def read_gazetteer(path: str | Path) -> Gazetteer:
    """Return the gazetteer of an OpenStreetMap extract (read once per file and change).

    Raises
    ------
    InputError
        If the file is missing, cannot be read or holds no address.
    """
    p = Path(path)
    if not p.exists():
        raise InputError("file not found", path=str(p))
    return _cached(str(p.resolve()), p.stat().st_mtime)


def place_addresses(t: RawTable, column: str, pbf: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Place every row by its address in `column`, with the gazetteer of the extract `pbf`.

    A house found is precision ``address``; a street found without that house is precision ``street`` (and
    listed as a warning); an address not found, or missing, is rejected naming `column`.

    Returns
    -------
    lat, lon, precision
        WGS84 degrees (NaN where not placed) and each row's precision (``None`` where not placed).

    Raises
    ------
    InputError
        Without `pbf`, or when `column` is not in the table.
    """
    if not pbf:
        raise InputError(
            f"--address-col {column} needs --geocode FILE.osm.pbf (addresses to place)", path=t.file
        )
    if column not in t.raw.columns:
        raise InputError(f"address column '{column}' not found among {list(t.raw.columns)}", path=t.file)
    gazetteer = read_gazetteer(pbf)
    values = t.raw[column]
    matches = gazetteer.geocode_many(values)
    n = len(values)
    lat, lon = np.full(n, np.nan), np.full(n, np.nan)
    precision = np.full(n, None, dtype=object)
    for i, m in enumerate(matches):
        if m is not None:
            lat[i], lon[i], precision[i] = m.lat, m.lon, m.precision
    blank = values.isna().to_numpy() | (values.astype("string").str.strip() == "").fillna(True).to_numpy()
    name = Path(pbf).name
    t.reject(blank, field=column, reason="missing address")
    t.reject(np.isnan(lat), field=column, reason=f"address not found in {name}", value=values)
    t.warn(
        precision == "street",
        field=column,
        reason=f"house number not found in {name}; placed on the street (precision street)",
        value=values,
    )
    return lat, lon, precision
