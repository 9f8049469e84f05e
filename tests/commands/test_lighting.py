"""``geo lighting``: every output written, nothing written on a bad register, same files as the stage."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from geopandas.testing import assert_geodataframe_equal

from tests.layers.lighting.street import CRS, X0, Y0, register_csv, reports_along, street_and_lamps


def test_register_without_ways_is_an_error_and_cli_writes_nothing(tmp_path: Path, geo_inproc) -> None:
    lamps = register_csv(tmp_path / "lampor.csv", [("A1", X0, Y0, "ok"), ("A2", X0, Y0, "lila")])
    reports = tmp_path / "r.csv"
    reports.write_text("lat,lon,time,category\n57.18,14.04,2024-12-01 22:00,rån\n", encoding="utf-8")
    ways = tmp_path / "ways.geojson"
    gpd.GeoDataFrame(
        {"highway": ["footway"]}, geometry=[shapely.LineString([(X0, Y0), (X0 + 50, Y0)])], crs=CRS
    ).to_file(ways)
    out = tmp_path / "out"
    args = ["lighting", str(reports), "--lamps", str(lamps), "--lamps-crs", CRS, "--out", str(out)]
    proc = geo_inproc(*args, "--ways", str(ways))
    code, err = proc.returncode, proc.stderr
    assert code == 1
    assert "lampor.csv, row 3, field 'Skick'" in err
    assert not out.exists() or not any(out.iterdir())  # nothing written, not even the rejects table
    proc = geo_inproc(*args)
    code, err = proc.returncode, proc.stderr
    assert code == 1 and "--ways" in err
    assert not out.exists() or not any(out.iterdir())


def test_cli_register_gpkg_with_follow_up(tmp_path: Path, geo_inproc) -> None:
    """A register as GeoPackage, ways as GeoJSON, follow-up over an area file: every output is written."""
    street, lamps = street_and_lamps()
    lamps.to_file(tmp_path / "lampor.gpkg", layer="lampor")
    street.to_file(tmp_path / "gator.geojson")
    rows = [(200, f"2024-11-{d:02d} 21:00", "rån") for d in (2, 4, 6)]  # before, at the broken lamp
    rows += [(205, "2024-11-20 21:00", "rån")]  # after
    rows += [(380, f"2024-11-{d:02d} 21:30", "stöld") for d in (3, 21, 23)]  # comparison ring
    reports_along(tmp_path, rows)
    area = gpd.GeoDataFrame(geometry=[shapely.box(X0 + 150, Y0 - 30, X0 + 250, Y0 + 30)], crs=CRS)
    area.to_file(tmp_path / "lagat.geojson")
    out = tmp_path / "ut"
    proc = geo_inproc(
        "lighting",
        str(tmp_path / "reports.csv"),
        "--lamps",
        str(tmp_path / "lampor.gpkg"),
        "--ways",
        str(tmp_path / "gator.geojson"),
        "--budget",
        "2",
        "--radius",
        "25",
        "--out",
        str(out),
        "--follow-up-date",
        "2024-11-15",
        "--follow-up-days",
        "14",
        "--follow-up-area",
        str(tmp_path / "lagat.geojson"),
    )
    code, err = proc.returncode, proc.stderr
    assert code == 0, err
    follow = pd.read_csv(out / "follow_up.csv").set_index("area")
    assert (follow.loc["affected", "before"], follow.loc["affected", "after"]) == (3, 1)
    assert "små tal bevisar lite" in follow.loc["affected", "note"]
    summary = json.loads((out / "lighting_summary.json").read_text(encoding="utf-8"))
    assert summary["layer"]["lamps_broken"] == 1 and summary["optimiser"]["method"] in ("mclp", "greedy")
    props = pd.read_csv(out / "lighting_proposals.csv")
    assert len(props) == 1 and props.loc[0, "covered_reports"] == 4
    assert "Laga först den trasiga lampan L5" in props.loc[0, "reason"]
    fixes = pd.read_csv(out / "quick_fixes.csv")
    assert fixes.loc[0, "lamp_id"] == "L5"


def test_command_and_stage_give_identical_files(tmp_path: Path, geo_inproc) -> None:
    """`geo lighting` writes exactly what lighting_stage + write_lighting write for the same settings."""
    import pyogrio

    from geo.commands._common import ReaderArgs
    from geo.io import read_reports
    from geo.io.lamps import read_lighting_sources
    from geo.io.manifest import read_manifest
    from geo.io.outputs.lighting import write_lighting
    from geo.stages.lighting import LightingSettings, lighting_stage

    street, lamps = street_and_lamps()
    lamps.to_file(tmp_path / "lampor.gpkg", layer="lampor")
    street.to_file(tmp_path / "gator.geojson")
    reports_along(tmp_path, [(200, f"2024-11-{d:02d} 21:00", "rån") for d in (2, 4, 6)])
    out = tmp_path / "cli"
    args = ["--lamps", str(tmp_path / "lampor.gpkg"), "--ways", str(tmp_path / "gator.geojson")]
    proc = geo_inproc(
        "lighting", str(tmp_path / "reports.csv"), *args, "--budget", "2", "--spacing", "5", "--out", str(out)
    )
    assert proc.returncode == 0, proc.stderr

    settings = LightingSettings(budget=2, spacing_m=5)
    lamp_frame, way_frame, rejects = read_lighting_sources(
        tmp_path / "lampor.gpkg", tmp_path / "gator.geojson", crs="EPSG:4326"
    )
    reports = read_reports([str(tmp_path / "reports.csv")], ReaderArgs().options()).reports
    result = lighting_stage(reports, lamp_frame, way_frame, settings, rejects=rejects)
    files = write_lighting(result, tmp_path / "lib")

    manifest = read_manifest(out)
    assert manifest.settings["lighting"] == settings.model_dump(mode="json")
    assert [f.kind for f in files] == manifest.kinds
    for f in files:
        if f.layer is not None:
            continue
        name = Path(f.path).name
        if name.endswith(".csv"):
            pd.testing.assert_frame_equal(pd.read_csv(out / name), pd.read_csv(f.path))
        elif name.endswith(".json"):
            assert json.loads((out / name).read_text("utf-8")) == json.loads(Path(f.path).read_text("utf-8"))
        else:
            layers = [n for n, _ in pyogrio.list_layers(f.path)]
            assert [n for n, _ in pyogrio.list_layers(out / name)] == layers
            for layer in layers:
                assert_geodataframe_equal(
                    gpd.read_file(out / name, layer=layer), gpd.read_file(f.path, layer=layer)
                )
