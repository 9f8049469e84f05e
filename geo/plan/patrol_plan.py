"""The patrol plan's result type: the visits, the comparison plan, the assumptions and the plan's words."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.i18n import gettext, ngettext
from geo.plan.patrol_free import FREE_COLUMNS, free_notes, gain_words, threshold_words
from geo.texts import WEEKDAYS
from geo.time.weeks import Shift

__all__ = ["PATROL_COLUMNS", "VISIT_COLUMNS", "WEEKDAYS_SV", "PatrolPlan"]

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
VISIT_COLUMNS = [
    *PATROL_COLUMNS,
    "shift",
    "shift_no",
    "unit",
    "travel_min",
    "travel_m",
    "expected_incidents",
    "start_at",
    "end_at",
]


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
    speed_kmh, visit_min, visits_per_shift, units
        The assumptions (`visits_per_shift` per patrol unit; `units` per shift).
    routes
        One LineString per shift and unit with visits, through its visits in order (along the streets when
        the travel is ``"gatunät"``), for the map.
    min_gain
        The least expected share a planned visit adds (the threshold), and why in `min_gain_reason`
        (Swedish; :meth:`threshold_text` in either language).
    min_gain_share, min_expected_per_hour
        The threshold's two rules (the second ``None`` without history).
    free
        The stretches of shifts with no place worth a visit (:func:`geo.plan.patrol_free.free_windows`).
    history_days
        Length of the history window in days (for the weekly expected incidents).
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
    units: int = 1
    min_gain: float = 0.0
    min_gain_reason: str = ""
    min_gain_share: float = 0.0
    min_expected_per_hour: float | None = None
    free: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(FREE_COLUMNS)))
    history_days: float = 0.0

    @property
    def weekly_expected(self) -> float:
        """Incidents expected in the planning week (the history window's, per week)."""
        return self.n_history * 7.0 / self.history_days if self.history_days > 0 else 0.0

    @property
    def expected_incidents(self) -> float:
        """Of them, how many are expected at the planned visits."""
        return self.expected_share * self.weekly_expected

    def gain_text(self, lang: str = "sv") -> str:
        """Return the expected gain in words (`lang`, default Swedish)."""
        return gain_words(self.expected_share, self.n_history, self.history_days, lang)

    def free_text(self, lang: str = "sv") -> list[str]:
        """Return the free stretches, grouped over the week (sentences in `lang`)."""
        return free_notes(self.free, lang)

    def threshold_text(self, lang: str = "sv") -> str:
        """Return where visits are planned (the threshold's rules) in `lang`."""
        if lang == "sv" or not self.min_gain_share:
            return self.min_gain_reason
        return threshold_words(self.min_gain_share, self.min_expected_per_hour, lang)

    def capacity_text(self, lang: str = "sv") -> str:
        """How much of the capacity the plan uses, and why not more (`lang`, default Swedish)."""
        n_shifts = len(self.shifts) * 7
        cap = n_shifts * self.visits_per_shift * self.units
        units = ngettext("%(num)s enhet", "%(num)s enheter", self.units, lang)
        return gettext(
            "%(n)s av %(cap)s möjliga besök planerade (%(shifts)s pass × %(per)s besök × %(units)s); besök "
            "planeras bara där de når tröskeln (%(reason)s)",
            lang,
            n=len(self.visits),
            cap=cap,
            shifts=n_shifts,
            per=self.visits_per_shift,
            units=units,
            reason=self.threshold_text(lang),
        )

    def table(self, *, naive: bool = False) -> pd.DataFrame:
        """Return the visits as the CSV table (contract columns first, then the extras)."""
        v = self.naive if naive else self.visits
        extra = ["shift", "unit", "travel_min", "travel_m", "expected_incidents"]
        out = pd.DataFrame(v.drop(columns=v.geometry.name))[[*PATROL_COLUMNS, *extra]].copy()
        out["expected_share"] = out["expected_share"].round(6)
        out["expected_incidents"] = pd.to_numeric(out["expected_incidents"]).round(3)
        out["travel_m"] = out["travel_m"].round(0).astype("int64")
        return out
