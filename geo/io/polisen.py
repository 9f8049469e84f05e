"""The Swedish Police open events feed (``polisen.se/api/events``) in its own JSON shape."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import InputError
from geo.time.parse import parse_times, time_reasons

__all__ = ["SUMMARY_TYPES", "is_polisen_json", "read_polisen_raw"]

SUMMARY_TYPES = (
    "Sammanfattning natt",
    "Sammanfattning kväll och natt",
    "Sammanfattning dag",
    "Sammanfattning helg",
)
"""Event types that summarise a night or day of events rather than report one incident."""

MONTHS_SV = {
    "januari": 1,
    "februari": 2,
    "mars": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "augusti": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
_NAME_RE = re.compile(r"^\s*(\d{1,2})\s+([a-zåäö]+)\s+(\d{1,2})[:.](\d{2})", re.IGNORECASE)
_COUNTY_RE = re.compile(r"\blän$", re.IGNORECASE)


def is_polisen_json(path: Path) -> bool:
    """Tell whether a file is a Police events export.

    That is a ``.json`` list of ``name``/``location`` objects, or a ``.jsonl`` archive of them (one a line,
    as ``geo feed fetch`` writes).
    """
    suffix = path.suffix.lower()
    if suffix not in {".json", ".jsonl"}:
        return False
    with open(path, "rb") as fh:
        head = fh.read(4096).decode("utf-8", errors="replace").lstrip()
    start = "[" if suffix == ".json" else "{"
    return head.startswith(start) and '"location"' in head and '"datetime"' in head


def _load_events(path: Path) -> object:
    """Return the events of a ``.json`` list or a ``.jsonl`` archive (blank lines skipped)."""
    text = Path(path).read_text(encoding="utf-8")
    if path.suffix.lower() != ".jsonl":
        return json.loads(text)
    events = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise InputError(f"line {n} of the events archive: {err}", path=str(path)) from err
    return events


def _event_time(name: str, published: pd.Timestamp) -> pd.Timestamp | None:
    """Return the event's own wall time (naive) from its name (``"30 mars 17:04, Trafikolycka, ..."``)."""
    m = _NAME_RE.match(name)
    if not m:
        return None
    day, month_name, hh, mm = int(m.group(1)), m.group(2).lower(), int(m.group(3)), int(m.group(4))
    month = MONTHS_SV.get(month_name)
    if month is None or hh > 23 or mm > 59:
        return None
    year = published.year - (1 if month > published.month else 0)
    try:
        naive = pd.Timestamp(year=year, month=month, day=day, hour=hh, minute=mm)
    except ValueError:
        return None
    wall_pub = published.tz_localize(None)
    if naive > wall_pub + pd.Timedelta(minutes=10) and naive - wall_pub > pd.Timedelta(days=300):
        naive = naive - pd.DateOffset(years=1)
    return naive


def _event_times(
    names: pd.Series, published: pd.Series, *, tz: str, notes: list[tuple[int, str, str, str]]
) -> pd.Series:
    """Return each event's own time, localized by the one time parser's rules; problems go to `notes`.

    A local time in the name that does not exist (the spring change) rejects the event; an ambiguous one is
    the earlier instant, with a warning; a name without a time gives the publication time, with a warning.
    """
    walls: list[pd.Timestamp | None] = []
    for i, (name, pub) in enumerate(zip(names, published, strict=True), start=1):
        wall = None if pd.isna(pub) else _event_time(name, pub)
        if pd.isna(pub):
            notes.append((i, "datetime", "cannot parse the publication time", "rejected"))
        elif wall is None:
            notes.append((i, "name", "no HH:MM in the name; the publication time is used", "warning"))
        walls.append(wall)
    wall_series = pd.Series(pd.to_datetime(pd.Series(walls, dtype=object)), dtype="datetime64[ns]")
    pt = parse_times(wall_series, tz=tz)
    reasons = time_reasons(tz, what="time in the name")
    notes += [
        (int(i) + 1, "name", reasons["nonexistent"], "rejected") for i in np.flatnonzero(pt.nonexistent)
    ]
    notes += [(int(i) + 1, "name", reasons["ambiguous"], "warning") for i in np.flatnonzero(pt.ambiguous)]
    has_wall = wall_series.notna().to_numpy()
    return pt.times.where(has_wall, published.dt.as_unit("ns"))


_RAW_COLUMNS = [
    "event_id",
    "published_raw",
    "event_name",
    "summary",
    "url",
    "event_type",
    "location_name",
    "lat",
    "lon",
]


