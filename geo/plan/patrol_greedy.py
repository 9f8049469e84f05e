"""Choosing the visits of a patrol week: the greedy plan and the naive comparison plan.

Both work on `intensity`, places × minutes of the week: the share of all history incidents that fell in a
place in that minute of the week. A chosen visit covers `visit_min` minutes of its place; a minute counts
once however many visits cover it. Both return one dict per visit: ``shift_no`` (1.. in time order over the
week), ``day`` (0 = Monday of the week the shift starts), ``shift``, ``offset`` (minutes after the shift's
start), ``p`` (place index), ``share`` (expected share the visit adds), ``visit_min``
and ``unit`` (the patrol unit, 1..).
"""

from __future__ import annotations

import numpy as np

from geo.time.weeks import Shift, week_windows

__all__ = ["best_gain", "greedy_visits", "naive_visits", "shift_days", "shift_starts"]


def shift_days(shifts: tuple[Shift, ...]) -> list[tuple[int, Shift]]:
    """Return every (weekday, shift) of the week in the order the shifts start."""
    work = [(d, si, s) for d in range(7) for si, s in enumerate(shifts)]
    work.sort(key=lambda x: (x[0] * 1440 + x[2].start_min, x[1]))
    return [(d, s) for d, _, s in work]


def _fits_between(
    starts: np.ndarray,
    sched_t: list[int],
    sched_p: list[int],
    minutes: np.ndarray,
    *,
    visit_min: int,
) -> np.ndarray:
    """Return places × starts: whether a visit there and then fits between its neighbours in the schedule.

    It fits when there is time to travel from the visit before it and to the visit after it.
    """
    ts, ps = np.asarray(sched_t), np.asarray(sched_p)
    pos = np.searchsorted(ts, starts, side="right")
    prev_i, next_i = pos - 1, pos
    has_prev, has_next = prev_i >= 0, next_i < len(ts)
    pp = ps[np.clip(prev_i, 0, len(ts) - 1)]
    pn = ps[np.clip(next_i, 0, len(ts) - 1)]
    tp = ts[np.clip(prev_i, 0, len(ts) - 1)]
    tn = ts[np.clip(next_i, 0, len(ts) - 1)]
    # rows: candidate place; columns: start
    ok_prev = ~has_prev[None, :] | (tp[None, :] + visit_min + minutes[pp][:, :].T <= starts[None, :])
    ok_next = ~has_next[None, :] | (starts[None, :] + visit_min + minutes[:, pn] <= tn[None, :])
    return ok_prev & ok_next


def shift_starts(shift: Shift, *, visit_min: int, step_min: int) -> np.ndarray:
    """Return the possible start offsets (minutes after the shift's start) of a visit in `shift`."""
    return np.arange(0, shift.length_min - visit_min + 1, step_min, dtype="int64")


def best_gain(intensity: np.ndarray, *, shifts: tuple[Shift, ...], visit_min: int, step_min: int) -> float:
    """Return the largest expected share one visit can cover anywhere in the week's shifts."""
    if intensity.shape[0] == 0:
        return 0.0
    best = 0.0
    for day, s in shift_days(shifts):
        idx = week_windows(
            day * 1440 + s.start_min + shift_starts(s, visit_min=visit_min, step_min=step_min), visit_min
        )
        best = max(best, float(intensity[:, idx].sum(axis=2).max()))
    return best


def _greedy_shift(
    intensity: np.ndarray,
    covered: np.ndarray,
    minutes: np.ndarray,
    *,
    base: int,
    shift: Shift,
    visits_per_shift: int,
    units: int,
    visit_min: int,
    repeat_decay: float,
    step_min: int,
    revisit_min: int,
    min_gain: float,
    skipped: np.ndarray,
) -> list[tuple[int, int, float, int]]:
    """Choose one shift's visits best first, over `units` patrol units; marks their minutes in `covered`.

    Returns
    -------
    chosen
        ``(offset, place, share, unit)`` in the order chosen (unit 0..units-1).
    """
    n_places = intensity.shape[0]
    starts = shift_starts(shift, visit_min=visit_min, step_min=step_min)
    idx = week_windows(base + starts, visit_min)
    exists = ~np.any(skipped[(base + starts)[:, None] + np.arange(visit_min)[None, :]], axis=1)
    sched_t: list[list[int]] = [[] for _ in range(units)]
    sched_p: list[list[int]] = [[] for _ in range(units)]
    per_place = np.zeros(n_places, dtype="int64")
    chosen: list[tuple[int, int, float, int]] = []
    for _ in range(visits_per_shift * units):
        free = np.where(covered, 0.0, intensity)
        gain = free[:, idx].sum(axis=2)  # places × starts
        weighted = gain * (repeat_decay**per_place)[:, None]
        base_ok = np.broadcast_to(exists[None, :], gain.shape) & (gain >= max(min_gain, 1e-15))
        for u in range(units):
            for tq, pq in zip(sched_t[u], sched_p[u], strict=True):
                base_ok[pq, np.abs(starts - tq) < visit_min + revisit_min] = False
        unit_of = np.full(gain.shape, -1, dtype="int64")
        for u in sorted(range(units), key=lambda k: (len(sched_t[k]), k), reverse=True):
            if len(sched_t[u]) >= visits_per_shift:
                continue
            fits = base_ok.copy()
            if sched_t[u]:
                fits &= _fits_between(starts, sched_t[u], sched_p[u], minutes, visit_min=visit_min)
            unit_of[fits] = u  # the unit with fewest visits is written last and wins
        weighted = np.where(unit_of >= 0, weighted, -1.0)
        p, j = divmod(int(np.argmax(weighted)), len(starts))
        if weighted[p, j] <= 0:
            break
        u = int(unit_of[p, j])
        covered[p, idx[j]] = True
        per_place[p] += 1
        k = int(np.searchsorted(sched_t[u], starts[j]))
        sched_t[u].insert(k, int(starts[j]))
        sched_p[u].insert(k, p)
        chosen.append((int(starts[j]), p, float(gain[p, j]), u))
    return chosen


