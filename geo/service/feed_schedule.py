"""The service's schedule for the Police events archive (``geo serve --feed-archive FILE.jsonl``).

One thread fetches the feed into the archive (:func:`geo.io.feed.fetch_to_archive`, the same code as
``geo feed fetch``) at start and then every ``feed_interval_min`` minutes, never more often than every 10
minutes: the Police allow at most 60 calls an hour, and their 500 latest events cover far more than that. A
404 stops the schedule for good, as their rules ask; any other failure is logged and retried at the next
interval.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from geo.io.feed import FeedError, fetch_to_archive

__all__ = ["MIN_FEED_INTERVAL_MIN", "feed_loop"]

log = logging.getLogger(__name__)

MIN_FEED_INTERVAL_MIN = 10.0
"""Fewest minutes between two scheduled fetches."""


def feed_loop(archive: Path, *, url: str, interval_min: float, stop: threading.Event) -> int:
    """Fetch the feed into `archive` now and every `interval_min` minutes until `stop` is set.

    Parameters
    ----------
    archive
        The ``.jsonl`` archive.
    url
        The feed (the official events API by default).
    interval_min
        Minutes between fetches (at least :data:`MIN_FEED_INTERVAL_MIN`).
    stop
        Set to end the loop.

    Returns
    -------
    fetches
        How many fetches succeeded (the loop's end).
    """
    wait_s = max(interval_min, MIN_FEED_INTERVAL_MIN) * 60
    done = 0
    while not stop.is_set():
        try:
            result = fetch_to_archive(archive, url=url)
        except FeedError as err:
            if err.permanent:
                log.error("events feed: %s; the schedule stops", err)
                return done
            log.warning("events feed: %s; retrying in %.0f min", err, wait_s / 60)
        except Exception:  # noqa: BLE001 - the service keeps running; the next interval retries
            log.exception("events feed fetch failed")
        else:
            done += 1
            log.info("events feed: %d new events (%d in %s)", result.new, result.total, archive)
        if stop.wait(wait_s):
            break
    return done
