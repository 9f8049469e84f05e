"""Speed-enforcement plan: the road segments and time windows where a check catches the most speeding.

A check is one officer team at one segment for ``check_min`` minutes in one weekly window (weekday group ×
hour band, from :func:`geo.layers.speed.statistics.speed_by_window`). Its value is the number of drivers it
can expect to stop: passes per observed hour above the limit + ``margin_kmh`` (the clear offences a check
acts on), times the check's length. Residents' complaints in the same window raise the value, up to ``1 +
complaint_weight`` times for the most complained-about window, and a window with complaints but no
measurement is still considered, valued as an average measured window scaled by its complaints.

Capacity is the same model as the patrol plan: a number of checks (``checks``), chosen greedily best first,
with diminishing returns — each further check on a segment already chosen counts ``repeat_decay`` times less —
so the plan spreads over the stretches that matter instead of filling every window on one road.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.layers.speed.layer import SpeedLayer
from geo.layers.speed.statistics import speed_spread, window_groups, window_keys

__all__ = ["ENFORCEMENT_COLUMNS", "plan_enforcement"]

ENFORCEMENT_COLUMNS: tuple[str, ...] = (
    "rank",
    "segment_id",
    "street",
    "lat",
    "lon",
    "limit_kmh",
    "weekdays",
    "start",
    "end",
    "passes",
    "share_over_limit",
    "share_over_limit_10",
    "p85_kmh",
)
"""Columns of ``enforcement_plan.csv``, in order (further columns follow them)."""


def plan_enforcement(
    layer: SpeedLayer,
    *,
    checks: int = 10,
    check_min: int = 60,
    margin_kmh: float = 10.0,
    complaint_weight: float = 1.0,
    repeat_decay: float = 0.5,
    min_passes: int = 20,
) -> gpd.GeoDataFrame:
    """Choose where and when to check speeds, best first.

    Parameters
    ----------
    layer
        The traffic-speed layer (:func:`geo.layers.speed.layer.build_speed_layer`).
    checks
        Number of checks the capacity allows (e.g. per week).
    check_min
        Length of one check in minutes.
    margin_kmh
        A pass counts as a catch when faster than the limit + this many km/h.
    complaint_weight
        The most complained-about window counts ``1 + complaint_weight`` times its catches; others in
        proportion to their complaints. ``0`` ignores complaints.
    repeat_decay
        Each further check on the same segment is worth this factor times less (0 < decay <= 1; 1 = no
        diminishing returns).
    min_passes
        Measured windows with fewer passes are too thin to judge and are left out (a window with complaints
        and no measurement is kept).

    Returns
    -------
    plan
        One row a check, best first: :data:`ENFORCEMENT_COLUMNS`, then ``catches_per_check`` (expected
        drivers over limit + margin during one check), ``over_limit_per_hour``, ``complaints``, ``score``,
        ``hours_observed``, ``mean_kmh``; Point geometry (the segment's midpoint) in the layer's CRS.

    Raises
    ------
    ValueError
        If a parameter is out of range.
    """
    _check_arguments(checks, check_min, margin_kmh, complaint_weight, repeat_decay)
    empty = _empty_plan(layer.segments.crs)
    w = layer.windows.copy()
    if w.empty:
        return empty
    w["complaints"] = w.get("complaints", pd.Series(0, index=w.index)).fillna(0).astype("int64")
    measured = w["passes"].fillna(0) >= min_passes
    unmeasured_complaint = (w["passes"].fillna(0) == 0) & (w["complaints"] > 0)
    w = w[(measured | unmeasured_complaint) & w["limit_kmh"].notna()].copy()
    if w.empty:
        return empty
    w = _score(w, _over_margin_per_hour(layer, w, margin_kmh), check_min, complaint_weight)
    w = w[w["score"] > 0].reset_index(drop=True)
    if w.empty:
        return empty
    plan = w.iloc[_choose(w, checks, repeat_decay)].reset_index(drop=True)
    return _plan_frame(plan, layer.segments)


_EXTRA_COLUMNS = (
    "catches_per_check",
    "over_limit_per_hour",
    "complaints",
    "score",
    "hours_observed",
    "mean_kmh",
)


def _check_arguments(
    checks: int, check_min: int, margin_kmh: float, complaint_weight: float, repeat_decay: float
) -> None:
    if checks < 1:
        raise ValueError(f"checks must be >= 1, got {checks}")
    if check_min <= 0:
        raise ValueError(f"check_min must be > 0, got {check_min}")
    if not 0 < repeat_decay <= 1:
        raise ValueError(f"repeat_decay must be in (0, 1], got {repeat_decay}")
    if complaint_weight < 0 or margin_kmh < 0:
        raise ValueError("complaint_weight and margin_kmh must be >= 0")


def _empty_plan(crs: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {c: pd.Series(dtype="object") for c in (*ENFORCEMENT_COLUMNS, *_EXTRA_COLUMNS)},
        geometry=gpd.GeoSeries([], crs=crs),
        crs=crs,
    )


def _score(w: pd.DataFrame, over_margin: np.ndarray, check_min: int, complaint_weight: float) -> pd.DataFrame:
    """Add ``catch_rate_h``, ``catches_per_check`` and ``score`` (a check's catches, complaints counted)."""
    w["catch_rate_h"] = over_margin
    measured = w["passes"] > 0
    typical = float(np.nanmean(over_margin[measured])) if measured.any() else 0.0
    complaints = w["complaints"].to_numpy()
    top_complaints = max(int(w["complaints"].max()), 1)
    boost = 1.0 + complaint_weight * complaints / top_complaints
    base = np.where(measured, w["catch_rate_h"].to_numpy(), typical * complaints / top_complaints)
    w["catches_per_check"] = np.where(measured, w["catch_rate_h"] * check_min / 60.0, np.nan)
    w["score"] = base * boost * check_min / 60.0
    return w


def _choose(w: pd.DataFrame, checks: int, repeat_decay: float) -> list[int]:
    """Pick up to `checks` windows greedily; each further one on a segment is worth `repeat_decay` less."""
    chosen: list[int] = []
    used: dict[str, int] = {}
    value = w["score"].to_numpy(dtype="float64")
    sid = w["segment_id"].astype("string").to_numpy(dtype=object)
    available = np.ones(len(w), dtype=bool)
    for _ in range(min(checks, len(w))):
        gain = np.where(available, value * np.array([repeat_decay ** used.get(s, 0) for s in sid]), -np.inf)
        best = int(np.argmax(gain))
        if not math.isfinite(gain[best]) or gain[best] <= 0:
            break
        chosen.append(best)
        available[best] = False
        used[sid[best]] = used.get(sid[best], 0) + 1
    return chosen


def _plan_frame(plan: pd.DataFrame, seg: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the chosen windows as plan rows (:data:`ENFORCEMENT_COLUMNS` first) at segment midpoints."""
    crs = seg.crs
    mids = seg.set_index(seg["segment_id"].astype("string")).geometry.interpolate(0.5, normalized=True)
    pts = gpd.GeoSeries(plan["segment_id"].astype("string").map(mids).to_numpy(), crs=crs)
    wgs = pts.to_crs("EPSG:4326")

    def num(col: str, digits: int) -> np.ndarray:
        return plan[col].astype("float64").round(digits).to_numpy()

    out = pd.DataFrame(
        {
            "rank": np.arange(1, len(plan) + 1),
            "segment_id": plan["segment_id"].astype("string").to_numpy(),
            "street": plan["street"].astype("string").to_numpy() if "street" in plan else pd.NA,
            "lat": wgs.y.round(6).to_numpy(),
            "lon": wgs.x.round(6).to_numpy(),
            "limit_kmh": plan["limit_kmh"].round(0).to_numpy(),
            "weekdays": plan["weekdays"].to_numpy(),
            "start": plan["start_hour"].astype(int).map("{:02d}:00".format).to_numpy(),
            "end": plan["end_hour"].astype(int).map(lambda h: f"{h % 24:02d}:00").to_numpy(),
            "passes": plan["passes"].astype("int64").to_numpy(),
            "share_over_limit": num("share_over_limit", 4),
            "share_over_limit_10": num("share_over_limit_10", 4),
            "p85_kmh": num("p85_kmh", 1),
            "catches_per_check": num("catches_per_check", 2),
            "over_limit_per_hour": num("over_limit_per_hour", 2),
            "complaints": plan["complaints"].astype("int64").to_numpy(),
            "score": plan["score"].round(3).to_numpy(),
            "hours_observed": plan["hours_observed"].astype("int64").to_numpy(),
            "mean_kmh": num("mean_kmh", 1),
        }
    )
    return gpd.GeoDataFrame(out, geometry=pts.to_numpy(), crs=crs)


def _over_margin_per_hour(layer: SpeedLayer, windows: pd.DataFrame, margin_kmh: float) -> np.ndarray:
    """Count passes above limit + margin per observed hour, for each window row."""
    if margin_kmh == 10.0:
        rate = (
            windows["share_over_limit_10"].astype("float64")
            * windows["passes"]
            / windows["hours_observed"].clip(lower=1)
        )
        return rate.fillna(0.0).to_numpy(dtype="float64")
    from scipy.special import ndtr

    m = layer.measurements
    if m.empty:
        return np.zeros(len(windows))
    groups, band = window_groups(layer.band_hours, layer.day_groups)
    lim = dict(zip(layer.segments["segment_id"].astype("string"), layer.segments["limit_kmh"], strict=True))
    limit = m["segment_id"].map(lim).astype("float64").to_numpy()
    wd, sh = window_keys(m["time"], groups, band)
    mean = m["mean_kmh"].to_numpy(dtype="float64")
    sd = speed_spread(m)
    is_hour = (m["kind"] == "hour").to_numpy()
    over = np.where(
        is_hour,
        m["count"].to_numpy(dtype="float64") * (1 - ndtr((limit + margin_kmh - mean) / sd)),
        (m["speed_kmh"].to_numpy(dtype="float64") > limit + margin_kmh).astype(float),
    )
    counts = (
        pd.DataFrame(
            {"segment_id": m["segment_id"].to_numpy(), "weekdays": wd, "start_hour": sh, "over": over}
        )
        .groupby(["segment_id", "weekdays", "start_hour"])["over"]
        .sum()
    )
    key = pd.MultiIndex.from_frame(
        windows[["segment_id", "weekdays", "start_hour"]].astype({"start_hour": "int64"})
    )
    got = counts.reindex(key).fillna(0.0).to_numpy()
    return got / windows["hours_observed"].clip(lower=1).to_numpy()