def greedy_visits(
    intensity: np.ndarray,
    minutes: np.ndarray,
    *,
    shifts: tuple[Shift, ...],
    visits_per_shift: int,
    visit_min: int,
    repeat_decay: float,
    step_min: int,
    revisit_min: int,
    skipped: np.ndarray,
    units: int = 1,
    min_gain: float = 0.0,
) -> list[dict[str, object]]:
    """Choose the week's visits greedily, shift by shift in time order.

    Parameters
    ----------
    intensity
        Places × minutes of the week: share of all incidents per place-minute.
    minutes
        Places × places travel times in whole minutes.
    shifts
        The daily shifts.
    visits_per_shift
        Most visits per shift and patrol unit.
    visit_min
        Length of a visit in minutes.
    repeat_decay
        Weight of each further visit to the same place in the same shift.
    step_min
        Grid of possible start times in minutes.
    revisit_min
        Least minutes between leaving a place and coming back to it within a shift (over all units).
    skipped
        Wall-clock minutes from the week's Monday that do not exist (:func:`geo.time.weeks.skipped_minutes`).
    units
        Patrol units per shift, each with its own route.
    min_gain
        Least expected share a visit must add to be planned: below it the time is left free.

    Returns
    -------
    rows
        One dict per visit (see the module notes), with ``unit`` (1..units).
    """
    covered = np.zeros_like(intensity, dtype=bool)
    rows: list[dict[str, object]] = []
    if intensity.shape[0] == 0:
        return rows
    for shift_no, (day, s) in enumerate(shift_days(shifts), start=1):
        chosen = _greedy_shift(
            intensity,
            covered,
            minutes,
            base=day * 1440 + s.start_min,  # minute of the (unrolled) week the shift starts
            shift=s,
            visits_per_shift=visits_per_shift,
            units=units,
            visit_min=visit_min,
            repeat_decay=repeat_decay,
            step_min=step_min,
            revisit_min=revisit_min,
            min_gain=min_gain,
            skipped=skipped,
        )
        for offset, p, share, unit in chosen:
            rows.append(
                {
                    "shift_no": shift_no,
                    "day": day,
                    "shift": s,
                    "offset": offset,
                    "p": p,
                    "share": share,
                    "visit_min": visit_min,
                    "unit": unit + 1,
                }
            )
    return rows


def naive_visits(
    intensity: np.ndarray,
    *,
    shifts: tuple[Shift, ...],
    k: int,
    visit_min: int,
    skipped: np.ndarray,
) -> list[dict[str, object]]:
    """Return the naive plan's visits.

    Places 0..k-1 (ranked by count) are visited in rank order at evenly spaced fixed times in every shift; a
    visit that would fall in a skipped hour is left out.
    """
    rows: list[dict[str, object]] = []
    if k == 0:
        return rows
    covered = np.zeros_like(intensity, dtype=bool)
    for shift_no, (day, s) in enumerate(shift_days(shifts), start=1):
        spacing = s.length_min // k
        for r in range(k):
            offset = min(r * spacing, s.length_min - visit_min)
            t0 = day * 1440 + s.start_min + offset
            if skipped[t0 : t0 + visit_min].any():
                continue
            idx = week_windows(np.array([t0]), visit_min)[0]
            gain = float(np.where(covered[r, idx], 0.0, intensity[r, idx]).sum())
            covered[r, idx] = True
            rows.append(
                {
                    "shift_no": shift_no,
                    "day": day,
                    "shift": s,
                    "offset": offset,
                    "p": r,
                    "share": gain,
                    "visit_min": visit_min,
                    "unit": 1,
                }
            )
    return rows
