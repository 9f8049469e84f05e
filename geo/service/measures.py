"""Measures in the service: checking a submitted measure, and turning a run's proposal into a measure.

The checks are those of the register file (:mod:`geo.measures.build`): a known kind, focus and status, a
valid ``hours``, dates, and a place (``lat``/``lon`` with ``radius_m``, or a GeoJSON polygon). A proposal is
named ``lamp:<proposal_id or rank>`` (``lighting_proposals.csv``), ``patrol:<place_id>`` (``patrol_plan.csv``)
or ``speed:<rank>`` (``enforcement_plan.csv``) of the latest finished run (or a run given by id).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
from shapely.geometry import shape

from geo.errors import InputError
from geo.measures.build import parse_when
from geo.measures.hours import parse_hours
from geo.measures.model import FOCUS, KINDS, STATUSES, normalise_kind
from geo.service.storage import RunRecord
from geo.service.storage.measures import MeasureRecord

__all__ = ["PROPOSAL_KINDS", "check_measure", "proposal_measure", "register_table"]

PROPOSAL_KINDS: dict[str, tuple[str, str, str, float]] = {
    "lamp": ("lighting_proposals", "proposal_id", "belysning", 30.0),
    "patrol": ("patrol_plan", "place_id", "patrull/närvaro", 150.0),
    "speed": ("enforcement_plan", "rank", "hastighetskontroll", 200.0),
}
"""Proposal prefix -> (run output, id column, kind of measure, default radius in metres)."""


def check_measure(values: dict[str, Any], *, tz: str) -> dict[str, Any]:
    """Return a measure's fields checked and normalised; raise :class:`InputError` naming the field.

    Only the fields present are checked, so the same function checks a ``PATCH``.
    """
    out = dict(values)
    if "kind" in out:
        kind = normalise_kind(str(out["kind"]))
        if kind is None:
            raise InputError(f"unknown kind '{out['kind']}'; use one of {', '.join(KINDS)}", field="kind")
        out["kind"] = kind
    for name, allowed in (("focus", FOCUS), ("status", STATUSES)):
        if name in out:
            value = str(out[name] or "").strip().lower()
            if value and value not in allowed:
                raise InputError(f"unknown {name} '{value}'; use one of {', '.join(allowed)}", field=name)
            out[name] = value
    for name in ("start", "end"):
        if out.get(name):
            try:
                out[name] = parse_when(out[name], tz=tz).isoformat()
            except ValueError as err:
                raise InputError(f"{name} must be a date like 2025-03-01: {err}", field=name) from err
    if "hours" in out:
        try:
            parse_hours(str(out["hours"] or ""))
        except ValueError as err:
            raise InputError(str(err), field="hours") from err
    if "categories" in out:
        cats = str(out["categories"] or "").replace(",", ";")
        out["categories"] = ";".join(c.strip() for c in cats.split(";") if c.strip())
    geometry = out.pop("geometry", None)
    if geometry is not None:
        try:
            poly = shape(geometry)
        except (ValueError, TypeError, AttributeError, KeyError) as err:
            raise InputError(f"geometry must be a GeoJSON polygon: {err}", field="geometry") from err
        if poly.geom_type not in {"Polygon", "MultiPolygon"} or poly.is_empty:
            raise InputError("geometry must be a GeoJSON polygon (WGS84)", field="geometry")
        out["geometry_wkt"] = poly.wkt
    return out


def _where(text: str) -> tuple[str, str]:
    m = re.fullmatch(r"\s*(lamp|patrol|speed)\s*:\s*(\S+)\s*", text)
    if not m:
        raise InputError("proposal must look like lamp:LP-001, patrol:HS-0003 or speed:2", field="proposal")
    return m.group(1), m.group(2)


def _hours(kind: str, row: pd.Series) -> str:
    if kind == "lamp":
        return "dark"
    if kind == "patrol":
        m = re.search(r"(\d{2}):\d{2}–(\d{2}):\d{2}", str(row.get("shift", "")))
        return f"{m.group(1)}-{m.group(2)}" if m else ""
    days = str(row.get("weekdays", "")).replace("–", "-")
    return f"{days} {str(row['start'])[:2]}-{str(row['end'])[:2]}".strip()


def proposal_measure(
    proposal: str, run: RunRecord | None, maps_dir: Path, *, extra: dict[str, Any]
) -> MeasureRecord:
    """Return a measure made from a run's proposal, `extra` (start, owner, name, ...) overriding defaults.

    Raises
    ------
    InputError
        When the proposal is malformed, the run has no such output, or the output no such row.
    """
    prefix, key = _where(proposal)
    output, column, kind, radius = PROPOSAL_KINDS[prefix]
    if run is None or output not in run.outputs:
        raise InputError(f"no finished run with {output}.csv to take '{proposal}' from", field="proposal")
    table = pd.read_csv(maps_dir / run.outputs[output], dtype=str, keep_default_na=False)
    if column not in table.columns and prefix == "lamp":
        column = "rank"
    rows = table[table[column].astype(str) == key]
    if prefix == "lamp" and rows.empty:
        rows = table[table["rank"].astype(str) == key]
    if rows.empty:
        raise InputError(f"run {run.run_id} has no proposal '{proposal}' in {output}.csv", field="proposal")
    row = rows.iloc[0]
    label = str(row.get("street") or row.get("place") or key)
    values: dict[str, Any] = {
        "measure_id": f"{prefix}-{key}",
        "kind": kind,
        "lat": float(row["lat"]),
        "lon": float(row["lon"]),
        "radius_m": radius,
        "hours": _hours(prefix, row),
        "status": "beslutad",
        "name": f"{kind.capitalize()} {label}",
        "proposal_id": f"{prefix}:{key}",
        "notes": f"från körning {run.run_id}",
    }
    values.update({k: v for k, v in extra.items() if v is not None})
    if not values.get("start"):
        raise InputError("start is needed (the date the measure begins)", field="start")
    return MeasureRecord(**values)


def register_table(records: list[MeasureRecord]) -> pd.DataFrame:
    """Return stored measures as a register file's table (:func:`geo.io.measures.read_measures` reads it).

    A polygon place goes into ``wkt`` (WGS84); a point into ``lat``/``lon``/``radius_m``.
    """
    cols = ["measure_id", "kind", "start", "end", "lat", "lon", "radius_m", "wkt", "hours", "categories"]
    cols += ["focus", "status", "owner", "name", "notes", "proposal_id"]
    rows = []
    for r in records:
        row = {c: getattr(r, c, "") for c in cols if c != "wkt"}
        row["wkt"] = r.geometry_wkt
        if r.geometry_wkt:
            row["lat"] = row["lon"] = row["radius_m"] = ""
        rows.append(row)
    return pd.DataFrame(rows, columns=cols)
