"""The console summary of a whole run, written from the results in memory (never re-read from files)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from geo.pipeline import RunResult

__all__ = ["DEMO_LABEL", "summary_text"]

DEMO_LABEL = "syntetiska demodata"


def _reports_line(result: RunResult) -> str:
    rejected = result.rejects[result.rejects["status"] == "rejected"]
    n_rej = int(rejected[["file", "row"]].drop_duplicates().shape[0])
    n_warn = int((result.rejects["status"] == "warning").sum())
    by_source = result.reports["source"].value_counts().to_dict()
    return (
        f"Rapporter / reports: {len(result.reports):,} i perioden / in period "
        f"({', '.join(f'{k} {v:,}' for k, v in by_source.items())}); lästa / read {result.rows_read:,}, "
        f"avvisade / rejected {n_rej:,}, varningar / warnings {n_warn:,}, utanför perioden / outside period "
        f"{result.outside_period:,}"
    )


def _hotspot_lines(result: RunResult) -> list[str]:
    if result.hotspots is None:
        return []
    hs = result.hotspots.hotspots
    trend = result.hotspots.chosen.get("trend", "")
    lines = [f"Hot-spots: {len(hs)} ({result.hotspots.settings.method}){f'; {trend}' if trend else ''}"]
    for _, h in hs.sort_values("n_reports", ascending=False).head(8).iterrows() if len(hs) else []:
        lines.append(
            f"  {h.get('hotspot_id', '')} {h.get('label', '')}: {int(h['n_reports'])} rapporter, "
            f"{h.get('peak_windows', '')}, trend {h.get('trend', '')}"
        )
    return lines


def _patrol_lines(result: RunResult) -> list[str]:
    """List the patrol plan's places (never the naive plan's) by the share their visits cover."""
    if result.patrol is None or not len(result.patrol.plan.visits):
        return []
    plan = result.patrol.plan.table()
    lines = [f"Patrullering / patrol plan: {len(plan)} besök / visits"]
    ordered = plan.sort_values("expected_share", ascending=False, kind="stable")
    ranked = sorted(ordered.groupby("place", sort=False), key=lambda kv: -kv[1]["expected_share"].sum())
    for place, g in ranked[:5]:
        slots = list(
            dict.fromkeys(f"{w} {s}–{e}" for w, s, e in zip(g["weekday"], g["start"], g["end"], strict=True))
        )
        more = f" +{len(slots) - 3}" if len(slots) > 3 else ""
        lines.append(f"  {place}: {len(g)} besök ({', '.join(slots[:3])}{more})")
    return lines


def _lighting_lines(result: RunResult) -> list[str]:
    if result.lighting is None or not len(result.lighting.plan.proposals.lamps):
        return []
    lamps = result.lighting.plan.proposals.lamps
    lines = [f"Belysningsförslag / lighting proposals: {len(lamps)}"]
    for _, r in lamps.head(3).iterrows():
        lines.append(
            f"  {r.get('rank', '')}. {r.get('street', '')} ({r['lat']:.5f}, {r['lon']:.5f}): täcker / covers "
            f"{r.get('covered_reports', '')} rapporter / reports"
        )
    return lines


def _speed_lines(result: RunResult) -> list[str]:
    if result.speed is None or not len(result.speed.plan):
        return []
    plan = result.speed.plan
    lines = [f"Hastighetskontroller / speed checks: {len(plan)}"]
    for _, r in plan.head(3).iterrows():
        share, limit = r.get("share_over_limit"), r.get("limit_kmh")
        limit_text = f"{limit:.0f} km/h" if pd.notna(limit) else "? km/h"
        share_text = f"{share:.0%}" if pd.notna(share) else "?"
        lines.append(
            f"  {r.get('rank', '')}. {r.get('street', '')} ({limit_text}) "
            f"{r.get('weekdays', '')} {r.get('start', '')}–{r.get('end', '')}: "
            f"{share_text} över gränsen / over the limit"
        )
    return lines


def _forecast_lines(result: RunResult) -> list[str]:
    if result.forecast is None or not len(result.forecast.table):
        return []
    fc = result.forecast
    lines = [
        f"Prognos / forecast ({fc.method}, {fc.settings.horizon_days} dagar / days från / from "
        f"{fc.as_of.date()}): högst risk / highest risk"
    ]
    for _, r in fc.table.head(3).iterrows():
        lines.append(f"  {int(r['rank'])}. ruta / cell {r['cell_id']} ({r['lat']:.5f}, {r['lon']:.5f})")
    return lines


def _insecurity_lines(result: RunResult) -> list[str]:
    ins = result.insecurity
    if ins is None:
        return []
    c = ins.class_counts()
    walks = ins.walk_places(8)
    named = [str(p) for p in walks.get("place", walks[ins.id_column]).fillna("") if str(p)]
    where = f"; trygghetsvandring / safety walk: {', '.join(list(dict.fromkeys(named))[:3])}" if named else ""
    return [
        f"Otrygghet och brott / felt insecurity and crime: {c['felt_not_recorded']} upplevt utan anmält / "
        f"felt not recorded, {c['recorded_not_felt']} anmält utan upplevt / recorded not felt, "
        f"{c['both']} båda / both{where}"
    ]


def summary_text(result: RunResult, *, title: str, area_name: str | None, demo: bool, seconds: float) -> str:
    """Return the run's console summary (Swedish / English).

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
    """
    lines = [f"[{DEMO_LABEL.upper()} / synthetic demo data]"] if demo else []
    lines.append(f"{title} — {area_name or 'inget studieområde / no study area'}")
    lines.append(f"Period: {result.period}")
    lines.append(_reports_line(result))
    lines.append(f"CRS: {result.crs_reason}")
    if result.since_last:
        lines.append("Sedan förra lägesbilden / since the last one:")
        lines.extend(f"  {line}" for line in result.since_last)
    if result.area_lines:
        lines.append("Prioriterade områden / priority areas:")
        lines.extend(f"  {line}" for line in result.area_lines)
    for part in (
        _hotspot_lines,
        _patrol_lines,
        _lighting_lines,
        _speed_lines,
        _forecast_lines,
        _insecurity_lines,
    ):
        lines.extend(part(result))
    lines.extend(f"Obs: {note}" for note in result.notes)
    for name in ("hotspots", "lighting", "patrol", "speed"):
        stage = getattr(result, name)
        notes = [] if stage is None else [n for n in stage.notes if f"{name}: {n}" not in result.notes]
        lines.extend(f"  ({name}) {note}" for note in notes)
    lines.append("Filer / files:")
    lines.extend(f"  {name}: {p}" for name, p in result.outputs.items())
    lines.append(f"Klart / done in {seconds:.1f} s")
    return "\n".join(lines)
