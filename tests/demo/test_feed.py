"""The synthetic Police feed: polisen.se's shape, labelled, county-level events listed as rejects."""

from __future__ import annotations

import re

from geo.demo.feed import FEED_GPS


def test_feed_items_have_the_polisen_shape(world):
    feed = world.feed
    assert [e["id"] for e in feed] == list(range(900001, 900001 + len(feed)))
    for e in feed:
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d", e["datetime"])
        assert e["summary"].endswith("(syntetiska demodata)")
        assert e["location"]["gps"] == FEED_GPS[e["location"]["name"]]


def test_county_events_are_the_rejected_rows(world):
    county = [i + 1 for i, e in enumerate(world.feed) if e["location"]["name"] != "Värnamo"]
    assert [r["row"] for r in world.truth["feed_rejected_rows"]] == county
    assert len(county) == 3
