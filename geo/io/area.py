"""Study areas: a Swedish municipality by name or code, or any polygon file."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import InputError

__all__ = ["DATA_DIR", "MUNICIPALITIES_FILE", "StudyArea", "load_area"]

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
"""The project's ``data/`` folder (real public data with attribution in ``data/SOURCES.md``)."""

MUNICIPALITIES_FILE = DATA_DIR / "swedish_municipalities.geojson"
"""All 290 Swedish municipalities (``kom_namn``, ``id`` = code), WGS84."""


@dataclass(frozen=True)
class StudyArea:
    """A study area polygon.

    Attributes
    ----------
    name
        Human name (``"Värnamo"``) or the file's stem.
    code
        Municipality code (``"0683"``) or ``None`` for a file.
    geometry
        (Multi)polygon in WGS84 degrees.
    """

    name: str
    code: str | None
    geometry: BaseGeometry

    def to_crs(self, crs: pyproj.CRS | str) -> BaseGeometry:
        """Return the polygon in `crs` (for metric work)."""
        return gpd.GeoSeries([self.geometry], crs="EPSG:4326").to_crs(crs).iloc[0]

    @property
    def slug(self) -> str:
        """ASCII file-name form of the name (``varnamo``)."""
        ascii_name = unicodedata.normalize("NFKD", self.name).encode("ascii", "ignore").decode()
        return "".join(ch if ch.isalnum() else "-" for ch in ascii_name.lower()).strip("-") or "area"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def load_area(spec: str, *, municipalities: Path = MUNICIPALITIES_FILE) -> StudyArea:
    """Load a study area.

    Parameters
    ----------
    spec
        A municipality name (``"Värnamo"``, case-insensitive), a municipality code (``"0683"``), or the path
        of a polygon file (GeoJSON, GeoPackage, Shapefile, GeoParquet) whose polygons are unioned.
    municipalities
        The municipality boundary file.

    Returns
    -------
    area
        The area in WGS84.

    Raises
    ------
    InputError
        If the name or code is unknown or the file holds no polygon.
    """
    path = Path(spec)
    if path.suffix.lower() in {".geojson", ".json", ".gpkg", ".shp", ".parquet", ".fgb"} and path.exists():
        frame = gpd.read_parquet(path) if path.suffix.lower() == ".parquet" else gpd.read_file(path)
        frame = frame[frame.geometry.notna() & frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
        if frame.empty:
            raise InputError("holds no polygon to use as study area", path=str(path))
        if frame.crs is None:
            frame = frame.set_crs("EPSG:4326")
        geom = shapely.union_all(frame.to_crs("EPSG:4326").geometry.to_numpy())
        name = (
            str(frame["kom_namn"].iloc[0]) if "kom_namn" in frame.columns and len(frame) == 1 else path.stem
        )
        code = str(frame["id"].iloc[0]) if "id" in frame.columns and len(frame) == 1 else None
        return StudyArea(name=name, code=code, geometry=geom)
    if (
        path.suffix
        and not path.exists()
        and ("/" in spec or path.suffix.lower() in {".geojson", ".gpkg", ".shp"})
    ):
        raise InputError("study-area file not found", path=spec)
    table = gpd.read_file(municipalities)
    key = _fold(spec)
    code_match = (
        table["id"].astype(str).str.zfill(4) == spec.strip().zfill(4) if spec.strip().isdigit() else None
    )
    if code_match is not None and code_match.any():
        row = table[code_match].iloc[0]
    else:
        names = table["kom_namn"].astype(str).map(_fold)
        hit = table[(names == key) | (names == key.removesuffix(" kommun"))]
        if hit.empty:
            close = [n for n in table["kom_namn"] if _fold(n).startswith(key[:3])][:5]
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise InputError(
                f"unknown study area '{spec}': not a Swedish municipality name, code or polygon file{hint}"
            )
        row = hit.iloc[0]
    return StudyArea(name=str(row["kom_namn"]), code=str(row["id"]).zfill(4), geometry=row.geometry)
