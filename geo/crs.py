"""Choosing the study's metric CRS and local time zone from where the data lie."""

from __future__ import annotations

import numpy as np
import pyproj
from pyproj.aoi import AreaOfInterest
from pyproj.database import query_utm_crs_info
from timezonefinder import TimezoneFinder

__all__ = ["SWEREF99TM", "choose_crs", "choose_tz", "in_sweden"]

SWEREF99TM = "EPSG:3006"
"""SWEREF 99 TM, the national metric CRS of Sweden."""

# Sweden's land and territorial waters lie inside this box; the finer test is SWEREF 99 TM's own area of use.
_SWEDEN_BOX = (10.0, 55.0, 24.5, 69.2)


def in_sweden(lon: float, lat: float) -> bool:
    """Tell whether a WGS84 position lies within SWEREF 99 TM's area of use (Sweden).

    Parameters
    ----------
    lon, lat
        Degrees.
    """
    w, s, e, n = _SWEDEN_BOX
    if not (w <= lon <= e and s <= lat <= n):
        return False
    return choose_tz(lon, lat) == "Europe/Stockholm"


def _median_point(lon: np.ndarray, lat: np.ndarray) -> tuple[float, float]:
    ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    if not ok.any():
        raise ValueError("no valid WGS84 position to choose a CRS from")
    return float(np.median(lon[ok])), float(np.median(lat[ok]))


def choose_crs(lon: np.ndarray, lat: np.ndarray) -> tuple[pyproj.CRS, str]:
    """Pick the metric CRS for data at these positions.

    SWEREF 99 TM (EPSG:3006) when the data's median position is in Sweden, otherwise the WGS84 UTM zone
    of that position.

    Parameters
    ----------
    lon, lat
        WGS84 degrees (invalid values are ignored).

    Returns
    -------
    crs, reason
        The CRS and a sentence saying why it was chosen.
    """
    mlon, mlat = _median_point(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    if in_sweden(mlon, mlat):
        return pyproj.CRS(
            SWEREF99TM
        ), f"SWEREF 99 TM (EPSG:3006): data centred at {mlat:.4f} N, {mlon:.4f} E in Sweden"
    infos = query_utm_crs_info(datum_name="WGS 84", area_of_interest=AreaOfInterest(mlon, mlat, mlon, mlat))
    if not infos:
        raise ValueError(f"no UTM zone found for {mlat:.4f}, {mlon:.4f}")
    info = sorted(infos, key=lambda i: i.code)[0]
    crs = pyproj.CRS.from_authority(info.auth_name, info.code)
    return (
        crs,
        f"{info.name} ({info.auth_name}:{info.code}): UTM zone of the data's centre {mlat:.4f}, {mlon:.4f}",
    )


def choose_tz(lon: float, lat: float) -> str:
    """Return the IANA time zone at a WGS84 position (``Europe/Stockholm`` in Sweden).

    Parameters
    ----------
    lon, lat
        Degrees.
    """
    tz = TimezoneFinder().timezone_at(lng=float(lon), lat=float(lat))
    if tz is None:
        raise ValueError(f"no time zone known at {lat:.4f}, {lon:.4f}; give one with --tz")
    return tz
