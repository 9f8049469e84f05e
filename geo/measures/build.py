"""Build a measures frame from a register's rows (text values) and places, every problem located.

Readers (:mod:`geo.io.measures`) and the service turn their input into a table of text values and one
polygon a row (a point already grown by its ``radius_m``); :func:`build_measures` parses and checks each
value and raises one :class:`~geo.errors.InputError` naming the file, the row and the field of the first
problem, with the count of all problems.
"""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd

from geo.errors import InputError
from geo.measures.hours import parse_hours
from geo.measures.model import (
    FOCUS,
    KINDS,
    STATUSES,
    TEXT_COLUMNS,
    Measures,
    normalise_kind,
    validate_measures,
)
from geo.time.parse import TimeError, local_midnight, parse_time

__all__ = ["build_measures", "parse_when"]

_DATE_LEN = 10


def parse_when(value: object, *, tz: str) -> pd.Timestamp:
    """Parse a start or end: a date is local midnight, a time is parsed by :func:`geo.time.parse.parse_time`.

    Raises
    ------
    ValueError
        When the value is not a date or time.
    """
    text = str(value).strip()
    if len(text) == _DATE_LEN and text[4] == "-" and text[7] == "-":
        try:
            return local_midnight(text, tz)
        except ValueError as err:
            raise ValueError(f"'{text}' is not a date like 2025-03-01") from err
    try:
        return parse_time(text, tz=tz)
    except TimeError as err:
        raise ValueError(str(err)) from err


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _check_row(rec: dict[str, object], problems: list[tuple[int, str, str]], row: int, tz: str) -> None:
    """Parse one row in place; append ``(row, field, message)`` for each problem."""
    if _blank(rec.get("measure_id")):
        problems.append((row, "measure_id", "measure_id is missing"))
    kind = normalise_kind(str(rec.get("kind") or ""))
    if kind is None:
        problems.append((row, "kind", f"unknown kind '{rec.get('kind')}'; use one of {', '.join(KINDS)}"))
    rec["kind"] = kind or "annat"
    for name in ("start", "end"):
        value = rec.get(name)
        if _blank(value):
            if name == "start":
                problems.append((row, "start", "start is missing (a date like 2025-03-01)"))
            rec[name] = pd.NaT
            continue
        try:
            rec[name] = parse_when(value, tz=tz)
        except ValueError as err:
            problems.append((row, name, f"{name} must be a date like 2025-03-01: {err}"))
            rec[name] = pd.NaT
    try:
        parse_hours(str(rec.get("hours") or ""))
    except ValueError as err:
        problems.append((row, "hours", str(err)))
    for name, allowed in (("focus", FOCUS), ("status", STATUSES)):
        value = str(rec.get(name) or "").strip().lower()
        if value and value not in allowed:
            problems.append((row, name, f"unknown {name} '{value}'; use one of {', '.join(allowed)}"))
        rec[name] = value
    cats = str(rec.get("categories") or "").replace(",", ";")
    rec["categories"] = ";".join(c.strip() for c in cats.split(";") if c.strip())


def build_measures(
    table: pd.DataFrame, places: gpd.GeoSeries, *, tz: str, path: str, rows: list[int]
) -> Measures:
    """Return validated measures from text values and places.

    Parameters
    ----------
    table
        One row a measure; columns of :data:`~geo.measures.model.MEASURE_COLUMNS` that the register has
        (``measure_id``, ``kind``, ``start`` required), values as read.
    places
        Polygon a row, aligned with `table`, in a metric CRS.
    tz
        Zone of dates and naive times.
    path
        The register, for messages.
    rows
        Row numbers as the user sees them (spreadsheet row for CSV, feature number otherwise).

    Raises
    ------
    InputError
        At the first problem's file, row and field, saying how many problems there are.
    """
    problems: list[tuple[int, str, str]] = []
    records = []
    for rec, row in zip(table.to_dict("records"), rows, strict=True):
        _check_row(rec, problems, row, tz)
        records.append(rec)
    ids = [str(r.get("measure_id") or "").strip() for r in records]
    seen: set[str] = set()
    for rec, row, mid in zip(records, rows, ids, strict=True):
        if mid and mid in seen:
            problems.append((row, "measure_id", f"measure_id '{mid}' is repeated"))
        seen.add(mid)
        if pd.notna(rec["end"]) and pd.notna(rec["start"]) and rec["end"] < rec["start"]:
            problems.append((row, "end", "end is before start"))
    if problems:
        row, name, msg = problems[0]
        more = f" ({len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise InputError(msg + more, path=path, row=row, field=name)
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame(columns=list(TEXT_COLUMNS))
    data: dict[str, object] = {}
    for col in TEXT_COLUMNS:
        values = frame[col] if col in frame.columns else pd.Series([""] * len(frame))
        data[col] = pd.Series([("" if _blank(v) else str(v).strip()) for v in values], dtype="string")
    for col in ("start", "end"):
        values = list(frame[col]) if col in frame.columns else [pd.NaT] * len(frame)
        data[col] = pd.Series(pd.to_datetime(values, utc=True), dtype="datetime64[ns, UTC]").dt.tz_convert(tz)
    radius = frame["radius_m"] if "radius_m" in frame.columns else pd.Series([math.nan] * len(frame))
    data["radius_m"] = pd.to_numeric(radius, errors="coerce").astype("float64").to_numpy()
    data["source_row"] = pd.Series(rows, dtype="Int64")
    out = gpd.GeoDataFrame(data, geometry=places.reset_index(drop=True), crs=places.crs)
    return validate_measures(out, what=path)
