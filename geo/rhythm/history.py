"""A priority area's weekly series across kept runs (``geo history --area NAME``), as a table and a chart."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import pandas as pd

__all__ = ["area_series", "series_png"]


def area_series(documents: Iterable[tuple[str, dict[str, Any]]], area: str) -> pd.DataFrame:
    """Return the area's count per ISO week across kept runs, oldest week first.

    Parameters
    ----------
    documents
        ``(period in words, run document)`` of each kept run, oldest first; a later run's count of a week
        replaces an earlier run's (the data may have grown).
    area
        The priority area's name (``[[areas]] name``).

    Returns
    -------
    series
        Columns ``week`` (``2026-W41``), ``count`` and ``run`` (the period of the run it comes from); empty
        when no kept run has the area.
    """
    weeks: dict[str, tuple[int, str]] = {}
    for period, doc in documents:
        figures = (doc.get("areas") or {}).get(area)
        if figures is None:
            continue
        for week, count in figures.get("weekly", {}).items():
            weeks[week] = (int(count), period)
    rows = [(w, c, p) for w, (c, p) in sorted(weeks.items())]
    return pd.DataFrame(rows, columns=["week", "count", "run"])


def series_png(series: pd.DataFrame, *, title: str) -> bytes:
    """Draw the weekly counts as a bar chart with a 4-week moving mean; return PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 3.6), dpi=110)
    try:
        x = range(len(series))
        ax.bar(x, series["count"], color="#6b8fb3", label="rapporter per vecka")
        if len(series) >= 4:
            mean = series["count"].rolling(4, min_periods=1).mean()
            ax.plot(x, mean, color="#b2182b", linewidth=2, label="glidande medel (4 veckor)")
        step = max(1, len(series) // 12)
        ax.set_xticks(list(x)[::step], list(series["week"])[::step], rotation=45, ha="right", fontsize=8)
        ax.set_ylabel("rapporter")
        ax.set_title(title, fontsize=11)
        ax.legend(fontsize=8, loc="upper left")
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        return buf.getvalue()
    finally:
        plt.close(fig)
