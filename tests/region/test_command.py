"""``geo run CONFIG --municipalities ... | --areas FILE``: folders, overview with map links, exit code."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from typer.testing import CliRunner

from geo.cli import app
from geo.io.region import load_region_areas
from geo.region.task import AreaOutcome
from tests.region.conftest import plants, write_config, write_world


def test_geo_run_municipalities_on_dask_writes_each_folder_and_the_overview(tmp_path: Path) -> None:
    chosen, _ = load_region_areas(county="06")
    config = write_config(tmp_path, write_world(tmp_path, plants(chosen, ("0683",))), maps=True)
    pop = tmp_path / "befolkning.csv"
    pop.write_text("code,population\n0683,34000\n", encoding="utf-8")
    out = tmp_path / "ut"
    args = ["run", str(config), "--municipalities", "0683,0662", "--population", str(pop)]
    res = CliRunner().invoke(app, [*args, "--workers", "1", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "2 av 2 områden" in res.output
    table = pd.read_csv(out / "overview.csv", dtype={"code": str}).set_index("code")
    assert list(table.index) == ["0662", "0683"]
    assert table.loc["0683", "hotspots"] == 1 and table.loc["0662", "hotspots"] == 0
    assert table.loc["0683", "reports_per_1000"] == round(1000 * table.loc["0683", "reports"] / 34000, 2)
    assert pd.isna(table.loc["0662", "reports_per_1000"])  # no population given
    for code, folder in (("0683", "0683-Värnamo"), ("0662", "0662-Gislaved")):
        assert table.loc[code, "folder"] == folder
        assert (out / table.loc[code, "map"]).exists()
        assert table.loc[code, "map"].startswith(f"{folder}/lagesbild-")
    page = (out / "overview.html").read_text(encoding="utf-8")
    assert 'href="0683-Värnamo/lagesbild-varnamo-' in page and "Vad har ändrats" in page
    assert not list(out.glob(".partitions-*"))  # the temporary partitions are gone


def test_areas_file_and_exit_code_when_every_area_fails(tmp_path: Path, monkeypatch) -> None:
    import geo.region.many

    chosen, _ = load_region_areas(county="06")
    config = write_config(tmp_path, write_world(tmp_path, []))
    areas = tmp_path / "omraden.geojson"
    two = chosen[chosen["code"].isin(["0683", "0617"])].rename(columns={"name": "namn"})
    gpd.GeoDataFrame(two[["code", "namn", "geometry"]], crs=chosen.crs).to_file(areas)

    def every_one_fails(jobs, **_kw):
        return [AreaOutcome(code=j.code, name=j.name, ok=False, error="MemoryError: slut") for j in jobs]

    monkeypatch.setattr(geo.region.many, "run_jobs", every_one_fails)
    res = CliRunner().invoke(app, ["run", str(config), "--areas", str(areas), "--out", str(tmp_path / "ut")])
    assert res.exit_code == 1
    assert "0683 Värnamo: MemoryError: slut" in res.output
    table = pd.read_csv(tmp_path / "ut" / "overview.csv", dtype={"code": str})
    assert table["status"].tolist() == ["failed", "failed"]


def test_the_console_speaks_the_runs_language(tmp_path: Path, monkeypatch) -> None:
    import geo.region.many

    config = write_config(tmp_path, write_world(tmp_path, []))

    def every_one_fails(jobs, **_kw):
        return [AreaOutcome(code=j.code, name=j.name, ok=False, error="MemoryError: slut") for j in jobs]

    monkeypatch.setattr(geo.region.many, "run_jobs", every_one_fails)
    args = ["run", str(config), "--municipalities", "0683", "--out", str(tmp_path / "ut")]
    english = CliRunner().invoke(app, [*args, "--lang", "en"])
    assert "Done: 0 of 1 areas" in english.output and "Every area failed" in english.output
    assert "rows read" in english.output and "Klart" not in english.output
    swedish = CliRunner().invoke(app, args)
    assert "Klart: 0 av 1 områden" in swedish.output and "Alla områden misslyckades" in swedish.output
