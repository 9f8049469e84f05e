"""Speed limits of roads: which roads carry motor traffic, implicit limits, and OSM ways as limit segments.

A segments frame (:data:`SEGMENT_COLUMNS`, LineString geometry in a metric CRS) is what
:func:`geo.io.segments.read_segments` returns and what the speed layer (:mod:`geo.layers.speed`) works on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import choose_tz
from geo.io.osm import IMPLICIT_MAXSPEED_KMH
from geo.model import require_metric_crs
from geo.rejects import RejectLog

__all__ = [
    "MOTOR_HIGHWAYS",
    "NON_MOTOR_HIGHWAYS",
    "SEGMENT_COLUMNS",
    "country_at",
    "implicit_limit",
    "oneway_codes",
    "segments_from_osm",
]

MOTOR_HIGHWAYS: tuple[str, ...] = (
    *("motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link", "secondary"),
    *("secondary_link", "tertiary", "tertiary_link", "unclassified", "residential", "living_street"),
    *("service", "road"),
)
"""OSM ``highway`` values that carry motor traffic (footways, cycleways, paths and steps are left out)."""

NON_MOTOR_HIGHWAYS: tuple[str, ...] = (
    *("footway", "cycleway", "path", "pedestrian", "steps", "bridleway", "corridor", "platform"),
    *("elevator", "track", "trail", "construction", "proposed"),
)
"""``highway`` values of a road file that carry no motor traffic; such rows are left out with a warning."""

SEGMENT_COLUMNS: tuple[str, ...] = (
    "segment_id",
    "street",
    "highway",
    "limit_kmh",
    "limit_source",
    "oneway",
    "truncated",
    "length_m",
)
"""Columns of a segments frame (plus a LineString ``geometry`` in a metric CRS)."""

_TZ_COUNTRY = {
    "Europe/Stockholm": "SE",
    "Europe/Helsinki": "FI",
    "Europe/Mariehamn": "FI",
    "Europe/Oslo": "NO",
    "Europe/Copenhagen": "DK",
    "Europe/Berlin": "DE",
    "Europe/London": "GB",
}


def country_at(frame: gpd.GeoDataFrame) -> str:
    """Return the country code of implicit limits at the frame's centre (by time zone; ``SE`` if unknown)."""
    if len(frame) == 0:
        return "SE"
    c = gpd.GeoSeries([frame.union_all().centroid], crs=frame.crs).to_crs("EPSG:4326").iloc[0]
    try:
        return _TZ_COUNTRY.get(choose_tz(c.x, c.y), "SE")
    except ValueError:
        return "SE"


def implicit_limit(highway: str | None, *, country: str = "SE", zone: str = "urban") -> float:
    """Return the speed limit a road has when no sign says otherwise.

    Parameters
    ----------
    highway
        OSM ``highway`` value (``residential``, ``motorway``, ``living_street``, ...).
    country
        Two-letter country code (``SE``, ``FI``, ``NO``, ``DK``, ``DE``, ``GB``).
    zone
        ``urban`` (inside a built-up area; Swedish bashastighet 50 km/h) or ``rural`` (70 km/h in Sweden).

    Returns
    -------
    kmh
        The implicit limit in km/h, NaN when the country has no entry in
        :data:`geo.io.osm.IMPLICIT_MAXSPEED_KMH`.
    """
    if zone not in {"urban", "rural"}:
        raise ValueError(f"zone must be 'urban' or 'rural', got '{zone}'")
    kind = zone
    if highway in {"motorway", "motorway_link"}:
        kind = "motorway"
    elif highway == "living_street":
        kind = "living_street"
    for key in (f"{country}:{kind}", f"{country}:{zone}"):
        if key in IMPLICIT_MAXSPEED_KMH:
            return float(IMPLICIT_MAXSPEED_KMH[key])
    return math.nan


def oneway_codes(values: pd.Series, highway: pd.Series | None = None) -> np.ndarray:
    """Return 1 (one-way as digitised), -1 (against it) or 0 per row; motorways are one-way unless tagged."""
    text = values.astype("string").str.strip().str.lower().fillna("")
    out = np.where(
        text.isin(["yes", "1", "true", "ja", "j"]), 1, np.where(text.isin(["-1", "reverse"]), -1, 0)
    )
    if highway is not None:
        implied = (
            highway.astype("string").isin(["motorway", "motorway_link"]).to_numpy(dtype=bool)
            & (text == "").to_numpy()
        )
        out = np.where(implied, 1, out)
    return out.astype("int8")


def segments_from_osm(
    ways: gpd.GeoDataFrame,
    *,
    country: str | None = None,
    zone: str = "urban",
    highways: Sequence[str] = MOTOR_HIGHWAYS,
    file: str = "osm",
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Turn OSM highway ways (from :func:`geo.io.osm.read_osm`) into speed-limit segments.

    A signed ``maxspeed`` is used as it is (``limit_source = "maxspeed"``); a way without the tag gets the
    implicit limit of its country and zone (``limit_source = "implicit"``); a way whose tag cannot be read
    (``maxspeed=fast``) keeps no limit (``limit_source = "unknown"``) and is listed as a warning, since
    guessing would hide the error. Ways cut at the extract's edge keep their ``truncated`` flag.

    Parameters
    ----------
    ways
        The ``ways`` layer of :class:`geo.io.osm.OsmLayers`, metric CRS (kept: no reprojection here).
    country
        Country code for implicit limits; found from the data's position when ``None``.
    zone
        ``urban`` or ``rural``: the implicit limit for untagged roads.
    highways
        ``highway`` values kept.
    file
        Name used in the rejection table.

    Returns
    -------
    segments, notes
        Segments (:data:`SEGMENT_COLUMNS`) and a rejection table of the limits not understood.
    """
    require_metric_crs(ways, what=file)
    roads = ways[ways["highway"].isin(list(highways))].copy()
    country = country or country_at(roads if len(roads) else ways)
    raw = roads["maxspeed"].astype("string")
    signed = pd.to_numeric(roads["maxspeed_kmh"], errors="coerce").to_numpy(dtype="float64")
    has_tag = raw.notna().to_numpy() & (raw.str.strip() != "").fillna(False).to_numpy(dtype=bool)
    implicit = np.array(
        [implicit_limit(h, country=country, zone=zone) for h in roads["highway"]], dtype="float64"
    )
    limit = np.where(has_tag, signed, implicit)
    source = np.where(
        has_tag,
        np.where(np.isfinite(signed), "maxspeed", "unknown"),
        np.where(np.isfinite(implicit), "implicit", "unknown"),
    )
    log = RejectLog(file)
    bad = np.flatnonzero(has_tag & ~np.isfinite(signed))
    if bad.size:
        ids = roads["osm_id"].to_numpy()[bad]
        log.add(
            bad + 1,
            field="maxspeed",
            status="warning",
            value=raw.to_numpy()[bad],
            reason=[f"way {i}: maxspeed not usable; segment kept without a limit" for i in ids],
        )
    out = gpd.GeoDataFrame(
        {
            "segment_id": ["W" + str(int(i)) for i in roads["osm_id"]],
            "street": roads["name"].astype("string").to_numpy(),
            "highway": roads["highway"].astype("string").to_numpy(),
            "limit_kmh": limit,
            "limit_source": source,
            "oneway": oneway_codes(roads["oneway"], roads["highway"]),
            "truncated": roads["truncated"].astype(bool).to_numpy(),
            "length_m": roads.geometry.length.to_numpy(),
        },
        geometry=roads.geometry.to_numpy(),
        crs=roads.crs,
    )
    return out.reset_index(drop=True), log.frame()
