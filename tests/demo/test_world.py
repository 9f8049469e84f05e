"""Building the demo world: the seed decides the draws, the planted structure stays."""

from __future__ import annotations

from geo.demo import build_world


def test_another_seed_gives_another_world():
    one = build_world(1)
    two = build_world(2)
    assert not one.police[["lat", "lon"]].equals(two.police[["lat", "lon"]])
    # the planted structure stays: same hot-spots, same sizes
    assert [h["n_reports"] for h in one.truth["hotspots"]] == [h["n_reports"] for h in two.truth["hotspots"]]
