"""A synthetic Police events feed (the polisen.se ``api/events`` JSON shape) and the rows its reader rejects.

A few per cent of the police incidents are published, plus traffic accidents, two night summaries and one
county-level event; the feed places them all at the municipality point, as the real feed does.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from geo.demo.period import TZ, background_hours, days, fix_dst, times
from geo.texts import MONTHS

__all__ = ["FEED_GPS", "FEED_TYPES", "police_feed"]

FEED_TYPES: dict[str, str] = {
    "misshandel": "Misshandel",
    "rån": "Rån",
    "inbrott": "Stöld/inbrott",
    "stöld": "Stöld",
    "skadegörelse": "Skadegörelse",
    "narkotikabrott": "Narkotikabrott",
    "ofredande": "Ofredande/förargelse",
    "trafikbrott": "Trafikbrott",
}
"""Police-feed event type for each offence category."""

FEED_GPS = {"Värnamo": "57.183161,14.047821", "Jönköpings län": "57.370843,14.343917"}
"""The points the Police feed gives for the municipality and the county (both inside Värnamo)."""

_ACCIDENTS = 70
_ACCIDENT_KINDS = ("Trafikolycka", "Trafikolycka, singel", "Trafikolycka, vilt", "Trafikolycka, personskada")

Event = tuple[Any, str, str, str]
"""(naive local time, event type, place name, text)."""


def _offset(t: pd.Timestamp) -> str:
    """Return the UTC offset of an aware time as ``+01:00``."""
    off = int(t.utcoffset().total_seconds() // 60)
    return f"{'+' if off >= 0 else '-'}{abs(off) // 60:02d}:{abs(off) % 60:02d}"


def _events(rng: np.random.Generator, police: pd.DataFrame) -> list[Event]:
    """Return the feed's events in time order: published incidents, accidents and county-level events."""
    exact = police[police["end"].isna() & (police["bad"] == "")]
    chosen = exact[rng.random(len(exact)) < 0.04]
    events: list[Event] = [
        (t, FEED_TYPES[c], "Värnamo", f"{d}")
        for t, c, d in zip(chosen["start"], chosen["category"], chosen["description"], strict=True)
    ]
    day_index = days()
    acc_days = rng.integers(0, len(day_index), _ACCIDENTS)
    acc_h = background_hours(rng, _ACCIDENTS)
    acc_m = rng.integers(0, 60, _ACCIDENTS)
    acc_t = fix_dst(times(day_index, acc_days, acc_h, acc_m))
    for t, k in zip(acc_t, rng.integers(0, len(_ACCIDENT_KINDS), _ACCIDENTS), strict=True):
        events.append((t, _ACCIDENT_KINDS[int(k)], "Värnamo", "Trafikolycka på väg i kommunen"))
    for t in (np.datetime64("2024-03-09T07:40"), np.datetime64("2025-09-13T07:35")):
        events.append(
            (t, "Sammanfattning natt", "Jönköpings län", "Ett urval av nattens händelser i polisområdet")
        )
    events.append(
        (np.datetime64("2025-01-18T16:05"), "Trafikolycka", "Jönköpings län", "Flera olyckor i länet")
    )
    events.sort(key=lambda e: (e[0], e[1]))
    return events


def _feed_item(i: int, event: Event, delay_min: int) -> dict[str, Any]:
    """Return event number `i` as the feed publishes it, `delay_min` minutes after it happened."""
    t, kind, place, text = event
    local = pd.Timestamp(t).tz_localize(TZ)
    published = local + pd.Timedelta(minutes=delay_min)
    name = f"{local.day} {MONTHS['sv'][local.month - 1]} {local:%H:%M}, {kind}, {place}"
    slug = "".join(ch if ch.isalnum() else "-" for ch in name.lower())
    return {
        "id": 900001 + i,
        "datetime": f"{published:%Y-%m-%d %H:%M:%S} {_offset(published)}",
        "name": name,
        "summary": f"{text} (syntetiska demodata)",
        "url": f"/aktuellt/handelser/demo/{slug}/",
        "type": kind,
        "location": {"name": place, "gps": FEED_GPS[place]},
    }


def _rejected(i: int, kind: str) -> dict[str, Any]:
    """Return the reject the reader must report for county-level event number `i`."""
    summary = kind.startswith("Sammanfattning")
    return {
        "file": "polisen_handelser.json",
        "row": i + 1,
        "field": "type" if summary else "location",
        "reason": "summary, not an incident" if summary else "county point, not the area",
        "status": "rejected",
    }


def police_feed(
    rng: np.random.Generator, police: pd.DataFrame
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return a synthetic Police events feed (polisen.se JSON shape) and the rows its reader must reject.

    Parameters
    ----------
    rng
        The world's random generator.
    police
        The police reports (:func:`geo.demo.police.police_reports`); a few exact, sound ones are published.
    """
    events = _events(rng, police)
    delays = rng.integers(5, 120, len(events))
    out = [_feed_item(i, e, int(delay)) for i, (e, delay) in enumerate(zip(events, delays, strict=True))]
    rejected = [_rejected(i, e[1]) for i, e in enumerate(events) if e[2] != "Värnamo"]
    return out, rejected
