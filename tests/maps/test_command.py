"""`geo map` run as a user runs it: from report files, from saved results, and its refusals."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from geo.io.export import write_csv, write_frame
from geo.io.manifest import Manifest, OutputFile, read_manifest, write_manifest
from geo.maps.privacy import leaked_coordinates, leaked_texts
from tests._helpers import DEMO_POLICE_ARGS, run_geo
from tests.conftest import DEMO

DEMO_ARGS = [*DEMO_POLICE_ARGS, "--description-col", "Beskrivning", "--source", "police", "--area", "Värnamo"]
run = run_geo


@pytest.mark.slow
def test_internal_and_public_map_from_the_demo_export(tmp_path: Path) -> None:
    out = tmp_path / "maps" / "lagesbild-varnamo.html"
    proc = run("map", *DEMO_ARGS, "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    html = out.read_text(encoding="utf-8")
    assert "SYNTETISKA DEMODATA" in html and "Lägesbild Värnamo" in html and "SWEREF99 TM" in html
    layers = {name for name, _ in pyogrio.list_layers(out.with_suffix(".gpkg"))}
    assert {"study_area", "report_grid", "hotspots", "density_contours", "gistar_cells", "reports"} <= layers
    hs = gpd.read_file(out.with_suffix(".gpkg"), layer="hotspots")
    assert hs.crs.to_epsg() == 3006 and len(hs) >= 5
    summary = (tmp_path / "maps" / "lagesbild-varnamo-sammanfattning.html").read_text(encoding="utf-8")
    assert (
        "@page" in summary
        and "data:image/png;base64," in summary
        and str(hs["hotspot_id"].iloc[0]) in summary
    )
    assert "Wrote" not in proc.stdout and "Skrev " in proc.stdout and " / wrote" not in proc.stdout

    pub = tmp_path / "maps" / "publik.html"
    proc = run(
        "map",
        *DEMO_ARGS,
        "--out",
        str(pub),
        "--public",
        "--k",
        "8",
        "--lang",
        "en",
        "--tiles",
        "none",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    html = pub.read_text(encoding="utf-8")
    assert "SYNTHETIC DEMO DATA" in html and "Incidents per cell" in html
    assert {name for name, _ in pyogrio.list_layers(pub.with_suffix(".gpkg"))} == {
        "study_area",
        "report_grid",
        "hotspots",
        "lagesbild_map",
    }
    assert not (tmp_path / "maps" / "publik-sammanfattning.html").exists()
    grid = gpd.read_file(pub.with_suffix(".gpkg"), layer="report_grid")
    assert (grid["count"] >= 8).all()
    raw = pd.read_csv(DEMO / "polisanmalningar.csv", sep=";", encoding="cp1252", decimal=",")
    assert leaked_texts(html, raw["Beskrivning"].dropna().tolist() + raw["Adress"].dropna().tolist()) == []
    assert leaked_coordinates(html, raw["Latitud"], raw["Longitud"]) == []


def test_map_from_saved_results(tmp_path: Path, demo_reports, demo_hotspots, demo_extras, geo_inproc) -> None:
    from geo.io.outputs.lighting import write_lighting
    from geo.stages.lighting import LightingResult, LightingSettings

    results = tmp_path / "results"
    files = [
        OutputFile(
            "hotspots", str(write_frame(demo_hotspots, results / "hotspots.gpkg", layer="hotspots")), ""
        )
    ]
    lighting = LightingResult(
        settings=LightingSettings(), plan=demo_extras["lighting"], rejects=pd.DataFrame()
    )
    files += write_lighting(lighting, results)
    files.append(
        OutputFile(
            "patrol_plan", str(write_csv(demo_extras["patrol"].table(), results / "patrol_plan.csv")), ""
        )
    )
    write_csv(
        pd.DataFrame(
            {
                "rank": [1],
                "segment_id": ["S0029"],
                "street": ["Jönköpingsvägen"],
                "lat": [57.19],
                "lon": [14.06],
                "limit_kmh": [50],
                "weekdays": ["fre–lör"],
                "start": ["22:00"],
                "end": ["02:00"],
                "passes": [420],
                "share_over_limit": [0.6],
                "share_over_limit_10": [0.3],
                "p85_kmh": [67.0],
            }
        ),
        results / "enforcement_plan.csv",
    )
    (results / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    files += [OutputFile("enforcement_plan", str(results / "enforcement_plan.csv"), "speed")]
    files += [OutputFile("notes", str(results / "notes.csv"), "")]
    manifest = Manifest(files=files)
    write_manifest(manifest, results)
    out = tmp_path / "from-results.html"
    proc = geo_inproc("map", "--results", str(results), "--out", str(out), "--tiles", "none")
    assert proc.returncode == 0, proc.stderr
    html = out.read_text(encoding="utf-8")
    import re

    keys = re.findall(r'LB\.register\("(\w+)"', html)
    assert {
        "hotspots",
        "lamp_proposals",
        "dark_places",
        "lit_coverage",
        "quick_fixes",
        "patrol",
        "enforcement",
    } <= set(keys)
    assert "grid" not in keys  # no reports given: nothing to count
    assert "notes.csv" in proc.stdout  # listed as skipped, not silently used
    first = demo_extras["lighting"].proposals.lamps.sort_values("rank").iloc[0]
    assert str(first["reason"]).split()[0] in html
    # with the reports as well, the grid appears; a map's own GeoPackage in the folder is not a result
    import shutil

    shutil.copy(out.with_suffix(".gpkg"), results / "lagesbild-gammal.gpkg")
    manifest.add([OutputFile("map_gpkg", str(results / "lagesbild-gammal.gpkg"), "maps")])
    write_manifest(manifest, results)
    out2 = tmp_path / "with-reports.html"
    proc = geo_inproc(
        "map",
        str(DEMO / "trygghetsrapporter.csv"),
        "--results",
        str(results),
        "--out",
        str(out2),
        "--tiles",
        "none",
        "--no-summary",
    )
    assert proc.returncode == 0, proc.stderr
    assert 'LB.register("grid"' in out2.read_text(encoding="utf-8")
    assert "lagesbild-gammal.gpkg: a map's own GeoPackage" in proc.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "de"], "--lang"),
        (["--tiles", "ftp://x"], "--tiles"),
        (["--k", "0"], "--k"),
        (["--method", "magic"], "--method"),
    ],
)
def test_bad_options_are_refused_and_nothing_is_written(
    tmp_path: Path, args: list[str], message: str, geo_inproc
) -> None:
    out = tmp_path / "m.html"
    proc = geo_inproc("map", str(DEMO / "trygghetsrapporter.csv"), "--out", str(out), *args)
    assert proc.returncode != 0
    assert message in proc.stderr
    assert not out.exists()


def test_missing_inputs_are_refused(tmp_path: Path, geo_inproc) -> None:
    proc = geo_inproc("map", "--out", str(tmp_path / "m.html"))
    assert proc.returncode != 0 and "--results" in proc.stderr
    proc = geo_inproc("map", "--results", str(tmp_path / "nope"), "--out", str(tmp_path / "m.html"))
    assert proc.returncode != 0 and "results folder not found" in proc.stderr
    (tmp_path / "no-manifest").mkdir()
    (tmp_path / "no-manifest" / "patrol_plan.csv").write_text("a\n1\n", encoding="utf-8")
    proc = geo_inproc("map", "--results", str(tmp_path / "no-manifest"), "--out", str(tmp_path / "m.html"))
    assert proc.returncode != 0 and "run.json" in proc.stderr and "no-manifest" in proc.stderr
    proc = geo_inproc("map", str(DEMO / "trygghetsrapporter.csv"), "--out", str(tmp_path / "m.txt"))
    assert proc.returncode != 0 and ".html" in proc.stderr


def test_help_has_an_example(geo_inproc) -> None:
    proc = geo_inproc("map", "--help")
    assert proc.returncode == 0
    assert "Example: geo map" in proc.stdout and "--public" in proc.stdout and "--results" in proc.stdout


def test_weekday_hour_filter_and_street_labels(tmp_path: Path, geo_inproc) -> None:
    out = tmp_path / "natt.html"
    proc = geo_inproc(
        "map",
        *DEMO_ARGS,
        "--weekdays",
        "fre,lör",
        "--hours",
        "22-03",
        "--streets",
        str(DEMO / "gator.geojson"),
        "--out",
        str(out),
        "--tiles",
        "none",
        "--no-summary",
        "--no-gpkg",
    )
    assert proc.returncode == 0, proc.stderr
    html = out.read_text(encoding="utf-8")
    assert "Urval: fre,lör, kl. 22-03" in html
    raw = pd.read_csv(DEMO / "polisanmalningar.csv", sep=";", encoding="cp1252")
    t = pd.to_datetime(raw["occurred_from"], errors="coerce")
    night = ((t.dt.day_of_week.isin([4, 5])) & ((t.dt.hour >= 22) | (t.dt.hour < 3))).sum()
    n = int(re.search(r"→ ([\d,]+) rapporter", proc.stdout).group(1).replace(",", ""))
    assert abs(n - night) <= 4  # the planted bad rows (outside the area or unreadable) are rejected
    streets = set(gpd.read_file(DEMO / "gator.geojson")["name"].dropna())
    labels = re.findall(r"\\u003ch4\\u003e([^\\]+)\\u003c/h4\\u003e", html)
    assert labels and any(lbl.split(" / ")[0] in streets for lbl in labels)
    proc = geo_inproc("map", *DEMO_ARGS, "--weekdays", "fredag-söndag-x", "--out", str(tmp_path / "x.html"))
    assert proc.returncode != 0 and not (tmp_path / "x.html").exists()


def test_map_stage_and_writer_as_the_pipeline_calls_them(tmp_path: Path, demo_reports, demo_inputs) -> None:
    from geo.io.outputs.maps import write_map
    from geo.stages.maps import MapInputs, MapSettings, map_stage

    settings = MapSettings(tiles="none")
    internal = map_stage(
        demo_reports, demo_inputs, settings, public=False, title="Lägesbild Värnamo", demo=True
    )
    files = write_map(internal, tmp_path / "lagesbild-varnamo-2026.html")
    paths = {f.kind: Path(f.path) for f in files if f.layer is None}
    assert set(paths) - {"map_summary_pdf"} == {"map", "map_gpkg", "map_summary"}  # the PDF where Chromium is
    assert all(p.exists() for p in paths.values())
    layers = {name for name, _ in pyogrio.list_layers(paths["map_gpkg"])}
    assert {"hotspots", "lighting_proposals", "patrol_visits", "report_grid", "lagesbild_map"} <= layers
    public = map_stage(
        demo_reports,
        MapInputs(hotspots=demo_inputs.hotspots),
        settings.model_copy(update={"k": 5}),
        public=True,
    )
    kinds = {f.kind for f in write_map(public, tmp_path / "publik.html") if f.layer is None}
    assert kinds == {"map_public", "map_public_gpkg"}


def test_map_from_results_draws_the_plan_not_the_naive_plan(
    tmp_path: Path, demo_hotspots, patrol_with_naive, geo_inproc
) -> None:
    """Regression: `geo map --results DIR` (manifest with patrol_plan and patrol_naive) draws the plan."""
    from tests.maps.conftest import NAIVE_PLACE, NAIVE_WINDOW

    plan = patrol_with_naive.plan
    results = tmp_path / "results"
    files = [
        OutputFile(
            "patrol_naive", str(write_csv(plan.table(naive=True), results / "patrol_naive.csv")), "patrol"
        ),
        OutputFile("patrol_plan", str(write_csv(plan.table(), results / "patrol_plan.csv")), "patrol"),
        OutputFile("hotspots", str(write_frame(demo_hotspots, results / "hotspots.geojson")), "hotspots"),
    ]
    write_manifest(Manifest(files=files), results)
    out = tmp_path / "karta.html"
    proc = geo_inproc("map", "--results", str(results), "--out", str(out), "--tiles", "none")
    assert proc.returncode == 0, proc.stderr
    assert "patrol_naive.csv" in proc.stdout  # listed as not drawn
    first = plan.visits.iloc[0]
    window = f"{first['start']}–{first['end']}"
    naive_window = "–".join(NAIVE_WINDOW)
    html = out.read_text(encoding="utf-8")
    summary = (tmp_path / "karta-sammanfattning.html").read_text(encoding="utf-8")
    assert str(first["place"]) in html and window in html
    assert NAIVE_PLACE not in html and naive_window not in html
    assert str(first["place"]) in summary and str(first["start"]) in summary  # the plan's places and times
    assert NAIVE_PLACE not in summary and NAIVE_WINDOW[0] not in summary
    visits = gpd.read_file(out.with_suffix(".gpkg"), layer="patrol_visits")
    assert set(visits["place"]) == set(plan.visits["place"])
    # the command records what it wrote in the output folder's manifest
    manifest = read_manifest(tmp_path)
    assert {"map", "map_gpkg", "map_summary"} <= set(manifest.kinds) and "maps" in manifest.settings


def test_command_and_stage_give_the_same_map(tmp_path: Path, geo_inproc) -> None:
    """`geo map FILE` equals reading FILE, the hot-spot stage, the map stage and the writer run directly."""
    from geo.commands._common import ReaderArgs
    from geo.io import read_reports
    from geo.io.outputs.maps import write_map
    from geo.stages.hotspots import HotspotSettings, hotspots_stage
    from geo.stages.maps import MapInputs, MapSettings, map_stage

    src = DEMO / "trygghetsrapporter.csv"
    out = tmp_path / "cmd" / "karta.html"
    proc = geo_inproc("map", str(src), "--out", str(out), "--tiles", "none", "--k", "6", "--method", "kde")
    assert proc.returncode == 0, proc.stderr
    reports = read_reports([str(src)], ReaderArgs().options()).reports
    found = hotspots_stage(reports, HotspotSettings(method="kde"))
    result = map_stage(
        reports, MapInputs.from_results(hotspots=found), MapSettings(tiles="none", k=6), public=False
    )
    write_map(result, tmp_path / "direct" / "karta.html")
    names = {n for n, _ in pyogrio.list_layers(out.with_suffix(".gpkg"))}
    assert (
        names
        == {n for n, _ in pyogrio.list_layers(tmp_path / "direct" / "karta.gpkg")}
        == set(result.package)
    )
    for name in names - {"lagesbild_map"}:
        a = gpd.read_file(out.with_suffix(".gpkg"), layer=name)
        b = gpd.read_file(tmp_path / "direct" / "karta.gpkg", layer=name)
        pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b), check_dtype=False)
