"""The summary page's "Otrygghet och brott": the classes in numbers, places for a safety walk, the findings.

Safety-walk planning starts from the ``felt_not_recorded`` places: they are listed first, one line a place
(cells on the same street together), as suggested trygghetsvandring stops.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from geo.insecurity.classes import CLASS_NAMES

__all__ = ["insecurity_section", "walk_suggestions"]

_T = {
    "sv": {
        "title": "Otrygghet och brott",
        "counts": "{fnr} platser med upplevd otrygghet utan anmälda brott, {rnf} med anmälda brott utan "
        "upplevd otrygghet, {both} med båda ({n} rutor/områden jämförda med områdets genomsnitt: Poisson, "
        "Benjamini–Hochberg).",
        "walks": "Förslag till trygghetsvandring",
        "walks_why": "upplevd otrygghet utan anmälda brott: belysning, insyn, skötsel",
        "none": "Inga platser med upplevd otrygghet utan anmälda brott.",
        "place": "Plats",
        "class": "Klass",
        "felt": "Otrygghet (väntat)",
        "recorded": "Brott (väntat)",
        "reports": "rapporter",
        "expected": "väntat",
        "survey": "Trygghetsmätningen: {n} områden, {small} med färre än {k} svarande "
        "(litet urval, osäkert).",
    },
    "en": {
        "title": "Felt insecurity and crime",
        "counts": "{fnr} places with felt insecurity without recorded crime, {rnf} with recorded crime "
        "without felt insecurity, {both} with both ({n} cells/areas against the area's average: Poisson, "
        "Benjamini–Hochberg).",
        "walks": "Suggested safety walks",
        "walks_why": "felt insecurity without recorded crime: lighting, sightlines, maintenance",
        "none": "No places with felt insecurity without recorded crime.",
        "place": "Place",
        "class": "Class",
        "felt": "Insecurity (expected)",
        "recorded": "Crime (expected)",
        "reports": "reports",
        "expected": "expected",
        "survey": "Survey: {n} areas, {small} with fewer than {k} respondents (small sample, uncertain).",
    },
}


def _num(value: float, lang: str) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "sv" else text


def _place(frame: pd.DataFrame) -> pd.Series:
    """Return the place of each row: its street (``place``), area name, else the id."""
    ids = (
        frame["cell_id"]
        if "cell_id" in frame.columns
        else frame.get("area_id", pd.Series("", index=frame.index))
    )
    out = ids.astype("string").fillna("")
    for col in ("name", "place"):
        if col in frame.columns:
            named = frame[col].astype("string").fillna("").str.strip()
            out = named.where(named != "", out)
    return out


def walk_suggestions(frame: pd.DataFrame, *, top: int = 8) -> pd.DataFrame:
    """Return the ``felt_not_recorded`` places, cells of one street together, most felt reports first.

    Returns
    -------
    places
        ``place``, ``felt``, ``felt_expected``, ``recorded``, ``recorded_expected``, ``cells``.
    """
    found = frame[frame["class"].astype(str) == "felt_not_recorded"]
    if not len(found):
        return pd.DataFrame(
            columns=["place", "felt", "felt_expected", "recorded", "recorded_expected", "cells"]
        )
    table = pd.DataFrame(
        {
            "place": _place(found).to_numpy(),
            "felt": pd.to_numeric(found["felt"]).to_numpy(),
            "felt_expected": pd.to_numeric(found["felt_expected"]).to_numpy(),
            "recorded": pd.to_numeric(found["recorded"]).to_numpy(),
            "recorded_expected": pd.to_numeric(found["recorded_expected"]).to_numpy(),
            "cells": 1,
        }
    )
    grouped = table.groupby("place", sort=False).sum(numeric_only=True).reset_index()
    return grouped.sort_values("felt", ascending=False, kind="stable").head(top).reset_index(drop=True)


def insecurity_section(frame: pd.DataFrame, *, lang: str, top: int) -> str:
    """Return the section: the classes in numbers, suggested safety walks, then the other findings.

    Parameters
    ----------
    frame
        The map's ``insecurity`` layer (:attr:`geo.stages.insecurity.InsecurityResult.cells`).
    lang
        ``"sv"`` or ``"en"``.
    top
        Most places listed for the walks; half as many rows of each other class.
    """
    t = _T[lang]
    cls = frame["class"].astype(str)
    counts = t["counts"].format(
        fnr=int((cls == "felt_not_recorded").sum()),
        rnf=int((cls == "recorded_not_felt").sum()),
        both=int((cls == "both").sum()),
        n=len(frame),
    )
    parts = [f'<h2 id="insecurity">{escape(t["title"])}</h2>', f"<p>{escape(counts)}</p>"]
    if "survey_id" in frame.columns and frame["survey_id"].notna().any():
        areas = frame.dropna(subset=["survey_id"]).drop_duplicates("survey_id")
        small = int(areas["survey_small_sample"].fillna(False).astype(bool).sum())
        k = frame.attrs.get("min_respondents", 30)
        parts.append(f"<p>{escape(t['survey'].format(n=len(areas), small=small, k=k))}</p>")
    walks = walk_suggestions(frame, top=top)
    if len(walks):
        items = "".join(
            f"<li>{escape(str(r['place']))}: {int(r['felt'])} {t['reports']} "
            f"({t['expected']} {_num(float(r['felt_expected']), lang)})</li>"
            for _, r in walks.iterrows()
        )
        parts.append(
            f'<p><b>{escape(t["walks"])}</b> ({escape(t["walks_why"])}):</p><ul class="walks">{items}</ul>'
        )
    else:
        parts.append(f"<p>{escape(t['none'])}</p>")
    others = frame[cls.isin(["both", "recorded_not_felt"])].copy()
    if len(others):
        others["_place"] = _place(others).to_numpy()
        others = others.sort_values(["class", "recorded"], ascending=[True, False])
        others = others.groupby("class", sort=False).head(max(1, top // 2))  # some of each class
        head = "".join(f"<th>{escape(t[h])}</th>" for h in ("place", "class", "felt", "recorded"))
        rows = "".join(
            "<tr>"
            f"<td>{escape(str(r['_place']))}</td><td>{escape(CLASS_NAMES[lang][str(r['class'])])}</td>"
            f"<td>{int(r['felt'])} ({_num(float(r['felt_expected']), lang)})</td>"
            f"<td>{int(r['recorded'])} ({_num(float(r['recorded_expected']), lang)})</td>"
            "</tr>"
            for _, r in others.iterrows()
        )
        parts.append(f"<table><tr>{head}</tr>{rows}</table>")
    return "".join(parts)
