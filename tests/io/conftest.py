"""One real extract written into every format (the pyogrio pattern), so each reader is checked the
same way."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from tests.conftest import DATA


@pytest.fixture(scope="session")
def toronto_extract() -> pd.DataFrame:
    """The first 300 rows of the real Toronto MCI file, with a synthetic id column."""
    frame = pd.read_csv(DATA / "toronto_mci_2014_2017.csv.gz", nrows=300, dtype=str)
    frame.insert(0, "id", [f"T{i:04d}" for i in range(len(frame))])
    return frame


@pytest.fixture(scope="session")
def extract_files(toronto_extract: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The extract as CSV, GeoJSON, GeoPackage, Shapefile and GeoParquet."""
    out = tmp_path_factory.mktemp("formats")
    gdf = gpd.GeoDataFrame(
        toronto_extract.drop(columns=["lat", "lon"]),
        geometry=gpd.points_from_xy(
            toronto_extract["lon"].astype(float), toronto_extract["lat"].astype(float)
        ),
        crs="EPSG:4326",
    )
    paths = {
        "csv": out / "t.csv",
        "geojson": out / "t.geojson",
        "gpkg": out / "t.gpkg",
        "shp": out / "t.shp",
        "parquet": out / "t.parquet",
    }
    toronto_extract.to_csv(paths["csv"], index=False)
    gdf.to_file(paths["geojson"], driver="GeoJSON")
    gdf.to_file(paths["gpkg"], driver="GPKG")
    gdf.rename(
        columns={"occurred_at": "occurred", "premises_type": "premises", "neighbourhood": "nbhd"}
    ).to_file(paths["shp"])
    gdf.to_parquet(paths["parquet"])
    return paths
