"""Reports turned into weighted space-time events, and the one rule that keeps the future out.

Every forecasting method and the backtest work on :class:`Events`: plain arrays of position (metres), time
(days since the Unix epoch, UTC), weight, category code and darkness. Building them from reports is where
two data problems are settled once for all methods:

* **Time windows** (``occurred_to`` set, e.g. a burglary found in the morning) are spread *aoristically*: the
  report becomes up to :data:`AORISTIC_PIECES` equal pieces placed evenly across its window, each carrying
  an equal share of the report's weight, so counts over any period receive the expected share of the
  incident (the same rule the hot-spot engine uses for time profiles).
* **Duplicate coordinates** (reports geocoded to one address or intersection) stay separate events; every
  method counts them with their weights, so five reports at one corner weigh five times one report. Exact
  duplicates in space *and* time are never treated as triggering each other in the self-exciting model.

The rule "only data strictly before the forecast moment" lives in :func:`past_only` and nowhere else: a
report is known at the end of its window (``occurred_to``) or else at ``occurred_at``, and it is used only
when that moment is strictly before ``as_of``. A window that ends at or after ``as_of`` may not have been
reported yet, so the whole report is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.model import POINT_PRECISIONS, Reports, point_reports

__all__ = ["AORISTIC_PIECES", "DAY_S", "Events", "events_from_reports", "past_only", "to_days"]

AORISTIC_PIECES = 24
"""Most pieces one time-window report is spread into (fewer for windows shorter than that many hours)."""

DAY_S = 86_400.0
"""Seconds in a day."""


def to_days(when: pd.Timestamp | pd.Series) -> float | np.ndarray:
    """Convert timezone-aware times to days since 1970-01-01 UTC (floats).

    Parameters
    ----------
    when
        A timezone-aware timestamp or series of them.
    """
    if isinstance(when, pd.Series):
        ns = when.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[ns]").astype("int64")
        return ns / 1e9 / DAY_S
    ts = pd.Timestamp(when)
    if ts.tzinfo is None:
        raise ValueError("a forecast moment must be timezone-aware (local midnight of the data's zone)")
    return ts.value / 1e9 / DAY_S


@dataclass(frozen=True)
class Events:
    """Weighted point events in a metric CRS, one row per report or per aoristic piece of one.

    Attributes
    ----------
    x, y
        Position in metres (the reports' metric CRS).
    t
        Time in days since 1970-01-01 UTC (the piece's moment for window reports).
    known
        Moment the report could first be known (end of its window, else its time), same unit as `t`.
    w
        Weight of the event (report weight divided by its number of pieces).
    cat
        Category code, an index into `categories` (most frequent category first).
    dark
        Whether it happened in darkness (from the report's ``is_dark``).
    row
        Position of the source report in the reports frame, for tracing.
    categories
        Category names by code.
    crs
        The metric CRS of `x` and `y` (anything :mod:`pyproj` accepts).
    tz
        The data's local time zone.
    """

    x: np.ndarray
    y: np.ndarray
    t: np.ndarray
    known: np.ndarray
    w: np.ndarray
    cat: np.ndarray
    dark: np.ndarray
    row: np.ndarray
    categories: tuple[str, ...]
    crs: object
    tz: str

    def __len__(self) -> int:
        return int(self.x.shape[0])

    def subset(self, mask: np.ndarray) -> Events:
        """Return the events where `mask` is true (a boolean array or integer index)."""
        return Events(
            x=self.x[mask],
            y=self.y[mask],
            t=self.t[mask],
            known=self.known[mask],
            w=self.w[mask],
            cat=self.cat[mask],
            dark=self.dark[mask],
            row=self.row[mask],
            categories=self.categories,
            crs=self.crs,
            tz=self.tz,
        )

    def add(self, other: Events) -> Events:
        """Return these events followed by `other` (same CRS and categories assumed)."""
        return Events(
            x=np.concatenate([self.x, other.x]),
            y=np.concatenate([self.y, other.y]),
            t=np.concatenate([self.t, other.t]),
            known=np.concatenate([self.known, other.known]),
            w=np.concatenate([self.w, other.w]),
            cat=np.concatenate([self.cat, other.cat]),
            dark=np.concatenate([self.dark, other.dark]),
            row=np.concatenate([self.row, other.row]),
            categories=self.categories,
            crs=self.crs,
            tz=self.tz,
        )


def events_from_reports(reports: Reports, *, pieces: int = AORISTIC_PIECES) -> Events:
    """Build events from validated reports (point precisions only).

    Parameters
    ----------
    reports
        Validated reports in a metric CRS; rows placed only at a municipality or county are left out
        (see :func:`geo.model.point_reports`).
    pieces
        Most pieces a time-window report is spread into; a window of h hours gets ``min(pieces, ceil(h))``
        pieces (at least 1).

    Returns
    -------
    events
        Aoristically spread, weighted events.
    """
    pts = point_reports(reports)
    n = len(pts)
    tz = str(pts["occurred_at"].dt.tz) if n else str(reports["occurred_at"].dt.tz)
    start = np.asarray(to_days(pts["occurred_at"]), dtype=float) if n else np.zeros(0)
    end_raw = pts["occurred_to"] if "occurred_to" in pts.columns else pd.Series(pd.NaT, index=pts.index)
    has_end = end_raw.notna().to_numpy()
    end = start.copy()
    if has_end.any():
        end[has_end] = np.asarray(to_days(end_raw[has_end]), dtype=float)
    end = np.maximum(end, start)
    hours = (end - start) * 24.0
    k = np.where(hours > 0, np.clip(np.ceil(hours), 1, pieces), 1).astype(np.int64)
    rep_idx = np.repeat(np.arange(n), k)
    piece = np.arange(int(k.sum())) - np.repeat(np.cumsum(k) - k, k)
    frac = (piece + 0.5) / np.repeat(k, k)
    t = start[rep_idx] + frac * (end - start)[rep_idx]
    geom = pts.geometry
    x = geom.x.to_numpy(dtype=float) if n else np.zeros(0)
    y = geom.y.to_numpy(dtype=float) if n else np.zeros(0)
    weight = pts["weight"].to_numpy(dtype=float) if n else np.zeros(0)
    cats = (
        pts["category"].astype("string").fillna("?").to_numpy(dtype=object)
        if n
        else np.zeros(0, dtype=object)
    )
    order = pd.Series(cats).value_counts(sort=True) if n else pd.Series(dtype=int)
    names = tuple(str(c) for c in order.index)
    code = {c: i for i, c in enumerate(names)}
    cat_codes = np.array([code[c] for c in cats], dtype=np.int32) if n else np.zeros(0, dtype=np.int32)
    dark = pts["is_dark"].to_numpy(dtype=bool) if n else np.zeros(0, dtype=bool)
    rows = np.flatnonzero(reports["location_precision"].isin(POINT_PRECISIONS).to_numpy())
    return Events(
        x=x[rep_idx],
        y=y[rep_idx],
        t=t,
        known=end[rep_idx],
        w=(weight / k)[rep_idx],
        cat=cat_codes[rep_idx],
        dark=dark[rep_idx],
        row=rows[rep_idx],
        categories=names,
        crs=reports.crs,
        tz=tz,
    )


def past_only(events: Events, as_of: float) -> Events:
    """Keep only what was known strictly before the forecast moment — the single place this is enforced.

    Parameters
    ----------
    events
        All events.
    as_of
        The forecast moment in days since the epoch (see :func:`to_days`); usually local midnight.

    Returns
    -------
    past
        Events whose report was known (window end, else time) strictly before `as_of`.
    """
    return events.subset(events.known < as_of)
