"""The hot-spot writer: GeoJSON in WGS84 with text columns kept, GeoPackage layers, the files it reports."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest

from geo.errors import InputError
from geo.io.outputs.hotspots import write_hotspots
from geo.model import Reports
from geo.stages.hotspots import HotspotResult, HotspotSettings, hotspots_stage


@pytest.fixture(scope="module")
def dbscan_result(demo_police: Reports) -> HotspotResult:
    return hotspots_stage(demo_police, HotspotSettings(overview=False))


@pytest.fixture(scope="module")
def gistar_result(demo_police: Reports) -> HotspotResult:
    return hotspots_stage(
        demo_police, HotspotSettings(method="gistar", cell_m=250, band_m=400, overview=False)
    )


def test_geojson_is_wgs84_with_json_text_kept(tmp_path: Path, dbscan_result: HotspotResult) -> None:
    out = tmp_path / "hs.geojson"
    files = write_hotspots(dbscan_result, out)
    assert [(f.kind, f.path, f.stage, f.layer) for f in files] == [("hotspots", str(out), "hotspots", None)]
    back = gpd.read_file(out)
    assert back.crs.to_epsg() == 4326 and len(back) == len(dbscan_result.hotspots)
    assert isinstance(back["profile"].iloc[0], str) and len(json.loads(back["profile"].iloc[0])) == 168
    assert not list(tmp_path.glob(".*tmp*"))  # written atomically, no temporary left


def test_gistar_writes_every_cell_to_its_layer(tmp_path: Path, gistar_result: HotspotResult) -> None:
    out = tmp_path / "cells.gpkg"
    files = write_hotspots(gistar_result, out)
    assert [(f.kind, f.layer) for f in files] == [("gistar", "gistar")]
    assert pyogrio.list_layers(out)[:, 0].tolist() == ["gistar"]
    cells = gpd.read_file(out, layer="gistar")
    assert gistar_result.gistar is not None and len(cells) == len(gistar_result.gistar)
    assert cells.crs == gistar_result.gistar.crs and "hotspot_id" in cells.columns
    write_hotspots(gistar_result, out, layer="hotspots")  # a second layer joins the package
    assert sorted(pyogrio.list_layers(out)[:, 0].tolist()) == ["gistar", "hotspots"]


def test_bad_suffix_and_missing_cells(tmp_path: Path, dbscan_result: HotspotResult) -> None:
    with pytest.raises(InputError, match=".geojson or .gpkg"):
        write_hotspots(dbscan_result, tmp_path / "hs.shp")
    with pytest.raises(InputError, match="Gi"):
        write_hotspots(dbscan_result, tmp_path / "cells.geojson", layer="gistar")
    assert not list(tmp_path.iterdir())