def _record(ev: dict[str, object]) -> dict[str, object]:
    """Return one event's raw fields; the position from ``location.gps`` (``"lat,lon"``), NaN when missing."""
    loc = ev.get("location") or {}
    if not isinstance(loc, dict):
        loc = {}
    gps = str(loc.get("gps") or "")
    try:
        la, lo = (float(v) for v in gps.split(","))
    except ValueError:
        la, lo = np.nan, np.nan
    return {
        "event_id": str(ev.get("id", "")),
        "published_raw": str(ev.get("datetime", "")),
        "event_name": str(ev.get("name", "")),
        "summary": str(ev.get("summary", "")),
        "url": str(ev.get("url", "")),
        "event_type": str(ev.get("type", "")),
        "location_name": str(loc.get("name", "")),
        "lat": la,
        "lon": lo,
    }


def _records(events: list[object], notes: list[tuple[int, str, str, str]]) -> pd.DataFrame:
    """Return the raw table of the events; an entry that is not an object is an empty row, rejected."""
    recs: list[dict[str, object]] = []
    for i, ev in enumerate(events, start=1):
        if isinstance(ev, dict):
            recs.append(_record(ev))
        else:
            notes.append((i, "event", "not a JSON object", "rejected"))
            recs.append({})
    return pd.DataFrame.from_records(recs, columns=_RAW_COLUMNS)


def read_polisen_raw(
    path: Path, *, tz: str = "Europe/Stockholm"
) -> tuple[pd.DataFrame, np.ndarray, gpd.GeoSeries, dict[str, pd.Series], pd.DataFrame]:
    """Read a Police events JSON file (or a ``.jsonl`` archive of events).

    The event's own time is the HH:MM (or HH.MM) in ``name``; ``datetime`` is only when it was published and
    is used, with a warning, when the name holds no time. Positions are a municipality centre or the county
    point (``location.name`` ending in "län"), marked ``municipality`` or ``county`` precision. The event's
    municipality is the last part of its name. "Sammanfattning ..." entries are summaries, not incidents,
    and are listed as rejected.

    Parameters
    ----------
    path
        The JSON file.
    tz
        Zone of the feed's local times.

    Returns
    -------
    raw, rows, geometry, preset, notes
        Raw columns (``event_id``, ``event_type``, ``event_name``, ``summary``, ``url``, ``location_name``,
        ``published_at``), 1-based event numbers, WGS84 points, canonical columns already parsed, and a table
        of rejections/warnings found while reading (``row``, ``field``, ``reason``, ``status``).
    """
    try:
        events = _load_events(Path(path))
    except (OSError, json.JSONDecodeError) as err:
        raise InputError(f"cannot read Police events JSON: {err}", path=str(path)) from err
    if not isinstance(events, list):
        raise InputError("expected a JSON list of events", path=str(path))
    notes: list[tuple[int, str, str, str]] = []
    raw = _records(events, notes)
    rows = np.arange(1, len(raw) + 1, dtype="int64")
    # unpadded hours ("2023-03-21 7:42:30 +01:00") are normalised before parsing
    pub_txt = raw["published_raw"].str.replace(r" (\d):", r" 0\1:", regex=True)
    published = pd.to_datetime(
        pub_txt, format="%Y-%m-%d %H:%M:%S %z", errors="coerce", utc=True
    ).dt.tz_convert(tz)
    occurred_at = _event_times(raw["event_name"], published, tz=tz, notes=notes)
    is_summary = raw["event_type"].str.startswith("Sammanfattning").to_numpy()
    for i in rows[is_summary]:
        notes.append(
            (int(i), "type", "a summary of several events (Sammanfattning), not an incident", "rejected")
        )
    county = raw["location_name"].str.contains(_COUNTY_RE, regex=True).to_numpy()
    parts = raw["event_name"].str.rsplit(",", n=1).str[-1].str.strip()
    preset = {
        "report_id": "polisen:" + raw["event_id"],
        "occurred_at": occurred_at,
        "category": raw["event_type"],
        "description": raw["summary"],
        "location_precision": pd.Series(np.where(county, "county", "municipality"), dtype="string"),
        "place": parts,
        "published_at": published,
    }
    geometry = gpd.GeoSeries(gpd.points_from_xy(raw["lon"], raw["lat"]), crs="EPSG:4326")
    geometry[raw["lat"].isna().to_numpy()] = None
    out_raw = raw.drop(columns=["published_raw", "lat", "lon"])
    note_frame = pd.DataFrame(notes, columns=["row", "field", "reason", "status"]).astype({"row": "int64"})
    return out_raw, rows, geometry, preset, note_frame
