"""The summary page's "Otrygghet och brott": the classes in numbers, places for a safety walk, the findings.

Safety-walk planning starts from the ``felt_not_recorded`` places: they are listed first, one line a place
(cells on the same street together), as suggested trygghetsvandring stops.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from geo import i18n
from geo.insecurity.classes import class_name
from geo.maps.prepare import MapLayers

__all__ = ["insecurity_context", "walk_suggestions"]


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


def _expected(value: object, lang: str) -> str:
    return i18n.number(float(pd.to_numeric(value)), lang, decimals=1)


def insecurity_context(layers: MapLayers, *, lang: str, top: int) -> dict[str, Any] | None:
    """Return the section: the classes in numbers, suggested safety walks, then the other findings.

    Parameters
    ----------
    layers
        The map's layers; the section reads ``insecurity``
        (:attr:`geo.stages.insecurity.InsecurityResult.cells`).
    lang
        ``"sv"`` or ``"en"``.
    top
        Most places listed for the walks; half as many rows of each other class.
    """
    frame = layers.frames.get("insecurity")
    if frame is None or not len(frame):
        return None
    cls = frame["class"].astype(str)
    counts = i18n.gettext(
        "%(fnr)s platser med upplevd otrygghet utan anmälda brott, %(rnf)s med anmälda brott utan upplevd "
        "otrygghet, %(both)s med båda (%(n)s rutor/områden jämförda med områdets genomsnitt: Poisson, "
        "Benjamini–Hochberg).",
        lang,
        fnr=i18n.number(int((cls == "felt_not_recorded").sum()), lang),
        rnf=i18n.number(int((cls == "recorded_not_felt").sum()), lang),
        both=i18n.number(int((cls == "both").sum()), lang),
        n=i18n.number(len(frame), lang),
    )
    survey = ""
    if "survey_id" in frame.columns and frame["survey_id"].notna().any():
        areas = frame.dropna(subset=["survey_id"]).drop_duplicates("survey_id")
        survey = i18n.gettext(
            "Trygghetsmätningen: %(n)s områden, %(small)s med färre än %(k)s svarande "
            "(litet urval, osäkert).",
            lang,
            n=i18n.number(len(areas), lang),
            small=i18n.number(int(areas["survey_small_sample"].fillna(False).astype(bool).sum()), lang),
            k=i18n.number(frame.attrs.get("min_respondents", 30), lang),
        )
    walks = [
        i18n.ngettext(
            "%(place)s: %(num)s rapport (väntat %(expected)s)",
            "%(place)s: %(num)s rapporter (väntat %(expected)s)",
            int(r["felt"]),
            lang,
            place=str(r["place"]),
            expected=_expected(r["felt_expected"], lang),
        )
        for _, r in walk_suggestions(frame, top=top).iterrows()
    ]
    others = frame[cls.isin(["both", "recorded_not_felt"])].copy()
    rows = []
    if len(others):
        others["_place"] = _place(others).to_numpy()
        others = others.sort_values(["class", "recorded"], ascending=[True, False])
        others = others.groupby("class", sort=False).head(max(1, top // 2))  # some of each class
        rows = [
            {
                "place": str(r["_place"]),
                "class": class_name(str(r["class"]), lang),
                "felt": f"{i18n.number(int(r['felt']), lang)} ({_expected(r['felt_expected'], lang)})",
                "recorded": f"{i18n.number(int(r['recorded']), lang)} "
                f"({_expected(r['recorded_expected'], lang)})",
            }
            for _, r in others.iterrows()
        ]
    return {"counts": counts, "survey": survey, "walks": walks, "rows": rows}
