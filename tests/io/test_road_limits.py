"""Implicit speed limits (geo.io.road_limits)."""

from __future__ import annotations

import math

import pytest

from geo.io.road_limits import implicit_limit


def test_implicit_limits() -> None:
    assert implicit_limit("residential", country="SE") == 50
    assert implicit_limit("residential", country="SE", zone="rural") == 70
    assert implicit_limit("motorway", country="SE") == 110
    assert implicit_limit("living_street", country="FI") == 20
    assert math.isnan(implicit_limit("residential", country="XX"))
    with pytest.raises(ValueError, match="zone"):
        implicit_limit("residential", zone="city")
