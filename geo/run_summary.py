"""The console summary of a whole run, written from the results in memory (never re-read from files).

Every line is in the run's language (``[run] lang``, ``--lang``): words from the gettext catalogue, numbers
and shares through Babel (:mod:`geo.i18n`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

from geo import i18n
from geo.i18n import N_
from geo.maps.summary_sections import trend_word, weekdays_text
from geo.stages.maps import week_expected

if TYPE_CHECKING:
    from geo.pipeline import RunResult

__all__ = ["DEMO_LABEL", "SOURCE_WORDS", "STAGE_WORDS", "crs_text", "summary_text"]

DEMO_LABEL = "syntetiska demodata"

SOURCE_WORDS = {
    "police": N_("polisen"),
    "resident": N_("invånare"),
    "polisen_feed": N_("polisens händelser"),
    "safety_walk": N_("trygghetsvandringar"),
}
"""Report sources (the ``source`` column's codes) in words."""

STAGE_WORDS = {
    "hotspots": N_("hot-spots"),
    "lighting": N_("belysning"),
    "patrol": N_("patrullering"),
    "speed": N_("hastighet"),
}
"""The stages whose notes the summary lists, in words (before each note)."""

_SWEDEN = re.compile(r"^(?P<crs>.+?): data centred at (?P<lat>[-\d.]+) N, (?P<lon>[-\d.]+) E in Sweden$")
_UTM = re.compile(r"^(?P<crs>.+?): UTM zone of the data's centre (?P<lat>[-\d.]+), (?P<lon>[-\d.]+)$")


def crs_text(reason: str, lang: str) -> str:
    """Say why the analysis CRS was chosen (:func:`geo.crs.choose_crs`'s reason) in `lang`."""
    if m := _SWEDEN.match(reason):
        msg = N_("%(crs)s: datans mittpunkt %(lat)s N, %(lon)s E ligger i Sverige")
    elif m := _UTM.match(reason):
        msg = N_("%(crs)s: UTM-zonen för datans mittpunkt %(lat)s, %(lon)s")
    else:
        return reason
    lat, lon = (i18n.number(float(m[k]), lang, decimals=4) for k in ("lat", "lon"))
    return i18n.gettext(msg, lang, crs=m["crs"], lat=lat, lon=lon)


def _reports_line(result: RunResult, lang: str) -> str:
    rejected = result.rejects[result.rejects["status"] == "rejected"]
    n_rej = int(rejected[["file", "row"]].drop_duplicates().shape[0])
    n_warn = int((result.rejects["status"] == "warning").sum())
    by_source = result.reports["source"].value_counts().to_dict()
    sources = ", ".join(
        f"{i18n.gettext(SOURCE_WORDS[k], lang) if k in SOURCE_WORDS else k} {i18n.number(v, lang)}"
        for k, v in by_source.items()
    )
    return i18n.gettext(
        "Rapporter: %(n)s i perioden (%(sources)s); lästa %(read)s, avvisade %(rejected)s, "
        "varningar %(warnings)s, utanför perioden %(outside)s",
        lang,
        n=i18n.number(len(result.reports), lang),
        sources=sources,
        read=i18n.number(result.rows_read, lang),
        rejected=i18n.number(n_rej, lang),
        warnings=i18n.number(n_warn, lang),
        outside=i18n.number(result.outside_period, lang),
    )


def _hotspot_lines(result: RunResult, lang: str) -> list[str]:
    if result.hotspots is None:
        return []
    hs = result.hotspots.hotspots
    trend = result.hotspots.chosen.get("trend", "")
    method = str(result.hotspots.settings.method).upper()
    lines = [f"Hot-spots: {i18n.number(len(hs), lang)} ({method}){f'; {trend}' if trend else ''}"]
    for _, h in hs.sort_values("n_reports", ascending=False).head(8).iterrows() if len(hs) else []:
        n = i18n.ngettext("%(num)s rapport", "%(num)s rapporter", int(h["n_reports"]), lang)
        lines.append(
            f"  {h.get('hotspot_id', '')} {h.get('label', '')}: {n}, {h.get('peak_windows', '')}, "
            + i18n.gettext("trend %(trend)s", lang, trend=trend_word(h.get("trend"), lang))
        )
    return lines


def _patrol_lines(result: RunResult, lang: str) -> list[str]:
    """List the patrol plan's places (never the naive plan's) by the share their visits cover."""
    if result.patrol is None or not len(result.patrol.plan.visits):
        return []
    plan = result.patrol.plan.table()
    week = week_expected(result.patrol.plan)
    head = (
        i18n.gettext("Patrullering", lang)
        + ": "
        + i18n.ngettext("%(num)s besök", "%(num)s besök", len(plan), lang)
    )
    if week is not None:
        covered = float(plan["expected_share"].sum()) * week
        head += ", " + i18n.ngettext(
            "ungefär %(covered)s av veckans %(num)s förväntade händelse",
            "ungefär %(covered)s av veckans %(num)s förväntade händelser",
            round(week),
            lang,
            covered=i18n.number(covered, lang, decimals=0 if covered >= 1 else 1),
        )
    lines = [head]
    ordered = plan.sort_values("expected_share", ascending=False, kind="stable")
    ranked = sorted(ordered.groupby("place", sort=False), key=lambda kv: -kv[1]["expected_share"].sum())
    for place, g in ranked[:5]:
        slots = list(
            dict.fromkeys(
                f"{i18n.date(pd.Timestamp(str(d)), lang, fmt='EEE')} {s}–{e}"
                for d, s, e in zip(g["date"], g["start"], g["end"], strict=True)
            )
        )
        more = f" +{len(slots) - 3}" if len(slots) > 3 else ""
        n = i18n.ngettext("%(num)s besök", "%(num)s besök", len(g), lang)
        lines.append(f"  {place}: {n} ({', '.join(slots[:3])}{more})")
    return lines


def _lighting_lines(result: RunResult, lang: str) -> list[str]:
    if result.lighting is None or not len(result.lighting.plan.proposals.lamps):
        return []
    lamps = result.lighting.plan.proposals.lamps
    lines = [i18n.gettext("Belysningsförslag: %(n)s", lang, n=i18n.number(len(lamps), lang))]
    for _, r in lamps.head(3).iterrows():
        covers = i18n.ngettext(
            "lyser upp platsen för %(num)s rapport",
            "lyser upp platsen för %(num)s rapporter",
            int(r.get("covered_reports", 0) or 0),
            lang,
        )
        lines.append(
            f"  {r.get('rank', '')}. {r.get('street', '')} ({r['lat']:.5f}, {r['lon']:.5f}): {covers}"
        )
    return lines


def _speed_lines(result: RunResult, lang: str) -> list[str]:
    if result.speed is None or not len(result.speed.plan):
        return []
    plan = result.speed.plan
    lines = [i18n.gettext("Hastighetskontroller: %(n)s", lang, n=i18n.number(len(plan), lang))]
    for _, r in plan.head(3).iterrows():
        share, limit = r.get("share_over_limit"), r.get("limit_kmh")
        limit_text = f"{limit:.0f} km/h" if pd.notna(limit) else "? km/h"
        over = i18n.gettext("%(share)s över gränsen", lang, share=i18n.pct(share, lang, decimals=0))
        lines.append(
            f"  {r.get('rank', '')}. {r.get('street', '')} ({limit_text}) "
            f"{weekdays_text(r.get('weekdays', ''), lang)} {r.get('start', '')}–{r.get('end', '')}: {over}"
        )
    return lines


def _forecast_lines(result: RunResult, lang: str) -> list[str]:
    if result.forecast is None or not len(result.forecast.table):
        return []
    fc = result.forecast
    days = i18n.ngettext("%(num)s dag", "%(num)s dagar", fc.settings.horizon_days, lang)
    lines = [
        i18n.gettext(
            "Prognos (%(method)s, %(days)s från %(start)s): högst risk",
            lang,
            method=fc.method,
            days=days,
            start=fc.as_of.date(),
        )
    ]
    cell = i18n.gettext("ruta", lang)
    for _, r in fc.table.head(3).iterrows():
        lines.append(f"  {int(r['rank'])}. {cell} {r['cell_id']} ({r['lat']:.5f}, {r['lon']:.5f})")
    return lines


def _insecurity_lines(result: RunResult, lang: str) -> list[str]:
    ins = result.insecurity
    if ins is None:
        return []
    c = ins.class_counts()
    walks = ins.walk_places(8)
    named = [str(p) for p in walks.get("place", walks[ins.id_column]).fillna("") if str(p)]
    line = i18n.gettext(
        "Otrygghet och brott: %(fnr)s med upplevd otrygghet utan anmälda brott, %(rnf)s med anmälda brott "
        "utan upplevd otrygghet, %(both)s med båda",
        lang,
        fnr=i18n.number(c["felt_not_recorded"], lang),
        rnf=i18n.number(c["recorded_not_felt"], lang),
        both=i18n.number(c["both"], lang),
    )
    if named:
        where = ", ".join(list(dict.fromkeys(named))[:3])
        line += "; " + i18n.gettext("trygghetsvandring: %(places)s", lang, places=where)
    return [line]


def summary_text(
    result: RunResult, *, title: str, area_name: str | None, demo: bool, seconds: float, lang: str = "sv"
) -> str:
    """Return the run's console summary in `lang`.

    Parameters
    ----------
    result
        The run's results.
    title
        The run's title (``[run] title``).
    area_name
        The study area's name, or ``None`` without a study area.
    demo
        Whether the run is on synthetic demo data (the first line says so).
    seconds
        How long the run took.
    lang
        ``"sv"`` or ``"en"``.
    """
    lines = ["[" + i18n.gettext("SYNTETISKA DEMODATA", lang) + "]"] if demo else []
    lines.append(f"{title} — " + (area_name or i18n.gettext("inget studieområde", lang)))
    lines.append(i18n.gettext("Period: %(period)s", lang, period=result.period))
    lines.append(_reports_line(result, lang))
    lines.append(i18n.gettext("Analys-CRS: %(crs)s", lang, crs=crs_text(result.crs_reason, lang)))
    if result.since_last:
        lines.append(i18n.gettext("Sedan förra lägesbilden:", lang))
        lines.extend(f"  {line}" for line in result.since_last)
    if result.area_lines:
        lines.append(i18n.gettext("Prioriterade områden:", lang))
        lines.extend(f"  {line}" for line in result.area_lines)
    parts = (_hotspot_lines, _patrol_lines, _lighting_lines, _speed_lines, _forecast_lines, _insecurity_lines)
    for part in parts:
        lines.extend(part(result, lang))
    obs = i18n.gettext("Obs", lang)
    lines.extend(f"{obs}: {note}" for note in result.notes)
    for name in ("hotspots", "lighting", "patrol", "speed"):
        stage = getattr(result, name)
        notes = [] if stage is None else [n for n in stage.notes if f"{name}: {n}" not in result.notes]
        word = i18n.gettext(STAGE_WORDS[name], lang)
        lines.extend(f"  ({word}) {note}" for note in notes)
    lines.append(i18n.gettext("Filer:", lang))
    lines.extend(f"  {name}: {p}" for name, p in result.outputs.items())
    secs = i18n.number(seconds, lang, decimals=1)
    lines.append(i18n.gettext("Klart på %(seconds)s s", lang, seconds=secs))
    return "\n".join(lines)
