"""Several sources of reports as one: one CRS and zone, ids unique across sources, one rejection table."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import pyproj

from geo.model import Reports, empty_reports, validate_reports
from geo.rejects import REJECT_COLUMNS

__all__ = ["ReadResult", "merge_frames", "merge_results", "without_free_text"]


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


def _align(part: gpd.GeoDataFrame, *, crs: pyproj.CRS | None, tz: str) -> gpd.GeoDataFrame:
    """Return a source's frame in the common CRS and zone."""
    if crs is not None and not pyproj.CRS(part.crs).equals(crs):
        part = part.to_crs(crs)
    for c in ("occurred_at", "occurred_to"):
        if str(part[c].dt.tz) != tz:
            part[c] = part[c].dt.tz_convert(tz)
    return part


def _drop_repeated_ids(merged: gpd.GeoDataFrame, rejects: list[pd.DataFrame]) -> gpd.GeoDataFrame:
    """Reject reports whose id an earlier source already gave (appending to `rejects`); return the rest."""
    dup = merged["report_id"].duplicated(keep="first")
    if not dup.any():
        return merged
    d = merged[dup]
    first = merged[~dup].set_index("report_id")["source_file"]
    rejects.append(
        pd.DataFrame(
            {
                "file": d["source_file"].to_numpy(),
                "row": d["source_row"].to_numpy(),
                "field": "report_id",
                "reason": [f"repeated id (already read from {first.get(i, '?')})" for i in d["report_id"]],
                "status": "rejected",
                "value": d["report_id"].astype(str).to_numpy(),
            }
        )
    )
    return merged[~dup].reset_index(drop=True)


def merge_frames(
    parts: Sequence[gpd.GeoDataFrame], rejects: Sequence[pd.DataFrame], *, crs: pyproj.CRS | None, tz: str
) -> tuple[Reports, pd.DataFrame]:
    """Bring frames to one CRS and zone, reject ids repeated across them, validate once, sort the rejects.

    Parameters
    ----------
    parts
        Report frames of the sources, in order.
    rejects
        Their rejection tables.
    crs, tz
        The CRS and zone of the result.

    Returns
    -------
    reports, rejects
        The validated reports and one rejection table sorted by file and row.
    """
    rejects = [r for r in rejects if len(r)]
    merged: gpd.GeoDataFrame | None = None
    if parts:
        aligned = [_align(p, crs=crs, tz=tz) for p in parts]
        merged = aligned[0] if len(aligned) == 1 else pd.concat(aligned, ignore_index=True)
        merged = gpd.GeoDataFrame(merged, geometry="geometry", crs=crs)
        if len(aligned) > 1:
            merged = _drop_repeated_ids(merged, rejects)
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
    out.reports, out.rejects = merge_frames(
        [r.reports for r in results], [r.rejects for r in results], crs=out.crs, tz=out.tz
    )
    return out


def without_free_text(read: ReadResult) -> ReadResult:
    """Return `read` with every description emptied, in the reports and in the rejection table's values.

    Used when outputs must never hold free text (``[output] free_text = false``; every service run).
    """
    reports = read.reports
    if "description" in reports.columns:
        reports = reports.assign(description=pd.array([pd.NA] * len(reports), dtype="string"))
    rejects = read.rejects
    if "value" in rejects.columns and "field" in rejects.columns:
        rejects = rejects.copy()
        rejects.loc[rejects["field"] == "description", "value"] = None
    return dataclasses.replace(read, reports=Reports(reports), rejects=rejects)
