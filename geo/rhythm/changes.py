"""What changed since the last lägesbild: places that started, continue or ended, and counts per group.

Pure functions on frames. :func:`hotspot_changes` compares this run's hot-spots with the previous run's by
``hotspot_id`` (ids are matched by overlap when the hot-spots are found, so the same place keeps its id);
:func:`count_changes` compares report counts per category and per source with the previous period of equal
length and with the same weeks a year before; :func:`since_last_lines` says it in words (Swedish or
English) for the pages.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import i18n
from geo.i18n import N_

__all__ = [
    "CHANGE_COLUMNS",
    "COUNT_COLUMNS",
    "SMALL_N",
    "count_changes",
    "covers",
    "hotspot_changes",
    "since_last_lines",
]

CHANGE_COLUMNS = ["hotspot_id", "label", "status", "n_now", "n_before", "change_pct", "lat", "lon"]
"""Columns of ``changes.csv``."""

COUNT_COLUMNS = [
    "group",
    "value",
    "n_now",
    "n_previous",
    "change_previous_pct",
    "n_year_before",
    "change_year_pct",
    "caveat",
]
"""Columns of ``change_counts.csv``."""

SMALL_N = 10
"""Below this many reports in both periods a change is flagged as possibly chance."""

_CAVEAT = N_("få händelser: en skillnad på några stycken kan vara slump")


def _pct(now: float, before: float) -> float:
    return round(100.0 * (now - before) / before, 1) if before > 0 else float("nan")  # NaN > 0 is False


def _centroids(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    if not len(frame):
        return np.zeros(0), np.zeros(0)
    pts = frame.geometry.representative_point()
    wgs = gpd.GeoSeries(pts, crs=frame.crs).to_crs("EPSG:4326")
    return wgs.y.round(6).to_numpy(), wgs.x.round(6).to_numpy()


def hotspot_changes(now: gpd.GeoDataFrame, before: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return one row a place: ``new``, ``continuing`` (same id in both runs) or ``ended``.

    Parameters
    ----------
    now
        This run's hot-spots (``hotspot_id``, ``n_reports``, ``label``, polygons with a CRS).
    before
        The previous run's hot-spots, same columns.

    Returns
    -------
    changes
        :data:`CHANGE_COLUMNS`; ``n_before`` is 0 for new places and ``n_now`` 0 for ended ones;
        ``change_pct`` is empty for new places; ``lat``/``lon`` are the place's centroid in WGS84 (for
        ``ended``, the earlier run's hot-spot). Sorted: new, continuing by change, ended.
    """
    lat_n, lon_n = _centroids(now)
    lat_b, lon_b = _centroids(before)
    before_n = dict(zip(before["hotspot_id"].astype(str), before["n_reports"].astype(int), strict=True))
    now_ids = set(now["hotspot_id"].astype(str))
    rows = []
    for i, (hid, label, n) in enumerate(zip(now["hotspot_id"], now["label"], now["n_reports"], strict=True)):
        prev = before_n.get(str(hid))
        status = "continuing" if prev is not None else "new"
        n_before = prev or 0
        rows.append([str(hid), label, status, int(n), n_before, _pct(int(n), n_before), lat_n[i], lon_n[i]])
    for j, (hid, label, n) in enumerate(
        zip(before["hotspot_id"], before["label"], before["n_reports"], strict=True)
    ):
        if str(hid) not in now_ids:
            rows.append([str(hid), label, "ended", 0, int(n), -100.0, lat_b[j], lon_b[j]])
    out = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    order = out["status"].map({"new": 0, "continuing": 1, "ended": 2})
    out = out.assign(_o=order, _c=-out["change_pct"].fillna(0)).sort_values(["_o", "_c", "hotspot_id"])
    return out.drop(columns=["_o", "_c"]).reset_index(drop=True)


def covers(reports: pd.DataFrame, start: pd.Timestamp, *, slack_days: int = 7) -> bool:
    """Return whether the data reach back to `start` (their first report at most `slack_days` after it).

    A window before the first report is not a window with no reports: its count is unknown, not 0.
    """
    t = reports["occurred_at"]
    return bool(len(t)) and t.min() <= start + pd.Timedelta(days=slack_days)


def _window_counts(reports: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, by: str) -> pd.Series:
    t = reports["occurred_at"]
    inside = reports[(t >= start) & (t < end)]
    return inside[by].astype(str).value_counts()


