"""From a raw table of strings to the canonical report model, accounting for every row.

A reader gives :func:`to_reports` a raw frame (all values as read, column names as the input calls them),
the row numbers the user sees, and optionally geometries already parsed from a vector file. This module
detects the columns, parses coordinates and times, checks them, and returns the clean rows plus a rejection
table. Nothing here touches files.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from geo.crs import choose_crs, choose_tz
from geo.errors import InputError
from geo.io.options import ReaderOptions
from geo.io.rejects import RejectLog
from geo.model import PRECISIONS, Reports
from geo.time.profile import add_time_parts

__all__ = ["CANDIDATES", "Mapped", "detect_columns", "parse_times", "to_reports"]

CANDIDATES: dict[str, tuple[str, ...]] = {
    "lat": ("lat", "latitude", "latitud", "lat_wgs84", "wgs84_lat", "y_wgs84", "breddgrad", "y"),
    "lon": (
        "lon",
        "lng",
        "long",
        "longitude",
        "longitud",
        "lon_wgs84",
        "wgs84_lon",
        "x_wgs84",
        "längdgrad",
        "x",
    ),
    "x": ("x", "easting", "east", "e", "x_sweref", "sweref_e", "x_coord", "xkoord"),
    "y": ("y", "northing", "north", "n", "y_sweref", "sweref_n", "y_coord", "ykoord"),
    "time": (
        "occurred_at",
        "occurred_from",
        "occurred",
        "datetime",
        "date_time",
        "timestamp",
        "tidpunkt",
        "händelsetid",
        "handelsetid",
        "brottstid",
        "brottsdatum",
        "occurrencedate",
        "occurrence_date",
        "starttid",
        "tid_från",
        "tid_fran",
        "from",
        "start",
        "time",
        "date",
        "datum",
        "tid",
        "reported_at",
    ),
    "time_to": ("occurred_to", "occurred_until", "tid_till", "sluttid", "to", "end", "until", "datum_till"),
    "category": (
        "category",
        "kategori",
        "brottstyp",
        "brottskategori",
        "offence",
        "offense",
        "crime_type",
        "mci_category",
        "type",
        "typ",
        "händelsetyp",
        "handelsetyp",
    ),
    "id": (
        "report_id",
        "id",
        "ärendenummer",
        "arendenummer",
        "diarienummer",
        "case_id",
        "event_id",
        "event_unique_id",
        "incident_id",
        "ärende",
        "arende",
    ),
    "description": ("description", "beskrivning", "text", "kommentar", "comment", "notes", "fritext"),
    "weight": ("weight", "vikt"),
    "precision": ("location_precision", "precision", "lägesnoggrannhet", "noggrannhet"),
    "source": ("source", "källa", "kalla"),
}
"""Column names recognised for each canonical field, in order of preference (compared case-insensitively)."""

_FALLBACK_FORMATS = (
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H.%M",
    "%d.%m.%Y",
    "%Y-%m-%d kl. %H.%M",
    "%Y-%m-%d kl %H.%M",
    "%Y-%m-%d kl. %H:%M",
    "%Y-%m-%d %H.%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%Y%m%d %H%M",
    "%Y%m%dT%H%M%S",
)
_OFFSET_RE = r"(?:Z|[+-]\d{2}:?\d{2})$"
_FUTURE_SLACK = pd.Timedelta(minutes=10)
_EARLIEST = pd.Timestamp("1900-01-01")


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", str(name)).casefold().strip()


def detect_columns(columns: Sequence[str], options: ReaderOptions) -> dict[str, str | None]:
    """Find the input column for each canonical field.

    Explicit options win; otherwise the first column whose case-folded name is in :data:`CANDIDATES`.
    ``x``/``y`` are used as projected coordinates only when ``crs`` is given; otherwise they are read as
    longitude/latitude.

    Parameters
    ----------
    columns
        Column names as the input calls them.
    options
        Reader options.

    Returns
    -------
    found
        Map from canonical field (``lat``, ``lon``, ``x``, ``y``, ``time``, ``time_to``, ``category``, ``id``,
        ``description``, ``weight``, ``precision``, ``source``) to input column or ``None``.

    Raises
    ------
    InputError
        If an explicitly named column does not exist.
    """
    by_fold = {}
    for c in columns:
        by_fold.setdefault(_fold(c), c)
    explicit = {
        "lat": options.lat_col,
        "lon": options.lon_col,
        "x": options.x_col,
        "y": options.y_col,
        "time": options.time_col,
        "time_to": options.time_to_col,
        "category": options.category_col,
        "id": options.id_col,
        "description": options.description_col,
        "weight": options.weight_col,
        "precision": options.precision_col,
        "source": None,
    }
    found: dict[str, str | None] = {}
    used: set[str] = set()
    for key, name in explicit.items():
        if name is not None:
            if name not in columns and _fold(name) not in by_fold:
                raise InputError(
                    f"column '{name}' (given for {key}) is not in the file; it has {list(columns)}"
                )
            found[key] = name if name in columns else by_fold[_fold(name)]
            used.add(found[key])  # type: ignore[arg-type]
    projected = options.crs is not None and not (options.lat_col or options.lon_col)
    order = ["x", "y", "lat", "lon"] if projected else ["lat", "lon", "x", "y"]
    order += ["time", "time_to", "category", "id", "description", "weight", "precision", "source"]
    for key in order:
        if key in found:
            continue
        if key in {"x", "y"} and not projected:
            found[key] = None
            continue
        if key in {"lat", "lon"} and projected and found.get("x") and found.get("y"):
            found[key] = None
            continue
        hit = next((by_fold[c] for c in CANDIDATES[key] if c in by_fold and by_fold[c] not in used), None)
        found[key] = hit
        if hit is not None:
            used.add(hit)
    return found


def _to_number(values: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64")
    text = (
        values.astype("string")
        .str.strip()
        .str.replace("\u2212", "-", regex=False)
        .str.replace(",", ".", regex=False)
    )
    return pd.to_numeric(text, errors="coerce").astype("float64")


def _blank(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(values):
        return values.isna().to_numpy()
    s = values.astype("string")
    return (s.isna() | (s.str.strip() == "")).to_numpy(dtype=bool)


@dataclass
class ParsedTimes:
    """Times parsed from one column.

    Attributes
    ----------
    times
        Timezone-aware local times (NaT where not accepted).
    unparseable, nonexistent, ambiguous, blank
        Boolean masks of the problems found.
    """

    times: pd.Series
    unparseable: np.ndarray
    nonexistent: np.ndarray
    ambiguous: np.ndarray
    blank: np.ndarray


def parse_times(values: pd.Series, *, tz: str) -> ParsedTimes:
    """Parse a column of times into timezone-aware local times.

    ISO 8601 (with or without offset), Swedish forms (``2024-03-05 22.10``, ``05.03.2024 22:10``) and a few
    other common export forms are understood. Times with an offset are converted to `tz`; naive times are
    read as local times in `tz`. A local time that does not exist (the spring change) is not accepted; an
    ambiguous one (the autumn change) becomes the earlier instant and is flagged.

    Parameters
    ----------
    values
        Raw values (strings, or datetimes).
    tz
        IANA zone, e.g. ``"Europe/Stockholm"``.
    """
    n = len(values)
    index = values.index
    blank = _blank(values)
    out = pd.Series(pd.NaT, index=index, dtype=f"datetime64[ns, {tz}]")
    unparseable = np.zeros(n, dtype=bool)
    nonexistent = np.zeros(n, dtype=bool)
    ambiguous = np.zeros(n, dtype=bool)
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            out = values.dt.tz_convert(tz).dt.as_unit("ns")
            return ParsedTimes(out, unparseable, nonexistent, ambiguous, blank)
        naive = values.dt.as_unit("ns")
        has_offset = np.zeros(n, dtype=bool)
        text = None
    else:
        text = values.astype("string").str.strip()
        has_offset = text.str.contains(_OFFSET_RE, regex=True).fillna(False).to_numpy(dtype=bool)
        naive = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
        todo = ~blank & ~has_offset
        if todo.any():
            parsed = pd.to_datetime(text[todo], format="ISO8601", errors="coerce")
            naive.loc[parsed.index] = parsed.dt.as_unit("ns").to_numpy()
            for fmt in _FALLBACK_FORMATS:
                left = todo & naive.isna().to_numpy()
                if not left.any():
                    break
                parsed = pd.to_datetime(text[left], format=fmt, errors="coerce")
                naive.loc[parsed.index] = parsed.dt.as_unit("ns").to_numpy()
        if has_offset.any():
            aware = pd.to_datetime(text[has_offset], format="ISO8601", errors="coerce", utc=True)
            out.loc[aware.index] = aware.dt.tz_convert(tz).dt.as_unit("ns")
            unparseable |= has_offset & out.isna().to_numpy()
    is_naive = ~blank & ~has_offset
    naive_ok = is_naive & naive.notna().to_numpy()
    unparseable |= is_naive & ~naive_ok
    if naive_ok.any():
        sub = naive[naive_ok]
        strict = sub.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
        earlier = sub.dt.tz_localize(tz, ambiguous=np.ones(len(sub), dtype=bool), nonexistent="NaT")
        amb = strict.isna().to_numpy() & earlier.notna().to_numpy()
        gap = strict.isna().to_numpy() & earlier.isna().to_numpy()
        chosen = strict.where(~amb, earlier)
        out.loc[sub.index] = chosen.dt.as_unit("ns")
        idx = np.flatnonzero(naive_ok)
        ambiguous[idx[amb]] = True
        nonexistent[idx[gap]] = True
    return ParsedTimes(out, unparseable, nonexistent, ambiguous, blank)


def _swapped_far_from_the_rest(lat: np.ndarray, lon: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Rows whose position is far (over 5°) from the data's median but close to it (under 2°) when swapped.

    Without a study area this is the evidence a swap leaves: a Värnamo report read as 14.05 N, 57.18 E lies
    in the Indian Ocean, while swapped back it joins the rest of the town.
    """
    out = np.zeros(lat.shape, dtype=bool)
    if valid.sum() < 3:
        return out
    mlat, mlon = float(np.median(lat[valid])), float(np.median(lon[valid]))
    scale = max(np.cos(np.radians(mlat)), 0.1)

    def spread(la: np.ndarray, lo: np.ndarray) -> np.ndarray:
        return np.hypot(la - mlat, (lo - mlon) * scale)

    far = valid & (spread(lat, lon) > 5.0)
    if far.any():
        out[far] = spread(lon[far], lat[far]) < 2.0
    return out


