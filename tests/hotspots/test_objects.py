"""Hot-spot objects: shapes, attributes, trend classes, stable ids and labels."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.hotspots import find_hotspots
from geo.hotspots.objects import HOTSPOT_COLUMNS, cell_union, trend_class, weekly_counts

from .conftest import make_reports


def test_cell_union_never_puts_a_vertex_on_a_report() -> None:
    rng = np.random.default_rng(0)
    xy = rng.normal([500.0, 500.0], 40, (80, 2))
    geom = cell_union(xy, cell_m=25)
    assert shapely.contains_xy(geom.buffer(1e-6), xy[:, 0], xy[:, 1]).all()
    verts = shapely.get_coordinates(geom)
    assert np.allclose(verts / 25, np.round(verts / 25))  # every vertex on the 25 m grid
    hull = shapely.MultiPoint(xy).convex_hull
    hull_corners = shapely.get_coordinates(hull)
    d = np.hypot(*(verts[:, None, :] - hull_corners[None, :, :]).transpose(2, 0, 1))
    assert d.min() > 1e-6
    with pytest.raises(ValueError, match="cell_m"):
        cell_union(xy, cell_m=0)


def _weeks(rates: list[float], weeks_each: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.poisson(r, weeks_each) for r in rates]).astype(float)


@pytest.mark.parametrize(
    ("weekly", "expected"),
    [
        (_weeks([0, 0, 3], 52), "new"),
        (_weeks([1, 2, 4], 52), "intensifying"),
        (_weeks([4, 2, 0.5], 52), "diminishing"),
        (_weeks([2, 2, 2], 52), "persistent"),
        (np.array([3.0 if w % 52 < 13 else 0.0 for w in range(156)]), "sporadic"),
        (np.array([1.0, 0, 0, 2, 0, 0, 0, 1, 0, 0]), "none"),
        (_weeks([1.0, 1.0, 0.85], 52, seed=3), "persistent"),  # a small, not material, decline
    ],
)
def test_trend_classes(weekly: np.ndarray, expected: str) -> None:
    assert trend_class(weekly) == expected


def test_weekly_counts_include_zero_weeks() -> None:
    tz = "Europe/Stockholm"
    times = pd.Series(
        pd.to_datetime(["2024-01-01 10:00", "2024-01-02 10:00", "2024-01-29 00:00"])
    ).dt.tz_localize(tz)
    w = weekly_counts(times, start=pd.Timestamp("2024-01-03", tz=tz), end=pd.Timestamp("2024-02-04", tz=tz))
    assert w.tolist() == [2, 0, 0, 0, 1]


def test_attributes(planted) -> None:
    reports, truth = planted
    hs = find_hotspots(reports, method="dbscan")
    assert list(hs.columns) == [*HOTSPOT_COLUMNS, "geometry"]
    assert hs.crs == reports.crs
    assert hs["hotspot_id"].tolist() == [f"HS-{i:04d}" for i in range(1, len(hs) + 1)]
    for _, row in hs.iterrows():
        members = json.loads(row["member_ids"])
        assert len(members) == row["n_reports"] == len(set(members))
        sub = reports[reports["report_id"].isin(members)]
        assert row["share"] == pytest.approx(len(sub) / len(reports))
        assert row["area_m2"] == pytest.approx(row.geometry.area)
        assert row["density_km2"] == pytest.approx(row["n_reports"] / row["area_m2"] * 1e6)
        mix = json.loads(row["category_mix"])
        assert sum(mix.values()) == row["n_reports"]
        assert list(mix.values()) == sorted(mix.values(), reverse=True)
        assert row["dark_share"] == pytest.approx(sub["is_dark"].mean())
        profile = np.array(json.loads(row["profile"]))
        assert profile.shape == (168,) and profile.sum() == pytest.approx(row["n_reports"], abs=1e-3)
        assert row["trend"] in {"new", "intensifying", "persistent", "diminishing", "sporadic", "none"}
    assert (np.diff(hs["n_reports"]) <= 0).all()


def test_stable_ids_follow_overlap(planted) -> None:
    reports, _ = planted
    first = find_hotspots(reports, method="dbscan")
    # the next run: the same places plus a new one, found in a different order
    rng = np.random.default_rng(9)
    extra = make_reports(
        np.r_[reports.geometry.x.to_numpy(), 444500 + rng.normal(0, 20, 200)],
        np.r_[reports.geometry.y.to_numpy(), 6340500 + rng.normal(0, 20, 200)],
        pd.DatetimeIndex(
            np.r_[
                reports["occurred_at"].dt.tz_localize(None).to_numpy(),
                np.full(200, np.datetime64("2025-12-01T12:00")),
            ]
        ),
    )
    second = find_hotspots(extra, method="dbscan", previous=first)
    old = second[second["hotspot_id"].isin(first["hotspot_id"])]
    assert len(old) == len(first)
    for _, row in old.iterrows():
        before = first.loc[first["hotspot_id"] == row["hotspot_id"]].geometry.iloc[0]
        assert row.geometry.intersection(before).area > 0.5 * min(row.geometry.area, before.area)
    fresh = second[~second["hotspot_id"].isin(first["hotspot_id"])]
    assert len(fresh) == 1
    assert fresh["hotspot_id"].iloc[0] == f"HS-{len(first) + 1:04d}"
    assert fresh["trend"].iloc[0] == "new"
    assert fresh["n_reports"].iloc[0] >= 200


def test_labels_from_streets(planted) -> None:
    reports, truth = planted
    cx, cy = truth[0][0], truth[0][1]
    streets = gpd.GeoDataFrame(
        {"name": ["Storgatan", "Kyrkogatan", None, "Långvägen"]},
        geometry=[
            shapely.LineString([(cx - 500, cy + 10), (cx + 500, cy + 10)]),
            shapely.LineString([(cx + 15, cy - 500), (cx + 15, cy + 500)]),
            shapely.LineString([(cx - 5, cy - 5), (cx + 5, cy + 5)]),
            shapely.LineString([(cx + 3000, cy), (cx + 3000, cy + 100)]),
        ],
        crs=reports.crs,
    ).to_crs("EPSG:4326")  # another CRS: reprojected for the label
    hs = find_hotspots(reports, method="dbscan", streets=streets)
    first = hs.iloc[int(np.argmin(hs.geometry.centroid.distance(shapely.Point(cx, cy))))]
    assert first["label"] in {"Storgatan / Kyrkogatan", "Kyrkogatan / Storgatan"}
    plain = find_hotspots(reports, method="dbscan")
    assert plain["label"].str.contains("stöld").all()


def test_input_not_modified_and_rows_permuted(planted) -> None:
    reports, _ = planted
    before = reports.copy()
    a = find_hotspots(reports, method="dbscan")
    pd.testing.assert_frame_equal(pd.DataFrame(reports), pd.DataFrame(before))
    shuffled = reports.sample(frac=1.0, random_state=1)
    b = find_hotspots(shuffled, method="dbscan")
    assert sorted(a["n_reports"]) == sorted(b["n_reports"])
    assert sorted(map(lambda s: tuple(sorted(json.loads(s))), a["member_ids"])) == sorted(
        map(lambda s: tuple(sorted(json.loads(s))), b["member_ids"])
    )


def test_translation_leaves_clusters(planted) -> None:
    reports, _ = planted
    moved = reports.copy()
    moved["geometry"] = moved.geometry.translate(1000, -2000)
    a = find_hotspots(reports, method="dbscan", eps_m=60, min_samples=8)
    b = find_hotspots(moved, method="dbscan", eps_m=60, min_samples=8)
    assert a["member_ids"].tolist() == b["member_ids"].tolist()


def test_labels_from_addresses_carry_no_house_number(demo_reports) -> None:
    from geo.io.area import load_area

    hs = find_hotspots(demo_reports, method="dbscan", area=load_area("Värnamo"))  # a StudyArea is accepted
    assert "Storgatan" in set(hs["label"])  # the nightlife street of the demo town
    assert not hs["label"].str.contains(r"\d").any()
