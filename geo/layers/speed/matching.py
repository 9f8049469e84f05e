"""Give each speed measurement its road segment: by segment id, or the nearest segment in its direction."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.model import require_metric_crs
from geo.rejects import empty_rejects

__all__ = ["match_measurements"]


_DIRECTION_SLACK_DEG = 60.0


class _Rejects:
    """Rejection rows of a measurements frame, named by the frame's own ``file`` and ``row``."""

    def __init__(self, frame: pd.DataFrame) -> None:
        n = len(frame)
        files = frame["file"] if "file" in frame.columns else pd.Series("measurements", index=frame.index)
        self._file = files.astype(str).to_numpy(dtype=object)
        self._row = frame["row"].to_numpy(dtype="int64") if "row" in frame.columns else np.arange(1, n + 1)
        self._parts: list[pd.DataFrame] = []

    def add(
        self,
        mask: np.ndarray,
        *,
        field: str,
        reason: str | list[str],
        status: str = "rejected",
        value: object = "",
    ) -> None:
        """Record the rows where `mask` is true; `value` is one per row or one for all."""
        idx = np.flatnonzero(mask)
        if not idx.size:
            return
        values = [str(v)[:200] for v in value] if isinstance(value, list | np.ndarray) else str(value)
        part = {"file": self._file[idx], "row": self._row[idx], "field": field, "reason": reason}
        self._parts.append(pd.DataFrame({**part, "status": status, "value": values}))

    def frame(self) -> pd.DataFrame:
        """Return the table sorted by file and row."""
        if not self._parts:
            return empty_rejects()
        out = pd.concat(self._parts, ignore_index=True)
        return out.sort_values(["file", "row"], kind="stable").reset_index(drop=True)