def count_changes(reports: pd.DataFrame, *, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Compare report counts per category and per source with the period before and a year before.

    Parameters
    ----------
    reports
        Every report read (not cut to the period): ``occurred_at`` (local, aware), ``category``, ``source``.
    start, end
        The period (local midnights, end exclusive). The previous period has the same length and ends at
        `start`; the year before is the same weeks 52 weeks earlier (same weekdays).

    Returns
    -------
    counts
        :data:`COUNT_COLUMNS`, ``group`` ``kategori`` or ``källa``; percentages empty where the earlier
        count is 0; an earlier count is empty (unknown) when the data do not reach back to its window
        (:func:`covers`); ``caveat`` says when the numbers are too small to read much into.
    """
    length = end - start
    year = pd.Timedelta(weeks=52)
    has_prev, has_old = covers(reports, start - length), covers(reports, start - year)
    rows = []
    for group, col in (("kategori", "category"), ("källa", "source")):
        now = _window_counts(reports, start, end, col)
        prev = _window_counts(reports, start - length, start, col)
        old = _window_counts(reports, start - year, end - year, col)
        for value in sorted(set(now.index) | set(prev.index) | set(old.index)):
            n = int(now.get(value, 0))
            p = float(prev.get(value, 0)) if has_prev else np.nan
            o = float(old.get(value, 0)) if has_old else np.nan
            caveat = _CAVEAT if max(n, 0 if np.isnan(p) else p) < SMALL_N else ""
            rows.append([group, value, n, p, _pct(n, p), o, _pct(n, o), caveat])
    out = pd.DataFrame(rows, columns=COUNT_COLUMNS)
    return out.astype({"n_previous": "Int64", "n_year_before": "Int64"})


def _moved(before: int, now: int, lang: str) -> str:
    return f"{i18n.number(before, lang)}→{i18n.number(now, lang)}"


def _signed(pct: float, lang: str) -> str:
    """Return a change in percent as " (+12 %)" / " (−3 %)" ("+12%" in English); empty when unknown."""
    if np.isnan(pct):
        return ""
    sign = "+" if pct >= 0 else "−"
    return f" ({sign}{i18n.pct(abs(pct) / 100, lang, decimals=0)})"


def since_last_lines(
    changes: pd.DataFrame | None,
    counts: pd.DataFrame | None,
    *,
    previous_period: str | None,
    top: int = 3,
    lang: str = "sv",
) -> list[str]:
    """Say in words what changed since the last lägesbild (the summary page's opening section).

    Parameters
    ----------
    changes
        From :func:`hotspot_changes` (``None``: no hot-spots this time or before).
    counts
        From :func:`count_changes`.
    previous_period
        The previous kept run's period in words, or ``None`` when there is none.
    top
        Places listed per kind of change.
    lang
        ``"sv"`` or ``"en"``.
    """
    if previous_period is None:
        return [i18n.gettext("Ingen tidigare lägesbild i arkivet: nästa körning jämförs med den här.", lang)]
    lines = [i18n.gettext("Jämfört med lägesbilden för %(period)s.", lang, period=previous_period)]
    if changes is not None and len(changes):
        for status, word in (("new", N_("Nya platser")), ("ended", N_("Platser som upphört"))):
            part = changes[changes["status"] == status]
            if len(part):
                names = ", ".join(f"{r.hotspot_id} {r.label}" for r in part.head(top).itertuples())
                lines.append(f"{i18n.gettext(word, lang)} ({len(part)}): {names}.")
        cont = changes[changes["status"] == "continuing"].dropna(subset=["change_pct"])
        up = cont[cont["n_now"] > cont["n_before"]].sort_values("change_pct", ascending=False).head(top)
        down = cont[cont["n_now"] < cont["n_before"]].sort_values("change_pct").head(top)
        for part, word in ((up, N_("Störst ökning")), (down, N_("Störst minskning"))):
            if len(part):
                items = ", ".join(
                    f"{r.label} {_moved(r.n_before, r.n_now, lang)}{_signed(r.change_pct, lang)}"
                    for r in part.itertuples()
                )
                lines.append(f"{i18n.gettext(word, lang)}: {items}.")
        if not len(changes[changes["status"] != "continuing"]) and not len(up) and not len(down):
            lines.append(i18n.gettext("Samma platser som förra gången, med oförändrat antal.", lang))
    if counts is not None and len(counts) and counts["n_previous"].isna().all():
        lines.append(i18n.gettext("Perioden före ligger före de äldsta data: antalen jämförs inte.", lang))
    elif counts is not None and len(counts):
        src = counts[counts["group"] == "kategori"]
        moved = src.assign(d=(src["n_now"] - src["n_previous"]).abs()).sort_values("d", ascending=False)
        few = i18n.gettext(" (få händelser)", lang)
        moves = [
            f"{r.value} {_moved(r.n_previous, r.n_now, lang)}{few if r.caveat else ''}"
            for r in moved.head(top).itertuples()
            if r.n_now != r.n_previous
        ]
        if moves:
            lines.append(
                i18n.gettext(
                    "Kategorier mot perioden före (lika lång): %(moves)s.", lang, moves=", ".join(moves)
                )
            )
    return lines
