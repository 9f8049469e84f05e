"""The demo's road segments, read once for the speed-layer tests."""

from __future__ import annotations

import pytest

from geo.io.segments import SegmentsRead, read_segments
from tests.conftest import DEMO


@pytest.fixture(scope="module")
def demo_segments() -> SegmentsRead:
    return read_segments(DEMO / "gator.geojson")
