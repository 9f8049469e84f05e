"""The patrol plan as an iCalendar file (RFC 5545): one event a visit, in the shift's calendar."""

from __future__ import annotations

import datetime as dt
import hashlib

import icalendar
import pandas as pd

from geo.plan.patrol import PatrolPlan

__all__ = ["plan_ics"]

_PRODID = "-//lagesbild//patrullplan//SV"


def _uid(plan: PatrolPlan, row: pd.Series) -> str:
    """Return a UID that is the same when the same plan is written again (week, shift, unit, order, place)."""
    key = (
        f"{plan.week}|{row['shift_no']}|{row.get('unit', 1)}|{row['order']}|{row['place_id']}|{row['start']}"
    )
    return f"{hashlib.sha1(key.encode('utf-8')).hexdigest()[:20]}@lagesbild"


def plan_ics(plan: PatrolPlan, *, tz: str = "Europe/Stockholm", stamp: dt.datetime | None = None) -> bytes:
    """Return the plan's visits as an iCalendar file.

    Each visit is a VEVENT: DTSTART/DTEND in local time with ``TZID`` (the zone's VTIMEZONE is included),
    a stable UID (the same plan gives the same UIDs, so a calendar updates rather than duplicates), SUMMARY
    ``Patrull: <place>``, LOCATION (the place and its position), GEO, and a DESCRIPTION with the shift, the
    unit, the order in the route and the expected incidents. Text is escaped and lines folded by
    :mod:`icalendar`.

    Parameters
    ----------
    plan
        The patrol plan.
    tz
        Zone of the times when a visit has no ``start_at`` with a zone.
    stamp
        DTSTAMP of every event (default: the plan's week's Monday at 00:00 UTC, so the file is reproducible).
    """
    cal = icalendar.Calendar()
    cal.add("prodid", _PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Patrullplan {plan.week}")
    cal.add("x-wr-timezone", tz)
    year, week = (int(v) for v in plan.week.split("-W"))
    when = stamp or dt.datetime.combine(dt.date.fromisocalendar(year, week, 1), dt.time(), tzinfo=dt.UTC)
    for _, row in plan.visits.iterrows():
        start = pd.Timestamp(row["start_at"])
        end = pd.Timestamp(row["end_at"])
        if start.tzinfo is None:
            start, end = start.tz_localize(tz), end.tz_localize(tz)
        event = icalendar.Event()
        event.add("uid", _uid(plan, row))
        event.add("dtstamp", when)
        event.add("dtstart", start.to_pydatetime())
        event.add("dtend", end.to_pydatetime())
        event.add("summary", f"Patrull: {row['place']}")
        event.add("location", f"{row['place']} ({float(row['lat']):.5f}, {float(row['lon']):.5f})")
        event.add("geo", (float(row["lat"]), float(row["lon"])))
        expected = float(row.get("expected_incidents", 0.0) or 0.0)
        unit = int(row.get("unit", 1) or 1)
        event.add(
            "description",
            f"Pass {row['shift']}, enhet {unit}, besök {int(row['order'])} i rutten. "
            f"Plats {row['place_id']}. Förväntade händelser under besöket: {expected:.2f} "
            f"(andel {100 * float(row['expected_share']):.2f} %). Restid dit {int(row['travel_min'])} min.",
        )
        event.add("categories", ["Patrull"])
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
