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
each visit the place already has in the same shift (diminishing returns: a place is visited again only when
its next window still beats the alternatives) and never sooner than ``revisit_min`` after the last visit
there. A candidate is feasible when the visits before and after it
can be reached in time (visit length + travel time). The best feasible candidate is added until the shift is
full or no candidate has any expected gain. The visits in time order are the route; the travel time before
each visit is the shortest path on the street network (networkx, when streets are given) or the straight
line, at ``speed_kmh``.

Times are local wall-clock times. On the night the clocks change, a visit keeps its wall-clock start and end
(a visit planned in the hour skipped in spring starts at 03:00).

**Naive plan** for comparison: the ``visits_per_shift`` places with the most incidents in the history window,
visited in that order at fixed, evenly spaced times in every shift.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from geo.model import Reports, point_reports, require_metric_crs
from geo.texts import MONTHS, WEEKDAYS
from geo.time.profile import hour_week_profile

__all__ = [
    "PATROL_COLUMNS",
    "PatrolPlan",
    "Shift",
    "coverage_of",
    "forecast_places",
    "next_iso_week",
    "parse_shift",
    "parse_week",
    "plan_html",
    "plan_patrols",
    "travel_minutes",
]

PATROL_COLUMNS: tuple[str, ...] = (
    "date",
    "weekday",
    "start",
    "end",
    "place_id",
    "place",
    "lat",
    "lon",
    "order",
    "expected_share",
)
"""Columns of ``patrol_plan.csv``, in order (further columns follow them)."""

WEEKDAYS_SV = WEEKDAYS["sv"]
MIN_PER_WEEK = 7 * 24 * 60
_SHIFT_RE = re.compile(r"^\s*(\d{1,2})(?::?(\d{2}))?\s*[-–]\s*(\d{1,2})(?::?(\d{2}))?\s*$")
_WEEK_RE = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Shift:
    """A daily shift in local wall-clock time.

    Attributes
    ----------
    start_min
        Minutes after local midnight the shift starts.
    length_min
        Length in minutes (a shift from 23 to 07 is 480 minutes and ends the next day).
    """

    start_min: int
    length_min: int

    @property
    def label(self) -> str:
        """``"23:00–07:00"``."""
        end = (self.start_min + self.length_min) % 1440
        return f"{self.start_min // 60:02d}:{self.start_min % 60:02d}–{end // 60:02d}:{end % 60:02d}"


def parse_shift(text: str) -> Shift:
    """Parse a shift like ``"15-23"``, ``"23-07"`` (past midnight) or ``"07:30-16:00"``.

    Parameters
    ----------
    text
        ``HH-HH`` or ``HH:MM-HH:MM``; an end at or before the start means the next day; ``"00-24"`` and
        ``"07-07"`` are 24 hours.

    Raises
    ------
    ValueError
        If the text is not a shift.
    """
    m = _SHIFT_RE.match(str(text))
    if not m:
        raise ValueError(f"shift must look like 15-23 or 07:30-16:00, got '{text}'")
    h0, m0, h1, m1 = int(m.group(1)), int(m.group(2) or 0), int(m.group(3)), int(m.group(4) or 0)
    if h0 > 23 or h1 > 24 or m0 > 59 or m1 > 59 or (h1 == 24 and m1):
        raise ValueError(f"shift '{text}' has an hour or minute out of range")
    start, end = h0 * 60 + m0, h1 * 60 + m1
    length = (end - start) % 1440 or 1440
    return Shift(start, length)


def parse_week(text: str) -> dt.date:
    """Return the Monday of an ISO week given as ``YYYY-Www`` (``2026-W45``).

    Raises
    ------
    ValueError
        If the text is not an ISO week or the week does not exist in that year.
    """
    m = _WEEK_RE.match(str(text))
    if not m:
        raise ValueError(f"week must be an ISO week like 2026-W45, got '{text}'")
    year, week = int(m.group(1)), int(m.group(2))
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError as err:
        raise ValueError(f"week {year}-W{week:02d} does not exist") from err


def next_iso_week(today: dt.date) -> str:
    """Return the ISO week after the one holding `today`, as ``YYYY-Www``."""
    y, w, _ = (today + dt.timedelta(days=7)).isocalendar()
    return f"{y}-W{w:02d}"


# ---------------------------------------------------------------------------------------------- travel


def _street_graph(streets: gpd.GeoDataFrame) -> tuple[nx.Graph, np.ndarray]:
    """Undirected graph of street vertices (rounded to 0.1 m) with edge lengths in metres."""
    g = nx.Graph()
    coords_all: dict[tuple[float, float], int] = {}
    for geom in streets.geometry.to_numpy():
        if geom is None or geom.is_empty:
            continue
        parts = geom.geoms if geom.geom_type == "MultiLineString" else [geom]
        for line in parts:
            pts = np.round(np.asarray(line.coords)[:, :2], 1)
            ids = []
            for x, y in pts:
                key = (float(x), float(y))
                if key not in coords_all:
                    coords_all[key] = len(coords_all)
                ids.append(coords_all[key])
            seg = np.hypot(np.diff(pts[:, 0]), np.diff(pts[:, 1]))
            for a, b, d in zip(ids[:-1], ids[1:], seg, strict=True):
                if a != b and (not g.has_edge(a, b) or g[a][b]["length"] > d):
                    g.add_edge(a, b, length=float(d))
    xy = np.array(list(coords_all), dtype="float64").reshape(-1, 2)
    return g, xy


