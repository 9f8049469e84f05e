"""Reading reports and layers: the only package that touches files, databases or the network.

:func:`read_reports` is the one entry point for reports. It dispatches by suffix: CSV (also ``.csv.gz`` and
``.txt``), GeoJSON, GeoPackage, Shapefile, FlatGeobuf, GeoParquet, and the Swedish Police events JSON; a
``postgresql://`` URL reads from PostGIS (see :mod:`geo.io.postgis`). Files already in the canonical model
(written by ``geo ingest``) are read back as they are and re-validated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from geo.errors import InputError
from geo.io.area import StudyArea
from geo.io.mapping import Mapped, to_reports
from geo.io.options import ReaderOptions
from geo.io.polisen import is_polisen_json, read_polisen_raw
from geo.io.rejects import REJECT_COLUMNS, RejectLog
from geo.io.tabular import read_csv_raw
from geo.model import REPORT_COLUMNS, Reports, empty_reports, validate_reports

__all__ = ["ReadResult", "ReaderOptions", "merge_results", "read_reports"]

VECTOR_SUFFIXES = {".geojson", ".gpkg", ".shp", ".fgb", ".gml", ".kml"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv", ".gz"}


@dataclass
class ReadResult:
    """Reports read from one or more sources, and the account of every row.

    Attributes
    ----------
    reports
        Accepted reports in the canonical model, one metric CRS.
    rejects
        Rejection table: ``file,row,field,reason,status,value``.
    rows_read
        Rows (features, events) read from each source.
    columns
        Detected columns per source.
    crs, crs_reason, tz, tz_reason
        The metric CRS and local zone used, and why.
    """

    reports: Reports
    rejects: pd.DataFrame
    rows_read: dict[str, int] = field(default_factory=dict)
    columns: dict[str, dict[str, str | None]] = field(default_factory=dict)
    crs: pyproj.CRS | None = None
    crs_reason: str = ""
    tz: str = ""
    tz_reason: str = ""

    @property
    def n_read(self) -> int:
        """Rows read over all sources."""
        return sum(self.rows_read.values())

    @property
    def n_rejected(self) -> int:
        """Distinct rows rejected."""
        r = self.rejects[self.rejects["status"] == "rejected"]
        return int(r[["file", "row"]].drop_duplicates().shape[0])

    def summary_by_reason(self) -> pd.DataFrame:
        """Count rows by status, field and reason."""
        if self.rejects.empty:
            return pd.DataFrame(columns=["status", "reason", "rows"])
        reason = (
            self.rejects["reason"].str.replace(r"\(first at row \d+\)|of row \d+", "", regex=True).str.strip()
        )
        reason = reason.str.replace(r"\(after \d{4}-\d\d-\d\d \d\d:\d\d\)", "", regex=True).str.strip()
        return (
            self.rejects.assign(reason=reason)
            .groupby(["status", "field", "reason"], as_index=False)
            .size()
            .rename(columns={"size": "rows"})
            .sort_values(["status", "rows"], ascending=[True, False])
        )


def _is_canonical(frame: pd.DataFrame) -> bool:
    return {"report_id", "occurred_at", "category", "source", "location_precision"} <= set(frame.columns)


def _canonical(frame: gpd.GeoDataFrame, *, file: str, crs: pyproj.CRS | str | None) -> Reports:
    """Re-validate a frame written by ``geo ingest`` (GeoPackage stores times as ISO text)."""
    from geo.model import DERIVED_COLUMNS
    from geo.time.profile import add_time_parts

    out = frame.copy()
    tzs: list[str] = []
    for c in ("occurred_at", "occurred_to"):
        if c in out.columns and not isinstance(out[c].dtype, pd.DatetimeTZDtype):
            parsed = pd.to_datetime(out[c], utc=True, errors="coerce", format="ISO8601")
            out[c] = parsed
        elif c in out.columns:
            tzs.append(str(out[c].dt.tz))
    tz = tzs[0] if tzs else None
    if tz is None:
        from geo.crs import choose_tz

        wgs = out.to_crs("EPSG:4326").geometry
        tz = choose_tz(float(wgs.x.median()), float(wgs.y.median())) if len(out) else "UTC"
    for c in ("occurred_at", "occurred_to"):
        if c in out.columns:
            out[c] = out[c].dt.tz_convert(tz).astype(f"datetime64[ns, {tz}]")
    if "occurred_to" not in out.columns:
        out["occurred_to"] = pd.Series(pd.NaT, index=out.index, dtype=f"datetime64[ns, {tz}]")
    for c, kind in REPORT_COLUMNS.items():
        if c not in out.columns:
            out[c] = pd.NA if kind != "float64" else 1.0
        if kind == "string":
            out[c] = out[c].astype("string")
    out["source_row"] = pd.to_numeric(out["source_row"], errors="coerce").astype("Int64")
    out["weight"] = pd.to_numeric(out["weight"], errors="coerce").fillna(1.0).astype("float64")
    if crs is not None:
        out = out.to_crs(crs)
    if any(c not in out.columns for c in DERIVED_COLUMNS):
        wgs = out.to_crs("EPSG:4326").geometry
        out = add_time_parts(out, lat=wgs.y.to_numpy(), lon=wgs.x.to_numpy())
    return validate_reports(gpd.GeoDataFrame(out, geometry=out.geometry.name, crs=out.crs), what=file)


def _read_one(
    source: str,
    options: ReaderOptions,
    *,
    area: StudyArea | None,
    crs: pyproj.CRS | str | None,
    tz: str | None,
    now: pd.Timestamp,
) -> tuple[Mapped | None, Reports | None, int, pd.DataFrame]:
    """Read one source; returns either a mapped raw table or an already canonical frame."""
    if source.startswith(("postgresql://", "postgres://", "postgis://")):
        from geo.io.postgis import read_postgis_raw

        raw, rows, geometry = read_postgis_raw(source)
        if _is_canonical(raw):
            frame = gpd.GeoDataFrame(raw, geometry=geometry, crs=geometry.crs)
            return (
                None,
                _canonical(frame, file=source, crs=crs),
                len(raw),
                pd.DataFrame(columns=REJECT_COLUMNS),
            )
        mapped = to_reports(
            raw,
            file=source,
            rows=rows,
            options=options,
            geometry=geometry,
            area=area.geometry if area else None,
            area_name=area.name if area else None,
            crs=crs,
            tz=tz,
            now=now,
            default_source="service",
        )
        return mapped, None, len(raw), pd.DataFrame(columns=REJECT_COLUMNS)
    path = Path(source)
    if not path.exists():
        raise InputError("file not found", path=source)
    suffix = path.suffix.lower()
    area_geom = area.geometry if area else None
    area_name = area.name if area else None
    if is_polisen_json(path):
        raw, rows, geometry, preset, notes = read_polisen_raw(path, tz=tz or options.tz or "Europe/Stockholm")
        log = RejectLog(source)
        drop = np.zeros(len(raw), dtype=bool)
        for status in ("rejected", "warning"):
            part = notes[notes["status"] == status]
            for fld, grp in part.groupby("field"):
                for reason, g2 in grp.groupby("reason"):
                    log.add(g2["row"].to_numpy(), field=str(fld), reason=str(reason), status=status)
            if status == "rejected":
                drop[part["row"].to_numpy(dtype="int64") - 1] = True
        keep = ~drop
        preset_k = {k: v.reset_index(drop=True)[keep].reset_index(drop=True) for k, v in preset.items()}
        mapped = to_reports(
            raw[keep].reset_index(drop=True),
            file=source,
            rows=rows[keep],
            options=options,
            geometry=geometry[keep].reset_index(drop=True),
            area=area_geom,
            area_name=area_name,
            crs=crs,
            tz=tz or options.tz or "Europe/Stockholm",
            now=now,
            default_source="polisen_feed",
            preset=preset_k,
        )
        return mapped, None, len(raw), log.frame()
    stem_source = path.name.split(".")[0]
    if suffix in CSV_SUFFIXES:
        raw, rows, _, _ = read_csv_raw(path, encoding=options.encoding, sep=options.sep)
        mapped = to_reports(
            raw,
            file=source,
            rows=rows,
            options=options,
            area=area_geom,
            area_name=area_name,
            crs=crs,
            tz=tz,
            now=now,
            default_source=stem_source,
        )
        return mapped, None, len(raw), pd.DataFrame(columns=REJECT_COLUMNS)
    if suffix in VECTOR_SUFFIXES or suffix in {".parquet", ".geoparquet", ".json"}:
        try:
            if suffix in {".parquet", ".geoparquet"}:
                frame = gpd.read_parquet(path)
            else:
                frame = gpd.read_file(path, engine="pyogrio")
        except Exception as err:  # noqa: BLE001 - any driver failure is the user's file problem
            raise InputError(f"cannot read: {err}", path=source) from err
        if _is_canonical(frame):
            return (
                None,
                _canonical(frame, file=source, crs=crs),
                len(frame),
                pd.DataFrame(columns=REJECT_COLUMNS),
            )
        geometry = frame.geometry
        raw = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        if options.crs and frame.crs is None:
            geometry = geometry.set_crs(options.crs)
        rows = np.arange(1, len(raw) + 1, dtype="int64")
        use_geom = not (options.lat_col or options.x_col)
        mapped = to_reports(
            raw,
            file=source,
            rows=rows,
            options=options,
            geometry=geometry if use_geom else None,
            area=area_geom,
            area_name=area_name,
            crs=crs,
            tz=tz,
            now=now,
            default_source=stem_source,
        )
        return mapped, None, len(raw), pd.DataFrame(columns=REJECT_COLUMNS)
    raise InputError(
        f"unknown file type '{suffix}'; lagesbild reads CSV, GeoJSON, GeoPackage, Shapefile, GeoParquet, "
        "Police events JSON and postgresql:// URLs",
        path=source,
    )


def _merge_frames(
    parts: Sequence[gpd.GeoDataFrame], rejects: Sequence[pd.DataFrame], *, crs: pyproj.CRS | None, tz: str
) -> tuple[Reports, pd.DataFrame]:
    """Bring frames to one CRS and zone, reject ids repeated across them, validate once, sort the rejects."""
    rejects = [r for r in rejects if len(r)]
    merged: gpd.GeoDataFrame | None = None
    if parts:
        aligned = []
        for p in parts:
            if crs is not None and not pyproj.CRS(p.crs).equals(crs):
                p = p.to_crs(crs)
            for c in ("occurred_at", "occurred_to"):
                if str(p[c].dt.tz) != tz:
                    p[c] = p[c].dt.tz_convert(tz)
            aligned.append(p)
        merged = aligned[0] if len(aligned) == 1 else pd.concat(aligned, ignore_index=True)
        merged = gpd.GeoDataFrame(merged, geometry="geometry", crs=crs)
        dup = merged["report_id"].duplicated(keep="first") if len(aligned) > 1 else None
        if dup is not None and dup.any():
            d = merged[dup]
            first = merged[~dup].set_index("report_id")["source_file"]
            rejects.append(
                pd.DataFrame(
                    {
                        "file": d["source_file"].to_numpy(),
                        "row": d["source_row"].to_numpy(),
                        "field": "report_id",
                        "reason": [
                            f"repeated id (already read from {first.get(i, '?')})" for i in d["report_id"]
                        ],
                        "status": "rejected",
                        "value": d["report_id"].astype(str).to_numpy(),
                    }
                )
            )
            merged = merged[~dup].reset_index(drop=True)
    reports = (
        validate_reports(merged)
        if merged is not None and len(merged)
        else empty_reports(crs or "EPSG:3006", tz)
    )
    table = (
        pd.concat(rejects, ignore_index=True)[REJECT_COLUMNS]
        .sort_values(["file", "row"], kind="stable")
        .reset_index(drop=True)
        if rejects
        else pd.DataFrame(columns=REJECT_COLUMNS)
    )
    return reports, table


def merge_results(results: Sequence[ReadResult]) -> ReadResult:
    """Merge reads of several sources (each with its own reader options) into one result.

    The first result's CRS and zone are used for all; an id repeated in a later source is rejected, as
    :func:`read_reports` does for the sources it reads itself.

    Parameters
    ----------
    results
        One or more results of :func:`read_reports`.
    """
    first = results[0]
    out = ReadResult(
        reports=first.reports,
        rejects=first.rejects,
        crs=first.crs,
        crs_reason=first.crs_reason,
        tz=first.tz,
        tz_reason=first.tz_reason,
    )
    for res in results:
        out.rows_read.update(res.rows_read)
        out.columns.update(res.columns)
    out.reports, out.rejects = _merge_frames(
        [r.reports for r in results], [r.rejects for r in results], crs=out.crs, tz=out.tz
    )
    return out


def read_reports(
    sources: Sequence[str | Path],
    options: ReaderOptions | None = None,
    *,
    area: StudyArea | None = None,
    crs: pyproj.CRS | str | None = None,
    now: pd.Timestamp | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReadResult:
    """Read reports from one or more sources into one validated frame.

    Parameters
    ----------
    sources
        Files or ``postgresql://`` URLs.
    options
        Column names and parsing options (detected when left out).
    area
        Study area; positions outside it are rejected.
    crs
        Metric CRS; chosen from the first source's data when ``None`` and then used for all.
    now
        The present (for rejecting future times); default: the clock now.
    progress
        Called with a message per source (the CLI shows it).

    Returns
    -------
    result
        The accepted reports, the rejection table and what was chosen.
    """
    options = options or ReaderOptions()
    now = now if now is not None else pd.Timestamp.now(tz="UTC")
    parts: list[gpd.GeoDataFrame] = []
    rejects: list[pd.DataFrame] = []
    result = ReadResult(reports=Reports(gpd.GeoDataFrame()), rejects=pd.DataFrame(columns=REJECT_COLUMNS))
    tz: str | None = options.tz
    for src in sources:
        src = str(src)
        if progress:
            progress(src)
        mapped, canon, n, notes = _read_one(src, options, area=area, crs=crs, tz=tz, now=now)
        result.rows_read[src] = n
        if len(notes):
            rejects.append(notes)
        if mapped is not None:
            rejects.append(mapped.rejects)
            result.columns[src] = mapped.columns
            frame: gpd.GeoDataFrame = mapped.reports
            if crs is None:
                crs, result.crs_reason = mapped.crs, mapped.crs_reason
            if tz is None or not result.tz:
                tz, result.tz_reason = mapped.tz, mapped.tz_reason
        else:
            assert canon is not None
            frame = canon
            if crs is None:
                crs = canon.crs
                result.crs_reason = f"{canon.crs.name}: the CRS of {src}"
            if not result.tz:
                tz = str(canon["occurred_at"].dt.tz)
                result.tz_reason = f"{tz}: the zone of {src}"
        parts.append(frame)
    result.crs = pyproj.CRS(crs) if crs is not None else None
    result.tz = tz or "UTC"
    result.reports, result.rejects = _merge_frames(parts, rejects, crs=result.crs, tz=result.tz)
    return result
