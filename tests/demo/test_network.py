"""The demo town's street network: the same segments every time, none longer than asked."""

from __future__ import annotations

from geo.demo.network import PLACES, STREETS, segments


def test_segments_are_short_and_cover_every_street():
    segs = segments(piece_m=250.0)
    assert len({s.segment_id for s in segs}) == len(segs)
    assert all(s.line.length <= 250.0 + 1e-6 for s in segs)
    assert {s.street.key for s in segs} == {st.key for st in STREETS}
    assert [s.segment_id for s in segments()] == [s.segment_id for s in segs]


def test_places_are_in_town():
    assert all(abs(x) < 3000 and abs(y) < 3000 for x, y in PLACES.values())
