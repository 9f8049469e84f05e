"""Storage backends of the service: a GeoPackage file (default) or PostgreSQL/PostGIS (a URL)."""

from __future__ import annotations

from pathlib import Path

from geo.errors import InputError
from geo.service.storage import base
from geo.service.storage.base import *  # noqa: F403 - the backend interface is this package's API
from geo.service.storage.base import Store

__all__ = ["is_database_url", "open_store"]
__all__ += base.__all__

_URL_PREFIXES = ("postgresql://", "postgres://", "postgis://")


def is_database_url(db: str) -> bool:
    """Tell whether `db` is a PostgreSQL connection URL (else a GeoPackage path)."""
    return db.startswith(_URL_PREFIXES)


def open_store(db: str | Path, *, crs_epsg: int = 3006) -> Store:
    """Open (creating and migrating the schema when needed) the store named by `db`.

    Parameters
    ----------
    db
        A ``.gpkg`` path, or a ``postgresql://`` URL.
    crs_epsg
        Metric CRS for a new store (SWEREF 99 TM for Swedish areas); an existing store keeps its own.

    Raises
    ------
    InputError
        If the path is not a ``.gpkg`` file, the database cannot be reached, or its schema is foreign or
        newer.
    """
    text = str(db)
    if is_database_url(text):
        from geo.service.storage.postgis import PostgisStore

        url = "postgresql://" + text.split("://", 1)[1] if text.startswith("postgis://") else text
        return PostgisStore(url, crs_epsg=crs_epsg)
    path = Path(text)
    if path.suffix.lower() != ".gpkg":
        raise InputError("--db must be a .gpkg file or a postgresql:// URL", path=text)
    from geo.service.storage.gpkg import GeoPackageStore

    return GeoPackageStore(path, crs_epsg=crs_epsg)
