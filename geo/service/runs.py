"""Background runs: ``geo run`` on the stored reports, one at a time, outputs under the maps folder.

A run calls :func:`geo.pipeline.run` with the store (GeoPackage path or PostGIS URL) as a report source,
beside any extra sources or a whole ``geo run`` TOML (``--run-config``). Each run's files go to
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
from geo.io.export import atomic_path
from geo.service.storage import ANALYSED_STATUSES, PUBLIC_STATUSES, ReportFilter, RunRecord, Store

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

_SNAPSHOT = "service_reports.parquet"
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


def public_hotspots(hotspots: gpd.GeoDataFrame, *, k: int, cell_m: float = 100.0) -> gpd.GeoDataFrame:
    """Make the public view of hot-spots, aggregated as on the public map.

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
    from geo.maps.aggregate import cells_covering

    keep = [c for c in _PUBLIC_HOTSPOT_COLUMNS if c in hotspots.columns]
    big = hotspots[hotspots["n_reports"].astype(int) >= k] if len(hotspots) else hotspots
    out = gpd.GeoDataFrame(big[keep].copy(), geometry=big.geometry.to_numpy(), crs=hotspots.crs)
    if "category_mix" in big.columns:
        out["category_mix"] = [_suppress_mix(m, k=k) for m in big["category_mix"]]
    if len(out):
        out = out.set_geometry([cells_covering(g, cell_m=cell_m) for g in out.geometry], crs=hotspots.crs)
    return out


@dataclass(frozen=True)
class RunContext:
    """What a run needs from the service."""

    store: Store
    area: StudyArea
    area_spec: str
    tz: str
    maps_dir: Path
    k: int
    extra_sources: tuple[str, ...]
    run_config: Path | None


def snapshot_reports(
    store: Store,
    path: Path,
    *,
    tz: str,
    page: int = 100_000,
    statuses: tuple[str, ...] = ANALYSED_STATUSES,
) -> Path:
    """Write the stored reports with `statuses` as canonical GeoParquet (store's CRS, local times).

    Returns `path`.

    By default every report an analysis uses (all but ``rejected`` and ``duplicate``); the public pass of a
    run takes only ``approved`` ones.

    Runs read this snapshot instead of the live GeoPackage: GDAL links its own SQLite, and two SQLite
    libraries in one process break each other's POSIX locks, so a GDAL read inside the server could make
    SQLite drop the write-ahead log that holds commits already answered 201.
    """
    from zoneinfo import ZoneInfo

    import pyproj

    from geo.io.export import write_frame
    from geo.service.storage import ReportFilter

    rows = []
    offset = 0
    while True:
        chunk = store.list_reports(ReportFilter(limit=page, offset=offset, statuses=statuses))
        rows.extend(chunk)
        offset += len(chunk)
        if len(chunk) < page:
            break
    to_metric = pyproj.Transformer.from_crs("EPSG:4326", f"EPSG:{store.crs_epsg}", always_xy=True)
    lon = np.array([r.lon for r in rows], dtype="float64")
    lat = np.array([r.lat for r in rows], dtype="float64")
    x, y = to_metric.transform(lon, lat) if len(rows) else (lon, lat)
    zone = ZoneInfo(tz)
    dtype = f"datetime64[ns, {tz}]"
    frame = gpd.GeoDataFrame(
        {
            "report_id": pd.array([r.report_id for r in rows], dtype="string"),
            "occurred_at": pd.Series([r.occurred_at.astimezone(zone) for r in rows], dtype=dtype),
            "occurred_to": pd.Series(
                [r.occurred_to.astimezone(zone) if r.occurred_to else pd.NaT for r in rows], dtype=dtype
            ),
            "category": pd.array([r.category for r in rows], dtype="string"),
            "source": pd.array([r.source for r in rows], dtype="string"),
            "description": pd.array([None] * len(rows), dtype="string"),  # runs never hold free text
            "weight": np.ones(len(rows)),
            "location_precision": pd.array(["exact"] * len(rows), dtype="string"),
            "source_file": pd.array(["lagesbild-service"] * len(rows), dtype="string"),
            "source_row": pd.array(range(1, len(rows) + 1), dtype="Int64"),
        },
        geometry=gpd.points_from_xy(x, y),
        crs=f"EPSG:{store.crs_epsg}",
    )
    return write_frame(frame, path)


def _register_file(ctx: RunContext, run_dir: Path) -> Path | None:
    """Write the store's measures as ``atgarder.csv`` in the run folder (``None`` when there are none)."""
    from geo.io.export import write_csv
    from geo.service.measures import register_table

    records = ctx.store.measures.all()
    if not records:
        return None
    run_dir.mkdir(parents=True, exist_ok=True)
    return write_csv(register_table(records), run_dir / "atgarder.csv").resolve()


