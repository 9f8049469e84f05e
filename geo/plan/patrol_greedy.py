"""Choosing the visits of a patrol week: the greedy plan and the naive comparison plan.

Both work on `intensity`, places × minutes of the week: the share of all history incidents that fell in a
place in that minute of the week. A chosen visit covers `visit_min` minutes of its place; a minute counts
once however many visits cover it. Both return one dict per visit: ``shift_no`` (1.. in time order over the
week), ``day`` (0 = Monday of the week the shift starts), ``shift``, ``offset`` (minutes after the shift's
start), ``p`` (place index), ``share`` (expected share the visit adds) and ``visit_min``.
"""

from __future__ import annotations

import numpy as np

from geo.time.weeks import Shift, week_windows

__all__ = ["greedy_visits", "naive_visits", "shift_days"]


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


def _greedy_shift(
    intensity: np.ndarray,
    covered: np.ndarray,
    minutes: np.ndarray,
    *,
    base: int,
    shift: Shift,
    visits_per_shift: int,
    visit_min: int,
    repeat_decay: float,
    step_min: int,
    revisit_min: int,
    skipped: np.ndarray,
) -> list[tuple[int, int, float]]:
    """Choose one shift's visits best first; marks their minutes in `covered`.

    Returns
    -------
    chosen
        ``(offset, place, share)`` in the order chosen.
    """
    n_places = intensity.shape[0]
    starts = np.arange(0, shift.length_min - visit_min + 1, step_min, dtype="int64")  # offsets in the shift
    idx = week_windows(base + starts, visit_min)
    exists = ~np.any(skipped[(base + starts)[:, None] + np.arange(visit_min)[None, :]], axis=1)
    sched_t: list[int] = []
    sched_p: list[int] = []
    per_place = np.zeros(n_places, dtype="int64")
    chosen: list[tuple[int, int, float]] = []
    for _ in range(visits_per_shift):
        free = np.where(covered, 0.0, intensity)
        gain = free[:, idx].sum(axis=2)  # places × starts
        weighted = gain * (repeat_decay**per_place)[:, None]
        feas = np.broadcast_to(exists[None, :], gain.shape).copy()
        if sched_t:
            feas &= _fits_between(starts, sched_t, sched_p, minutes, visit_min=visit_min)
        for tq, pq in zip(sched_t, sched_p, strict=True):
            feas[pq, np.abs(starts - tq) < visit_min + revisit_min] = False
        weighted = np.where(feas & (gain > 1e-15), weighted, -1.0)
        p, j = divmod(int(np.argmax(weighted)), len(starts))
        if weighted[p, j] <= 0:
            break
        covered[p, idx[j]] = True
        per_place[p] += 1
        k = int(np.searchsorted(sched_t, starts[j]))
        sched_t.insert(k, int(starts[j]))
        sched_p.insert(k, p)
        chosen.append((int(starts[j]), p, float(gain[p, j])))
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
        Most visits per shift.
    visit_min
        Length of a visit in minutes.
    repeat_decay
        Weight of each further visit to the same place in the same shift.
    step_min
        Grid of possible start times in minutes.
    revisit_min
        Least minutes between leaving a place and coming back to it within a shift.
    skipped
        Wall-clock minutes from the week's Monday that do not exist (:func:`geo.time.weeks.skipped_minutes`).
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
            visit_min=visit_min,
            repeat_decay=repeat_decay,
            step_min=step_min,
            revisit_min=revisit_min,
            skipped=skipped,
        )
        for offset, p, share in chosen:
            rows.append(
                {
                    "shift_no": shift_no,
                    "day": day,
                    "shift": s,
                    "offset": offset,
                    "p": p,
                    "share": share,
                    "visit_min": visit_min,
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
                }
            )
    return rows
