"""find_hotspots on planted truth: seeded synthetic hot-spots and the Värnamo demo world."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from geo.hotspots import find_hotspots
from geo.io.area import load_area

from ._helpers import member_centres, nearest

WEEKDAY_SV = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")


@pytest.mark.parametrize("method", ["dbscan", "hdbscan", "kde"])
def test_synthetic_planted_found(planted, method: str) -> None:
    reports, truth = planted
    hs = find_hotspots(reports, method=method)
    centres = member_centres(hs, reports)
    for x, y, r, n, _, _ in truth:
        i, d = nearest(centres, x, y)
        assert d <= r, f"{method}: planted hot-spot at ({x}, {y}) missed by {d:.0f} m"
        assert hs["n_reports"].iloc[i] >= 0.8 * n


def test_synthetic_peak_windows(planted) -> None:
    reports, truth = planted
    hs = find_hotspots(reports, method="dbscan")
    centres = member_centres(hs, reports)
    expected = ["fre–lör 22–03", "mån–fre 07–09", "alla dagar 17–21"]
    for (x, y, *_), text in zip(truth, expected, strict=True):
        i, _ = nearest(centres, x, y)
        assert hs["peak_windows"].iloc[i] == text


def test_gistar_hotspots_are_significant_cells(planted) -> None:
    reports, truth = planted
    hs = find_hotspots(reports, method="gistar", cell_m=100, band_m=150, alpha=0.05)
    assert len(hs) >= 1
    centres = member_centres(hs, reports)
    for x, y, r, *_ in truth[:2]:
        assert nearest(centres, x, y)[1] <= 2 * r


def test_choices_are_recorded(planted) -> None:
    reports, _ = planted
    hs = find_hotspots(reports, method="dbscan")
    assert {"eps_m", "min_samples"} <= set(hs.attrs["auto"])
    assert "k-avstånd" in hs.attrs["choices"]["eps_m"][1]
    given = find_hotspots(reports, method="dbscan", eps_m=50, min_samples=8)
    assert given.attrs["auto"] == []
    assert given.attrs["choices"]["eps_m"][0] == 50


def test_bad_arguments_and_empty(planted) -> None:
    reports, _ = planted
    with pytest.raises(ValueError, match="method"):
        find_hotspots(reports, method="kmeans")
    with pytest.raises(ValueError, match="eps_m"):
        find_hotspots(reports, eps_m=-1)
    with pytest.raises(ValueError, match="share"):
        find_hotspots(reports, method="kde", share=1.5)
    empty = find_hotspots(reports.iloc[:0], method="dbscan")
    assert len(empty) == 0 and "hotspot_id" in empty.columns
    wgs = reports.to_crs("EPSG:4326")
    with pytest.raises(ValueError, match="degrees"):
        find_hotspots(wgs)


def test_municipality_precision_is_left_out(demo_reports) -> None:
    mixed = demo_reports.copy()
    mixed["location_precision"] = mixed["location_precision"].astype("string")
    mixed.loc[mixed.index[:100], "location_precision"] = "municipality"
    hs = find_hotspots(mixed, method="dbscan")
    ids = {i for s in hs["member_ids"] for i in json.loads(s)}
    assert not ids & set(mixed["report_id"].iloc[:100])
    assert hs.attrs["n_point_reports"] == len(mixed) - 100


# --- the Värnamo demo world -------------------------------------------------------------------------------


def _check_found(hs, reports, truth: dict, method: str) -> dict[str, int]:
    centres = member_centres(hs, reports)
    found = {}
    for spot in truth["hotspots"]:
        i, d = nearest(centres, spot["x"], spot["y"])
        assert d <= spot["radius_m"], (
            f"{method}: {spot['id']} missed by {d:.0f} m (radius {spot['radius_m']})"
        )
        found[spot["id"]] = i
    return found


@pytest.mark.parametrize("method", ["dbscan", "hdbscan", "kde"])
def test_demo_world_planted_hotspots_found(demo_reports, demo_truth, demo_streets, method: str) -> None:
    area = load_area("0683").to_crs(demo_reports.crs)
    hs = find_hotspots(demo_reports, method=method, area=area, streets=demo_streets)
    found = _check_found(hs, demo_reports, demo_truth, method)
    assert len(set(found.values())) == len(found), f"{method}: two planted hot-spots merged"
    # the polygon itself sits on the place too (its centroid within the planted radius)
    for spot in demo_truth["hotspots"]:
        centroid = hs.geometry.iloc[found[spot["id"]]].centroid
        assert np.hypot(centroid.x - spot["x"], centroid.y - spot["y"]) <= spot["radius_m"], (
            method,
            spot["id"],
        )
    for spot in demo_truth["hotspots"]:
        row = hs.iloc[found[spot["id"]]]
        assert row["trend"] == spot["trend"], f"{method}: {spot['id']} trend {row['trend']}"
        members = set(json.loads(row["member_ids"]))
        assert len(members & set(spot["member_ids"])) >= 0.7 * spot["n_reports"]
        assert row["label"], "every hot-spot has a label"


def _window_hours(text: str) -> set[int]:
    hours = text.split(";")[0].rsplit(" ", 1)[1]
    a, b = (int(v) for v in hours.split("–"))
    return {(a + k) % 24 for k in range((b - a) % 24 or 24)}


def _window_days(text: str) -> set[int]:
    days_text = text.split(";")[0].rsplit(" ", 1)[0]
    if days_text == "alla dagar":
        return set(range(7))
    out: set[int] = set()
    for part in days_text.split(", "):
        if "–" in part:
            a, b = (WEEKDAY_SV.index(p) for p in part.split("–"))
            k = a
            while True:
                out.add(k)
                if k == b:
                    break
                k = (k + 1) % 7
        else:
            out.add(WEEKDAY_SV.index(part))
    return out


def test_demo_world_peak_windows_match_planted_hours(demo_reports, demo_truth) -> None:
    hs = find_hotspots(demo_reports, method="dbscan")
    found = _check_found(hs, demo_reports, demo_truth, "dbscan")
    for spot in demo_truth["hotspots"]:
        text = hs["peak_windows"].iloc[found[spot["id"]]]
        if spot["at_dusk"]:  # "vid skymning": dusk moves through the year; it is dark, in the evening
            assert hs["dark_share"].iloc[found[spot["id"]]] > max(0.7, demo_reports["is_dark"].mean() + 0.2)
            continue
        planted = set(spot["hours"])
        if spot["windowed_reports"] < 0.5 * spot["n_reports"]:
            assert text == spot["peak_window"].replace("mån–sön", "alla dagar"), spot["id"]
        else:  # burglaries known only within a window: the aoristic profile widens the peak
            assert planted <= _window_hours(text), (spot["id"], text)
            assert len(_window_days(text)) >= 5


def test_quiet_world_every_hotspot_has_a_planted_source(quiet_world) -> None:
    reports, truth = quiet_world
    for method, kwargs in (("dbscan", {}), ("hdbscan", {}), ("kde", {})):
        hs = find_hotspots(reports, method=method, **kwargs)
        _check_found(hs, reports, truth, method)
        centres = member_centres(hs, reports)
        planted = np.array([[s["x"], s["y"]] for s in truth["hotspots"]])
        radius = np.array([s["radius_m"] for s in truth["hotspots"]])
        for cx, cy in centres:
            d = np.hypot(planted[:, 0] - cx, planted[:, 1] - cy)
            assert (d <= radius).any(), f"{method}: a hot-spot at ({cx:.0f}, {cy:.0f}) has no planted source"


def test_demo_shapes_do_not_show_report_positions(demo_reports) -> None:
    hs = find_hotspots(demo_reports, method="dbscan")
    xy = np.column_stack([demo_reports.geometry.x, demo_reports.geometry.y])
    verts = shapely.get_coordinates(hs.geometry.to_numpy())
    tree = shapely.STRtree(shapely.points(xy))
    idx = tree.query_nearest(shapely.points(verts), return_distance=True)[1]
    assert idx.min() > 0.01  # no vertex lies on a report
