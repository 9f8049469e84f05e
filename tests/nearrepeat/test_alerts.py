"""Alerts: the zone from the Knox table, the latest incidents, the text a neighbourhood watch sends."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.nearrepeat import ALERT_COLUMNS, RiskZone, alert_zones, near_repeat_alerts, risk_zone
from geo.stages.nearrepeat import NearRepeatSettings, nearrepeat_stage
from tests.hotspots.conftest import make_reports
from tests.nearrepeat.conftest import planted_burglaries


def _knox(p: list[list[float]], ratio: float = 2.0) -> pd.DataFrame:
    rows = []
    for s, row in enumerate(p):
        for t, pv in enumerate(row):
            rows.append((s * 100, s * 100 + 100, t * 7, t * 7 + 7, 10, 5.0, ratio, pv))
    return pd.DataFrame(
        rows,
        columns=[
            "space_from_m",
            "space_to_m",
            "time_from_days",
            "time_to_days",
            "observed",
            "expected",
            "ratio",
            "p_value",
        ],
    )


def test_zone_is_the_raised_bands_connected_to_the_first():
    zone = risk_zone(_knox([[0.01, 0.02, 0.5], [0.03, 0.4, 0.5], [0.6, 0.5, 0.01]]))
    assert zone is not None and zone.radius_m == 200 and zone.days == 14  # the far raised band is apart
    assert risk_zone(_knox([[0.2, 0.01], [0.01, 0.01]])) is None
    assert risk_zone(_knox([[0.01, 0.01]], ratio=0.5)) is None  # fewer pairs than chance is no risk


def test_alert_text_for_a_recent_burglary():
    times = pd.DatetimeIndex(["2025-10-01 12:00", "2025-11-03 02:30", "2025-11-04 10:00"])
    reports = make_reports(
        np.array([441000.0, 441010.0, 443000.0]),
        np.array([6337000.0] * 3),
        times,
        categories=["bostadsinbrott"] * 3,
    )
    reports["address"] = ["Storgatan 5", "Storgatan 12, Värnamo", None]
    alerts = near_repeat_alerts(reports, RiskZone(200, 14, [0]), alerts_days=7)
    assert list(alerts.columns) == [*ALERT_COLUMNS, "geometry"]
    assert alerts["report_id"].tolist() == ["r2", "r1"]  # newest first; the October one is too old
    first = alerts.set_index("report_id").loc["r1"]
    assert first["text_sv"].startswith(
        "Bostadsinbrott på Storgatan den 3/11; förhöjd risk för fler bostadsinbrott inom 200 m till 17/11 — "
    )
    assert "3 Nov" in first["text_en"] and "17 Nov" in first["text_en"]
    assert first["place"] == "Storgatan" and first["risk_until"] == "2025-11-17"
    assert "12" not in first["text_sv"].split("—")[0].replace("17/11", "")  # never a house number
    # the zone is centred on the 50 m cell, never on the home
    centre = alerts.geometry.iloc[1]
    assert (centre.x, centre.y) == (441025.0, 6337025.0)
    zones = alert_zones(alerts)
    assert zones.geometry.iloc[0].area == pytest.approx(np.pi * 200**2, rel=0.01)


def test_alert_names_the_nearest_street_when_the_report_has_no_address():
    times = pd.DatetimeIndex(["2025-11-03 02:30"])
    reports = make_reports(np.array([441000.0]), np.array([6337000.0]), times, categories=["inbrott"])
    streets = gpd.GeoDataFrame(
        {"name": ["Långgatan", "Fjärran"]},
        geometry=[
            shapely.LineString([(440900, 6337020), (441100, 6337020)]),
            shapely.LineString([(445000, 6337000), (445100, 6337000)]),
        ],
        crs=reports.crs,
    )
    alerts = near_repeat_alerts(reports, RiskZone(150, 10, [0]), alerts_days=3, streets=streets)
    assert alerts["place"].tolist() == ["Långgatan"]
    none = near_repeat_alerts(reports, None, alerts_days=3)
    assert len(none) == 0 and list(none.columns) == [*ALERT_COLUMNS, "geometry"]


def test_stage_on_planted_chains_and_on_other_categories():
    reports = planted_burglaries(chains=40)
    before = reports.copy()
    settings = NearRepeatSettings(
        categories=["Bostadsinbrott"],
        permutations=99,
        space_bands_m=[0, 100, 200, 300],
        time_bands_days=[0, 7, 14, 21],
        alerts_days=30,
    )
    result = nearrepeat_stage(reports, settings)
    pd.testing.assert_frame_equal(reports, before)  # input not modified
    assert result.n_reports == len(reports)
    assert result.radius_m is not None and result.radius_m >= 200
    assert len(result.alerts) and (result.alerts["radius_m"] == result.radius_m).all()
    assert "zone" in result.chosen
    other = nearrepeat_stage(reports, settings.model_copy(update={"categories": ["rån"]}))
    assert other.n_reports == 0 and len(other.knox) == 0 and other.notes


@pytest.mark.parametrize("chains", [40, 0])
def test_stage_notes_follow_the_run_language(chains: int) -> None:
    from tests.language import visible_words
    from tests.maps.test_summary import SV_MARKERS

    reports = planted_burglaries(chains=chains)
    settings = NearRepeatSettings(
        categories=["Bostadsinbrott"],
        permutations=19,
        space_bands_m=[0, 100, 200, 300],
        time_bands_days=[0, 7, 14, 21],
        alerts_days=30,
    )
    said: list[str] = []
    english = nearrepeat_stage(reports, settings, progress=said.append, lang="en")
    other = nearrepeat_stage(reports, settings.model_copy(update={"categories": ["rån"]}), lang="en")
    assert other.notes == ["near repeat: 0 reports (rån); too few for a Knox test"]
    assert said[0] == f"Knox test (19 permutations, {len(reports):,} reports)" and said[1] == "Alerts"
    texts = [*said, *english.notes, *english.chosen.values(), *other.notes]
    if chains:
        assert english.chosen["zone"].startswith("raised risk within")
    else:
        assert english.notes[0].startswith("near repeat: no raised pattern for Bostadsinbrott")
    assert not set(visible_words(" ".join(texts))) & {
        *SV_MARKERS,
        "varningar",
        "risk kvar",
        "dagarna",
        "kvot",
    }
    swedish = nearrepeat_stage(reports, settings.model_copy(update={"categories": ["rån"]}))
    assert swedish.notes == ["nära upprepning: 0 rapporter (rån); för få för ett Knox-test"]
