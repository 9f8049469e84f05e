"""Keep lägesbild runs in the service's store (``geo run --store FILE.gpkg|postgresql://...``).

A kept run is one :class:`~geo.service.storage.lagesbild.LagesbildRecord`: the area, the period, and a JSON
document with the settings, key counts, the hot-spots (WKT polygons in the run's metric CRS, with their
figures) and the proposals. The same GeoPackage or PostGIS database the service uses holds them (schema
version 3 adds the table), so a run started through the service can land there too.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely import wkt

from geo.service.storage import Store, open_store
from geo.service.storage.lagesbild import LagesbildRecord

__all__ = [
    "HOTSPOT_FIELDS",
    "frame_records",
    "hotspot_records",
    "hotspots_from_record",
    "id_history",
    "open_run_store",
    "previous_run",
    "run_key",
    "write_png",
]

HOTSPOT_FIELDS = ("hotspot_id", "label", "method", "n_reports", "score", "trend", "peak_windows")
"""Hot-spot figures kept with each polygon."""


def open_run_store(spec: str | Path) -> Store:
    """Open (creating or migrating) the store named by `spec`: a ``.gpkg`` path or a ``postgresql://`` URL."""
    return open_store(spec)


def run_key(area: str, start: dt.date, end: dt.date) -> str:
    """Return the key of a kept run: a later run of the same area and period replaces it."""
    return f"{area}|{start.isoformat()}|{end.isoformat()}"


def frame_records(frame: pd.DataFrame | None, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Return a table's rows as JSON-ready dicts (geometry left out)."""
    if frame is None or not len(frame):
        return []
    plain = pd.DataFrame(frame.drop(columns=[c for c in frame.columns if c == "geometry"]))
    if limit is not None:
        plain = plain.head(limit)
    out: list[dict[str, Any]] = json.loads(plain.to_json(orient="records", date_format="iso"))
    return out


def hotspot_records(hotspots: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Return the hot-spots as JSON-ready dicts: :data:`HOTSPOT_FIELDS` plus ``wkt`` (metric CRS)."""
    rows = []
    for _, h in hotspots.iterrows():
        row = {k: h[k] for k in HOTSPOT_FIELDS if k in hotspots.columns}
        row = {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        row = {k: (None if isinstance(v, float) and pd.isna(v) else v) for k, v in row.items()}
        row["wkt"] = h.geometry.wkt
        rows.append(row)
    return rows


def hotspots_from_record(record: LagesbildRecord) -> gpd.GeoDataFrame:
    """Return a kept run's hot-spots as a frame in the run's CRS (``hotspot_id``, figures, polygons)."""
    rows = record.document.get("hotspots", [])
    crs = record.document.get("crs")
    frame = pd.DataFrame([{k: v for k, v in r.items() if k != "wkt"} for r in rows])
    for col in ("hotspot_id", "label", "n_reports"):
        if col not in frame.columns:
            frame[col] = pd.Series(dtype=object)
    geometry = [wkt.loads(r["wkt"]) for r in rows]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=crs)


def previous_run(store: Store, *, area: str, end: dt.date) -> LagesbildRecord | None:
    """Return the latest kept run of `area` whose period ends before `end` (``None`` when there is none)."""
    earlier = [r for r in store.lagesbild_runs(area=area) if r.period_end < end]
    return earlier[-1] if earlier else None


def id_history(store: Store, *, area: str, end: dt.date) -> gpd.GeoDataFrame | None:
    """Return the hot-spots ids are matched against: the previous run's, then older places not in it.

    The previous run's hot-spots come first; a place kept in an older run and missing from the previous one
    is added with its last polygon, so a place that comes back keeps its id and no id is given twice.
    """
    earlier = [r for r in store.lagesbild_runs(area=area) if r.period_end < end]
    if not earlier:
        return None
    frames = [hotspots_from_record(r) for r in reversed(earlier)]
    crs = frames[0].crs
    seen: set[str] = set()
    parts = []
    for f in frames:
        f = f.to_crs(crs) if f.crs is not None and crs is not None and f.crs != crs else f
        keep = f[~f["hotspot_id"].astype(str).isin(seen)]
        seen |= set(keep["hotspot_id"].astype(str))
        parts.append(keep)
    out = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=crs)


def write_png(data: bytes, path: str | Path) -> Path:
    """Write PNG bytes atomically and return the path."""
    from geo.io.export import atomic_path

    with atomic_path(path) as tmp:
        Path(tmp).write_bytes(data)
    return Path(path)
