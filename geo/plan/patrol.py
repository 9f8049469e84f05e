"""Patrol plan: which places to visit, on which day, at what time, in what order — for one planning week.

The places are hot-spots (:func:`geo.hotspots.find_hotspots`) or any polygons with an id and, optionally, a
168-bin hour × weekday ``profile`` (forecast cells can be planned the same way). Capacity is stated per shift:
``visits_per_shift`` visits of ``visit_min`` minutes, travel between places counted.

**Expected share.** Over the history window (``history_days`` before the planning week, or before the last
report when the data end earlier) every point incident is counted by the place it lies in and its local
hour of the week (aoristically, for incidents known only within a window). Within an hour incidents are
taken as evenly spread, so a 15-minute visit at 22:00–22:15 on a Friday covers a quarter of that place's
Friday 22–23 incidents. A visit's *expected share* is the share of all incidents in the history window that
fall in its place and its weekly time window and are not already covered by an earlier visit; the plan's
expected share is their sum: the historical share of incidents that the planned places and windows cover.

**Choosing visits** (greedy, per shift in time order). Every start time on a ``step_min`` grid inside the
shift and every place is a candidate; its gain is the uncovered expected share, times ``repeat_decay`` for
each visit the place already has in the same shift (diminishing returns) and never sooner than
``revisit_min`` after the last visit there. A candidate is feasible when some patrol unit (``units`` per
shift, each with its own route of at most ``visits_per_shift`` visits) can reach it from its visit before and
reach its visit after (visit length + travel time). The best feasible candidate is added while its gain
passes the **threshold**: at least ``min_gain_share`` (default 0.1) of the best single visit's gain in the
week, and at least ``min_expected_per_hour`` (default 1) incidents per hour of visit at that place and
weekly time in the history. ``visits_per_shift`` is a ceiling, not a quota: time where no place passes the
threshold is reported **free** (:mod:`geo.plan.patrol_free`: "ingen prioriterad plats 01–07: använd tiden
för annat"). The visits of a unit in time order are its route; travel is the shortest path on the street
network (networkx, when streets are given, and the route is drawn along it) or the straight line, at
``speed_kmh``.

Times are local wall-clock times. On the night the clocks change, a visit keeps its wall-clock start and end
(a visit planned in the hour skipped in spring starts at 03:00).

**Naive plan** for comparison: the ``visits_per_shift`` places with the most incidents in the history window,
visited in that order at fixed, evenly spaced times in every shift.

The parts: places and their activity (:mod:`geo.plan.patrol_places`), travel times (:mod:`geo.plan.travel`),
choosing visits (:mod:`geo.plan.patrol_greedy`), the check on incidents (:mod:`geo.plan.patrol_coverage`), the
printable page (:mod:`geo.plan.patrol_page`); shifts and weeks are :mod:`geo.time.weeks`.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.model import Reports, require_metric_crs
from geo.plan.patrol_free import free_windows, threshold_words
from geo.plan.patrol_greedy import best_gain, greedy_visits, naive_visits
from geo.plan.patrol_places import candidates, place_activity, place_columns
from geo.plan.patrol_plan import PATROL_COLUMNS, VISIT_COLUMNS, WEEKDAYS_SV, PatrolPlan
from geo.plan.patrol_table import empty_visits, routes, visits_frame
from geo.plan.travel import path_lonlat, street_paths, travel_minutes
from geo.time.weeks import Shift, parse_shift, parse_week, skipped_minutes, week_start

__all__ = ["PATROL_COLUMNS", "WEEKDAYS_SV", "PatrolPlan", "empty_plan", "plan_patrols"]


def _check_arguments(
    shifts: Sequence[str | Shift],
    *,
    visits_per_shift: int,
    visit_min: int,
    repeat_decay: float,
    step_min: int,
    revisit_min: int,
    units: int = 1,
    min_gain_share: float = 0.0,
    min_expected_per_hour: float = 0.0,
) -> tuple[Shift, ...]:
    """Check the planner's parameters; return the parsed shifts."""
    if visits_per_shift < 1:
        raise ValueError(f"visits_per_shift must be >= 1, got {visits_per_shift}")
    if units < 1:
        raise ValueError(f"units must be >= 1, got {units}")
    if not 0 <= min_gain_share <= 1:
        raise ValueError(f"min_gain_share must be between 0 and 1, got {min_gain_share}")
    if min_expected_per_hour < 0:
        raise ValueError(f"min_expected_per_hour must be >= 0, got {min_expected_per_hour}")
    if not 1 <= visit_min <= 240:
        raise ValueError(f"visit_min must be between 1 and 240 minutes, got {visit_min}")
    if not 0 < repeat_decay <= 1:
        raise ValueError(f"repeat_decay must be in (0, 1], got {repeat_decay}")
    if step_min < 1:
        raise ValueError(f"step_min must be >= 1, got {step_min}")
    if revisit_min < 0:
        raise ValueError(f"revisit_min must be >= 0, got {revisit_min}")
    parsed = tuple(s if isinstance(s, Shift) else parse_shift(s) for s in shifts)
    if not parsed:
        raise ValueError("give at least one shift")
    for s in parsed:
        if s.length_min < visit_min:
            raise ValueError(f"shift {s.label} is shorter than one visit ({visit_min} min)")
    return parsed


