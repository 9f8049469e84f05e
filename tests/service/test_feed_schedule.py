"""The service fetches the Police events feed into its archive on its schedule (``--feed-archive``), from a
feed on loopback; a 404 stops the schedule for good."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from geo.io.feed import read_archive
from geo.service.feed_schedule import feed_loop
from tests.io.test_feed import EVENTS, Feed
from tests.service.conftest import Server


def test_serve_fetches_the_feed_at_start(tmp_path: Path) -> None:
    feed = Feed()
    try:
        feed.set("/events", EVENTS[:25])
        archive = tmp_path / "polisen.jsonl"
        server = Server(
            str(tmp_path / "s.gpkg"),
            tmp_path,
            "--feed-archive",
            str(archive),
            "--feed-url",
            feed.url("/events"),
        ).start()
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(read_archive(archive)) < 25:
                time.sleep(0.2)
            assert len(read_archive(archive)) == 25
        finally:
            server.stop()
    finally:
        feed.server.shutdown()
        feed.server.server_close()


def test_loop_stops_on_404_and_on_stop(tmp_path: Path) -> None:
    feed = Feed()
    try:
        stop = threading.Event()
        gone = feed_loop(tmp_path / "a.jsonl", url=feed.url("/gone"), interval_min=10, stop=stop)
        assert gone == 0  # returned at once: a 404 is permanent
        feed.set("/events", EVENTS[:5])
        box: list[int] = []
        worker = threading.Thread(
            target=lambda: box.append(
                feed_loop(tmp_path / "b.jsonl", url=feed.url("/events"), interval_min=10, stop=stop)
            )
        )
        worker.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(read_archive(tmp_path / "b.jsonl")) < 5:
            time.sleep(0.1)
        stop.set()
        worker.join(timeout=30)
        assert box == [1] and len(read_archive(tmp_path / "b.jsonl")) == 5
    finally:
        feed.server.shutdown()
        feed.server.server_close()
