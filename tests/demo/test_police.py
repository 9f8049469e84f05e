"""The demo's police reports: background noise can be turned off, leaving only the planted hot-spots."""

from __future__ import annotations

from geo.demo import DEFAULT_SEED, build_world


def test_noise_zero_has_only_planted_incidents():
    w = build_world(DEFAULT_SEED, noise=0)
    assert w.police["hotspot"].notna().all()
    assert w.truth["planted_bad_rows"] == []
    assert len(w.police) == sum(h["n_reports"] for h in w.truth["hotspots"])
