"""Lamp registers as municipalities export them: statuses in Swedish, projected coordinates, bad rows."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.errors import InputError
from geo.io import ReaderOptions, read_reports
from geo.layers.lighting import build_lighting, classify_lit, normalise_status, read_lamp_register
from geo.plan.lighting import follow_up, quick_fixes

CRS = "EPSG:3006"
X0, Y0 = 442000.0, 6338000.0  # Värnamo, SWEREF 99 TM


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("trasig", "broken"),
        ("Ur funktion", "broken"),
        ("BROKEN", "broken"),
        ("släckt", "broken"),
        ("halvnatt", "part_night"),
        ("Halvnattsbelysning", "part_night"),
        ("part-night", "part_night"),
        ("part_night", "part_night"),
        ("ok", "ok"),
        ("fungerar", "ok"),
        ("", "ok"),
        (None, "ok"),
        ("grön", None),
    ],
)
def test_status_values(value: object, expected: str | None) -> None:
    assert normalise_status(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", "lit"),
        ("24/7", "lit"),
        ("automatic", "lit"),
        ("limited", "limited"),
        ("no", "unlit"),
        ("disused", "unlit"),
        (None, "unknown"),
        ("sunset-23:00", "limited"),
        ("maybe", "unknown"),
    ],
)
def test_lit_values(value: object, expected: str) -> None:
    assert classify_lit(value) == expected


def _register_csv(path: Path, rows: list[tuple[str, float, float, str]]) -> Path:
    text = "Stolpnummer;X;Y;Skick\n" + "".join(f"{i};{x:.1f};{y:.1f};{s}\n" for i, x, y, s in rows)
    path.write_bytes(text.encode("cp1252"))
    return path


def test_projected_register_with_swedish_statuses(tmp_path: Path) -> None:
    path = _register_csv(
        tmp_path / "belysning.csv",
        [
            ("A1", X0, Y0, "OK"),
            ("A2", X0 + 40, Y0, "Trasig"),
            ("A3", X0 + 80, Y0, "Halvnatt"),
            ("A4", X0 + 120, Y0, ""),
        ],
    )
    lamps = read_lamp_register(path, crs=CRS, source_crs=CRS)
    assert list(lamps["lamp_id"]) == ["A1", "A2", "A3", "A4"]
    assert list(lamps["status"]) == ["ok", "broken", "part_night", "ok"]
    assert list(lamps["source_row"]) == [2, 3, 4, 5]
    np.testing.assert_allclose(lamps.geometry.x, [X0, X0 + 40, X0 + 80, X0 + 120])


def test_unknown_status_names_file_row_and_field(tmp_path: Path) -> None:
    path = _register_csv(tmp_path / "lampor.csv", [("A1", X0, Y0, "ok"), ("A2", X0, Y0, "lila")])
    with pytest.raises(InputError, match=r"lampor\.csv, row 3, field 'Skick'.*'lila'"):
        read_lamp_register(path, crs=CRS, source_crs=CRS)


def test_bad_position_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "lampor.csv"
    path.write_text("id,lat,lon\n1,57.18,14.04\n2,,14.05\n3,57.19,abc\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 3.*2 lamp\(s\) without a usable position"):
        read_lamp_register(path, crs=CRS)


def test_register_without_ways_is_an_error_and_cli_writes_nothing(tmp_path: Path, geo_inproc) -> None:
    lamps = _register_csv(tmp_path / "lampor.csv", [("A1", X0, Y0, "ok"), ("A2", X0, Y0, "lila")])
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


def _street_and_lamps() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    street = gpd.GeoDataFrame(
        {"way_id": ["w"], "highway": ["residential"], "name": ["Lönngatan"], "lit": ["yes"]},
        geometry=[shapely.LineString([(X0, Y0), (X0 + 400, Y0)])],
        crs=CRS,
    )
    xs = np.arange(0, 401, 40.0)
    status = ["ok"] * len(xs)
    status[5] = "broken"  # at 200 m
    status[8] = "part_night"  # at 320 m
    lamps = gpd.GeoDataFrame(
        {"lamp_id": [f"L{i}" for i in range(len(xs))], "status": status},
        geometry=shapely.points(X0 + xs, np.full(len(xs), Y0)),
        crs=CRS,
    )
    return street, lamps


def test_broken_lamp_makes_a_lit_street_dark_around_it() -> None:
    street, lamps = _street_and_lamps()
    layer = build_lighting(lamps, street, radius_m=25.0, lit_way_buffer_m=12.0)
    dark = layer.dark_stretches
    # lamps at 160 and 240 m light to 185 and 215 m: the 30 m between is dark despite lit=yes
    assert len(dark) == 1
    assert dark["length_m"].iloc[0] == pytest.approx(30.0, abs=0.5)
    x = shapely.get_coordinates(dark.geometry.iloc[0])[:, 0] - X0
    assert x.min() == pytest.approx(185.0, abs=0.5) and x.max() == pytest.approx(215.0, abs=0.5)
    assert dark["street"].iloc[0] == "Lönngatan"
    # without the register's broken lamp, the tag lights it all
    ok = build_lighting(lamps.assign(status="ok"), street, radius_m=25.0)
    assert ok.dark_stretches.empty


def _reports(tmp_path: Path, rows: list[tuple[float, str, str]]) -> gpd.GeoDataFrame:
    """Reports at x metres along the street, with local time and category."""
    frame = gpd.GeoDataFrame(
        {
            "id": [f"r{i}" for i in range(len(rows))],
            "time": [t for _, t, _ in rows],
            "category": [c for _, _, c in rows],
        },
        geometry=shapely.points([X0 + x for x, _, _ in rows], [Y0 + 3.0] * len(rows)),
        crs=CRS,
    )
    wgs = frame.to_crs("EPSG:4326")
    table = pd.DataFrame(
        {
            "id": frame["id"],
            "time": frame["time"],
            "category": frame["category"],
            "lat": wgs.geometry.y,
            "lon": wgs.geometry.x,
        }
    )
    path = tmp_path / "reports.csv"
    table.to_csv(path, index=False)
    return read_reports([path], ReaderOptions(), crs=CRS).reports


def test_quick_fixes_broken_and_part_night_lamps(tmp_path: Path) -> None:
    street, lamps = _street_and_lamps()
    layer = build_lighting(lamps, street, radius_m=25.0)
    reports = _reports(
        tmp_path,
        [
            (200, "2024-12-03 21:00", "rån"),
            (205, "2024-12-04 22:00", "misshandel"),  # dark, at the broken lamp
            (200, "2024-06-03 12:00", "stöld"),  # daylight: not evidence
            (320, "2024-12-05 02:30", "misshandel"),  # part-night lamp, while it is off
            (322, "2024-12-05 20:00", "misshandel"),  # part-night lamp, while it is on: not evidence
            (40, "2024-10-01 10:00", "trasig belysning"),  # resident reports a broken lamp at an ok lamp
        ],
    )
    fixes = quick_fixes(reports, layer)
    by_id = fixes.set_index("lamp_id")
    assert by_id.loc["L5", "status"] == "broken" and by_id.loc["L5", "dark_reports"] == 2
    assert by_id.loc["L8", "status"] == "part_night" and by_id.loc["L8", "dark_reports"] == 1
    assert "halvnatt" in by_id.loc["L8", "reason"].lower() or "Halvnatt" in by_id.loc["L8", "reason"]
    assert by_id.loc["L1", "broken_reports"] == 1 and by_id.loc["L1", "status"] == "ok"
    assert fixes.iloc[0]["lamp_id"] == "L5" and list(fixes["rank"]) == list(range(1, len(fixes) + 1))


def test_follow_up_counts_and_caveat(tmp_path: Path) -> None:
    # affected area: x 0-100 m; comparison ring 50-500 m around it; lamps fixed 2024-12-15
    rows = []
    rows += [(50, f"2024-12-{d:02d} 22:00", "rån") for d in (1, 3, 5, 7, 9, 11)]  # before, affected: 6
    rows += [(60, f"2024-12-{d:02d} 22:00", "rån") for d in (17, 20)]  # after, affected: 2
    rows += [(300, f"2024-12-{d:02d} 22:00", "rån") for d in (2, 4, 6, 8)]  # before, comparison: 4
    rows += [(310, f"2024-12-{d:02d} 22:00", "rån") for d in (18, 21, 24, 26)]  # after, comparison: 4
    rows += [(50, "2024-12-16 12:00", "rån")]  # daylight: not counted
    reports = _reports(tmp_path, rows)
    area = shapely.box(X0 - 5, Y0 - 20, X0 + 100, Y0 + 20)
    res = follow_up(reports, affected=area, changed_at=pd.Timestamp("2024-12-15"), window_days=14)
    t = res.table.set_index("area")
    assert (t.loc["affected", "before"], t.loc["affected", "after"]) == (6, 2)
    assert (t.loc["comparison", "before"], t.loc["comparison", "after"]) == (4, 4)
    assert res.ratio == pytest.approx((2 / 6) / (4 / 4))
    assert res.ci_low < res.ratio < res.ci_high and res.ci_high > 1
    assert "små tal bevisar lite" in res.note and "ingen säker skillnad" in res.note
    # by default the longest equal windows the data allow: 13 days before (from Dec 1), 11 after (to Dec 26)
    auto = follow_up(reports, affected=area, changed_at=pd.Timestamp("2024-12-15")).table.set_index("area")
    assert auto.loc["affected", "days_before"] == auto.loc["affected", "days_after"] == 11
    assert (auto.loc["affected", "before"], auto.loc["affected", "after"]) == (4, 2)


def test_cli_register_gpkg_with_follow_up(tmp_path: Path, geo_inproc) -> None:
    """A register as GeoPackage, ways as GeoJSON, follow-up over an area file: every output is written."""
    street, lamps = _street_and_lamps()
    lamps.to_file(tmp_path / "lampor.gpkg", layer="lampor")
    street.to_file(tmp_path / "gator.geojson")
    rows = [(200, f"2024-11-{d:02d} 21:00", "rån") for d in (2, 4, 6)]  # before, at the broken lamp
    rows += [(205, "2024-11-20 21:00", "rån")]  # after
    rows += [(380, f"2024-11-{d:02d} 21:30", "stöld") for d in (3, 21, 23)]  # comparison ring
    _reports(tmp_path, rows)
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
    assert "Laga först trasig lampa L5" in props.loc[0, "reason"]
    fixes = pd.read_csv(out / "quick_fixes.csv")
    assert fixes.loc[0, "lamp_id"] == "L5"
