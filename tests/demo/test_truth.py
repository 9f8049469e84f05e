"""The planted truth agrees with what the project's readers find in the files."""

from __future__ import annotations

from pathlib import Path

from geo.demo import DEMO_DIR
from geo.io import read_reports
from geo.io.outputs.demo import FILES


def test_readers_reject_only_the_planted_bad_rows(truth, area):
    files = [DEMO_DIR / FILES[k] for k in ("police", "residents", "walks", "feed")]
    res = read_reports(files, area=area)
    got = {(Path(r.file).name, int(r.row), r.field, r.status) for r in res.rejects.itertuples()}
    bad = truth["planted_bad_rows"] + truth["feed_rejected_rows"]
    assert got == {(b["file"], b["row"], b["field"], b["status"]) for b in bad}
    assert len(truth["planted_bad_rows"]) == 4 and len(truth["feed_rejected_rows"]) == 3
    c = truth["counts"]
    assert res.n_read == c["police"] + c["residents"] + c["safety_walk"] + c["polisen_feed"]
    assert len(res.reports) == res.n_read - 3 - 3
    assert set(res.reports["source"]) == {"police", "resident", "safety_walk", "polisen_feed"}
    feed = res.reports[res.reports["source"] == "polisen_feed"]
    assert set(feed["location_precision"]) == {"municipality"}


def test_truth_counts_match_the_tables(world):
    c = world.truth["counts"]
    assert c["police"] == len(world.police) and c["lamps"] == len(world.lamps)
    assert c["speed_passes"] == len(world.passes) == world.hourly["count"].sum()
    assert c["polisen_feed"] == len(world.feed)
    assert world.truth["data"] == "syntetiska demodata"
    assert sum(h["n_reports"] for h in world.truth["hotspots"]) + c["police_background"] == c["police"]


def test_point_truth_gives_both_crs():
    from geo.demo.places import Proj
    from geo.demo.truth import point_truth

    p = point_truth(Proj(), 0, 0)
    assert abs(p["lat"] - 57.1832) < 1e-4 and abs(p["lon"] - 14.0478) < 1e-4
    assert 400_000 < p["x"] < 500_000 and 6_300_000 < p["y"] < 6_400_000
