"""The patrol plan as a printable HTML page: the summary, then one section (one printed page) per shift.

The page is the template ``patrol_plan/page.html`` (:mod:`geo.templating`: autoescaped, every word through the
catalogue); this module only gathers the plan's figures, formatted for the language by :mod:`geo.i18n`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from geo import i18n
from geo.i18n.lazy import say
from geo.plan.patrol import PatrolPlan
from geo.plan.patrol_free import free_text
from geo.templating import render
from geo.time.weeks import parse_shift

__all__ = ["plan_html"]


def _history_text(plan: PatrolPlan, lang: str) -> str:
    """Return the history window and its incident count, or "" when the plan has no history window."""
    if plan.history_start is None or plan.history_end is None:
        return ""
    last = plan.history_end - pd.Timedelta(days=1)
    n = int(round(plan.n_history))
    a, b = f"{plan.history_start:%Y-%m-%d}", f"{last:%Y-%m-%d}"
    return i18n.ngettext(
        "Historik: %(a)s – %(b)s, %(num)s händelse med position.",
        "Historik: %(a)s – %(b)s, %(num)s händelser med position.",
        n,
        lang,
        a=a,
        b=b,
    )


def _summary(plan: PatrolPlan, lang: str) -> list[tuple[str, str]]:
    """Return the summary table's rows (heading, value)."""
    _ = i18n.gettext
    travel = _("kortaste väg i gatunätet", lang) if plan.travel == "gatunät" else _("fågelvägen", lang)
    plan_v = i18n.ngettext(
        "%(p)s av händelserna (%(num)s besök)",
        "%(p)s av händelserna (%(num)s besök)",
        len(plan.visits),
        lang,
        p=i18n.pct(plan.expected_share, lang),
    )
    naive_v = i18n.ngettext(
        "%(p)s (den plats som har flest händelser, fasta tider varje pass)",
        "%(p)s (de %(num)s platserna med flest händelser, fasta tider varje pass)",
        plan.visits_per_shift,
        lang,
        p=i18n.pct(plan.naive_share, lang),
    )
    visits_v = i18n.ngettext(
        "högst %(num)s per pass, %(m)s minuter vardera",
        "högst %(num)s per pass, %(m)s minuter vardera",
        plan.visits_per_shift,
        lang,
        m=plan.visit_min,
    )
    speed = i18n.number(plan.speed_kmh, lang, decimals=0 if plan.speed_kmh == int(plan.speed_kmh) else 1)
    return [
        (_("Förväntad täckning, denna plan", lang), plan_v),
        (_("Förväntad täckning, naiv plan", lang), naive_v),
        (_("Förväntat antal", lang), plan.gain_text(lang)),
        (_("Pass per dag", lang), ", ".join(s.label for s in plan.shifts)),
        (_("Enheter per pass", lang), str(plan.units)),
        (_("Besök", lang), visits_v),
        (_("Restid", lang), f"{travel}, {speed} km/h"),
    ]


def _shift_day(first: pd.Series, lang: str) -> str:
    """Return the day a shift starts on (the day before its first visit when that is after midnight)."""
    day = first["start_at"]
    label = first["shift"].split(" ", 1)[1]
    if day.hour * 60 + day.minute < parse_shift(label.replace("–", "-")).start_min:
        day = day - pd.Timedelta(days=1)  # the shift began the evening before its first visit
    text = i18n.date(day, lang, fmt="EEEE d MMMM y")
    return text[:1].upper() + text[1:]


def _shift(g: pd.DataFrame, lang: str, *, units: int, free: pd.DataFrame | None) -> dict[str, Any]:
    """Return one shift's figures: its day, label, summary line, visits and free stretches."""
    first = g.iloc[0]
    summary = i18n.ngettext(
        "%(num)s besök · förväntad andel %(p)s · restid totalt %(t)s min",
        "%(num)s besök · förväntad andel %(p)s · restid totalt %(t)s min",
        len(g),
        lang,
        p=i18n.pct(float(g["expected_share"].sum()), lang),
        t=i18n.number(int(g["travel_min"].sum()), lang),
    )
    visits = [
        {
            "order": r.order,
            "date": r.date,
            "start": r.start,
            "end": r.end,
            "place": str(r.place),
            "place_id": str(r.place_id),
            "position": f"{r.lat:.5f}, {r.lon:.5f}",
            "travel": f"{i18n.number(r.travel_min, lang)} min",
            "share": i18n.pct(float(r.expected_share), lang, decimals=2),
        }
        for r in g.itertuples(index=False)
    ]
    lines = (
        []
        if free is None
        else [free_text(s, e, lang=lang) for s, e in zip(free["start"], free["end"], strict=True)]
    )
    return {
        "day": _shift_day(first, lang),
        "label": first["shift"].split(" ", 1)[1],
        "unit": int(first.get("unit", 1)) if units > 1 else None,
        "summary": summary,
        "visits": visits,
        "free": lines,
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
        ``"sv"`` (default) or ``"en"``: every word, number, share and date of the page.

    Raises
    ------
    ValueError
        If `lang` is neither ``"sv"`` nor ``"en"``.
    """
    i18n.check_lang(lang)
    units = plan.visits["unit"] if "unit" in plan.visits.columns else 1
    shifts = []
    for (shift_no, _), g in plan.visits.assign(_unit=units).groupby(["shift_no", "_unit"], sort=True):
        free = plan.free[plan.free["shift_no"] == shift_no] if len(plan.free) else None
        shifts.append(_shift(g, lang, units=plan.units, free=free))
    return render(
        "patrol_plan/page.html",
        lang,
        title=title or i18n.gettext("Patrullplan", lang),
        week=plan.week,
        demo=demo,
        history=_history_text(plan, lang),
        summary=_summary(plan, lang),
        notes=[say(note, lang) for note in plan.notes],
        capacity=plan.capacity_text(lang) if plan.n_history else "",
        free=plan.free_text(lang),
        shifts=shifts,
    )
