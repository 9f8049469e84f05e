"""The patrol plan as a printable HTML page: the summary, then one section (one printed page) per shift."""

from __future__ import annotations

from html import escape

import pandas as pd

from geo.plan.patrol import PatrolPlan
from geo.texts import MONTHS, WEEKDAYS
from geo.time.weeks import parse_shift

__all__ = ["plan_html"]


def _pct(x: float, decimals: int = 1, *, lang: str = "sv") -> str:
    text = f"{100 * x:.{decimals}f} %"
    return text.replace(".", ",") if lang == "sv" else text


_HTML_TEXT: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Patrullplan",
        "week": "vecka",
        "demo": "Syntetiska demodata – inte verkliga händelser.",
        "history": "Historik: {a} – {b}, {n} händelser med position.",
        "plan": "Förväntad täckning, denna plan",
        "plan_v": "{p} av händelserna ({n} besök)",
        "naive": "Förväntad täckning, naiv plan",
        "naive_v": "{p} (de {k} platserna med flest händelser, fasta tider varje pass)",
        "shifts": "Pass per dag",
        "visits": "Besök",
        "visits_v": "högst {k} per pass, {m} minuter vardera",
        "travel": "Restid",
        "network": "kortaste väg i gatunätet",
        "straight": "fågelvägen",
        "define": "Förväntad andel = den andel av alla händelser i historiken som inträffade på platsen "
        "under besökets veckodag och klockslag (och inte redan täcks av ett tidigare besök).",
        "none": "Inga besök planerade: ingen plats har händelser i historiken.",
        "gain": "Förväntat antal",
        "units": "Enheter per pass",
        "free": "Fri tid (ingen plats värd ett besök)",
        "unit": "enhet",
        "shift": "pass",
        "shift_sum": "{n} besök · förväntad andel {p} · restid totalt {t} min",
        "head": "<th>Nr</th><th>Datum</th><th>Tid</th><th>Plats</th><th>Position (lat, lon)</th>"
        "<th>Restid dit</th><th>Förväntad andel</th><th>Utfört (sign.)</th>",
        "sign": "Skapad med lagesbild. Planen bygger på historiska mönster; lokal kännedom går före.",
    },
    "en": {
        "title": "Patrol plan",
        "week": "week",
        "demo": "Synthetic demo data – not real incidents.",
        "history": "History: {a} – {b}, {n} incidents with a position.",
        "plan": "Expected coverage, this plan",
        "plan_v": "{p} of incidents ({n} visits)",
        "naive": "Expected coverage, naive plan",
        "naive_v": "{p} (the {k} places with most incidents, fixed times every shift)",
        "shifts": "Shifts per day",
        "visits": "Visits",
        "visits_v": "at most {k} per shift, {m} minutes each",
        "travel": "Travel",
        "network": "shortest path on the street network",
        "straight": "straight line",
        "define": "Expected share = the share of all incidents in the history that happened at the place "
        "on the visit's weekday and time of day (and are not already covered by an earlier visit).",
        "none": "No visits planned: no place has incidents in the history.",
        "gain": "Expected number",
        "units": "Units per shift",
        "free": "Free time (no place worth a visit)",
        "unit": "unit",
        "shift": "shift",
        "shift_sum": "{n} visits · expected share {p} · travel in total {t} min",
        "head": "<th>No.</th><th>Date</th><th>Time</th><th>Place</th><th>Position (lat, lon)</th>"
        "<th>Travel there</th><th>Expected share</th><th>Done (sign.)</th>",
        "sign": "Made with lagesbild. The plan rests on past patterns; local knowledge comes first.",
    },
}


