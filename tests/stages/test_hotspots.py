"""The hot-spot stage: frames in, result out; input untouched; choices and notes; Gi* cells computed once."""

from __future__ import annotations

import pytest
from geopandas.testing import assert_geodataframe_equal

from geo.hotspots import find_hotspots, gistar_cells
from geo.model import Reports, point_reports
from geo.stages.hotspots import HotspotSettings, hotspots_stage


@pytest.fixture(scope="module")
def reports(demo_police: Reports) -> Reports:
    return Reports(demo_police.copy())


def test_stage_finds_hotspots_and_the_overview_without_changing_its_input(reports: Reports) -> None:
    before = reports.copy()
    steps: list[str] = []
    result = hotspots_stage(reports, HotspotSettings(), progress=steps.append)
    assert_geodataframe_equal(reports, before)
    assert len(result.hotspots) >= 5 and result.n_reports == len(point_reports(reports))
    assert {"eps_m", "min_samples", "density_bandwidth_m"} <= set(result.chosen)
    assert "k-avstånd" in result.chosen["eps_m"]
    assert result.density is not None and result.density["share"].tolist() == [0.25, 0.5, 0.75]
    assert result.gistar is not None and {"z", "p_fdr", "class"} <= set(result.gistar.columns)
    assert result.notes == [] and len(steps) == 2


def test_stage_hotspots_are_find_hotspots_with_the_same_settings(reports: Reports) -> None:
    settings = HotspotSettings(method="kde", bandwidth_m=80, overview=False)
    result = hotspots_stage(reports, settings)
    direct = find_hotspots(point_reports(reports), method="kde", bandwidth_m=80)
    assert_geodataframe_equal(result.hotspots, direct)
    assert result.density is None and result.gistar is None
    assert "bandwidth_m" not in result.chosen  # given, not chosen


def test_gistar_cells_are_the_cells_the_hotspots_came_from(reports: Reports) -> None:
    settings = HotspotSettings(method="gistar", cell_m=250, band_m=400, overview=False)
    result = hotspots_stage(reports, settings)
    cells = result.gistar
    assert cells is not None and len(result.hotspots) >= 1
    plain = gistar_cells(point_reports(reports), cell_m=250, band_m=400)
    assert cells["z"].tolist() == plain["z"].tolist()
    assert set(cells["hotspot_id"].dropna()) == set(result.hotspots["hotspot_id"])
    hot = cells["hotspot_id"].notna()
    assert ((cells.loc[hot, "z"] > 0) & (cells.loc[hot, "p_fdr"] < settings.alpha)).all()


def test_no_reports_of_the_sources_is_a_note_not_an_error(reports: Reports) -> None:
    result = hotspots_stage(reports, HotspotSettings(sources=["resident"]))
    assert len(result.hotspots) == 0 and result.n_reports == 0
    assert result.density is None and result.gistar is None
    assert len(result.notes) == 1 and "källorna resident /" in result.notes[0] and "police" in result.notes[0]
    english = hotspots_stage(reports, HotspotSettings(sources=["resident"]), lang="en")
    assert english.notes[0].startswith("the sources resident / categories all match no point reports")


def test_nothing_found_says_why(reports: Reports) -> None:
    result = hotspots_stage(reports, HotspotSettings(min_samples=1_000_000, eps_m=50, overview=False))
    assert len(result.hotspots) == 0
    assert result.notes and "fann inga hot-spots" in result.notes[0]


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="eps_m"):
        HotspotSettings(eps_m=-1)
    with pytest.raises(ValueError, match="method"):
        HotspotSettings(method="kmeans")  # type: ignore[arg-type]
    # KDE: the outline's share of each peak above the background, strictly between 0 and 1
    assert HotspotSettings(share=0.5).share == 0.5
    with pytest.raises(ValueError, match="share"):
        HotspotSettings(share=1.0)
    with pytest.raises(ValueError, match="simulations"):
        HotspotSettings(simulations=5)
    assert isinstance(HotspotSettings().method_kwargs(), dict)
    assert HotspotSettings().eps_m is None  # automatic
