"""Priority areas: figures in every run (areas.csv, summary page) and `geo history --area` across runs."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
from shapely.geometry import box, mapping

from geo.config import parse_config
from geo.pipeline import run
from geo.rhythm.areas import AREA_COLUMNS
from tests.rhythm.conftest import PLACES, town_config

GEO = Path(sys.executable).with_name("geo")
MONDAYS = [dt.date(2026, 2, 16), dt.date(2026, 2, 23), dt.date(2026, 3, 2), dt.date(2026, 3, 9)]


def _with_areas(town: Path, store: Path):
    lat, lon, *_ = PLACES["stops"]
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": mapping(box(lon - 0.003, lat - 0.002, lon + 0.003, lat + 0.002)),
    }
    (town / "torget.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8"
    )
    base = town_config(town, weeks=1, store=store)
    data = base.model_dump(mode="json", exclude={"path"}, exclude_none=True)
    data["areas"] = [{"name": "Torget", "file": "torget.geojson"}]
    return parse_config(data, path=town / "town.toml")


def test_area_figures_every_run_and_the_history(town):
    store = town / "kept.gpkg"
    config = _with_areas(town, store)
    results = [run(config, out_dir=town / str(d), as_of=d) for d in MONDAYS]
    for r in results:
        figures = pd.read_csv(r.outputs["areas"])
        assert list(figures.columns) == AREA_COLUMNS and list(figures["area"]) == ["Torget"]
        page = r.outputs["map_summary"].read_text(encoding="utf-8")
        assert "Prioriterade områden" in page and "Torget:" in page
    before_stop = pd.read_csv(results[1].outputs["areas"]).iloc[0]
    after_stop = pd.read_csv(results[3].outputs["areas"]).iloc[0]
    assert before_stop["n_reports"] >= 8 and after_stop["n_reports"] < before_stop["n_reports"] / 2
    assert after_stop["n_previous"] < before_stop["n_reports"] or after_stop["change_pct"] < 0

    png = town / "torget.png"
    proc = subprocess.run(
        [str(GEO), "history", "--store", str(store), "--area", "Torget", "--out", str(png)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    for week in ("2026-W07", "2026-W08", "2026-W09", "2026-W10"):
        assert week in proc.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    missing = subprocess.run(
        [str(GEO), "history", "--store", str(store), "--area", "Ingenstans"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode == 1 and "Torget" in (missing.stdout + missing.stderr)


def test_weekly_series_crosses_the_autumn_clock_change():
    """Regression: the day-by-day loop never left 2023-10-29 (25 hours long) and hung `geo demo`."""
    import geopandas as gpd

    from geo.rhythm.areas import area_weeks

    tz = "Europe/Stockholm"
    times = pd.to_datetime(["2023-10-28 12:00", "2023-10-29 23:30", "2023-10-30 01:00"]).tz_localize(tz)
    pts = gpd.GeoDataFrame(
        {"occurred_at": times}, geometry=gpd.points_from_xy([1, 1, 1], [1, 1, 1]), crs=3006
    )
    weeks = area_weeks(
        pts, box(0, 0, 2, 2), start=pd.Timestamp("2023-10-23", tz=tz), end=pd.Timestamp("2023-11-06", tz=tz)
    )
    assert weeks == {"2023-W43": 2, "2023-W44": 1}
