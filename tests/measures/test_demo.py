"""The demo world's register (data/demo/atgarder.csv) gives the verdicts its planted truth implies."""

from __future__ import annotations

from geo.demo.measures import EXPECTED_VERDICTS
from geo.io.area import load_area
from geo.io.measures import read_measures
from geo.model import Reports
from geo.stages.evaluate import EvaluateSettings, evaluate_stage
from tests.conftest import DEMO


def test_demo_measures_have_their_planted_verdicts(demo_police):
    area = load_area("Värnamo").to_crs(demo_police.crs)
    inside = Reports(demo_police[demo_police.within(area)])
    register = read_measures(DEMO / "atgarder.csv", crs=demo_police.crs, tz="Europe/Stockholm")
    result = evaluate_stage(inside, register, EvaluateSettings(buffer_m=200))
    found = dict(zip(result.evaluation["measure_id"], result.evaluation["verdict"], strict=True))
    assert found == EXPECTED_VERDICTS
    assert set(register["measure_id"]) - set(found) == {"A5", "A6"}  # proposed / decided: not evaluated
    frame = result.map_frame()
    assert len(frame) == 6 and set(frame.loc[frame["verdict"] == "", "measure_id"]) == {"A5", "A6"}
