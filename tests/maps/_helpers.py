"""Helpers shared by the map tests: layer keys of a page, WGS84 coordinates and the public leak checks."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np

from geo.maps.privacy import leaked_coordinates, leaked_texts
from geo.model import point_reports


def registered(html: str) -> list[str]:
    """Return the layer keys a map page registers, in order."""
    return re.findall(r'LB\.register\("(\w+)"', html)


def wgs(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return the latitudes and longitudes of a point frame."""
    w = frame.to_crs("EPSG:4326").geometry
    return w.y.to_numpy(), w.x.to_numpy()


def public_checks(html: str, reports: gpd.GeoDataFrame, k: int) -> None:
    """Assert a public page leaks no report position, free text, id or time and has only public layers."""
    lat, lon = wgs(point_reports(reports))
    assert leaked_coordinates(html, lat, lon) == []
    texts = [d for d in reports["description"].dropna().astype(str)] if "description" in reports else []
    if "Adress" in reports.columns:
        texts += list(reports["Adress"].dropna().astype(str))
    assert leaked_texts(html, texts) == []
    for key in (
        '"report_id":',
        "member_ids",
        "occurred_at",
        '"lat":',
        '"lon":',
        '"description":',
        '"Adress":',
    ):
        assert key not in html
    assert set(registered(html)) <= {"area", "grid", "hotspots"}