def travel_minutes(
    points: gpd.GeoSeries,
    *,
    speed_kmh: float = 30.0,
    streets: gpd.GeoDataFrame | None = None,
) -> tuple[np.ndarray, np.ndarray, str]:
    """Travel times between places.

    Parameters
    ----------
    points
        One point per place, metric CRS.
    speed_kmh
        Average travel speed.
    streets
        Street lines in the same CRS; when given, distances are shortest paths on the street network
        (networkx Dijkstra) plus the straight walk from each place to its nearest street vertex. Pairs the
        network does not connect fall back to the straight line.

    Returns
    -------
    minutes, metres, how
        Square matrices (whole minutes, rounded up; metres) and ``"gatunät"`` or ``"fågelvägen"``.
    """
    if speed_kmh <= 0:
        raise ValueError(f"speed_kmh must be > 0, got {speed_kmh}")
    xy = np.column_stack([points.x.to_numpy(), points.y.to_numpy()])
    straight = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    metres = straight
    how = "fågelvägen"
    if streets is not None and len(streets) and len(xy):
        streets = streets.to_crs(points.crs) if streets.crs != points.crs else streets
        graph, nodes = _street_graph(streets)
        if len(nodes):
            access, nearest = cKDTree(nodes).query(xy)
            net = np.full_like(straight, np.inf)
            for i, src in enumerate(nearest):
                lengths = nx.single_source_dijkstra_path_length(graph, int(src), weight="length")
                for j, dst in enumerate(nearest):
                    if int(dst) in lengths:
                        net[i, j] = access[i] + lengths[int(dst)] + access[j]
            np.fill_diagonal(net, 0.0)
            metres = np.where(np.isfinite(net), np.maximum(net, straight), straight)
            how = "gatunät"
    minutes = np.ceil(metres / (speed_kmh * 1000.0 / 60.0) - 1e-9)
    np.fill_diagonal(minutes, 0)
    return minutes.astype("int64"), metres, how


# --------------------------------------------------------------------------------------------- the plan


@dataclass
class PatrolPlan:
    """A week's patrol plan and how it was made.

    Attributes
    ----------
    visits
        One row a visit, in time order within each shift: :data:`PATROL_COLUMNS`, then ``shift``
        (e.g. ``"fredag 15:00–23:00"``), ``shift_no``, ``travel_min`` and ``travel_m`` (from the previous
        visit of the shift; 0 for the first), ``start_at``/``end_at`` (timezone-aware local times); Point
        geometry (a point inside the place) in the places' CRS.
    naive
        The naive plan's visits, same columns.
    expected_share
        Sum of the visits' expected shares (0..1).
    naive_share
        The same for the naive plan.
    week
        ``YYYY-Www``.
    shifts
        The daily shifts.
    history_start, history_end
        The history window (local, end exclusive).
    n_history
        Point incidents in the history window (the denominator of every share).
    travel
        ``"gatunät"`` (street network) or ``"fågelvägen"`` (straight line).
    speed_kmh, visit_min, visits_per_shift
        The assumptions.
    routes
        One LineString per shift with visits, through its visits in order (for the map).
    notes
        Sentences for the user.
    """

    visits: gpd.GeoDataFrame
    naive: gpd.GeoDataFrame
    expected_share: float
    naive_share: float
    week: str
    shifts: tuple[Shift, ...]
    history_start: pd.Timestamp | None
    history_end: pd.Timestamp | None
    n_history: float
    travel: str
    speed_kmh: float
    visit_min: int
    visits_per_shift: int
    routes: gpd.GeoDataFrame
    notes: list[str] = field(default_factory=list)

    def table(self, *, naive: bool = False) -> pd.DataFrame:
        """Return the visits as the CSV table (contract columns first, then the extras)."""
        v = self.naive if naive else self.visits
        extra = ["shift", "travel_min", "travel_m"]
        out = pd.DataFrame(v.drop(columns=v.geometry.name))[[*PATROL_COLUMNS, *extra]].copy()
        out["expected_share"] = out["expected_share"].round(6)
        out["travel_m"] = out["travel_m"].round(0).astype("int64")
        return out


def _place_columns(places: gpd.GeoDataFrame) -> tuple[str, str]:
    pid = next((c for c in ("place_id", "hotspot_id", "cell_id", "id") if c in places.columns), None)
    if pid is None:
        raise ValueError(
            f"places need an id column (place_id or hotspot_id); they have {list(places.columns)}"
        )
    label = next((c for c in ("place", "label", "name") if c in places.columns), pid)
    return pid, label


def _profiles_from_column(places: gpd.GeoDataFrame) -> np.ndarray:
    if "profile" not in places.columns:
        raise ValueError("without reports, places need a 'profile' column (168 floats, weekday*24 + hour)")
    rows = []
    for i, p in enumerate(places["profile"]):
        arr = np.asarray(json.loads(p) if isinstance(p, str) else p, dtype="float64")
        if arr.shape != (168,) or not np.isfinite(arr).all() or (arr < 0).any():
            raise ValueError(f"place {i}: 'profile' must be 168 finite numbers >= 0")
        rows.append(arr)
    return np.vstack(rows) if rows else np.zeros((0, 168))


