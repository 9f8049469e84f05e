"""The Police events archive: two overlapping pages from a feed on loopback give their union without
duplicates, written atomically; ``geo feed fetch`` prints the number of new events; ``geo ingest`` and the
reader take the ``.jsonl`` archive like the events JSON."""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.io import read_reports
from geo.io.feed import FeedError, fetch_to_archive, read_archive

ROOT = Path(__file__).resolve().parents[2]
GEO = str(Path(sys.executable).with_name("geo"))
EVENTS = json.loads((ROOT / "data" / "polisen_events_varnamo.json").read_text(encoding="utf-8"))


class Feed:
    """A feed on 127.0.0.1 whose answer the test sets; remembers each call's User-Agent."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, bytes]] = {}
        self.agents: list[str] = []
        feed = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                feed.agents.append(self.headers.get("User-Agent", ""))
                status, body = feed.pages.get(self.path, (404, b"[]"))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def set(self, path: str, events: list[dict[str, object]], status: int = 200) -> None:
        self.pages[path] = (status, json.dumps(events, ensure_ascii=False).encode("utf-8"))


@pytest.fixture
def feed() -> Iterator[Feed]:
    f = Feed()
    try:
        yield f
    finally:
        f.server.shutdown()
        f.server.server_close()


def test_overlapping_pages_give_the_union(feed: Feed, tmp_path: Path) -> None:
    # the API answers newest first; the second page overlaps the first by 40 events
    newest_first = list(reversed(EVENTS))
    first, second = newest_first[60:], newest_first[:100]
    feed.set("/events", first)
    archive = tmp_path / "arkiv" / "polisen.jsonl"
    r1 = fetch_to_archive(archive, url=feed.url("/events"))
    assert (r1.fetched, r1.new, r1.total) == (len(first), len(first), len(first))
    before = archive.read_bytes()
    feed.set("/events", second)
    r2 = fetch_to_archive(archive, url=feed.url("/events"))
    assert (r2.fetched, r2.new, r2.total) == (100, len(EVENTS) - len(first), len(EVENTS))
    assert archive.read_bytes().startswith(before)  # earlier lines are kept as they were
    ids = [str(e["id"]) for e in read_archive(archive)]
    assert len(ids) == len(set(ids)) == len(EVENTS)
    assert set(ids) == {str(e["id"]) for e in EVENTS}
    # the same page again adds nothing and leaves the file alone
    r3 = fetch_to_archive(archive, url=feed.url("/events"))
    assert r3.new == 0 and r3.total == len(EVENTS)
    assert all("lagesbild" in a for a in feed.agents)
    assert sorted(p.name for p in archive.parent.iterdir()) == ["polisen.jsonl", "polisen.jsonl.lock"]


def test_a_failed_fetch_leaves_the_archive(feed: Feed, tmp_path: Path) -> None:
    archive = tmp_path / "polisen.jsonl"
    feed.set("/events", EVENTS[:10])
    fetch_to_archive(archive, url=feed.url("/events"))
    before = archive.read_bytes()
    with pytest.raises(FeedError) as gone:
        fetch_to_archive(archive, url=feed.url("/gone"))
    assert gone.value.permanent
    feed.pages["/broken"] = (200, b"<html>not json</html>")
    with pytest.raises(FeedError, match="not an events feed"):
        fetch_to_archive(archive, url=feed.url("/broken"))
    feed.set("/busy", [], status=503)
    with pytest.raises(FeedError, match="503"):
        fetch_to_archive(archive, url=feed.url("/busy"))
    assert archive.read_bytes() == before


def test_command_and_ingest_read_the_archive(feed: Feed, tmp_path: Path) -> None:
    archive = tmp_path / "polisen.jsonl"
    feed.set("/a", EVENTS[:90])
    feed.set("/b", EVENTS[50:])
    printed = []
    for path in ("/a", "/b"):
        out = subprocess.run(
            [GEO, "feed", "fetch", "--url", feed.url(path), "--out", str(archive)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        printed.append(int(out.stdout.strip().splitlines()[-1]))
    assert printed == [90, len(EVENTS) - 90]
    # the archive reads like the events JSON it was made from
    whole = tmp_path / "events.json"
    whole.write_text(json.dumps(EVENTS, ensure_ascii=False), encoding="utf-8")
    from_archive = read_reports([str(archive)])
    from_json = read_reports([str(whole)])
    assert len(from_archive.reports) == len(from_json.reports) > 0
    assert sorted(from_archive.reports["report_id"]) == sorted(from_json.reports["report_id"])
    out_file = tmp_path / "polisen.parquet"
    done = subprocess.run(
        [GEO, "ingest", str(archive), "--out", str(out_file)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert out_file.exists() and f"{len(from_json.reports):,}" in done.stdout


def test_fetch_refuses_other_suffixes(tmp_path: Path) -> None:
    out = subprocess.run(
        [GEO, "feed", "fetch", "--url", "http://127.0.0.1:9/x", "--out", str(tmp_path / "a.json")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode != 0 and ".jsonl" in out.stdout + out.stderr
