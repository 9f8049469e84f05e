"""Reader options shared by every command that reads reports (``geo ingest``, ``geo hotspots``, ...)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ReaderOptions"]


@dataclass(frozen=True)
class ReaderOptions:
    """How to read report files; every field is optional and detected when left out.

    Attributes
    ----------
    lat_col, lon_col
        Columns holding WGS84 latitude and longitude in degrees.
    x_col, y_col
        Columns holding projected coordinates in `crs`.
    crs
        CRS of `x_col`/`y_col` (``"EPSG:3006"``), or of a vector file that lacks one.
    time_col, time_to_col
        Columns holding when it happened, and the end of the window when only a window is known.
    category_col, id_col, description_col, weight_col, precision_col
        Columns for category, the source's id, free text, weight and location precision.
    tz
        IANA zone of naive local times; default: the zone at the data's location.
    encoding, sep
        CSV encoding and separator; detected when not given (UTF-8, else Windows-1252; ``,``/``;``/tab).
    source
        Value of ``source`` for every row (``police``, ``resident``, ...); default: the file's own
        ``source`` column, else the file name.
    precision
        ``location_precision`` when the file has no such column (default ``exact``).
    drop_duplicates
        Reject (instead of only listing) rows with the same place, time and category and no id.
    address_col, geocode
        A column of addresses and the OpenStreetMap extract (``.osm.pbf``) whose address points and streets
        place them (:mod:`geo.geocode`); used when the file has no coordinates.
    """

    lat_col: str | None = None
    lon_col: str | None = None
    x_col: str | None = None
    y_col: str | None = None
    crs: str | None = None
    time_col: str | None = None
    time_to_col: str | None = None
    category_col: str | None = None
    id_col: str | None = None
    description_col: str | None = None
    weight_col: str | None = None
    precision_col: str | None = None
    tz: str | None = None
    encoding: str | None = None
    sep: str | None = None
    source: str | None = None
    precision: str = "exact"
    drop_duplicates: bool = False
    address_col: str | None = None
    geocode: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
