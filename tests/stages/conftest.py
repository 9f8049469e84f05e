"""The map fixtures (demo world, hot-spots, plans) for the stage tests."""

from tests.maps.conftest import (  # noqa: F401
    demo_extras,
    demo_hotspots,
    demo_inputs,
    demo_reports,
    demo_streets,
    patrol_with_naive,
)
