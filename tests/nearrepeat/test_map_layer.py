"""The alert zones reach the internal map: from a stage result and from a results folder's manifest."""

from __future__ import annotations

from pathlib import Path

from geo.io.manifest import Manifest, write_manifest
from geo.io.outputs.nearrepeat import write_nearrepeat
from geo.io.results import read_map_inputs
from geo.maps import build_map, render_html
from geo.stages.maps import MapInputs
from geo.stages.nearrepeat import NearRepeatSettings, nearrepeat_stage
from tests.nearrepeat.conftest import planted_burglaries


def test_zones_drawn_on_the_internal_map_only(tmp_path: Path) -> None:
    reports = planted_burglaries(chains=40)
    settings = NearRepeatSettings(permutations=49, alerts_days=30, space_bands_m=[0, 100, 200, 300])
    result = nearrepeat_stage(reports, settings)
    assert len(result.zones)
    write_manifest(Manifest(files=write_nearrepeat(result, tmp_path)), tmp_path)
    inputs = read_map_inputs(tmp_path)
    assert inputs.nearrepeat_zones is not None and len(inputs.nearrepeat_zones) == len(result.zones)
    html = render_html(build_map(reports, MapInputs(nearrepeat_zones=result.zones)))
    assert "Nära upprepning: förhöjd risk" in html and "förhöjd risk för fler" in html
    public = render_html(build_map(reports, MapInputs(nearrepeat_zones=result.zones), public=True))
    assert "Nära upprepning" not in public
