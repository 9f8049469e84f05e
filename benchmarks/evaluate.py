"""Evaluation benchmark: 200 measures on 1,000,000 planted reports (aim: at most 10 s).

Run: .venv/bin/python benchmarks/evaluate.py [--reports N] [--measures M]

Builds a planted world (:mod:`geo.measures.synth`): 2 years of reports over 20 x 20 km, 200 busy places of
150 m radius (a third with a planted 40 % decrease from their start), measures of mixed kinds (lighting on
darkness, patrols on ``fre-lör 22-03``, some on categories). Prints the seconds of the evaluation alone
(:func:`geo.stages.evaluate.evaluate_stage`) and of the page, and how many planted decreases were found.
"""

from __future__ import annotations

import argparse
import time

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from geo.measures.build import build_measures
from geo.measures.page import evaluation_html
from geo.measures.synth import PlantedPlace, planted_reports
from geo.stages.evaluate import EvaluateSettings, evaluate_stage

KINDS = ("patrull/närvaro", "belysning", "kamera", "röjning/skötsel", "hastighetskontroll")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--measures", type=int, default=200)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    n_places = args.measures
    starts = pd.date_range("2024-09-01", "2025-09-01", periods=n_places).strftime("%Y-%m-%d")
    places = [
        PlantedPlace(
            float(rng.uniform(432_000, 452_000)),
            float(rng.uniform(6_332_000, 6_352_000)),
            150.0,
            per_day=2.0,
            start=str(starts[i]),
            effect=-0.4 if i % 3 == 0 else 0.0,
        )
        for i in range(n_places)
    ]
    days = 731
    background = 1.02 * max(0.0, (args.reports - n_places * 2.0 * days) / days)  # some drop out
    t0 = time.perf_counter()
    reports = planted_reports(
        places, box=(430_000.0, 6_330_000.0, 454_000.0, 6_354_000.0), background_per_day=background, days=days
    )
    cats = rng.choice(["skadegörelse", "misshandel", "stöld"], len(reports), p=[0.5, 0.2, 0.3])
    reports["category"] = pd.array(cats, dtype="string")
    t_world = time.perf_counter() - t0
    rows = []
    for i, p in enumerate(places):
        kind = KINDS[i % len(KINDS)]
        hours = "fre-lör 22-03" if kind == "patrull/närvaro" and i % 2 else ""
        cats_of = "misshandel;stöld" if kind == "kamera" else ""
        rows.append(
            {
                "measure_id": f"M{i + 1}",
                "kind": kind,
                "start": p.start,
                "hours": hours,
                "categories": cats_of,
                "radius_m": p.radius_m,
                "status": "pågår",
            }
        )
    geoms = gpd.GeoSeries([Point(p.x, p.y).buffer(p.radius_m, 32) for p in places], crs="EPSG:3006")
    measures = build_measures(
        pd.DataFrame(rows), geoms, tz="Europe/Stockholm", path="bench", rows=list(range(n_places))
    )
    t0 = time.perf_counter()
    result = evaluate_stage(reports, measures, EvaluateSettings())
    t_eval = time.perf_counter() - t0
    t0 = time.perf_counter()
    evaluation_html(
        result.evaluation, comparison="övriga området", buffer_m=200, min_days=28, min_expected=10
    )
    t_page = time.perf_counter() - t0
    ev = result.evaluation
    planted = ev.index % 3 == 0
    print(f"reports {len(reports):,} · measures {len(measures)} · world built in {t_world:.1f} s")
    print(f"evaluate_stage: {t_eval:.2f} s  (aim <= 10 s) · page: {t_page:.2f} s")
    print("verdicts:", ev["verdict"].value_counts().to_dict())
    found = (ev.loc[planted, "verdict"] == "decrease").mean()
    false = (ev.loc[~planted, "verdict"] == "decrease").mean()
    print(f"planted 40 % decreases found: {found:.0%} · decreases where none was planted: {false:.0%}")


if __name__ == "__main__":
    main()