_CSS = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Arial, sans-serif; margin: 2em; color: #111; }
h1 { margin-bottom: .2em; } .sub { color: #444; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: .6em 0 1.2em; }
th, td { border: 1px solid #999; padding: .35em .5em; text-align: left; vertical-align: top; }
th { background: #eee; } td.num { text-align: right; white-space: nowrap; } td.nw { white-space: nowrap; }
.summary td { border: none; padding: .15em .8em .15em 0; }
.demo { background: #fff3cd; border: 1px solid #d4a017; padding: .4em .8em; display: inline-block; }
section.shift { page-break-before: always; break-before: page; }
.sign { margin-top: 2em; color: #444; }
@media print { body { margin: 1cm; } a { color: inherit; text-decoration: none; } }
"""


def _history_text(plan: PatrolPlan, t: dict[str, str]) -> str:
    """Return the history window and its incident count, or "" when the plan has no history window."""
    if plan.history_start is None or plan.history_end is None:
        return ""
    last = plan.history_end - pd.Timedelta(days=1)
    n_text = f"{int(round(plan.n_history)):,}".replace(",", "\u202f")
    return t["history"].format(a=f"{plan.history_start:%Y-%m-%d}", b=f"{last:%Y-%m-%d}", n=n_text)


def _summary(plan: PatrolPlan, t: dict[str, str], *, lang: str) -> list[str]:
    """Return the summary table, the definition of the expected share and the plan's notes."""
    travel = t["network"] if plan.travel == "gatunät" else t["straight"]
    rows = [
        (t["plan"], t["plan_v"].format(p=_pct(plan.expected_share, lang=lang), n=len(plan.visits))),
        (t["naive"], t["naive_v"].format(p=_pct(plan.naive_share, lang=lang), k=plan.visits_per_shift)),
        (t["gain"], plan.gain_text() if lang == "sv" else _gain_en(plan)),
        (t["shifts"], ", ".join(s.label for s in plan.shifts)),
        (t["units"], str(plan.units)),
        (t["visits"], t["visits_v"].format(k=plan.visits_per_shift, m=plan.visit_min)),
        (t["travel"], f"{travel}, {plan.speed_kmh:g} km/h"),
    ]
    parts = ['<table class="summary">']
    parts += [f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in rows]
    parts.append("</table>")
    parts.append(f"<p>{escape(t['define'])}</p>")
    parts += [f"<p><i>{escape(note)}</i></p>" for note in plan.notes]
    if plan.n_history:
        parts.append(f"<p>{escape(plan.capacity_text())}</p>")
    free = plan.free_text()
    if free:
        parts.append(f"<h3>{escape(t['free'])}</h3><ul>")
        parts += [f"<li>{escape(line)}</li>" for line in free]
        parts.append("</ul>")
    if len(plan.visits) == 0:
        parts.append(f"<p>{escape(t['none'])}</p>")
    return parts


def _shift_date(first: pd.Series, *, lang: str) -> str:
    """Return the day a shift starts on (the day before its first visit when that is after midnight)."""
    day = first["start_at"]
    label = first["shift"].split(" ", 1)[1]
    if day.hour * 60 + day.minute < parse_shift(label.replace("–", "-")).start_min:
        day = day - pd.Timedelta(days=1)  # the shift began the evening before its first visit
    name = WEEKDAYS[lang][day.weekday()]
    name = name.capitalize() if lang == "sv" else name
    return f"{name} {day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def _gain_en(plan: PatrolPlan) -> str:
    return (
        f"about {plan.expected_incidents:.1f} of the week's expected {plan.weekly_expected:.0f} incidents "
        "happen at planned visits"
    )


def _shift_section(
    g: pd.DataFrame, t: dict[str, str], *, lang: str, units: int = 1, free: pd.DataFrame | None = None
) -> list[str]:
    """Return one shift's section: heading, summary line and the table of its visits with a column to sign."""
    first = g.iloc[0]
    label = first["shift"].split(" ", 1)[1]
    if units > 1:
        label = f"{label} · {t['unit']} {int(first.get('unit', 1))}"
    summary = t["shift_sum"].format(
        n=len(g), p=_pct(float(g["expected_share"].sum()), lang=lang), t=int(g["travel_min"].sum())
    )
    parts = [
        '<section class="shift">',
        f"<h2>{escape(_shift_date(first, lang=lang))} · {t['shift']} {escape(label)}</h2>",
        f"<p>{escape(summary)}</p>",
        f"<table><tr>{t['head']}</tr>",
    ]
    for r in g.itertuples(index=False):
        parts.append(
            f"<tr><td class='num'>{r.order}</td><td class='nw'>{escape(r.date)}</td>"
            f"<td class='nw'>{escape(r.start)}–{escape(r.end)}</td>"
            f"<td>{escape(str(r.place))}<br><small>{escape(str(r.place_id))}</small></td>"
            f"<td>{r.lat:.5f}, {r.lon:.5f}</td><td class='num'>{r.travel_min} min</td>"
            f"<td class='num'>{_pct(float(r.expected_share), 2, lang=lang)}</td><td></td></tr>"
        )
    parts.append("</table>")
    if free is not None and len(free):
        parts += [f"<p><i>{escape(str(x))}</i></p>" for x in free["text"]]
    parts.append("</section>")
    return parts


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
        ``"sv"`` (default) or ``"en"``.

    Raises
    ------
    ValueError
        If `lang` is neither ``"sv"`` nor ``"en"``.
    """
    if lang not in _HTML_TEXT:
        raise ValueError(f"lang must be 'sv' or 'en', got '{lang}'")
    t = _HTML_TEXT[lang]
    title = title or t["title"]
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{escape(title)} {t['week']} {escape(plan.week)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)} – {t['week']} {escape(plan.week)}</h1>",
    ]
    if demo:
        parts.append(f'<p class="demo">{t["demo"]}</p>')
    parts.append(f'<p class="sub">{escape(_history_text(plan, t))}</p>')
    parts += _summary(plan, t, lang=lang)
    units = plan.visits["unit"] if "unit" in plan.visits.columns else 1
    for (shift_no, _), g in plan.visits.assign(_unit=units).groupby(["shift_no", "_unit"], sort=True):
        free = plan.free[plan.free["shift_no"] == shift_no] if len(plan.free) else None
        parts += _shift_section(g, t, lang=lang, units=plan.units, free=free)
    parts.append(f'<p class="sign">{escape(t["sign"])}</p></body></html>')
    return "\n".join(parts)
