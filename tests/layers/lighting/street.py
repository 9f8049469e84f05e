"""A 400 m lit street in Värnamo with a broken and a part-night lamp, reports along it, a lamp register CSV.

Shared by the lighting tests of the readers, the layer, the plan and the command.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.io import ReaderOptions, read_reports

CRS = "EPSG:3006"
X0, Y0 = 442000.0, 6338000.0  # Värnamo, SWEREF 99 TM


def register_csv(path: Path, rows: list[tuple[str, float, float, str]]) -> Path:
    text = "Stolpnummer;X;Y;Skick\n" + "".join(f"{i};{x:.1f};{y:.1f};{s}\n" for i, x, y, s in rows)
    path.write_bytes(text.encode("cp1252"))
    return path


def street_and_lamps() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    street = gpd.GeoDataFrame(
        {"way_id": ["w"], "highway": ["residential"], "name": ["Lönngatan"], "lit": ["yes"]},
        geometry=[shapely.LineString([(X0, Y0), (X0 + 400, Y0)])],
        crs=CRS,
    )
    xs = np.arange(0, 401, 40.0)
    status = ["ok"] * len(xs)
    status[5] = "broken"  # at 200 m
    status[8] = "part_night"  # at 320 m
    lamps = gpd.GeoDataFrame(
        {"lamp_id": [f"L{i}" for i in range(len(xs))], "status": status},
        geometry=shapely.points(X0 + xs, np.full(len(xs), Y0)),
        crs=CRS,
    )
    return street, lamps


def reports_along(tmp_path: Path, rows: list[tuple[float, str, str]]) -> gpd.GeoDataFrame:
    """Reports at x metres along the street, with local time and category."""
    frame = gpd.GeoDataFrame(
        {
            "id": [f"r{i}" for i in range(len(rows))],
            "time": [t for _, t, _ in rows],
            "category": [c for _, _, c in rows],
        },
        geometry=shapely.points([X0 + x for x, _, _ in rows], [Y0 + 3.0] * len(rows)),
        crs=CRS,
    )
    wgs = frame.to_crs("EPSG:4326")
    table = pd.DataFrame(
        {
            "id": frame["id"],
            "time": frame["time"],
            "category": frame["category"],
            "lat": wgs.geometry.y,
            "lon": wgs.geometry.x,
        }
    )
    path = tmp_path / "reports.csv"
    table.to_csv(path, index=False)
    return read_reports([path], ReaderOptions(), crs=CRS).reports
