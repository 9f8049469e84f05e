"""The lighting layer on one street: a broken lamp darkens a street tagged lit=yes."""

from __future__ import annotations

import pytest
import shapely

from geo.layers.lighting.layer import build_lighting
from tests.layers.lighting.street import X0, street_and_lamps


def test_broken_lamp_makes_a_lit_street_dark_around_it() -> None:
    street, lamps = street_and_lamps()
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