def _run_config(ctx: RunContext, run_dir: Path, *, statuses: tuple[str, ...] = ANALYSED_STATUSES) -> Any:
    """Build the ``geo run`` configuration of a service run: stored reports (and extra sources) as sources.

    Both stores are read through a snapshot of the reports with `statuses` (see :func:`snapshot_reports`),
    so rejected reports and duplicates never reach an analysis.

    Service runs never write free text (``[output] free_text = false``): their maps, GeoPackages, Parquet
    and CSV files are served to roles without the right to read reports and outlive the retention time.
    """
    from geo.config import (
        AreaConfig,
        MapsConfig,
        OutputConfig,
        RunConfig,
        RunSection,
        SourceConfig,
        load_config,
    )
    from geo.config_measures import MeasuresConfig

    store_source = str(
        snapshot_reports(ctx.store, run_dir / _SNAPSHOT, tz=ctx.tz, statuses=statuses).resolve()
    )
    sources = [SourceConfig(path=store_source, name="service")]
    sources += [SourceConfig(path=s if "://" in s else str(Path(s).resolve())) for s in ctx.extra_sources]
    measures = _register_file(ctx, run_dir)
    if ctx.run_config is not None:
        base = load_config(ctx.run_config)
        update: dict[str, Any] = {
            "sources": [*base.sources, *sources],
            "output": base.output.model_copy(update={"free_text": False}),
        }
        if measures is not None and base.measures.file is None:
            update["measures"] = base.measures.model_copy(update={"file": measures})
        return base.model_copy(update=update)
    spec = Path(ctx.area_spec)
    area = AreaConfig(file=spec.resolve()) if spec.exists() else AreaConfig(municipality=ctx.area_spec)
    return RunConfig(
        run=RunSection(title=f"Lägesbild {ctx.area.name}"),
        area=area,
        sources=sources,
        output=OutputConfig(free_text=False),
        maps=MapsConfig(k=ctx.k),
        measures=MeasuresConfig(file=measures),
    )


def _store_spec(ctx: RunContext) -> str:
    """Return the service store as ``geo run --store`` names it (the GeoPackage path or the database URL)."""
    spec = ctx.store.reader_source()
    return spec if "://" in spec else str(Path(spec).resolve())


def execute_run(ctx: RunContext, run_dir: Path, *, previous: Path | None) -> tuple[dict[str, str], int, str]:
    """Run ``geo run`` (:func:`geo.pipeline.run`) on the stored reports into `run_dir`.

    The latest maps are then copied to :data:`PUBLIC_MAP` and :data:`INTERNAL_MAP` in the maps folder.

    Parameters
    ----------
    ctx
        Store, area, folders.
    run_dir
        This run's output folder (below the maps folder).
    previous
        The previous run's ``hotspots.parquet`` (copied in so hot-spot ids stay stable).

    Returns
    -------
    outputs, n_reports, summary
        Output name -> path relative to the maps folder; reports analysed; the pipeline's summary.
    """
    from geo.pipeline import run as pipeline_run

    run_dir.mkdir(parents=True, exist_ok=True)
    if previous is not None and previous.exists():
        shutil.copyfile(previous, run_dir / "hotspots.parquet")
    public_dir = run_dir / "public"
    try:
        # kept in the service's own store, so `geo history` and the next run's changes see it
        result = pipeline_run(_run_config(ctx, run_dir), out_dir=run_dir, store=_store_spec(ctx))
        public = result
        if ctx.store.list_reports(ReportFilter(statuses=("new",), limit=1)):
            # unreviewed reports count in the analysis, but what is public comes from approved ones only
            public_dir.mkdir(parents=True, exist_ok=True)
            public = pipeline_run(_run_config(ctx, public_dir, statuses=PUBLIC_STATUSES), out_dir=public_dir)
    finally:
        for folder in (run_dir, public_dir):
            (folder / _SNAPSHOT).unlink(missing_ok=True)  # holds free text: not kept
    outputs = {
        name: str(Path(p).resolve().relative_to(ctx.maps_dir.resolve())) for name, p in result.outputs.items()
    }
    if (run_dir / "hotspots.parquet").exists() and result.hotspots is not None:
        outputs["hotspots_parquet"] = str((run_dir / "hotspots.parquet").relative_to(ctx.maps_dir))
    if public is not result and (public_dir / "hotspots.parquet").exists():
        outputs["public_hotspots_parquet"] = str((public_dir / "hotspots.parquet").relative_to(ctx.maps_dir))
    for key, name, source in (("map_public", PUBLIC_MAP, public), ("map", INTERNAL_MAP, result)):
        if key in source.outputs:
            with atomic_path(ctx.maps_dir / name) as tmp:
                shutil.copyfile(source.outputs[key], tmp)
            outputs["public_map" if key == "map_public" else "internal_map"] = name
    return outputs, len(result.reports), result.summary


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

    def _previous_hotspots(self) -> Path | None:
        last = self.ctx.store.latest_run(status="done")
        if last is None or "hotspots_parquet" not in last.outputs:
            return None
        return self.ctx.maps_dir / last.outputs["hotspots_parquet"]

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
        """Return the latest finished run's id and hot-spots (public view when `public`)."""
        last = self.ctx.store.latest_run(status="done")
        if last is None or "hotspots_parquet" not in last.outputs:
            return (last.run_id if last else None), None
        key = "public_hotspots_parquet" if public and "public_hotspots_parquet" in last.outputs else ""
        path = self.ctx.maps_dir / last.outputs[key or "hotspots_parquet"]
        if not path.exists():
            return last.run_id, None
        frame = gpd.read_parquet(path)
        return last.run_id, public_hotspots(frame, k=self.ctx.k) if public else frame

    def prune(self, *, older_than: dt.datetime) -> int:
        """Delete run folders (they hold reports with free text) finished before `older_than`.

        The latest finished run is kept: the API serves its hot-spots. Returns how many were deleted.
        """
        runs_dir = self.ctx.maps_dir / "runs"
        if not runs_dir.exists():
            return 0
        latest = self.ctx.store.latest_run(status="done")
        n = 0
        for folder in runs_dir.iterdir():
            if not folder.is_dir() or (latest is not None and folder.name == latest.run_id):
                continue
            record = self.ctx.store.get_run(folder.name)
            if record is not None and record.status in ("queued", "running"):
                continue
            if dt.datetime.fromtimestamp(folder.stat().st_mtime, dt.UTC) < older_than:
                shutil.rmtree(folder, ignore_errors=True)
                n += 1
        return n

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