def empty_plan(
    *,
    week: str,
    shifts: Sequence[str | Shift],
    crs: object,
    visits_per_shift: int = 6,
    visit_min: int = 15,
    speed_kmh: float = 30.0,
    notes: Sequence[str] = (),
    units: int = 1,
) -> PatrolPlan:
    """Return a plan without visits (nothing to plan), with `notes` saying why.

    Parameters
    ----------
    week
        ISO week ``YYYY-Www``.
    shifts
        The daily shifts.
    crs
        CRS of the (empty) visit and route frames.
    visits_per_shift, visit_min, speed_kmh
        The assumptions, as :func:`plan_patrols` takes them.
    notes
        Sentences for the user.
    """
    parse_week(week)
    return PatrolPlan(
        visits=empty_visits(crs, VISIT_COLUMNS),
        naive=empty_visits(crs, VISIT_COLUMNS),
        expected_share=0.0,
        naive_share=0.0,
        week=week,
        shifts=tuple(s if isinstance(s, Shift) else parse_shift(s) for s in shifts),
        history_start=None,
        history_end=None,
        n_history=0.0,
        travel="fågelvägen",
        speed_kmh=speed_kmh,
        visit_min=visit_min,
        visits_per_shift=visits_per_shift,
        routes=routes(empty_visits(crs, VISIT_COLUMNS), crs),
        notes=list(notes),
        units=units,
    )