def history_window(
    reports: Reports, *, week_start: pd.Timestamp, history_days: int
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the history window: `history_days` before the planning week (or the data's end if earlier).

    Parameters
    ----------
    reports
        Validated reports.
    week_start
        Local midnight of the planning week's Monday.
    history_days
        Length of the window in days.
    """
    if history_days < 1:
        raise ValueError(f"history_days must be >= 1, got {history_days}")
    last = reports["occurred_at"].max()
    end = week_start
    if pd.notna(last) and last < week_start:
        end = (last + pd.Timedelta(days=1)).normalize()
    return end - pd.Timedelta(days=history_days), end


def _assign_places(reports: Reports, places: gpd.GeoDataFrame, *, point_radius_m: float) -> np.ndarray:
    """Index of the place each report lies in (-1 for none); the first place listed wins an overlap."""
    geoms = places.geometry.to_numpy()
    is_point = shapely.get_type_id(geoms) == 0
    if is_point.any():
        geoms = np.where(is_point, shapely.buffer(geoms, point_radius_m), geoms)
    tree = shapely.STRtree(geoms)
    ri, pi = tree.query(reports.geometry.to_numpy(), predicate="intersects")
    out = np.full(len(reports), -1, dtype="int64")
    order = np.lexsort((pi, ri))
    ri, pi = ri[order], pi[order]
    first = np.r_[True, ri[1:] != ri[:-1]] if len(ri) else np.zeros(0, dtype=bool)
    out[ri[first]] = pi[first]
    return out


def _minute_intensity(profiles: np.ndarray) -> np.ndarray:
    """Per place, incidents per minute of the week (each hour's count spread evenly over its minutes)."""
    return np.repeat(profiles / 60.0, 60, axis=1)


def _week_start(week: str, tz: str) -> pd.Timestamp:
    return pd.Timestamp(parse_week(week)).tz_localize(tz)


def _local(day: dt.date, minute: int, tz: str) -> pd.Timestamp:
    naive = pd.Timestamp(day) + pd.Timedelta(minutes=int(minute))
    return naive.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")


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
        Most visits per shift.
    visit_min
        Length of one visit in minutes (10–15 minutes is what hot-spot patrol research supports).
    history_days
        Days of history counted, ending at the planning week (or at the data's end when earlier).
    speed_kmh
        Travel speed between places.
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

    Returns
    -------
    plan
        The visits, the naive plan and both expected shares.

    Raises
    ------
    ValueError
        If a parameter is out of range, the places lack an id, or the history window holds no incident.
    """
    if visits_per_shift < 1:
        raise ValueError(f"visits_per_shift must be >= 1, got {visits_per_shift}")
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
    require_metric_crs(places, what="places")
    pid_col, label_col = _place_columns(places)
    if tz is None:
        tz = str(reports["occurred_at"].dt.tz) if reports is not None and len(reports) else "Europe/Stockholm"
    week_start = _week_start(week, tz)
    monday = parse_week(week)
    notes: list[str] = []

    # ---- activity per place and hour of the week
    h_start = h_end = None
    if reports is not None:
        pts = point_reports(reports)
        if len(pts) == 0:
            raise ValueError(
                f"none of the {len(reports):,} reports has a point position "
                "(exact, address or intersection); "
                "events placed only at a municipality or county centre (the Police events feed) "
                "cannot be patrolled"
            )
        h_start, h_end = history_window(pts, week_start=week_start, history_days=history_days)
        hist = pts[(pts["occurred_at"] >= h_start) & (pts["occurred_at"] < h_end)]
        hist = hist.to_crs(places.crs) if hist.crs != places.crs else hist
        n_hist = float(len(hist))
        if n_hist == 0:
            raise ValueError(
                f"no point incidents between {h_start:%Y-%m-%d} and {h_end:%Y-%m-%d}; "
                "increase history_days or give older data"
            )
        where = (
            _assign_places(Reports(hist), places, point_radius_m=point_radius_m)
            if len(places)
            else np.zeros(0, "int64")
        )
        profiles = np.zeros((len(places), 168))
        for i in np.unique(where[where >= 0]):
            profiles[i] = hour_week_profile(hist.iloc[np.flatnonzero(where == i)])
        if h_end < week_start:
            notes.append(
                f"Data slutar {h_end - pd.Timedelta(days=1):%Y-%m-%d}; historiken räknas fram till dess."
            )
    else:
        profiles = _profiles_from_column(places)
        n_hist = float(total) if total is not None else float(profiles.sum())
        if n_hist <= 0:
            raise ValueError("the profiles sum to 0 and no total was given")
    counts = profiles.sum(axis=1)
    order = np.argsort(-counts, kind="stable")[:max_places]
    order = order[counts[order] > 0]
    cand = places.iloc[order].reset_index(drop=True)
    prof = profiles[order]
    reps = gpd.GeoSeries(shapely.point_on_surface(cand.geometry.to_numpy()), crs=places.crs)
    wgs = reps.to_crs("EPSG:4326")
    minutes, metres, how = travel_minutes(reps, speed_kmh=speed_kmh, streets=streets)
    intensity = _minute_intensity(prof) / n_hist  # share of all incidents per place-minute of the week
    info = {
        "place_id": cand[pid_col].astype(str).to_numpy(),
        "place": cand[label_col].astype(str).to_numpy(),
        "lat": wgs.y.round(6).to_numpy(),
        "lon": wgs.x.round(6).to_numpy(),
    }

    skipped = _skipped_minutes(monday, tz)
    plan_rows = _greedy(
        intensity,
        minutes,
        monday=monday,
        shifts=parsed,
        visits_per_shift=visits_per_shift,
        visit_min=visit_min,
        repeat_decay=repeat_decay,
        step_min=step_min,
        revisit_min=revisit_min,
        skipped=skipped,
    )
    k_naive = min(visits_per_shift, len(cand))
    naive_rows = _naive(
        intensity, monday=monday, shifts=parsed, k=k_naive, visit_min=visit_min, skipped=skipped
    )
    visits = _frame(plan_rows, info, reps, minutes, metres, monday=monday, tz=tz)
    naive = _frame(naive_rows, info, reps, minutes, metres, monday=monday, tz=tz)
    if not len(cand):
        notes.append("Inga platser med händelser i historiken; inga besök planerade.")
    routes = _routes(visits, reps.crs)
    return PatrolPlan(
        visits=visits,
        naive=naive,
        expected_share=float(visits["expected_share"].sum()) if len(visits) else 0.0,
        naive_share=float(naive["expected_share"].sum()) if len(naive) else 0.0,
        week=week,
        shifts=parsed,
        history_start=h_start,
        history_end=h_end,
        n_history=n_hist,
        travel=how,
        speed_kmh=speed_kmh,
        visit_min=visit_min,
        visits_per_shift=visits_per_shift,
        routes=routes,
        notes=notes,
    )


def _window_idx(t_week: np.ndarray, visit_min: int) -> np.ndarray:
    """Minute-of-week indices (n × visit_min) of windows starting at `t_week` (wrapping at the week's end)."""
    return (t_week[:, None] + np.arange(visit_min)[None, :]) % MIN_PER_WEEK


def _greedy(
    intensity: np.ndarray,
    minutes: np.ndarray,
    *,
    monday: dt.date,
    shifts: tuple[Shift, ...],
    visits_per_shift: int,
    visit_min: int,
    repeat_decay: float,
    step_min: int,
    revisit_min: int,
    skipped: np.ndarray,
) -> list[dict[str, object]]:
    n_places = intensity.shape[0]
    covered = np.zeros_like(intensity, dtype=bool)
    rows: list[dict[str, object]] = []
    if n_places == 0:
        return rows
    work = [(d, si, s) for d in range(7) for si, s in enumerate(shifts)]
    work.sort(key=lambda x: (x[0] * 1440 + x[2].start_min, x[1]))
    for shift_no, (day, _, s) in enumerate(work, start=1):
        base = day * 1440 + s.start_min  # minute of the (unrolled) week the shift starts
        starts = np.arange(0, s.length_min - visit_min + 1, step_min, dtype="int64")  # offsets in the shift
        idx = _window_idx(base + starts, visit_min)
        exists = ~skipped[(base + starts)[:, None] + np.arange(visit_min)[None, :]].any(axis=1)
        sched_t: list[int] = []
        sched_p: list[int] = []
        per_place = np.zeros(n_places, dtype="int64")
        for _ in range(visits_per_shift):
            free = np.where(covered, 0.0, intensity)
            gain = free[:, idx].sum(axis=2)  # places × starts
            weighted = gain * (repeat_decay**per_place)[:, None]
            feas = np.broadcast_to(exists[None, :], gain.shape).copy()
            if sched_t:
                ts = np.asarray(sched_t)
                ps = np.asarray(sched_p)
                pos = np.searchsorted(ts, starts, side="right")
                prev_i, next_i = pos - 1, pos
                has_prev, has_next = prev_i >= 0, next_i < len(ts)
                pp = ps[np.clip(prev_i, 0, len(ts) - 1)]
                np_ = ps[np.clip(next_i, 0, len(ts) - 1)]
                tp = ts[np.clip(prev_i, 0, len(ts) - 1)]
                tn = ts[np.clip(next_i, 0, len(ts) - 1)]
                # rows: candidate place; columns: start
                ok_prev = ~has_prev[None, :] | (
                    tp[None, :] + visit_min + minutes[pp][:, :].T <= starts[None, :]
                )
                ok_next = ~has_next[None, :] | (starts[None, :] + visit_min + minutes[:, np_] <= tn[None, :])
                feas &= ok_prev & ok_next
            for tq, pq in zip(sched_t, sched_p, strict=True):
                feas[pq, np.abs(starts - tq) < visit_min + revisit_min] = False
            weighted = np.where(feas & (gain > 1e-15), weighted, -1.0)
            best = int(np.argmax(weighted))
            p, j = divmod(best, len(starts))
            if weighted[p, j] <= 0:
                break
            covered[p, idx[j]] = True
            per_place[p] += 1
            k = int(np.searchsorted(sched_t, starts[j]))
            sched_t.insert(k, int(starts[j]))
            sched_p.insert(k, p)
            rows.append(
                {
                    "shift_no": shift_no,
                    "day": day,
                    "shift": s,
                    "offset": int(starts[j]),
                    "p": p,
                    "share": float(gain[p, j]),
                    "visit_min": visit_min,
                }
            )
    return rows


def _skipped_minutes(monday: dt.date, tz: str) -> np.ndarray:
    """Mark the wall-clock minutes of the week and two days after that do not exist (spring clock change)."""
    hours = pd.Series(pd.Timestamp(monday) + pd.to_timedelta(np.arange(9 * 24), unit="h"))
    local = hours.dt.tz_localize(tz, ambiguous=np.ones(len(hours), dtype=bool), nonexistent="NaT")
    return np.repeat(local.isna().to_numpy(), 60)


def _naive(
    intensity: np.ndarray,
    *,
    monday: dt.date,
    shifts: tuple[Shift, ...],
    k: int,
    visit_min: int,
    skipped: np.ndarray,
) -> list[dict[str, object]]:
    """Top-k places by total count, visited in rank order at evenly spaced fixed times in every shift."""
    rows: list[dict[str, object]] = []
    if k == 0:
        return rows
    covered = np.zeros_like(intensity, dtype=bool)
    work = [(d, si, s) for d in range(7) for si, s in enumerate(shifts)]
    work.sort(key=lambda x: (x[0] * 1440 + x[2].start_min, x[1]))
    for shift_no, (day, _, s) in enumerate(work, start=1):
        spacing = s.length_min // k
        for r in range(k):
            offset = min(r * spacing, s.length_min - visit_min)
            t0 = day * 1440 + s.start_min + offset
            if skipped[t0 : t0 + visit_min].any():
                continue
            idx = _window_idx(np.array([t0]), visit_min)[0]
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


def _frame(
    rows: list[dict[str, object]],
    info: dict[str, np.ndarray],
    reps: gpd.GeoSeries,
    minutes: np.ndarray,
    metres: np.ndarray,
    *,
    monday: dt.date,
    tz: str,
) -> gpd.GeoDataFrame:
    """Turn chosen visits into the plan table: local dates and times, order and travel within each shift."""
    cols = [*PATROL_COLUMNS, "shift", "shift_no", "travel_min", "travel_m", "start_at", "end_at"]
    if not rows:
        empty = {c: pd.Series(dtype="object") for c in cols}
        return gpd.GeoDataFrame(empty, geometry=gpd.GeoSeries([], crs=reps.crs), crs=reps.crs)
    recs: list[dict[str, object]] = []
    geoms = []
    df = pd.DataFrame(rows).sort_values(["shift_no", "offset"], kind="stable")
    for _, g in df.groupby("shift_no", sort=True):
        prev: int | None = None
        for order, r in enumerate(g.itertuples(index=False), start=1):
            s: Shift = r.shift
            p = int(r.p)
            shift_day = monday + dt.timedelta(days=int(r.day))
            start_at = _local(shift_day, s.start_min + int(r.offset), tz)
            end_at = _local(shift_day, s.start_min + int(r.offset) + int(r.visit_min), tz)
            recs.append(
                {
                    "date": start_at.strftime("%Y-%m-%d"),
                    "weekday": WEEKDAYS_SV[start_at.weekday()],
                    "start": start_at.strftime("%H:%M"),
                    "end": end_at.strftime("%H:%M"),
                    "place_id": info["place_id"][p],
                    "place": info["place"][p],
                    "lat": float(info["lat"][p]),
                    "lon": float(info["lon"][p]),
                    "order": order,
                    "expected_share": float(r.share),
                    "shift": f"{WEEKDAYS_SV[shift_day.weekday()]} {s.label}",
                    "shift_no": int(r.shift_no),
                    "travel_min": int(minutes[prev, p]) if prev is not None else 0,
                    "travel_m": float(metres[prev, p]) if prev is not None else 0.0,
                    "start_at": start_at,
                    "end_at": end_at,
                }
            )
            geoms.append(reps.iloc[p])
            prev = p
    frame = pd.DataFrame(recs, columns=cols)
    frame["start_at"] = pd.to_datetime(frame["start_at"]).dt.tz_convert(tz)
    frame["end_at"] = pd.to_datetime(frame["end_at"]).dt.tz_convert(tz)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=reps.crs).to_numpy(), crs=reps.crs)


def _routes(visits: gpd.GeoDataFrame, crs: object) -> gpd.GeoDataFrame:
    """One line per shift through its visits in order (shifts with one visit get a point-like line)."""
    recs = []
    for shift_no, g in visits.groupby("shift_no", sort=True):
        pts = [(p.x, p.y) for p in g.geometry]
        if len(pts) == 1:
            pts = pts * 2
        recs.append(
            {
                "shift_no": int(shift_no),
                "shift": g["shift"].iloc[0],
                "date": g["date"].iloc[0],
                "visits": len(g),
                "travel_min": int(g["travel_min"].sum()),
                "expected_share": float(g["expected_share"].sum()),
                "geometry": shapely.LineString(pts),
            }
        )
    if not recs:
        return gpd.GeoDataFrame(
            {"shift_no": [], "shift": [], "date": [], "visits": [], "travel_min": [], "expected_share": []},
            geometry=gpd.GeoSeries([], crs=crs),
            crs=crs,
        )
    return gpd.GeoDataFrame(recs, geometry="geometry", crs=crs)


def forecast_places(
    cells: gpd.GeoDataFrame,
    reports: Reports,
    *,
    top: int = 40,
    history_days: int = 365,
) -> tuple[gpd.GeoDataFrame, float]:
    """Turn forecast cells into places with profiles, for :func:`plan_patrols` without reports.

    Each of the `top` riskiest cells gets a 168-bin profile: its forecast ``risk`` spread over the hours of
    the week as the cell's own incidents were in the last `history_days` (the whole area's pattern when
    the cell had fewer than 20).

    Parameters
    ----------
    cells
        Forecast cells with ``cell_id``, ``risk`` and polygon geometry (e.g. ``geo.forecast`` output).
    reports
        The reports the forecast was made from (for the hour-of-week pattern).
    top
        Number of cells kept.
    history_days
        Days of history for the pattern, ending at the last report.

    Returns
    -------
    places, total
        Places (``place_id``, ``place``, ``profile``, geometry) and the forecast total over all cells, the
        denominator to pass to ``plan_patrols(..., total=total)``.
    """
    for col in ("cell_id", "risk"):
        if col not in cells.columns:
            raise ValueError(f"forecast cells need a '{col}' column; they have {list(cells.columns)}")
    risk = pd.to_numeric(cells["risk"], errors="coerce").fillna(0.0).clip(lower=0.0)
    total = float(risk.sum())
    keep = cells.assign(_risk=risk.to_numpy()).sort_values("_risk", ascending=False).head(top)
    keep = keep[keep["_risk"] > 0]
    pts = point_reports(reports)
    if len(pts):
        last = pts["occurred_at"].max()
        pts = pts[pts["occurred_at"] > last - pd.Timedelta(days=history_days)]
    pts = pts.to_crs(cells.crs) if len(pts) and pts.crs != cells.crs else pts
    overall = hour_week_profile(pts) if len(pts) else np.ones(168)
    overall = overall / overall.sum() if overall.sum() > 0 else np.full(168, 1 / 168)
    where = (
        _assign_places(Reports(pts), keep, point_radius_m=0.0)
        if len(pts) and len(keep)
        else np.zeros(0, "int64")
    )
    profiles = []
    for i in range(len(keep)):
        own = pts.iloc[np.flatnonzero(where == i)] if len(where) else pts.iloc[:0]
        shape = hour_week_profile(own) if len(own) >= 20 else overall
        shape = shape / shape.sum() if shape.sum() > 0 else overall
        profiles.append(json.dumps([round(float(v), 6) for v in shape * float(keep["_risk"].iloc[i])]))
    places = gpd.GeoDataFrame(
        {
            "place_id": keep["cell_id"].astype(str).to_numpy(),
            "place": [f"Ruta {c}" for c in keep["cell_id"].astype(str)],
            "profile": profiles,
        },
        geometry=keep.geometry.to_numpy(),
        crs=cells.crs,
    )
    return places, total


def coverage_of(
    visits: pd.DataFrame,
    places: gpd.GeoDataFrame,
    reports: Reports,
    *,
    point_radius_m: float = 100.0,
    time_precision: str = "auto",
) -> float:
    """Share of `reports` that fall in a visited place during a visit's weekly time window.

    The check of a plan against incidents it was not fitted on: each visit covers its place from ``start_at``
    to ``end_at`` in the same weekday and wall-clock minutes of every week. An incident known to the minute
    counts 1 when covered; one known only within a window counts the covered share of the window's minutes.

    Parameters
    ----------
    visits
        Plan visits with ``place_id``, ``start_at``, ``end_at`` (:attr:`PatrolPlan.visits`).
    places
        The places the plan was made from (same id column).
    reports
        Reports to count (e.g. a held-out period); only point reports count.
    point_radius_m
        Radius given to point places.
    time_precision
        ``"minute"``, ``"hour"`` (times known only to the hour, as in many police exports: an incident then
        counts the covered share of its hour) or ``"auto"`` (hour when every time is on the hour).

    Returns
    -------
    share
        Covered incidents / all point incidents in `reports` (NaN when there are none).
    """
    if time_precision not in {"auto", "minute", "hour"}:
        raise ValueError(f"time_precision must be auto, minute or hour, got '{time_precision}'")
    pts = point_reports(reports)
    if len(pts) == 0:
        return math.nan
    pid_col, _ = _place_columns(places)
    ids = places[pid_col].astype(str).to_numpy()
    index = {v: i for i, v in enumerate(ids)}
    mask = np.zeros((len(places), MIN_PER_WEEK), dtype=bool)
    for v in visits.itertuples(index=False):
        p = index.get(str(v.place_id))
        if p is None:
            raise ValueError(f"visit place_id '{v.place_id}' is not among the places")
        start = v.start_at
        length = int(round((v.end_at - v.start_at).total_seconds() / 60))
        mow = start.weekday() * 1440 + start.hour * 60 + start.minute
        mask[p, _window_idx(np.array([mow]), length)[0]] = True
    pts = pts.to_crs(places.crs) if pts.crs != places.crs else pts
    where = _assign_places(pts, places, point_radius_m=point_radius_m)
    inside = where >= 0
    if not inside.any():
        return 0.0
    sub = pts.iloc[np.flatnonzero(inside)]
    p = where[inside]
    t0 = sub["occurred_at"]
    mow0 = (t0.dt.day_of_week * 1440 + t0.dt.hour * 60 + t0.dt.minute).to_numpy(dtype="int64")
    to = sub["occurred_to"] if "occurred_to" in sub.columns else pd.Series(pd.NaT, index=sub.index)
    dur = ((to - t0).dt.total_seconds() / 60.0).to_numpy(dtype="float64")
    windowed = np.isfinite(dur) & (dur >= 1)
    got = mask[p, mow0].astype("float64")
    hour_only = time_precision == "hour" or (
        time_precision == "auto" and bool((t0.dt.minute == 0).all() and (t0.dt.second == 0).all())
    )
    if hour_only:
        # times known to the hour: the incident lies anywhere in its hour with equal chance
        hour_start = mow0 - mow0 % 60
        got = mask[p[:, None], (hour_start[:, None] + np.arange(60)[None, :]) % MIN_PER_WEEK].mean(axis=1)
    if windowed.any():
        cum = np.cumsum(mask, axis=1)
        total_w = mask.sum(axis=1)

        def covered_until(pi: np.ndarray, t: np.ndarray) -> np.ndarray:
            whole, rest = np.divmod(np.floor(t).astype("int64"), MIN_PER_WEEK)
            before = np.where(rest > 0, cum[pi, np.maximum(rest - 1, 0)], 0)
            return whole * total_w[pi] + before

        pw = p[windowed]
        s0 = mow0[windowed].astype("float64")
        d = dur[windowed]
        got[windowed] = (covered_until(pw, s0 + d) - covered_until(pw, s0)) / np.maximum(
            np.floor(s0 + d) - np.floor(s0), 1
        )
    return float(got.sum() / len(pts))


def _pct(x: float, decimals: int = 1, *, lang: str = "sv") -> str:
    text = f"{100 * x:.{decimals}f} %"
    return text.replace(".", ",") if lang == "sv" else text


_HTML_TEXT: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Patrullplan",
        "week": "vecka",
        "demo": "Syntetiska demodata – inte verkliga händelser.",
        "history": "Historik: {a} – {b}, {n} händelser med position.",
        "plan": "Förväntad täckning, denna plan",
        "plan_v": "{p} av händelserna ({n} besök)",
        "naive": "Förväntad täckning, naiv plan",
        "naive_v": "{p} (de {k} platserna med flest händelser, fasta tider varje pass)",
        "shifts": "Pass per dag",
        "visits": "Besök",
        "visits_v": "högst {k} per pass, {m} minuter vardera",
        "travel": "Restid",
        "network": "kortaste väg i gatunätet",
        "straight": "fågelvägen",
        "define": "Förväntad andel = den andel av alla händelser i historiken som inträffade på platsen "
        "under besökets veckodag och klockslag (och inte redan täcks av ett tidigare besök).",
        "none": "Inga besök planerade: ingen plats har händelser i historiken.",
        "shift": "pass",
        "shift_sum": "{n} besök · förväntad andel {p} · restid totalt {t} min",
        "head": "<th>Nr</th><th>Datum</th><th>Tid</th><th>Plats</th><th>Position (lat, lon)</th>"
        "<th>Restid dit</th><th>Förväntad andel</th><th>Utfört (sign.)</th>",
        "sign": "Skapad med lagesbild. Planen bygger på historiska mönster; lokal kännedom går före.",
    },
    "en": {
        "title": "Patrol plan",
        "week": "week",
        "demo": "Synthetic demo data – not real incidents.",
        "history": "History: {a} – {b}, {n} incidents with a position.",
        "plan": "Expected coverage, this plan",
        "plan_v": "{p} of incidents ({n} visits)",
        "naive": "Expected coverage, naive plan",
        "naive_v": "{p} (the {k} places with most incidents, fixed times every shift)",
        "shifts": "Shifts per day",
        "visits": "Visits",
        "visits_v": "at most {k} per shift, {m} minutes each",
        "travel": "Travel",
        "network": "shortest path on the street network",
        "straight": "straight line",
        "define": "Expected share = the share of all incidents in the history that happened at the place "
        "on the visit's weekday and time of day (and are not already covered by an earlier visit).",
        "none": "No visits planned: no place has incidents in the history.",
        "shift": "shift",
        "shift_sum": "{n} visits · expected share {p} · travel in total {t} min",
        "head": "<th>No.</th><th>Date</th><th>Time</th><th>Place</th><th>Position (lat, lon)</th>"
        "<th>Travel there</th><th>Expected share</th><th>Done (sign.)</th>",
        "sign": "Made with lagesbild. The plan rests on past patterns; local knowledge comes first.",
    },
}


def plan_html(plan: PatrolPlan, *, title: str | None = None, demo: bool = False, lang: str = "sv") -> str:
    """Render a printable HTML page: the summary, then one section (one printed page) per shift.

    Parameters
    ----------
    plan
        The plan.
    title
        Page heading (default "Patrullplan" / "Patrol plan").
    demo
        Mark the page as synthetic demo data.
    lang
        ``"sv"`` (default) or ``"en"``.
    """
    if lang not in _HTML_TEXT:
        raise ValueError(f"lang must be 'sv' or 'en', got '{lang}'")
    t = _HTML_TEXT[lang]
    days = WEEKDAYS[lang]
    months = MONTHS[lang]
    title = title or t["title"]
    hist = ""
    if plan.history_start is not None and plan.history_end is not None:
        last = plan.history_end - pd.Timedelta(days=1)
        n_text = f"{int(round(plan.n_history)):,}".replace(",", "\u202f")
        hist = t["history"].format(a=f"{plan.history_start:%Y-%m-%d}", b=f"{last:%Y-%m-%d}", n=n_text)
    css = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Arial, sans-serif; margin: 2em; color: #111; }
h1 { margin-bottom: .2em; } .sub { color: #444; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: .6em 0 1.2em; }
th, td { border: 1px solid #999; padding: .35em .5em; text-align: left; vertical-align: top; }
th { background: #eee; } td.num { text-align: right; white-space: nowrap; } td.nw { white-space: nowrap; }
.summary td { border: none; padding: .15em .8em .15em 0; }
.demo { background: #fff3cd; border: 1px solid #d4a017; padding: .4em .8em; display: inline-block; }
section.shift { page-break-before: always; break-before: page; }
.sign { margin-top: 2em; color: #444; }
@media print { body { margin: 1cm; } a { color: inherit; text-decoration: none; } }
"""
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{escape(title)} {t['week']} {escape(plan.week)}</title><style>{css}</style></head><body>",
        f"<h1>{escape(title)} – {t['week']} {escape(plan.week)}</h1>",
    ]
    if demo:
        parts.append(f'<p class="demo">{t["demo"]}</p>')
    parts.append(f'<p class="sub">{escape(hist)}</p>')
    n_visits = len(plan.visits)
    rows = [
        (t["plan"], t["plan_v"].format(p=_pct(plan.expected_share, lang=lang), n=n_visits)),
        (t["naive"], t["naive_v"].format(p=_pct(plan.naive_share, lang=lang), k=plan.visits_per_shift)),
        (t["shifts"], ", ".join(s.label for s in plan.shifts)),
        (t["visits"], t["visits_v"].format(k=plan.visits_per_shift, m=plan.visit_min)),
        (
            t["travel"],
            f"{t['network'] if plan.travel == 'gatunät' else t['straight']}, {plan.speed_kmh:g} km/h",
        ),
    ]
    parts.append('<table class="summary">')
    for k, v in rows:
        parts.append(f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>")
    parts.append("</table>")
    parts.append(f"<p>{escape(t['define'])}</p>")
    for note in plan.notes:
        parts.append(f"<p><i>{escape(note)}</i></p>")
    if n_visits == 0:
        parts.append(f"<p>{escape(t['none'])}</p>")
    for _, g in plan.visits.groupby("shift_no", sort=True):
        first = g.iloc[0]
        day = first["start_at"]
        if (
            day.hour * 60 + day.minute
            < parse_shift(first["shift"].split(" ", 1)[1].replace("–", "-")).start_min
        ):
            day = day - pd.Timedelta(days=1)  # the shift began the evening before its first visit
        date_text = f"{days[day.weekday()].capitalize()} {day.day} {months[day.month - 1]} {day.year}"
        if lang == "en":
            date_text = f"{days[day.weekday()]} {day.day} {months[day.month - 1]} {day.year}"
        label = first["shift"].split(" ", 1)[1]
        parts.append('<section class="shift">')
        parts.append(f"<h2>{escape(date_text)} · {t['shift']} {escape(label)}</h2>")
        summary = t["shift_sum"].format(
            n=len(g), p=_pct(float(g["expected_share"].sum()), lang=lang), t=int(g["travel_min"].sum())
        )
        parts.append(f"<p>{escape(summary)}</p>")
        parts.append(f"<table><tr>{t['head']}</tr>")
        for r in g.itertuples(index=False):
            parts.append(
                f"<tr><td class='num'>{r.order}</td><td class='nw'>{escape(r.date)}</td>"
                f"<td class='nw'>{escape(r.start)}–{escape(r.end)}</td>"
                f"<td>{escape(str(r.place))}<br><small>{escape(str(r.place_id))}</small></td>"
                f"<td>{r.lat:.5f}, {r.lon:.5f}</td><td class='num'>{r.travel_min} min</td>"
                f"<td class='num'>{_pct(float(r.expected_share), 2, lang=lang)}</td><td></td></tr>"
            )
        parts.append("</table></section>")
    parts.append(f'<p class="sign">{escape(t["sign"])}</p></body></html>')
    return "\n".join(parts)
