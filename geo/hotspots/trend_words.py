"""Say what a hot-spot's trend compared, in words a reader of the map and the pages can check."""

from __future__ import annotations

import pandas as pd

from geo.hotspots.objects import trend_weeks

__all__ = ["trend_words"]


def trend_words(start: pd.Timestamp, end: pd.Timestamp, *, lang: str = "sv") -> str:
    """Return what the trend classes compare for a period from `start` to `end` (exclusive).

    Example: ``trend: de senaste 52 veckorna jämfört med föregående 105 veckor``; for fewer than 8 weeks,
    that the period is too short for a trend.
    """
    recent, earlier = trend_weeks(start, end)
    if recent + earlier < 8:
        if lang == "en":
            return f"trend: period too short ({recent + earlier} weeks; at least 8 needed)"
        return f"trend: för kort period för en trend ({recent + earlier} veckor; minst 8 behövs)"
    if lang == "en":
        return f"trend: the last {recent} weeks compared with the {earlier} weeks before"
    return f"trend: de senaste {recent} veckorna jämfört med föregående {earlier} veckor"
