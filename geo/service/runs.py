"""Background runs: the analysis on the stored reports, one at a time, outputs under the maps folder.

A run reads the stored reports (and any extra sources) through :func:`geo.io.read_reports`, as ``geo run``
does, finds hot-spots and writes the public and internal maps. Each run's files go to
``<maps_dir>/runs/<run_id>/``; the maps are then copied (atomically) to ``<maps_dir>/lagesbild_public.html``
and ``<maps_dir>/lagesbild_internal.html``, which ``/maps/{name}`` serves.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.io.area import StudyArea
from geo.io.export import atomic_path, write_frame, write_text
from geo.service.storage import RunRecord, Store

__all__ = [
    "INTERNAL_MAP",
    "PUBLIC_MAP",
    "RunManager",
    "is_public_map",
    "public_hotspots",
]

log = logging.getLogger(__name__)

PUBLIC_MAP = "lagesbild_public.html"
INTERNAL_MAP = "lagesbild_internal.html"

_PUBLIC_HOTSPOT_COLUMNS = ("hotspot_id", "label", "method", "n_reports", "share", "peak_windows", "trend")


def is_public_map(name: str) -> bool:
    """Whether a map file is public: its name marks it so (``*public*.html`` / ``*publik*.html``)."""
    stem = name.lower().removesuffix(".html")
    return "public" in stem or "publik" in stem


def _suppress_mix(mix: str, *, k: int) -> str:
    """Keep categories with at least `k` reports; merge the rest into ``övrigt`` when that reaches `k`."""
    try:
        counts: dict[str, int] = json.loads(mix) if mix else {}
    except (TypeError, ValueError):
        return "{}"
    kept = {c: int(n) for c, n in counts.items() if int(n) >= k}
    rest = sum(int(n) for c, n in counts.items() if int(n) < k)
    if rest >= k:
        kept["övrigt"] = kept.get("övrigt", 0) + rest
    return json.dumps(dict(sorted(kept.items(), key=lambda kv: -kv[1])), ensure_ascii=False)


def _cells_covering(geom: Any, *, cell_m: float) -> Any:
    try:
        from geo.maps.aggregate import cells_covering
    except ImportError:  # the maps package is optional for the service
        import shapely

        x0, y0, x1, y1 = geom.bounds
        xs = np.arange(np.floor(x0 / cell_m), np.ceil(x1 / cell_m)) * cell_m
        ys = np.arange(np.floor(y0 / cell_m), np.ceil(y1 / cell_m)) * cell_m
        gx, gy = np.meshgrid(xs, ys)
        boxes = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + cell_m, gy.ravel() + cell_m)
        return shapely.union_all(boxes[shapely.intersects(boxes, geom)])
    return cells_covering(geom, cell_m=cell_m)


def public_hotspots(hotspots: gpd.GeoDataFrame, *, k: int, cell_m: float = 100.0) -> gpd.GeoDataFrame:
    """The public view of hot-spots, aggregated as on the public map.

    Hot-spots with fewer than `k` reports are left out; shapes become the union of the `cell_m` grid cells
    they touch (no report position can be read off a shape); category counts below `k` are merged or
    dropped; member ids, hour-of-week profiles and free text never appear.

    Parameters
    ----------
    hotspots
        Hot-spots in a metric CRS (the engine's columns).
    k
        Smallest count shown.
    cell_m
        Grid cell size in metres.
    """
    keep = [c for c in _PUBLIC_HOTSPOT_COLUMNS if c in hotspots.columns]
    big = hotspots[hotspots["n_reports"].astype(int) >= k] if len(hotspots) else hotspots
    out = gpd.GeoDataFrame(big[keep].copy(), geometry=big.geometry.to_numpy(), crs=hotspots.crs)
    if "category_mix" in big.columns:
        out["category_mix"] = [_suppress_mix(m, k=k) for m in big["category_mix"]]
    if len(out):
        out = out.set_geometry([_cells_covering(g, cell_m=cell_m) for g in out.geometry], crs=hotspots.crs)
    return out


@dataclass(frozen=True)
class RunContext:
    """What a run needs from the service."""

    store: Store
    area: StudyArea
    maps_dir: Path
    k: int
    extra_sources: tuple[str, ...]
    run_config: Path | None


def _hotspot_columns_ready(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame.copy()
    for c in out.columns:
        if c != out.geometry.name and out[c].dtype == object:
            out[c] = out[c].astype("string")
    return out


def execute_run(ctx: RunContext, run_dir: Path, *, previous: gpd.GeoDataFrame | None) -> tuple[dict[str, str], int, str]:
    """Run the analysis on the stored reports; return ``(outputs, n_reports, summary)``.

    Outputs map a name to a path relative to the maps folder (maps) or to the run folder's files.
    """
    from geo.io import read_reports
    from geo.model import point_reports

    sources = [ctx.store.reader_source(), *ctx.extra_sources]
    result = read_reports(sources, area=ctx.area)
    reports = result.reports
    points = point_reports(reports)
    outputs: dict[str, str] = {}
    from geo.hotspots import find_hotspots
    from geo.maps import build_map

    area_metric = ctx.area.to_crs(reports.crs) if reports.crs is not None else None
    hotspots = find_hotspots(points, method="dbscan", area=area_metric, previous=previous)
    hs_path = write_frame(_hotspot_columns_ready(hotspots), run_dir / "hotspots.parquet")
    outputs["hotspots"] = str(hs_path.relative_to(ctx.maps_dir))
    title = f"Lägesbild {ctx.area.name}"
    for public, name in ((True, PUBLIC_MAP), (False, INTERNAL_MAP)):
        m = build_map(reports, hotspots=hotspots, public=public, k=ctx.k, lang="sv", title=title)
        run_copy = write_text(m.get_root().render(), run_dir / name)
        with atomic_path(ctx.maps_dir / name) as tmp:
            shutil.copyfile(run_copy, tmp)
        outputs["public_map" if public else "internal_map"] = name
    summary = (
        f"{len(reports)} rapporter, {len(points)} med punktläge, {len(hotspots)} hot-spots / "
        f"{len(reports)} reports, {len(hotspots)} hot-spots"
    )
    return outputs, len(reports), summary


class RunManager:
    """Queue of background runs (one worker: runs never overlap), recorded in the store.

    Parameters
    ----------
    ctx
        The service's store, area and folders.
    """

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lagesbild-run")
        self._lock = threading.Lock()
        ctx.store.fail_unfinished_runs("interrupted: the service stopped before the run finished")

    def submit(self, *, requested_by: str) -> RunRecord:
        """Queue a run and return its record (status ``queued``)."""
        run = RunRecord(
            run_id="run-" + dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6],
            status="queued",
            created_at=dt.datetime.now(dt.UTC),
            requested_by=requested_by,
        )
        self.ctx.store.save_run(run)
        self._pool.submit(self._work, run)
        return run

    def _previous_hotspots(self) -> gpd.GeoDataFrame | None:
        last = self.ctx.store.latest_run(status="done")
        if last is None or "hotspots" not in last.outputs:
            return None
        path = self.ctx.maps_dir / last.outputs["hotspots"]
        return gpd.read_parquet(path) if path.exists() else None

    def _work(self, run: RunRecord) -> None:
        run.status = "running"
        run.started_at = dt.datetime.now(dt.UTC)
        self.ctx.store.save_run(run)
        run_dir = self.ctx.maps_dir / "runs" / run.run_id
        try:
            outputs, n, summary = execute_run(self.ctx, run_dir, previous=self._previous_hotspots())
        except Exception as err:  # noqa: BLE001 - a failed run is recorded, the service keeps going
            log.exception("run %s failed", run.run_id)
            run.status = "failed"
            run.message = f"{type(err).__name__}: {err}"
        else:
            run.status = "done"
            run.outputs = outputs
            run.n_reports = n
            run.message = summary
        run.finished_at = dt.datetime.now(dt.UTC)
        self.ctx.store.save_run(run)

    def hotspots(self, *, public: bool) -> tuple[str | None, gpd.GeoDataFrame | None]:
        """The latest finished run's id and hot-spots (public view when `public`)."""
        last = self.ctx.store.latest_run(status="done")
        if last is None or "hotspots" not in last.outputs:
            return None, None
        path = self.ctx.maps_dir / last.outputs["hotspots"]
        if not path.exists():
            return last.run_id, None
        frame = gpd.read_parquet(path)
        return last.run_id, public_hotspots(frame, k=self.ctx.k) if public else frame

    def close(self) -> None:
        """Stop taking runs; a running one is left to finish in the background."""
        self._pool.shutdown(wait=False, cancel_futures=True)


def frame_to_features(frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """GeoJSON features (WGS84) of a frame; JSON strings of lists/maps are decoded."""
    if frame is None or not len(frame):
        return []
    wgs = frame.to_crs("EPSG:4326")
    geo = json.loads(wgs.geometry.to_json())
    feats = []
    cols = [c for c in wgs.columns if c != wgs.geometry.name]
    for i, feat in enumerate(geo["features"]):
        props: dict[str, Any] = {}
        for c in cols:
            v = wgs[c].iloc[i]
            if isinstance(v, str) and v[:1] in "[{" and c in {"category_mix", "profile", "member_ids"}:
                try:
                    v = json.loads(v)
                except ValueError:
                    pass
            elif isinstance(v, np.generic):
                v = v.item()
            elif isinstance(v, pd.Timestamp):
                v = v.isoformat()
            if v is pd.NA or (isinstance(v, float) and not np.isfinite(v)):
                v = None
            props[c] = v
        feats.append({"type": "Feature", "geometry": feat["geometry"], "properties": props})
    return feats