@dataclass
class Mapped:
    """Result of mapping one raw table.

    Attributes
    ----------
    reports
        Accepted rows in the canonical model (metric CRS).
    rejects
        Rejection table (``file,row,field,reason,status,value``).
    columns
        The detected column for each canonical field.
    crs
        The metric CRS used, and ``crs_reason`` why.
    tz
        The local time zone used, and ``tz_reason`` why.
    """

    reports: Reports
    rejects: pd.DataFrame
    columns: dict[str, str | None]
    crs: pyproj.CRS
    crs_reason: str
    tz: str
    tz_reason: str
    rows_read: int


def _latlon_from_projected(
    x: np.ndarray, y: np.ndarray, crs: str | pyproj.CRS
) -> tuple[np.ndarray, np.ndarray]:
    tr = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lon, lat = tr.transform(x, y)
    return np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)


def to_reports(
    raw: pd.DataFrame,
    *,
    file: str,
    rows: np.ndarray,
    options: ReaderOptions,
    geometry: gpd.GeoSeries | None = None,
    area: BaseGeometry | None = None,
    area_name: str | None = None,
    crs: pyproj.CRS | str | None = None,
    tz: str | None = None,
    now: pd.Timestamp,
    default_source: str,
    preset: dict[str, pd.Series] | None = None,
) -> Mapped:
    """Map a raw table to the report model, rejecting bad rows with reasons.

    Parameters
    ----------
    raw
        Raw values, columns named as in the input.
    file
        The input's name, for the rejection table and ``source_file``.
    rows
        Row number the user sees, for each raw row.
    options
        Reader options (column names, zone, ...).
    geometry
        Geometries of a vector file (any CRS); when given, coordinate columns are not needed.
    area
        Study area in WGS84; positions outside are rejected (swapped lat/lon inside it are repaired).
    area_name
        Name of the study area, for messages.
    crs
        Metric CRS to use; chosen from the data when ``None``.
    tz
        Zone of naive local times; ``options.tz`` or the zone at the data's location when ``None``.
    now
        The present moment (timezone-aware); later times are rejected as future.
    default_source
        ``source`` when neither options nor the file give one.
    preset
        Canonical columns the reader already parsed (e.g. ``occurred_at`` from the Police feed), which
        take precedence over detection.

    Returns
    -------
    mapped
        Accepted reports, rejection table and what was detected.
    """
    preset = preset or {}
    log = RejectLog(file)
    n = len(raw)
    raw = raw.reset_index(drop=True)
    rows = np.asarray(rows, dtype="int64")
    cols = detect_columns(list(raw.columns), options)
    keep = np.ones(n, dtype=bool)

    # --- position -------------------------------------------------------------------------------------
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    lat_field = cols.get("lat") or cols.get("y") or "geometry"
    if geometry is not None:
        geometry = geometry.reset_index(drop=True)
        if geometry.crs is None:
            if options.crs is None:
                raise InputError("has no CRS; give one with --crs", path=file)
            geometry = geometry.set_crs(options.crs)
        missing = (geometry.isna() | geometry.is_empty).to_numpy()
        log.add(rows[missing], field="geometry", reason="missing geometry")
        keep &= ~missing
        nonpoint = ~missing & (geometry.geom_type != "Point").to_numpy()
        if nonpoint.any():
            log.add(
                rows[nonpoint],
                field="geometry",
                reason="not a point; its representative point is used",
                status="warning",
                value=geometry.geom_type[nonpoint],
            )
            geometry = geometry.copy()
            geometry[nonpoint] = geometry[nonpoint].representative_point()
        wgs = geometry.to_crs("EPSG:4326")
        ok = ~missing
        lon[ok] = shapely.get_x(wgs[ok].to_numpy())
        lat[ok] = shapely.get_y(wgs[ok].to_numpy())
    elif cols.get("x") and cols.get("y") and options.crs:
        xs, ys = _to_number(raw[cols["x"]]).to_numpy(), _to_number(raw[cols["y"]]).to_numpy()
        for name, vals, raw_vals in ((cols["x"], xs, raw[cols["x"]]), (cols["y"], ys, raw[cols["y"]])):
            blank = _blank(raw_vals)
            bad = keep & np.isnan(vals)
            log.add(rows[bad & blank], field=name, reason="missing coordinate")
            log.add(
                rows[bad & ~blank],
                field=name,
                reason="cannot parse coordinate as a number",
                value=raw_vals[bad & ~blank],
            )
            keep &= ~bad
        ok = keep.copy()
        la, lo = _latlon_from_projected(xs[ok], ys[ok], options.crs)
        lat[ok], lon[ok] = la, lo
    elif cols.get("lat") and cols.get("lon"):
        la_raw, lo_raw = raw[cols["lat"]], raw[cols["lon"]]
        lat, lon = _to_number(la_raw).to_numpy().copy(), _to_number(lo_raw).to_numpy().copy()
        for name, vals, raw_vals in ((cols["lat"], lat, la_raw), (cols["lon"], lon, lo_raw)):
            blank = _blank(raw_vals)
            bad = keep & np.isnan(vals)
            log.add(rows[bad & blank], field=name, reason="missing coordinate")
            log.add(
                rows[bad & ~blank],
                field=name,
                reason="cannot parse coordinate as a number",
                value=raw_vals[bad & ~blank],
            )
            keep &= ~bad
        if (keep & (np.abs(lat) > 90) & (np.abs(lon) > 90)).mean() > 0.5 and options.crs is None:
            raise InputError(
                f"columns '{cols['lat']}'/'{cols['lon']}' do not hold degrees (values like {lat[keep][:1]}); "
                "for projected coordinates give --x-col/--y-col and --crs (EPSG:3006 for SWEREF 99 TM)",
                path=file,
            )
    else:
        raise InputError(
            f"no coordinate columns found among {list(raw.columns)}; name them with --lat-col/--lon-col "
            "or --x-col/--y-col --crs",
            path=file,
        )

    # swapped latitude/longitude: repaired when the swap is the only reading that makes sense
    swap = np.zeros(n, dtype=bool)
    if area is not None:
        inside = np.zeros(n, dtype=bool)
        cand = keep & np.isfinite(lat) & np.isfinite(lon)
        inside[cand] = shapely.contains_xy(area, lon[cand], lat[cand])
        alt = np.zeros(n, dtype=bool)
        test = cand & ~inside & (np.abs(lon) <= 90)
        if test.any():
            alt[test] = shapely.contains_xy(area, lat[test], lon[test])
        swap = alt
    else:
        swap = keep & (np.abs(lat) > 90) & (np.abs(lon) <= 90)
        swap |= _swapped_far_from_the_rest(lat, lon, keep & ~swap)
    if swap.any():
        log.add(
            rows[swap],
            field=lat_field,
            reason="latitude and longitude were swapped; swapped back",
            status="warning",
            value=[f"{a},{b}" for a, b in zip(lat[swap], lon[swap], strict=True)],
        )
        lat[swap], lon[swap] = lon[swap].copy(), lat[swap].copy()
    bad = keep & ((np.abs(lat) > 90) | (np.abs(lon) > 180))
    log.add(
        rows[bad],
        field=lat_field,
        reason="coordinate out of range for degrees",
        value=[f"{a},{b}" for a, b in zip(lat[bad], lon[bad], strict=True)],
    )
    keep &= ~bad

    # --- CRS and zone ---------------------------------------------------------------------------------
    if crs is None:
        crs_obj, crs_reason = (
            choose_crs(lon[keep], lat[keep]) if keep.any() else choose_crs(np.array([14.0]), np.array([57.0]))
        )
    else:
        crs_obj, crs_reason = (
            pyproj.CRS(crs),
            f"{pyproj.CRS(crs).name} ({pyproj.CRS(crs).to_string()}): as given",
        )
    if tz is None and options.tz:
        tz = options.tz
        tz_reason = f"{tz}: as given"
    elif tz is None:
        ok = keep & np.isfinite(lat)
        mlon, mlat = (float(np.median(lon[ok])), float(np.median(lat[ok]))) if ok.any() else (14.0, 57.0)
        tz = choose_tz(mlon, mlat)
        tz_reason = f"{tz}: the zone at the data's location ({mlat:.3f}, {mlon:.3f})"
    else:
        tz_reason = f"{tz}: as given"

    # --- times ----------------------------------------------------------------------------------------
    if "occurred_at" in preset:
        occurred_at = preset["occurred_at"].reset_index(drop=True)
        time_field = cols.get("time") or "occurred_at"
        bad_t = occurred_at.isna().to_numpy() & keep
        log.add(rows[bad_t], field=time_field, reason="no time found")
        keep &= ~bad_t
    else:
        if not cols.get("time"):
            raise InputError(
                f"no time column found among {list(raw.columns)}; name it with --time-col", path=file
            )
        time_field = cols["time"]
        pt = parse_times(raw[time_field], tz=tz)
        occurred_at = pt.times
        log.add(rows[keep & pt.blank], field=time_field, reason="missing time")
        log.add(
            rows[keep & pt.unparseable],
            field=time_field,
            reason="cannot parse time (expected ISO 8601, e.g. 2024-03-05 22:10, or DD.MM.YYYY HH:MM)",
            value=raw[time_field][keep & pt.unparseable],
        )
        log.add(
            rows[keep & pt.nonexistent],
            field=time_field,
            reason=f"local time does not exist in {tz} (skipped at the daylight-saving change in spring)",
            value=raw[time_field][keep & pt.nonexistent],
        )
        keep &= ~(pt.blank | pt.unparseable | pt.nonexistent)
        amb = keep & pt.ambiguous
        log.add(
            rows[amb],
            field=time_field,
            status="warning",
            reason=f"local time is ambiguous in {tz} (repeated hour at the daylight-saving change in autumn); "
            "the earlier instant is kept",
            value=raw[time_field][amb],
        )
    occurred_at = occurred_at.dt.tz_convert(tz) if occurred_at.dt.tz is not None else occurred_at
    now_local = now.tz_convert(tz)
    future = keep & (occurred_at > now_local + _FUTURE_SLACK).fillna(False).to_numpy(dtype=bool)
    log.add(
        rows[future],
        field=time_field,
        reason=f"time is in the future (after {now_local:%Y-%m-%d %H:%M})",
        value=occurred_at[future].astype(str),
    )
    keep &= ~future
    early = keep & (occurred_at < _EARLIEST.tz_localize(tz)).fillna(False).to_numpy(dtype=bool)
    log.add(rows[early], field=time_field, reason="time is before 1900", value=occurred_at[early].astype(str))
    keep &= ~early

    occurred_to = pd.Series(pd.NaT, index=occurred_at.index, dtype=f"datetime64[ns, {tz}]")
    if cols.get("time_to"):
        tf = cols["time_to"]
        pt2 = parse_times(raw[tf], tz=tz)
        bad2 = keep & (pt2.unparseable | pt2.nonexistent)
        log.add(
            rows[keep & pt2.unparseable],
            field=tf,
            reason="cannot parse end time",
            value=raw[tf][keep & pt2.unparseable],
        )
        log.add(
            rows[keep & pt2.nonexistent],
            field=tf,
            reason=f"local end time does not exist in {tz} (daylight-saving gap)",
            value=raw[tf][keep & pt2.nonexistent],
        )
        keep &= ~bad2
        amb2 = keep & pt2.ambiguous
        log.add(
            rows[amb2],
            field=tf,
            status="warning",
            reason=f"local end time is ambiguous in {tz}; the earlier instant is kept",
            value=raw[tf][amb2],
        )
        occurred_to = pt2.times
        before = keep & (occurred_to < occurred_at).fillna(False).to_numpy(dtype=bool)
        log.add(rows[before], field=tf, reason="end time is before start time", value=raw[tf][before])
        keep &= ~before
        fut2 = keep & (occurred_to > now_local + _FUTURE_SLACK).fillna(False).to_numpy(dtype=bool)
        log.add(rows[fut2], field=tf, reason="end time is in the future", value=raw[tf][fut2])
        keep &= ~fut2
        same = (occurred_to == occurred_at).fillna(False).to_numpy(dtype=bool)
        occurred_to = occurred_to.where(~same)

    # --- category, id, text ---------------------------------------------------------------------------
    if "category" in preset:
        category = preset["category"].reset_index(drop=True).astype("string")
        cat_field = cols.get("category") or "category"
    elif cols.get("category"):
        cat_field = cols["category"]
        category = raw[cat_field].astype("string").str.strip()
    else:
        raise InputError(
            f"no category column found among {list(raw.columns)}; name it with --category-col", path=file
        )
    empty_cat = keep & (category.isna() | (category == "")).to_numpy(dtype=bool)
    log.add(rows[empty_cat], field=cat_field, reason="empty category")
    keep &= ~empty_cat

    if "report_id" in preset:
        ids = preset["report_id"].reset_index(drop=True).astype("string")
        id_field: str | None = cols.get("id") or "id"
    elif cols.get("id"):
        id_field = cols["id"]
        ids = raw[id_field].astype("string").str.strip()
    else:
        id_field = None
        ids = None
    stem = file.rsplit("/", 1)[-1]
    if ids is not None and id_field is not None:
        blank_id = (ids.isna() | (ids == "")).to_numpy(dtype=bool)
        ids = ids.where(~blank_id, f"{stem}:" + pd.Series(rows).astype("string"))
        log.add(
            rows[keep & blank_id],
            field=id_field,
            status="warning",
            reason="empty id; file and row used instead",
        )
        kept_ids = ids.where(keep)
        dup = keep & kept_ids.duplicated(keep="first").to_numpy() & kept_ids.notna().to_numpy()
        if dup.any():
            first_row = pd.Series(rows[keep], index=kept_ids[keep].to_numpy()).groupby(level=0).first()
            log.add(
                rows[dup],
                field=id_field,
                reason=[f"repeated id (first at row {first_row[i]})" for i in ids[dup]],
                value=ids[dup],
            )
            keep &= ~dup
        report_id = ids
    else:
        report_id = f"{stem}:" + pd.Series(rows).astype("string")

    def text_col(key: str) -> pd.Series:
        if key in preset:
            return preset[key].reset_index(drop=True).astype("string")
        c = cols.get(key)
        return raw[c].astype("string") if c else pd.Series(pd.NA, index=raw.index, dtype="string")

    description = text_col("description")
    weight = pd.Series(1.0, index=raw.index)
    if cols.get("weight"):
        wf = cols["weight"]
        weight = _to_number(raw[wf])
        badw = keep & (weight.isna() | (weight < 0)).to_numpy()
        log.add(rows[badw], field=wf, reason="weight must be a number >= 0", value=raw[wf][badw])
        keep &= ~badw
    if "location_precision" in preset:
        precision = preset["location_precision"].reset_index(drop=True).astype("string")
    elif cols.get("precision"):
        pf = cols["precision"]
        precision = raw[pf].astype("string").str.strip().str.lower().fillna(options.precision)
        precision = precision.where(precision != "", options.precision)
        badp = keep & ~precision.isin(PRECISIONS).to_numpy()
        log.add(
            rows[badp],
            field=pf,
            reason=f"unknown location precision (allowed: {', '.join(PRECISIONS)})",
            value=raw[pf][badp],
        )
        keep &= ~badp
    else:
        precision = pd.Series(options.precision, index=raw.index, dtype="string")
    if options.source:
        source = pd.Series(options.source, index=raw.index, dtype="string")
    elif cols.get("source"):
        source = raw[cols["source"]].astype("string").str.strip().fillna(default_source)
        source = source.where(source != "", default_source)
    else:
        source = pd.Series(default_source, index=raw.index, dtype="string")

    # --- study area -----------------------------------------------------------------------------------
    if area is not None:
        coarse = precision.isin(["municipality", "county"]).to_numpy()
        place = preset.get("place")
        inside = np.zeros(n, dtype=bool)
        test = keep & ~coarse
        if test.any():
            inside[test] = shapely.contains_xy(area, lon[test], lat[test])
        out = test & ~inside
        log.add(
            rows[out],
            field=lat_field,
            reason=f"position outside the study area ({area_name})",
            value=[f"{a:.5f},{b:.5f}" for a, b in zip(lat[out], lon[out], strict=True)],
        )
        keep &= ~out
        if coarse.any():
            # A municipality centre or county point says nothing about where inside the area it happened;
            # membership is decided by the named place, never by a spatial join on that point.
            if place is not None and area_name:
                place = place.reset_index(drop=True).astype("string")
                named = (place.str.casefold() == _fold(area_name)).fillna(False).to_numpy(dtype=bool)
            else:
                named = np.zeros(n, dtype=bool)
            out_c = keep & coarse & ~named
            log.add(
                rows[out_c],
                field="location",
                value=(place[out_c] if place is not None else None),
                reason=f"place is not the study area ({area_name}); a {'/'.join(['municipality', 'county'])} "
                "point is not placed in the area by position",
            )
            keep &= ~out_c

    # --- duplicates without ids -----------------------------------------------------------------------
    if ids is None:
        key = pd.DataFrame(
            {"lat": np.round(lat, 7), "lon": np.round(lon, 7), "t": occurred_at, "c": category}
        )
        sub = key[keep]
        dupmask = sub.duplicated(keep="first").to_numpy()
        if dupmask.any():
            firsts = pd.Series(rows[keep], index=sub.index)
            grp = sub.groupby(["lat", "lon", "t", "c"], sort=False, dropna=False).ngroup()
            first_of = firsts.groupby(grp.to_numpy()).transform("first")
            drows = rows[keep][dupmask]
            reasons = [
                f"possible duplicate of row {r} (same place, time and category)"
                for r in first_of.to_numpy()[dupmask]
            ]
            status = "rejected" if options.drop_duplicates else "warning"
            log.add(drows, field=time_field, reason=reasons, status=status)
            if options.drop_duplicates:
                idx = np.flatnonzero(keep)[dupmask]
                keep[idx] = False

    # --- build ----------------------------------------------------------------------------------------
    k = keep
    sel = np.flatnonzero(k)

    def pick(series: pd.Series) -> pd.Series:
        return series.reset_index(drop=True).iloc[sel].reset_index(drop=True)

    to_metric = pyproj.Transformer.from_crs("EPSG:4326", crs_obj, always_xy=True)
    mx, my = to_metric.transform(lon[k], lat[k])
    pts = gpd.GeoSeries(gpd.points_from_xy(mx, my), crs=crs_obj)
    frame = pd.DataFrame(
        {
            "report_id": pick(report_id),
            "category": pick(category),
            "source": pick(source),
            "description": pick(description),
            "weight": weight[k].to_numpy(dtype="float64"),
            "location_precision": pick(precision),
            "source_file": file,
            "source_row": rows[k],
        }
    )
    for name, series in (("occurred_at", occurred_at), ("occurred_to", occurred_to)):
        frame[name] = series[k].reset_index(drop=True).dt.tz_convert(tz).dt.as_unit("ns")
    for name in ("report_id", "category", "source", "description", "location_precision", "source_file"):
        frame[name] = frame[name].astype("string")
    frame["source_row"] = frame["source_row"].astype("Int64")
    extra_cols = [c for c in raw.columns if c not in {v for v in cols.values() if v}]
    for c in extra_cols:
        if _fold(c) in {"geometry", "wkt"} or c in frame.columns:
            continue
        frame[c] = pick(raw[c])
    for name, series in preset.items():
        if name not in frame.columns and name not in {"occurred_at"}:
            frame[name] = pick(series)
    frame = add_time_parts(frame, lat=lat[k], lon=lon[k])
    gdf = gpd.GeoDataFrame(frame, geometry=pts.to_numpy(), crs=crs_obj)
    # validated once, by the caller (geo.io.read_reports), after sources are merged
    return Mapped(Reports(gdf), log.frame(), cols, crs_obj, crs_reason, tz, tz_reason, n)