def _bearing_at(lines: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Return the bearing (degrees, 0 = north) of each line's digitised direction nearest each point."""
    pos = shapely.line_locate_point(lines, points)
    length = shapely.length(lines)
    a = shapely.line_interpolate_point(lines, np.clip(pos - 2.0, 0, length))
    b = shapely.line_interpolate_point(lines, np.clip(pos + 2.0, 0, length))
    dx = shapely.get_x(b) - shapely.get_x(a)
    dy = shapely.get_y(b) - shapely.get_y(a)
    return np.degrees(np.arctan2(dx, dy)) % 360


def _angle_diff(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    d = np.abs(a - b) % 360
    return np.minimum(d, 360 - d)


def match_measurements(
    measurements: gpd.GeoDataFrame,
    segments: gpd.GeoDataFrame,
    *,
    tolerance_m: float = 30.0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Give each measurement its road segment.

    A row with a ``segment_id`` must name an existing segment (an OSM way id may omit the ``W``). A row with
    a position goes to the nearest segment within `tolerance_m`; when it has a direction, only segments whose
    axis at that spot agrees with it within 60° are considered (for a one-way segment, its digitised
    direction; otherwise either way), so a pass on a dual carriageway goes to its own lane. A segment without
    a usable limit still counts volume and is noted as a warning.

    Parameters
    ----------
    measurements
        The ``frame`` of :class:`geo.io.measurements.Measurements` (``file``, ``row``, ``segment_id``,
        ``direction_deg``, Point geometry, ...), in the segments' CRS.
    segments
        Segments (``segment_id``, ``limit_kmh``, ``oneway``, LineString geometry), metric CRS.
    tolerance_m
        Largest distance in metres from a measurement to its segment (inclusive).

    Returns
    -------
    matched, rejects
        The accepted measurements with ``segment_id``, ``distance_m`` and ``with_digitised`` (True/False,
        NA without a direction), and the rejection table (:data:`REJECT_COLUMNS`) of the rows without a
        segment and of the warnings.

    Raises
    ------
    ValueError
        If `tolerance_m` is not positive.
    """
    if not tolerance_m > 0:
        raise ValueError(f"tolerance_m must be > 0, got {tolerance_m}")
    require_metric_crs(segments, what="segments")
    frame = measurements
    log = _Rejects(frame)
    seg_ids = segments["segment_id"].astype("string").to_numpy(dtype=object)
    chosen, by_id = _match_by_id(frame, seg_ids, log)
    dist = np.full(len(frame), np.nan)
    if (~by_id).any():
        _match_by_position(frame, segments, ~by_id, chosen, dist, tolerance_m=tolerance_m, log=log)
    ok = chosen >= 0
    matched = pd.DataFrame(frame.drop(columns="geometry")).copy()
    matched["distance_m"] = dist
    matched = matched[ok].copy()
    idx = chosen[ok]
    matched["segment_id"] = pd.array(seg_ids[idx], dtype="string")
    matched["with_digitised"] = _with_digitised(
        matched["direction_deg"].to_numpy(dtype="float64"),
        frame.geometry.to_numpy()[ok],
        segments.geometry.to_numpy()[idx],
    )
    no_limit = np.zeros(len(frame), dtype=bool)
    no_limit[np.flatnonzero(ok)] = ~np.isfinite(segments["limit_kmh"].to_numpy(dtype="float64")[idx])
    log.add(
        no_limit,
        field="segment_id",
        status="warning",
        reason="segment has no usable speed limit; counted in volume only",
        value=seg_ids[chosen[no_limit]],
    )
    return matched.reset_index(drop=True), log.frame()


def _match_by_id(frame: pd.DataFrame, seg_ids: np.ndarray, log: _Rejects) -> tuple[np.ndarray, np.ndarray]:
    """Segment index of each row that names a segment (-1 otherwise), and the mask of rows that name one."""
    index_of = {s: i for i, s in enumerate(seg_ids)}
    chosen = np.full(len(frame), -1, dtype="int64")
    given = frame["segment_id"].astype("string").to_numpy(dtype=object, na_value="")
    by_id = given != ""
    for i in np.flatnonzero(by_id):
        chosen[i] = index_of.get(given[i], index_of.get(f"W{given[i]}", -1))  # OSM way ids without the W
    unknown = by_id & (chosen < 0)
    log.add(unknown, field="segment_id", reason="no road segment with this id", value=given[unknown])
    return chosen, by_id


def _direction_ok(dirs: np.ndarray, lines: np.ndarray, points: np.ndarray, oneway: np.ndarray) -> np.ndarray:
    """Whether each candidate segment runs in the given direction (True where no direction is given)."""
    ok = np.ones(len(dirs), dtype=bool)
    has_dir = np.isfinite(dirs)
    if has_dir.any():
        bearing = _bearing_at(lines[has_dir], points[has_dir])
        ow = oneway[has_dir]
        bearing = np.where(ow == -1, (bearing + 180) % 360, bearing)
        diff_fwd = _angle_diff(dirs[has_dir], bearing)
        diff = np.where(ow != 0, diff_fwd, np.minimum(diff_fwd, 180 - diff_fwd))
        ok[has_dir] = diff <= _DIRECTION_SLACK_DEG
    return ok


def _match_by_position(
    frame: gpd.GeoDataFrame,
    segments: gpd.GeoDataFrame,
    by_pos: np.ndarray,
    chosen: np.ndarray,
    dist: np.ndarray,
    *,
    tolerance_m: float,
    log: _Rejects,
) -> None:
    """Fill `chosen` and `dist` for the rows of `by_pos`: the nearest segment agreeing with the direction."""
    pts = frame.geometry.to_numpy()[by_pos]
    lines = segments.geometry.to_numpy()
    pi, si = shapely.STRtree(lines).query(pts, predicate="dwithin", distance=tolerance_m)
    dirs = frame["direction_deg"].to_numpy(dtype="float64")[by_pos][pi]
    ok = _direction_ok(dirs, lines[si], pts[pi], segments["oneway"].to_numpy()[si])
    pairs = pd.DataFrame({"p": pi, "s": si, "d": shapely.distance(pts[pi], lines[si]), "ok": ok})
    # prefer segments agreeing with the direction; among those the nearest
    pairs = pairs.sort_values(["p", "ok", "d"], ascending=[True, False, True], kind="stable")
    best = pairs.drop_duplicates("p")
    pos_idx = np.flatnonzero(by_pos)
    hit = pos_idx[best["p"].to_numpy()]
    chosen[hit] = best["s"].to_numpy()
    dist[hit] = best["d"].to_numpy()
    wrong_dir = np.zeros(len(frame), dtype=bool)
    wrong_dir[hit[~best["ok"].to_numpy()]] = True
    log.add(
        wrong_dir,
        field="direction",
        status="warning",
        reason=f"no segment within {tolerance_m:g} m runs in the given direction; nearest used",
    )
    far = by_pos & (chosen < 0)
    if far.any():
        far_pts = frame.geometry.to_numpy()[far]
        _, nearest_m = segments.sindex.nearest(far_pts, return_distance=True, return_all=False)
        log.add(
            far,
            field="lat/lon",
            reason=[f"no road segment within {tolerance_m:g} m (nearest {x:.0f} m)" for x in nearest_m],
            value=[f"{p.x:.1f} {p.y:.1f}" for p in far_pts],
        )


def _with_digitised(direction: np.ndarray, points: np.ndarray, lines: np.ndarray) -> pd.arrays.BooleanArray:
    """Whether each pass went the way its segment is digitised (within 90°); NA without a direction."""
    out = pd.array([pd.NA] * len(direction), dtype="boolean")
    has = np.isfinite(direction) & ~shapely.is_empty(points) & ~shapely.is_missing(points)
    if has.any():
        out[has] = _angle_diff(direction[has], _bearing_at(lines[has], points[has])) <= 90
    return out
