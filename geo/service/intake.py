"""Checking a submission and turning it into a :class:`~geo.service.storage.NewReport` (no I/O here).

Every problem is collected and reported at once, each naming its field, as the report model's validation
does. The present is passed in as ``now``.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from geo.service.categories import CATEGORIES, SOURCES
from geo.service.storage import NewReport
from geo.time.parse import TimeError, in_future, parse_time

__all__ = ["Intake", "Refusal", "read_time"]

_MAX_WINDOW = dt.timedelta(days=31)
_log = logging.getLogger(__name__)


class Refusal(ValueError):
    """A submission is refused: ``problems`` maps each field to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


def read_time(text: str, *, tz: ZoneInfo) -> dt.datetime:
    """Parse a time given to the service by the one time parser, as a ``datetime`` in `tz` (for storage).

    The rules are :mod:`geo.time.parse`'s, the same as for report files: ISO 8601 (``2025-01-10T21:30``,
    ``2025-01-10 21:30:00+01:00``, ``...Z``) and the Swedish forms; a naive time is local to `tz`; a local
    time that does not exist (spring change) is refused, an ambiguous one is the earlier instant (logged);
    years outside 1900–2099 are refused.

    Raises
    ------
    TimeError
        A ``ValueError`` whose message is the reason.
    """
    ts = parse_time(text, tz=tz.key, warn=_log.warning)
    return ts.as_unit("us", round_ok=True).to_pydatetime()


@dataclass(frozen=True)
class Intake:
    """The study area and rules a submission is checked against.

    Attributes
    ----------
    area_name
        Shown in messages.
    area
        The study polygon in WGS84 (prepared for fast point tests).
    to_metric
        WGS84 lon/lat -> the store's metric CRS.
    tz
        Local zone of the study area.
    max_text_chars, future_slack_min
        Longest description; minutes a time may lie ahead of the clock.
    """

    area_name: str
    area: BaseGeometry
    to_metric: pyproj.Transformer
    tz: ZoneInfo
    max_text_chars: int
    future_slack_min: float

    def check(
        self,
        payload: dict[str, Any],
        *,
        now: dt.datetime,
        idempotency_key: str | None,
        body_hash: str | None,
        sources: tuple[str, ...] = ("resident", "safety_walk"),
        categories: tuple[str, ...] = tuple(CATEGORIES),
    ) -> NewReport:
        """Check a parsed :class:`~geo.service.schemas.ReportIn` and build the report to store.

        Parameters
        ----------
        payload
            ``ReportIn.model_dump()``.
        now
            The present (aware).
        idempotency_key, body_hash
            Stored with the report.
        sources
            Sources this caller may give (staff: every one; the public: ``resident`` and ``safety_walk``).
        categories
            Category codes this caller may give (partners: the checklist's besides the public ones).

        Raises
        ------
        Refusal
            Listing every problem by field.
        """
        problems: dict[str, str] = {}
        lat, lon = float(payload["lat"]), float(payload["lon"])
        if not (math.isfinite(lat) and math.isfinite(lon)):
            problems["lat"] = "must be a finite number / måste vara ett tal"
        elif not shapely.contains_xy(self.area, lon, lat):
            problems["lat"] = (
                f"position {lat:.5f}, {lon:.5f} is outside the study area {self.area_name} / "
                f"platsen ligger utanför {self.area_name}"
            )
        category = unicodedata.normalize("NFC", str(payload["category"])).strip().casefold()
        if category not in categories:
            problems["category"] = (
                f"unknown category '{payload['category']}'; allowed: {', '.join(categories)}"
            )
        source = (payload.get("source") or sources[0]).strip()
        if source not in sources or source not in SOURCES:
            problems["source"] = f"must be one of {', '.join(sources)}, got '{source}'"
        description = payload.get("description")
        if description is not None:
            description = unicodedata.normalize("NFC", description).strip() or None
        if description is not None:
            if len(description) > self.max_text_chars:
                problems["description"] = f"longer than {self.max_text_chars} characters ({len(description)})"
            elif any(unicodedata.category(ch) == "Cc" and ch not in "\n\t\r" for ch in description):
                problems["description"] = "holds control characters"
        occurred_at, occurred_to = self._times(payload, now=now, problems=problems)
        if problems or occurred_at is None:
            raise Refusal(problems or {"occurred_at": "required"})
        x, y = self.to_metric.transform(lon, lat)
        return NewReport(
            report_id="svc-" + uuid.uuid4().hex[:20],
            lat=lat,
            lon=lon,
            x=float(x),
            y=float(y),
            occurred_at=occurred_at,
            occurred_to=occurred_to,
            category=category,
            source=source,
            description=description,
            created_at=now.astimezone(dt.UTC),
            idempotency_key=idempotency_key,
            body_hash=body_hash,
            people=payload.get("people"),
        )

    def _times(
        self, payload: dict[str, Any], *, now: dt.datetime, problems: dict[str, str]
    ) -> tuple[dt.datetime | None, dt.datetime | None]:
        at, start, end = payload.get("occurred_at"), payload.get("occurred_from"), payload.get("occurred_to")
        if at and (start or end):
            problems["occurred_at"] = "give either occurred_at or occurred_from + occurred_to, not both"
            return None, None
        if not at and not (start and end):
            key = "occurred_to" if start and not end else "occurred_from" if end else "occurred_at"
            problems[key] = "required: occurred_at, or occurred_from and occurred_to / ange när det hände"
            return None, None
        parsed: dict[str, dt.datetime] = {}
        for name, text in (("occurred_at", at), ("occurred_from", start), ("occurred_to", end)):
            if not text:
                continue
            try:
                t = read_time(text, tz=self.tz)
            except TimeError as err:
                problems[name] = f"{err} / ogiltig tid"
                continue
            if in_future(pd.Series([t]), now=now, future_slack_min=self.future_slack_min)[0]:
                problems[name] = f"{t.isoformat()} lies in the future / tiden ligger i framtiden"
            parsed[name] = t
        if problems:
            return None, None
        if at:
            return parsed["occurred_at"], None
        t0, t1 = parsed["occurred_from"], parsed["occurred_to"]
        if t1 < t0:
            problems["occurred_to"] = "is before occurred_from / sluttiden är före starttiden"
        elif t1 - t0 > _MAX_WINDOW:
            problems["occurred_to"] = f"window longer than {_MAX_WINDOW.days} days"
        return t0, t1
