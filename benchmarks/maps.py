"""Benchmark of the lägesbild map: HTML size and time-to-ready in headless Chromium.

Run: ``.venv/bin/python benchmarks/maps.py`` (a few minutes; needs /usr/bin/chromium).

For the 114,721 Toronto MCI reports and for 1,000,000 synthetic reports, the internal map (grid visible,
hot-spots, density contours, Gi* cells, 20,000 clustered points off by default) and the public map are
built and opened in headless Chromium; "ready" is ``LB.readyMs``: milliseconds from navigation start until
Leaflet is loaded and every default-visible layer is drawn. Goals: HTML < 5 MB and ready < 3 s.

Baseline, measured in the same run: the usual folium way — a stock folium-offline map (all of folium's
default JS/CSS) with every report in a ``FastMarkerCluster`` — on the Toronto reports.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.io import read_reports  # noqa: E402
from geo.maps import draw_map, prepare_layers, render_html  # noqa: E402
from geo.maps.browser import launch, open_map  # noqa: E402
from geo.model import validate_reports  # noqa: E402
from geo.stages.hotspots import HotspotSettings, hotspots_stage  # noqa: E402
from geo.stages.maps import MapInputs  # noqa: E402
from geo.time.profile import add_time_parts  # noqa: E402

TORONTO = ROOT / "data" / "toronto_mci_2014_2017.csv.gz"
GOAL_MB, GOAL_S = 5.0, 3.0


def synthetic_reports(n: int, *, seed: int = 1) -> gpd.GeoDataFrame:
    """`n` reports around Värnamo (EPSG:3006): 60 % in 40 Gaussian clusters, 40 % spread over 20 × 20 km."""
    rng = np.random.default_rng(seed)
    cx, cy = 448_500.0, 6_340_000.0
    n_c = int(n * 0.6)
    centres = rng.uniform(-8000, 8000, size=(40, 2)) + [cx, cy]
    which = rng.integers(0, 40, size=n_c)
    clustered = centres[which] + rng.normal(0, rng.uniform(60, 400, size=40)[which, None], size=(n_c, 2))
    spread = rng.uniform(-10_000, 10_000, size=(n - n_c, 2)) + [cx, cy]
    xy = np.vstack([clustered, spread])
    start = pd.Timestamp("2023-01-01", tz="Europe/Stockholm")
    minutes = rng.integers(0, 3 * 365 * 1440, size=n)
    t = pd.Series(start + pd.to_timedelta(minutes, unit="min"))
    cats = np.array(["misshandel", "stöld", "inbrott", "skadegörelse", "narkotikabrott", "rån"])
    frame = pd.DataFrame(
        {
            "report_id": pd.array([f"S{i}" for i in range(n)], dtype="string"),
            "occurred_at": t.astype("datetime64[ns, Europe/Stockholm]"),
            "occurred_to": pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns, Europe/Stockholm]"),
            "category": pd.array(cats[rng.integers(0, len(cats), size=n)], dtype="string"),
            "source": pd.array(["police"] * n, dtype="string"),
            "description": pd.array([None] * n, dtype="string"),
            "weight": np.ones(n),
            "location_precision": pd.array(["exact"] * n, dtype="string"),
            "source_file": pd.array(["synthetic"] * n, dtype="string"),
            "source_row": pd.array(np.arange(1, n + 1), dtype="Int64"),
        }
    )
    geo = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs="EPSG:3006")
    wgs = geo.geometry.to_crs("EPSG:4326")
    geo = gpd.GeoDataFrame(add_time_parts(geo, lat=wgs.y.to_numpy(), lon=wgs.x.to_numpy()), crs="EPSG:3006")
    return validate_reports(geo)


def measure(browser, reports: gpd.GeoDataFrame, *, label: str, method: str, public: bool, out: Path) -> dict:
    t0 = time.perf_counter()
    found = hotspots_stage(reports, HotspotSettings(method=method, overview=not public))
    t_analysis = time.perf_counter() - t0
    t0 = time.perf_counter()
    layers = prepare_layers(reports, MapInputs.from_results(hotspots=found), public=public)
    html = render_html(draw_map(layers, title=label, tiles="osm"))
    t_build = time.perf_counter() - t0
    path = out / f"{label.replace(' ', '_')}-{'public' if public else 'internal'}.html"
    path.write_text(html, encoding="utf-8")
    readies = []
    for _ in range(3):
        with open_map(browser, path) as (_page, report):
            readies.append(report.ready_ms / 1000)
            errors = report.console_errors + report.other_requests
    return {
        "label": label,
        "public": public,
        "n": len(reports),
        "analysis_s": t_analysis,
        "build_s": t_build,
        "mb": path.stat().st_size / 1e6,
        "ready_s": float(np.median(readies)),
        "errors": errors,
        "counts": layers.feature_counts(),
    }


def baseline(browser, reports: gpd.GeoDataFrame, out: Path) -> dict:
    import offlinefolium
    from offlinefolium.plugins import FastMarkerCluster

    wgs = reports.to_crs("EPSG:4326").geometry
    t0 = time.perf_counter()
    m = offlinefolium.Map(location=[float(wgs.y.median()), float(wgs.x.median())], zoom_start=11)
    FastMarkerCluster(np.column_stack([wgs.y.to_numpy(), wgs.x.to_numpy()]).round(6).tolist()).add_to(m)
    html = m.get_root().render()
    # the same readiness signal as ours: set once the page's scripts have run and two frames are drawn
    html = html.replace(
        "</html>",
        "<script>window.LB = {ready: false, order: []};document.addEventListener('DOMContentLoaded',"
        "function(){requestAnimationFrame(function(){requestAnimationFrame(function(){"
        "LB.ready = true; LB.readyMs = performance.now();});});});</script></html>",
    )
    t_build = time.perf_counter() - t0
    path = out / "baseline-fastmarkercluster.html"
    path.write_text(html, encoding="utf-8")
    readies = []
    for _ in range(3):
        with open_map(browser, path, timeout_s=120) as (_page, report):
            readies.append(report.ready_ms / 1000)
    return {"mb": path.stat().st_size / 1e6, "ready_s": float(np.median(readies)), "build_s": t_build}


def main() -> None:
    out = Path(tempfile.mkdtemp(prefix="lb-maps-bench-"))
    toronto = read_reports([TORONTO]).reports
    t0 = time.perf_counter()
    synth = synthetic_reports(1_000_000)
    print(f"synthetic 1,000,000 reports made in {time.perf_counter() - t0:.1f} s")
    rows = []
    with launch() as browser:
        base = baseline(browser, toronto, out)
        print(
            f"baseline (stock folium-offline + FastMarkerCluster of all {len(toronto):,} Toronto reports): "
            f"{base['mb']:.2f} MB, ready {base['ready_s']:.2f} s"
        )
        for reports, label, method in ((toronto, "Toronto", "dbscan"), (synth, "Synthetic 1M", "kde")):
            for public in (False, True):
                r = measure(browser, reports, label=label, method=method, public=public, out=out)
                rows.append(r)
                ok = "OK" if r["mb"] < GOAL_MB and r["ready_s"] < GOAL_S and not r["errors"] else "MISSED"
                print(
                    f"{label:13s} {'public  ' if public else 'internal'} n={r['n']:>9,}  analysis {r['analysis_s']:5.1f} s"
                    f"  build {r['build_s']:5.1f} s  HTML {r['mb']:5.2f} MB  ready {r['ready_s']:5.2f} s  [{ok}]"
                    f"  layers {r['counts']}"
                )
                if r["errors"]:
                    print("   errors:", r["errors"][:3])
    tor = next(r for r in rows if r["label"] == "Toronto" and not r["public"])
    print(
        f"\nToronto internal vs baseline: HTML {tor['mb'] / base['mb']:.2f}× the size, ready "
        f"{base['ready_s'] / tor['ready_s']:.1f}× faster ({tor['ready_s']:.2f} s vs {base['ready_s']:.2f} s)"
    )
    print(f"goals: HTML < {GOAL_MB} MB and ready < {GOAL_S} s for every map above; files in {out}")


if __name__ == "__main__":
    main()
