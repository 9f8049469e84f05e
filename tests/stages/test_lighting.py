"""The lighting stage: frames in, result out; inputs untouched; a note when nothing is found."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from pydantic import ValidationError

from geo.errors import InputError
from geo.layers.lighting.layer import DEFAULT_RADIUS_M
from geo.stages.lighting import LightingResult, LightingSettings, lighting_stage
from tests.layers.lighting.street import X0, Y0, reports_along, street_and_lamps

NIGHT_AT_BROKEN_LAMP = [(200, "2024-12-03 21:00", "rån"), (205, "2024-12-04 22:00", "misshandel")]


def test_settings_have_one_default_per_parameter() -> None:
    """The library's lamp radius is the default; unknown keys and bad values are errors."""
    s = LightingSettings()
    assert s.radius_m == DEFAULT_RADIUS_M == 25.0
    assert (s.budget, s.method, s.follow_up_date) == (10, "mclp", None)
    assert LightingSettings(follow_up_date="2024-11-15").follow_up_date == dt.date(2024, 11, 15)
    for bad in ({"method": "best"}, {"budget": 0}, {"radius_m": 0}, {"radius": 30}):
        with pytest.raises(ValidationError):
            LightingSettings(**bad)


def test_stage_frames_in_result_out_inputs_untouched(tmp_path: Path) -> None:
    """Reports in darkness at a broken lamp: a proposal there, the lamp a quick fix, the choice explained."""
    street, lamps = street_and_lamps()
    reports = reports_along(tmp_path, NIGHT_AT_BROKEN_LAMP)
    before = (reports.copy(), lamps.copy(), street.copy())
    result = lighting_stage(reports, lamps.to_crs("EPSG:4326"), street, LightingSettings(budget=2))
    assert isinstance(result, LightingResult)
    plan = result.plan
    assert len(plan.dark_places) == 1 and plan.dark_places["dark_reports"].iloc[0] == 2
    assert len(plan.proposals.lamps) == 1 and plan.fixes["lamp_id"].iloc[0] == "L5"
    assert plan.layer.crs == reports.crs  # lamps given in WGS84 are reprojected to the reports' CRS
    assert result.chosen["method"].startswith(plan.proposals.method)
    assert result.notes == [] and result.follow_up is None
    assert list(result.rejects.columns) == ["file", "row", "field", "reason", "status", "value"]
    for frame, original in zip((reports, lamps, street), before, strict=True):
        assert_geodataframe_equal(frame, original)


def test_no_dark_time_evidence_says_why(tmp_path: Path) -> None:
    """Only daylight reports: nothing to cover, no proposal, a Swedish note saying why."""
    street, lamps = street_and_lamps()
    reports = reports_along(tmp_path, [(200, "2024-06-03 12:00", "stöld")])
    result = lighting_stage(reports, lamps, street, LightingSettings())
    assert result.plan.proposals.lamps.empty
    assert any("inga rapporter i mörker" in n for n in result.notes), result.notes


def test_no_dark_stretches_says_why(tmp_path: Path) -> None:
    """Every lamp works: the street is lit end to end, so there is nothing to propose."""
    street, lamps = street_and_lamps()
    reports = reports_along(tmp_path, NIGHT_AT_BROKEN_LAMP)
    result = lighting_stage(reports, lamps.assign(status="ok"), street, LightingSettings())
    assert result.plan.dark_places.empty and result.plan.proposals.lamps.empty
    assert any("inga mörka sträckor" in n for n in result.notes), result.notes


def test_follow_up_needs_date_and_area_and_notes_when_it_cannot(tmp_path: Path) -> None:
    """Date without area is invalid input; a follow-up without incidents on both sides is a note."""
    street, lamps = street_and_lamps()
    reports = reports_along(tmp_path, NIGHT_AT_BROKEN_LAMP)
    area = shapely.box(X0 + 150, Y0 - 30, X0 + 250, Y0 + 30)
    with pytest.raises(InputError, match="follow-up needs both"):
        lighting_stage(reports, lamps, street, LightingSettings(follow_up_date="2024-12-01"))
    with pytest.raises(InputError, match="follow-up needs both"):
        lighting_stage(reports, lamps, street, LightingSettings(), follow_up_area=area)
    late = LightingSettings(follow_up_date="2025-06-01")
    result = lighting_stage(reports, lamps, street, late, follow_up_area=area)
    assert result.follow_up is None
    assert any("uppföljning" in n for n in result.notes), result.notes


def test_follow_up_window_chosen_is_explained(tmp_path: Path) -> None:
    """Without follow_up_days the stage picks the longest equal windows and says so."""
    street, lamps = street_and_lamps()
    rows = [(200, f"2024-11-{d:02d} 21:00", "rån") for d in (2, 4, 6)] + [(205, "2024-11-20 21:00", "rån")]
    reports = reports_along(tmp_path, rows)
    area = shapely.box(X0 + 150, Y0 - 30, X0 + 250, Y0 + 30)
    settings = LightingSettings(follow_up_date="2024-11-15")
    result = lighting_stage(reports, lamps, street, settings, follow_up_area=area)
    assert result.follow_up is not None
    days = int(result.follow_up.table["days_before"].iloc[0])
    assert result.chosen["follow_up_days"].startswith(f"{days}:")
    assert days == 5  # 13 days of data before Nov 15, 5 after it (Nov 16-20): equal windows of 5


def test_rejects_are_passed_through(tmp_path: Path) -> None:
    """The reader's rejects table ends up in the result unchanged."""
    street, lamps = street_and_lamps()
    reports = reports_along(tmp_path, NIGHT_AT_BROKEN_LAMP)
    rejects = pd.DataFrame(
        {
            "file": ["x.pbf"],
            "row": [3],
            "field": ["nodes"],
            "reason": ["cut"],
            "status": ["kept"],
            "value": [""],
        }
    )
    result = lighting_stage(reports, lamps, street, LightingSettings(), rejects=rejects)
    pd.testing.assert_frame_equal(result.rejects, rejects)


def test_frames_without_crs_are_invalid_input(tmp_path: Path) -> None:
    """Lamps without a CRS cannot be placed: an error naming them."""
    street, lamps = street_and_lamps()
    reports = reports_along(tmp_path, NIGHT_AT_BROKEN_LAMP)
    naive = gpd.GeoDataFrame(pd.DataFrame(lamps.drop(columns="geometry")), geometry=lamps.geometry.to_numpy())
    with pytest.raises(InputError, match="lamps have no CRS"):
        lighting_stage(reports, naive, street, LightingSettings())
