"""Reading reports from one or more sources into one validated frame: the entry point of :mod:`geo.io`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyproj

from geo.errors import InputError
from geo.io.area import StudyArea
from geo.io.merge import ReadResult, merge_frames
from geo.io.options import ReaderOptions
from geo.io.sources import SourceRead, read_source
from geo.model import Reports
from geo.rejects import REJECT_COLUMNS

__all__ = ["read_reports"]


def _take(
    result: ReadResult, got: SourceRead, src: str, crs: pyproj.CRS | str | None
) -> tuple[gpd.GeoDataFrame, pyproj.CRS | str, str]:
    """Record a source's columns and choices in `result`; return its frame and the CRS and zone to go on."""
    if got.mapped is not None:
        result.columns[src] = got.mapped.columns
        if crs is None:
            crs, result.crs_reason = got.mapped.crs, got.mapped.crs_reason
        result.tz_reason = got.mapped.tz_reason
        return got.mapped.reports, crs, got.mapped.tz
    canon = got.canonical
    if canon is None:
        raise ValueError(f"{src}: the reader returned no frame")
    if crs is None:
        crs = canon.crs
        result.crs_reason = f"{canon.crs.name}: the CRS of {src}"
    tz = str(canon["occurred_at"].dt.tz)
    result.tz_reason = f"{tz}: the zone of {src}"
    return canon, crs, tz


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

    Each source is read by its kind (:func:`geo.io.sources.read_source`). The first source's metric CRS
    (chosen from its data unless `crs` is given) is used for all, and each source is read in the zone the
    one before it used; an id repeated in a later source is rejected.

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

    Raises
    ------
    InputError
        When `area` is given and none of the reports lie in it (an ingested file too).
    """
    options = options or ReaderOptions()
    now = now if now is not None else pd.Timestamp.now(tz="UTC")
    parts: list[gpd.GeoDataFrame] = []
    rejects: list[pd.DataFrame] = []
    result = ReadResult(reports=Reports(gpd.GeoDataFrame()), rejects=pd.DataFrame(columns=REJECT_COLUMNS))
    tz: str | None = options.tz
    for src in map(str, sources):
        if progress:
            progress(src)
        got = read_source(src, options, area=area, crs=crs, tz=tz, now=now)
        result.rows_read[src] = got.n_read
        rejects += [got.notes] if len(got.notes) else []
        rejects += [got.mapped.rejects] if got.mapped is not None else []
        frame, crs, tz = _take(result, got, src, crs)
        parts.append(frame)
    result.crs = pyproj.CRS(crs) if crs is not None else None
    result.tz = tz or "UTC"
    result.reports, result.rejects = merge_frames(parts, rejects, crs=result.crs, tz=result.tz)
    _check_area_has_reports(result, area)
    return result


def _check_area_has_reports(result: ReadResult, area: StudyArea | None) -> None:
    """Raise when a study area was given and every report read lies outside it."""
    if area is None or len(result.reports) or not result.n_read:
        return
    reasons = result.rejects["reason"].astype(str)
    outside = reasons.str.contains("study area", regex=False) & (result.rejects["status"] == "rejected")
    if not outside.any():
        return
    n_out = int(result.rejects.loc[outside, ["file", "row"]].drop_duplicates().shape[0])
    files = ", ".join(result.rows_read)
    raise InputError(
        f"the study area ({area.name}) contains none of the reports: {n_out:,} of {result.n_read:,} lie "
        "outside it; give the area the data covers (--area, [area] in the TOML) or leave it out",
        path=files,
    )
