"""Speed figures per segment and time window: passes, shares over the limit, mean and 85th percentile.

A window is a weekday group × an hour band (``mån–fre 22–24``). Single passes count as they are; per-hour
aggregates enter through a normal approximation whose spread comes from ``p85_kmh − mean_kmh`` (the 85th
percentile of a normal lies 1.036 standard deviations above the mean) or, without ``p85_kmh``, from
``default_cv`` × mean (:func:`speed_spread`).
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.special import ndtr

from geo.texts import WEEKDAYS_SHORT

__all__ = [
    "DAY_GROUPS",
    "WINDOW_COLUMNS",
    "speed_by_window",
    "speed_spread",
    "summarise_segments",
    "window_groups",
    "window_keys",
]

DayGroups = tuple[tuple[str, tuple[int, ...]], ...]

DAY_GROUPS: dict[str, DayGroups] = {
    "weekday_weekend": (("mån–fre", (0, 1, 2, 3, 4)), ("lör–sön", (5, 6))),
    "each_day": tuple((d, (i,)) for i, d in enumerate(WEEKDAYS_SHORT["sv"])),
    "all": (("mån–sön", (0, 1, 2, 3, 4, 5, 6)),),
}
"""Named ways to group weekdays into windows (Monday = 0); labels are Swedish as in the plans."""

BAND_HOURS: tuple[int, ...] = (1, 2, 3, 4, 6, 8, 12, 24)
"""Hour bands that divide a day."""

WINDOW_COLUMNS: tuple[str, ...] = (
    "segment_id",
    "weekdays",
    "start_hour",
    "end_hour",
    "limit_kmh",
    "passes",
    "hours_observed",
    "passes_per_hour",
    "over_limit",
    "over_limit_per_hour",
    "share_over_limit",
    "share_over_limit_10",
    "mean_kmh",
    "p85_kmh",
    "p85_minus_limit_kmh",
    "estimated",
)
"""Columns of :func:`speed_by_window`."""

_Z85 = 1.0364333894937898  # 85th percentile of the standard normal
_MAX_KMH = 300.0


def window_groups(band_hours: int, day_groups: str) -> tuple[DayGroups, int]:
    """Return the weekday groups named `day_groups` and `band_hours`, checked.

    Raises
    ------
    ValueError
        If `day_groups` is not a key of :data:`DAY_GROUPS` or `band_hours` does not divide 24.
    """
    if day_groups not in DAY_GROUPS:
        raise ValueError(f"day_groups must be one of {sorted(DAY_GROUPS)}, got '{day_groups}'")
    if band_hours not in BAND_HOURS:
        raise ValueError(f"band_hours must divide 24 (1, 2, 3, 4, 6, 8, 12 or 24), got {band_hours}")
    return DAY_GROUPS[day_groups], band_hours


def window_keys(times: pd.Series, groups: DayGroups, band_hours: int) -> tuple[np.ndarray, np.ndarray]:
    """Return each time's weekday-group label and the start hour of its band (local times)."""
    wd = times.dt.day_of_week.to_numpy()
    group_of = np.empty(7, dtype=object)
    for label, days in groups:
        for d in days:
            group_of[d] = label
    return group_of[wd], (times.dt.hour.to_numpy() // band_hours) * band_hours


def _mixture_quantile(
    speeds: np.ndarray, means: np.ndarray, sds: np.ndarray, counts: np.ndarray, q: float
) -> float:
    """Return the q-quantile of passes plus normal components (hourly aggregates), by bisection."""
    total = speeds.size + counts.sum()
    if total <= 0:
        return math.nan
    if means.size == 0:
        return float(np.quantile(speeds, q))
    lo, hi = 0.0, _MAX_KMH * 1.5
    s_sorted = np.sort(speeds)
    for _ in range(50):
        mid = (lo + hi) / 2
        cdf = np.searchsorted(s_sorted, mid, side="right") + float((counts * ndtr((mid - means) / sds)).sum())
        if cdf / total < q:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def speed_spread(measurements: pd.DataFrame, *, default_cv: float = 0.12, min_count: int = 8) -> np.ndarray:
    """Estimate the spread of speeds (km/h) behind each hourly aggregate, for the normal approximation.

    An hour with at least `min_count` passes and a ``p85_kmh`` gives its own spread, ``(p85 − mean) / 1.036``.
    Hours with fewer passes (whose 85th percentile says little) take the count-weighted spread of their
    segment's well-filled hours; a segment without any takes ``default_cv × mean``. Passes get 1 (unused).

    Parameters
    ----------
    measurements
        Rows with ``segment_id``, ``kind``, ``count``, ``mean_kmh``, ``p85_kmh``.
    default_cv
        Spread relative to the mean when nothing better is known.
    min_count
        Passes an hour needs for its own spread.

    Returns
    -------
    sd
        One value per row, at least 0.5 km/h for aggregates.
    """
    mean = measurements["mean_kmh"].to_numpy(dtype="float64")
    p85 = measurements["p85_kmh"].to_numpy(dtype="float64")
    count = measurements["count"].to_numpy(dtype="float64")
    is_hour = (measurements["kind"] == "hour").to_numpy()
    own = np.where(np.isfinite(p85) & (count >= min_count), (p85 - mean) / _Z85, np.nan)
    ok = np.isfinite(own)
    seg = measurements["segment_id"].astype("string").to_numpy(dtype=object)
    pooled = (
        pd.DataFrame({"s": seg[ok], "w": count[ok], "wsd": count[ok] * own[ok]})
        .groupby("s")[["w", "wsd"]]
        .sum()
    )
    pooled_sd = (pooled["wsd"] / pooled["w"]).to_dict() if len(pooled) else {}
    fallback = np.array([pooled_sd.get(x, np.nan) for x in seg], dtype="float64")
    sd = np.where(ok, own, np.where(np.isfinite(fallback), fallback, default_cv * mean))
    sd = np.maximum(np.nan_to_num(sd, nan=1.0), 0.5)
    return np.where(is_hour, sd, 1.0)


def _with_overs(matched: pd.DataFrame, segments: gpd.GeoDataFrame, *, default_cv: float) -> pd.DataFrame:
    """Add the limit, spread and (expected) passes over the limit and over the limit + 10 km/h to each row."""
    limits = dict(
        zip(segments["segment_id"].astype("string"), segments["limit_kmh"].astype("float64"), strict=True)
    )
    m = matched.copy()
    m["limit_kmh"] = m["segment_id"].map(limits).astype("float64")
    is_hour = (m["kind"] == "hour").to_numpy()
    mean = m["mean_kmh"].to_numpy(dtype="float64")
    sd = speed_spread(m, default_cv=default_cv)
    m["sd"] = sd
    speed = m["speed_kmh"].to_numpy(dtype="float64")
    lim = m["limit_kmh"].to_numpy(dtype="float64")
    cnt = m["count"].to_numpy(dtype="float64")
    over = np.where(is_hour, cnt * (1 - ndtr((lim - mean) / sd)), (speed > lim).astype(float))
    over10 = np.where(is_hour, cnt * (1 - ndtr((lim + 10 - mean) / sd)), (speed > lim + 10).astype(float))
    m["over"] = np.where(np.isfinite(lim), over, np.nan)
    m["over10"] = np.where(np.isfinite(lim), over10, np.nan)
    m["speed_sum"] = np.where(is_hour, cnt * mean, speed)
    return m


def _observed_hours(m: pd.DataFrame, groups: DayGroups, band_hours: int) -> pd.Series:
    """Hours observed per segment and window: every hour of a pass campaign's span; each hourly row."""
    is_hour = (m["kind"] == "hour").to_numpy()
    hours: list[pd.DataFrame] = []
    passes = m[~is_hour]
    if len(passes):
        span = passes.groupby("segment_id")["time"].agg(["min", "max"])
        for sid, (t0, t1) in span.iterrows():
            rng = pd.date_range(t0.floor("h"), t1.floor("h"), freq="h")
            hours.append(pd.DataFrame({"segment_id": sid, "hour": rng}))
    if is_hour.any():
        hours.append(
            pd.DataFrame(
                {
                    "segment_id": m.loc[is_hour, "segment_id"].to_numpy(),
                    "hour": m.loc[is_hour, "time"].dt.floor("h").to_numpy(),
                }
            )
        )
    hh = pd.concat(hours, ignore_index=True).drop_duplicates()
    hh["hour"] = pd.to_datetime(hh["hour"], utc=True).dt.tz_convert(m["time"].dt.tz)
    hh["weekdays"], hh["start_hour"] = window_keys(hh["hour"], groups, band_hours)
    return hh.groupby(["segment_id", "weekdays", "start_hour"]).size().rename("hours_observed")


def _window_row(g: pd.DataFrame, hours_obs: int) -> dict[str, object] | None:
    """Figures of one window's rows (passes and hourly aggregates); ``None`` when it holds no pass."""
    gp = g[g["kind"] == "pass"]
    gh = g[(g["kind"] == "hour") & (g["count"] > 0)]
    n = float(len(gp) + gh["count"].sum())
    if n <= 0:
        return None
    limit = float(g["limit_kmh"].iloc[0])
    p85 = _mixture_quantile(
        gp["speed_kmh"].to_numpy(dtype="float64"),
        gh["mean_kmh"].to_numpy(dtype="float64"),
        gh["sd"].to_numpy(dtype="float64"),
        gh["count"].to_numpy(dtype="float64"),
        0.85,
    )
    over_n = float(g["over"].sum()) if math.isfinite(limit) else math.nan
    return {
        "limit_kmh": limit,
        "passes": int(round(n)),
        "hours_observed": hours_obs,
        "passes_per_hour": n / hours_obs,
        "over_limit": over_n,
        "over_limit_per_hour": over_n / hours_obs,
        "share_over_limit": over_n / n,
        "share_over_limit_10": float(g["over10"].sum()) / n if math.isfinite(limit) else math.nan,
        "mean_kmh": float(g["speed_sum"].sum()) / n,
        "p85_kmh": p85,
        "p85_minus_limit_kmh": p85 - limit,
        "estimated": bool(len(gh)),
    }


def speed_by_window(
    matched: pd.DataFrame,
    segments: gpd.GeoDataFrame,
    *,
    band_hours: int = 2,
    day_groups: str = "weekday_weekend",
    default_cv: float = 0.12,
) -> pd.DataFrame:
    """Summarise speeds per segment and time window (weekday group × hour band).

    Parameters
    ----------
    matched
        Measurements with ``segment_id`` from :func:`geo.layers.speed.matching.match_measurements`.
    segments
        The segments (for the limit).
    band_hours
        Hours per band; bands start at midnight (``2`` gives 00–02, 02–04, ...).
    day_groups
        ``weekday_weekend`` (mån–fre, lör–sön), ``each_day`` or ``all``.
    default_cv
        Spread of speeds (standard deviation / mean) assumed for hourly rows without ``p85_kmh``.

    Returns
    -------
    windows
        One row per segment and window with measurements: ``segment_id``, ``weekdays`` (label),
        ``start_hour``, ``end_hour``, ``limit_kmh``, ``passes``, ``hours_observed``, ``passes_per_hour``,
        ``over_limit`` (estimated number of passes above the limit), ``over_limit_per_hour``,
        ``share_over_limit``, ``share_over_limit_10``, ``mean_kmh``, ``p85_kmh``, ``p85_minus_limit_kmh``,
        ``estimated`` (True when per-hour aggregates entered through the normal approximation).
    """
    groups, band_hours = window_groups(band_hours, day_groups)
    cols = list(WINDOW_COLUMNS)
    if matched.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    m = _with_overs(matched, segments, default_cv=default_cv)
    m["weekdays"], m["start_hour"] = window_keys(m["time"], groups, band_hours)
    observed = _observed_hours(m, groups, band_hours)
    rows = []
    for (sid, wd, sh), g in m.groupby(["segment_id", "weekdays", "start_hour"], sort=False):
        figures = _window_row(g, int(observed.get((sid, wd, sh), 0)) or 1)
        if figures is not None:
            key = {"segment_id": sid, "weekdays": wd, "start_hour": int(sh), "end_hour": int(sh) + band_hours}
            rows.append(key | figures)
    out = pd.DataFrame(rows, columns=cols)
    order = {label: i for i, (label, _) in enumerate(groups)}
    out = out.sort_values(
        ["segment_id", "weekdays", "start_hour"], key=lambda s: s.map(order) if s.name == "weekdays" else s
    )
    return out.reset_index(drop=True)


def summarise_segments(
    segments: gpd.GeoDataFrame,
    matched: pd.DataFrame,
    windows: pd.DataFrame,
    attached: pd.DataFrame | None = None,
    *,
    default_cv: float = 0.12,
) -> gpd.GeoDataFrame:
    """Add whole-period speed figures and report counts to every segment.

    Parameters
    ----------
    segments
        The segments.
    matched
        Matched measurements (:func:`geo.layers.speed.matching.match_measurements`).
    windows
        Per-window figures (:func:`speed_by_window`), for the worst window.
    attached
        Traffic reports with ``segment_id`` (:func:`geo.layers.speed.layer.attach_reports`), or ``None``.
    default_cv
        As in :func:`speed_by_window`.

    Returns
    -------
    segments
        A copy with ``passes``, ``share_over_limit``, ``share_over_limit_10``, ``mean_kmh``, ``p85_kmh``,
        ``p85_minus_limit_kmh``, ``n_reports`` and ``worst_window`` (the window with most speeders per hour,
        e.g. ``"lör–sön 22–24"``).
    """
    out = segments.copy()
    whole = (
        speed_by_window(matched, segments, band_hours=24, day_groups="all", default_cv=default_cv)
        if len(matched)
        else None
    )
    cols = ("passes", "share_over_limit", "share_over_limit_10", "mean_kmh", "p85_kmh", "p85_minus_limit_kmh")
    for c in cols:
        out[c] = np.nan
    if whole is not None and len(whole):
        w = whole.set_index("segment_id")
        for c in cols:
            out[c] = out["segment_id"].map(w[c]).astype("float64")
    out["passes"] = out["passes"].fillna(0).astype("int64")
    if attached is not None and len(attached):
        out["n_reports"] = (
            out["segment_id"].map(attached.groupby("segment_id").size()).fillna(0).astype("int64")
        )
    else:
        out["n_reports"] = 0
    out["worst_window"] = _worst_window(out["segment_id"], windows)
    return out


def _worst_window(segment_id: pd.Series, windows: pd.DataFrame) -> pd.Series:
    """Return the label (``"lör–sön 22–24"``) of each segment's window with most speeders per hour."""
    if not (len(windows) and windows["over_limit_per_hour"].notna().any()):
        return pd.Series(pd.array([pd.NA] * len(segment_id), dtype="string"), index=segment_id.index)
    best = (
        windows.dropna(subset=["over_limit_per_hour"])
        .sort_values("over_limit_per_hour", ascending=False)
        .drop_duplicates("segment_id")
    )
    label = (
        best["weekdays"]
        + " "
        + best["start_hour"].map("{:02d}".format)
        + "–"
        + best["end_hour"].map("{:02d}".format)
    )
    return segment_id.map(dict(zip(best["segment_id"], label, strict=True))).astype("string")
