"""The Police events feed: weekly counts per event type, and the trend panel drawn from them."""

from __future__ import annotations

import pandas as pd

from geo.i18n import gettext, number
from geo.maps.elements import HtmlPanel
from geo.maps.escape import Markup, escape
from geo.maps.registry import LeanMap
from geo.maps.style import require_columns
from geo.maps.svg import sparkline_svg

__all__ = ["add_feed_panel", "feed_trend"]


def feed_trend(reports: pd.DataFrame) -> pd.DataFrame:
    """Weekly counts per event type of the Police events feed's reports.

    Parameters
    ----------
    reports
        Reports; the feed's rows are those with ``source == "polisen_feed"`` (their ``category`` is the event
        type).

    Returns
    -------
    weekly
        ``week`` (local Monday, naive date-time), ``category``, ``count``.
    """
    if reports is None or "source" not in reports.columns or reports.empty:
        return pd.DataFrame(columns=["week", "category", "count"])
    feed = reports[reports["source"].astype(str) == "polisen_feed"]
    if feed.empty:
        return pd.DataFrame(columns=["week", "category", "count"])
    t = feed["occurred_at"]
    week = (t.dt.tz_localize(None).dt.normalize() - pd.to_timedelta(t.dt.day_of_week, unit="D")).to_numpy()
    table = pd.DataFrame({"week": week, "category": feed["category"].astype(str).to_numpy()})
    return table.groupby(["week", "category"], as_index=False).size().rename(columns={"size": "count"})


def add_feed_panel(m: LeanMap, weekly: pd.DataFrame, *, lang: str = "sv", weeks: int = 4) -> LeanMap:
    """Add a panel with the Police events feed's trend.

    Weekly totals as bars, the last `weeks` weeks against the `weeks` before, and the most common event
    types.

    Parameters
    ----------
    m
        The map.
    weekly
        From :func:`geo.maps.build.feed_trend`: ``week`` (Monday date), ``category``, ``count``.
    lang
        Language.
    weeks
        Length of the compared windows.
    """
    require_columns(weekly, ["week", "category", "count"], "feed trend")
    if weekly.empty:
        return m
    totals = weekly.groupby("week")["count"].sum().sort_index()
    full = pd.date_range(totals.index.min(), totals.index.max(), freq="7D")
    totals = totals.reindex(full, fill_value=0)
    cur = int(totals.iloc[-weeks:].sum())
    before = int(totals.iloc[-2 * weeks : -weeks].sum()) if len(totals) > weeks else 0
    change = f"{cur - before:+d}"
    last = weekly[weekly["week"] >= totals.index[-min(weeks, len(totals))]]
    top = last.groupby("category")["count"].sum().sort_values(ascending=False).head(3)
    top_txt = ", ".join(f"{escape(str(c))} {int(v)}" for c, v in top.items())
    total = gettext(
        "Senaste %(n)s veckor: %(cur)s händelser (%(change)s mot %(n)s veckor innan)",
        lang,
        n=weeks,
        cur=number(cur, lang),
        change=change,
    )
    html = Markup(
        f"<b>{escape(gettext('Polisens händelser (trend)', lang))}</b><br>"
        f"{sparkline_svg(totals.iloc[-52:].to_numpy())}<br>"
        f"<span style='font-size:11px'>{escape(total)}"
        f"<br>{escape(gettext('Vanligast', lang))}: {top_txt}</span>"
    )
    HtmlPanel(html, position="bottomleft", css_class="lb-panel lb-feed").add_to(m)  # right: layers, legends
    return m
