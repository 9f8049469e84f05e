"""The methods' building blocks: Gi* hot-spots with their cells, cells labelled by hot-spot, choices."""

from __future__ import annotations

import shapely
from geopandas.testing import assert_geodataframe_equal

from geo.hotspots import find_hotspots
from geo.hotspots.methods import Choices, gistar_hotspots, label_cells


def test_gistar_hotspots_are_find_hotspots_and_their_cells(planted) -> None:
    reports, _ = planted
    found, cells = gistar_hotspots(reports, cell_m=100, band_m=150)
    assert_geodataframe_equal(found, find_hotspots(reports, method="gistar", cell_m=100, band_m=150))
    assert found.attrs["auto"] == ["min_samples"] and found.attrs["n_point_reports"] == len(reports)
    assert cells["count"].sum() == len(reports)
    for hid, geom in zip(found["hotspot_id"], found.geometry, strict=True):
        mine = cells[cells["hotspot_id"] == hid]
        assert len(mine) and shapely.union_all(mine.geometry.to_numpy()).equals(geom)


def test_label_cells_leaves_other_cells_unlabelled(planted) -> None:
    reports, _ = planted
    found, cells = gistar_hotspots(reports, cell_m=100, band_m=150)
    plain = cells.drop(columns="hotspot_id")
    again = label_cells(plain, found.iloc[:1])
    assert "hotspot_id" not in plain.columns  # a copy; the input is not changed
    assert set(again["hotspot_id"].dropna()) == {found["hotspot_id"].iloc[0]}
    assert (
        again["hotspot_id"].isna().sum()
        == len(cells) - (cells["hotspot_id"] == found["hotspot_id"].iloc[0]).sum()
    )


def test_choices_record_given_and_automatic_values() -> None:
    rec = Choices()
    assert rec.choose("eps_m", 50, lambda: (99.0, "never")) == 50.0
    assert rec.choose("min_samples", None, lambda: (7, "min_samples 7: rule")) == 7.0
    assert rec.choices == {
        "eps_m": (50.0, "eps_m 50: angiven / given"),
        "min_samples": (7.0, "min_samples 7: rule"),
    }
    assert rec.auto == ["min_samples"]
