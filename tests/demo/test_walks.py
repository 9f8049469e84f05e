"""Safety walks: three autumn evenings, twenty findings each, every six minutes from 18:30."""

from __future__ import annotations

from geo.demo.walks import WALK_DAYS


def test_three_walks_of_twenty_findings(world):
    w = world.walks
    assert len(w) == 60 and w["report_id"].tolist()[:2] == ["V-001", "V-002"]
    assert w.groupby("walk").size().tolist() == [20, 20, 20]
    assert sorted(set(w["start"].dt.date)) == [d for _, d in WALK_DAYS]
    assert w["start"].dt.strftime("%H:%M").iloc[:3].tolist() == ["18:30", "18:36", "18:42"]