def plan_patrols(
    places: gpd.GeoDataFrame,
    reports: Reports | None = None,
    *,
    week: str,
    shifts: Sequence[str | Shift] = ("15-23", "23-07"),
    visits_per_shift: int = 6,
    visit_min: int = 15,
    history_days: int = 365,
    speed_kmh: float = 30.0,
    streets: gpd.GeoDataFrame | None = None,
    repeat_decay: float = 0.5,
    revisit_min: int = 45,
    step_min: int = 5,
    max_places: int = 40,
    point_radius_m: float = 100.0,
    tz: str | None = None,
    total: float | None = None,
    units: int = 1,
    min_gain_share: float = 0.1,
    min_expected_per_hour: float = 1.0,
) -> PatrolPlan:
    """Plan a week of patrol visits that cover the largest expected share of incidents.

    Parameters
    ----------
    places
        Hot-spots (``hotspot_id``, ``label``, polygon ``geometry``) or other places (``place_id``, ``place``;
        points are widened to `point_radius_m`), metric CRS.
    reports
        Reports; the point incidents in the history window give each place's hour-of-week activity and the
        denominator of the shares. When ``None``, each place's ``profile`` column (168 expected incidents,
        e.g. a forecast) is used and the denominator is `total`.
    week
        ISO week ``YYYY-Www`` to plan.
    shifts
        Daily shifts (``"15-23"``, ``"23-07"`` past midnight, ``"07:30-16:00"``), each on all seven days.
    visits_per_shift
        Most visits per shift and patrol unit: a ceiling, not a quota (see `min_gain_share`).
    visit_min
        Length of one visit in minutes (10–15 minutes is what hot-spot patrol research supports).
    history_days
        Days of history counted, ending at the planning week (or at the data's end when earlier).
    speed_kmh
        Travel speed between places in km/h.
    streets
        Street lines (metric CRS) for network travel times; straight lines when ``None``.
    repeat_decay
        Weight of each further visit to the same place in the same shift (0 < decay <= 1; 1 = none).
    revisit_min
        Least time in minutes between leaving a place and coming back to it within a shift (short visits
        with returns, as hot-spot patrol research recommends, rather than one long stay).
    step_min
        Grid of possible start times in minutes.
    max_places
        Only the places with most incidents in the history window are candidates.
    point_radius_m
        Radius in metres given to point places.
    tz
        Local zone (default: the reports' zone, else Europe/Stockholm).
    total
        Denominator of the shares when `reports` is ``None`` (default: the sum of the profiles).
    units
        Patrol units per shift; each gets its own route of at most `visits_per_shift` visits.
    min_gain_share
        A visit is planned only when it adds at least this share (0..1) of the best single visit's expected
        gain in the week.
    min_expected_per_hour
        ... and only when its place had at least this many incidents per hour of visit in the visit's weekly
        time window over the history window (1: not on a place-hour with under one past incident; not used
        with given profiles, where `reports` is ``None``). Time where no visit passes is reported free
        (``free``), not filled.

    Returns
    -------
    plan
        The visits, the naive plan and both expected shares.

    Raises
    ------
    ValueError
        If a parameter is out of range, the places lack an id, or the history window holds no incident.
    """
    parsed = _check_arguments(
        shifts,
        visits_per_shift=visits_per_shift,
        visit_min=visit_min,
        repeat_decay=repeat_decay,
        step_min=step_min,
        revisit_min=revisit_min,
        units=units,
        min_gain_share=min_gain_share,
        min_expected_per_hour=min_expected_per_hour,
    )
    require_metric_crs(places, what="places")
    place_columns(places)
    if tz is None:
        tz = str(reports["occurred_at"].dt.tz) if reports is not None and len(reports) else "Europe/Stockholm"
    monday = parse_week(week)
    activity = place_activity(
        places,
        reports,
        week_start=week_start(week, tz),
        history_days=history_days,
        point_radius_m=point_radius_m,
        total=total,
    )
    cand = candidates(places, activity.profiles, max_places=max_places)
    minutes, metres, how = travel_minutes(cand.points, speed_kmh=speed_kmh, streets=streets)
    # share of all incidents per place-minute of the week (each hour's count spread evenly over its minutes)
    intensity = np.repeat(cand.profiles / 60.0, 60, axis=1) / activity.n_history
    skipped = skipped_minutes(monday, tz)
    best = best_gain(intensity, shifts=parsed, visit_min=visit_min, step_min=step_min)
    # incidents per hour of visit in the history (with given profiles, e.g. a forecast, only the share rule)
    history = reports is not None and activity.n_history > 0
    per_hour = min_expected_per_hour * visit_min / 60.0 / activity.n_history if history else 0.0
    min_gain = max(min_gain_share * best, per_hour)
    reason = threshold_words(min_gain_share, min_expected_per_hour if history else None)
    plan_rows = greedy_visits(
        intensity,
        minutes,
        shifts=parsed,
        visits_per_shift=visits_per_shift,
        visit_min=visit_min,
        repeat_decay=repeat_decay,
        step_min=step_min,
        revisit_min=revisit_min,
        skipped=skipped,
        units=units,
        min_gain=min_gain,
    )
    k_naive = min(visits_per_shift, len(cand.points))
    naive_rows = naive_visits(intensity, shifts=parsed, k=k_naive, visit_min=visit_min, skipped=skipped)
    visits = visits_frame(plan_rows, cand, minutes, metres, monday=monday, tz=tz, columns=VISIT_COLUMNS)
    naive = visits_frame(naive_rows, cand, minutes, metres, monday=monday, tz=tz, columns=VISIT_COLUMNS)
    days = _history_days(activity.history_start, activity.history_end, history_days)
    for frame in (visits, naive):
        frame["expected_incidents"] = frame["expected_share"].astype(float) * activity.n_history * 7.0 / days
    paths = street_paths(visits, streets) if how == "gatunät" else None
    visits["path"] = path_lonlat(paths, visits.crs) if paths is not None else ""
    naive["path"] = ""
    free = free_windows(
        intensity, shifts=parsed, visit_min=visit_min, step_min=step_min, min_gain=min_gain, monday=monday
    )
    notes = list(activity.notes)
    if not len(cand.points):
        notes.append("Inga platser med händelser i historiken; inga besök planerade.")
    return PatrolPlan(
        visits=visits,
        naive=naive,
        expected_share=float(visits["expected_share"].sum()) if len(visits) else 0.0,
        naive_share=float(naive["expected_share"].sum()) if len(naive) else 0.0,
        week=week,
        shifts=parsed,
        history_start=activity.history_start,
        history_end=activity.history_end,
        n_history=activity.n_history,
        travel=how,
        speed_kmh=speed_kmh,
        visit_min=visit_min,
        visits_per_shift=visits_per_shift,
        routes=routes(visits, cand.points.crs, paths=paths),
        notes=notes,
        units=units,
        min_gain=min_gain,
        min_gain_reason=reason,
        min_gain_share=min_gain_share,
        min_expected_per_hour=min_expected_per_hour if history else None,
        free=free,
        history_days=days,
    )


def _history_days(start: pd.Timestamp | None, end: pd.Timestamp | None, default: int) -> float:
    """Length of the history window in days (`default` when unknown)."""
    if start is None or end is None:
        return float(default)
    return max((end - start).total_seconds() / 86400.0, 1.0)
