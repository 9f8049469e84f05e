"""Measures in the run store: what each kept run said of them, and which changed status since the last run.

A kept run holds one record a measure (``measure_id``, ``name``, ``kind``, ``status``, ``verdict``);
:func:`measure_status_lines` compares this run's records with the previous run's and says in Swedish which
measures changed their status in the register (``beslutad → genomförd``) or their measured effect
(``för tidigt att säga → minskning``), for the summary page's "Sedan förra lägesbilden".
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from geo import i18n
from geo.measures.texts import verdict_word

__all__ = ["MEASURE_FIELDS", "measure_records", "measure_status_lines"]

MEASURE_FIELDS: tuple[str, ...] = ("measure_id", "name", "kind", "status", "verdict")
"""Fields kept a measure in the run store."""


def measure_records(frame: pd.DataFrame | None) -> list[dict[str, str]]:
    """Return one record a measure from an evaluation's map frame (``EvaluateResult.map_frame()``).

    Parameters
    ----------
    frame
        Measures with ``measure_id``, ``name``, ``kind``, ``status`` and ``verdict`` (empty when not
        evaluated); ``None`` when the run had no measures.
    """
    if frame is None or not len(frame):
        return []
    cols = [c for c in MEASURE_FIELDS if c in frame.columns]
    rows = frame[cols].to_dict("records")
    return [{str(c): "" if pd.isna(v) else str(v) for c, v in row.items()} for row in rows]


def _verdict(value: str, lang: str) -> str:
    return verdict_word(value, lang) if value else i18n.gettext("ej utvärderad", lang)


def _status(value: object, lang: str) -> str:
    return i18n.gettext(str(value), lang) if value else i18n.gettext("utan status", lang)


def measure_status_lines(
    now: list[dict[str, str]], before: list[dict[str, Any]] | None, *, top: int = 5, lang: str = "sv"
) -> list[str]:
    """Say which measures changed status or verdict since the previous kept run.

    Parameters
    ----------
    now
        This run's records (:func:`measure_records`).
    before
        The previous kept run's records; ``None`` when that run kept none (an older store or no measures).
    top
        Measures named; the rest are counted.
    lang
        ``"sv"`` or ``"en"``.

    Returns
    -------
    lines
        At most one line (``Åtgärder som ändrats (2): ...``); empty when nothing changed or there is nothing
        to compare with.
    """
    if before is None or not now:
        return []
    earlier = {str(r.get("measure_id")): r for r in before}
    items = []
    for rec in now:
        old = earlier.get(rec["measure_id"])
        name = rec.get("name") or rec["measure_id"]
        if old is None:
            items.append(
                i18n.gettext(
                    "%(name)s ny i registret (%(status)s)",
                    lang,
                    name=name,
                    status=_status(rec.get("status"), lang),
                )
            )
            continue
        parts = []
        if str(old.get("status", "")) != rec.get("status", ""):
            parts.append(f"{_status(old.get('status'), lang)} → {_status(rec.get('status'), lang)}")
        if str(old.get("verdict", "")) != rec.get("verdict", ""):
            parts.append(
                f"{_verdict(str(old.get('verdict', '')), lang)} → {_verdict(rec.get('verdict', ''), lang)}"
            )
        if parts:
            items.append(f"{name}: " + "; ".join(parts))
    if not items:
        return []
    more = i18n.gettext(" och %(n)s till", lang, n=len(items) - top) if len(items) > top else ""
    head = i18n.gettext("Åtgärder som ändrats (%(n)s)", lang, n=len(items))
    return [f"{head}: " + ", ".join(items[:top]) + more + "."]
