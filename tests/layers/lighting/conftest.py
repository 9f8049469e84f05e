"""Fixtures for the lighting tests: the Helsinki extract read independently with osmium; synthetic reports."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import osmium
import pandas as pd
import pyproj
import pytest
import shapely

HELSINKI_CRS = "EPSG:32635"


class _Collect(osmium.SimpleHandler):
    """Street lamps and highway ways straight from the PBF (not through geo.io.osm)."""

    def __init__(self) -> None:
        super().__init__()
        self.lamps: list[tuple[float, float]] = []
        self.ways: list[dict[str, object]] = []

    def node(self, n) -> None:  # noqa: ANN001
        if n.tags.get("highway") == "street_lamp" and n.location.valid():
            self.lamps.append((n.location.lon, n.location.lat))

    def way(self, w) -> None:  # noqa: ANN001
        if "highway" not in w.tags:
            return
        coords = [(nd.location.lon, nd.location.lat) for nd in w.nodes if nd.location.valid()]
        if len(coords) >= 2:
            self.ways.append(
                {
                    "id": w.id,
                    "highway": w.tags.get("highway"),
                    "lit": w.tags.get("lit"),
                    "name": w.tags.get("name"),
                    "coords": coords,
                }
            )


@pytest.fixture(scope="session")
def helsinki_pbf(data_dir: Path) -> Path:
    return data_dir / "helsinki_center.osm.pbf"


@pytest.fixture(scope="session")
def helsinki_raw(helsinki_pbf: Path) -> dict[str, object]:
    """Lamps (metric points) and ways (metric lines with tags) read directly with osmium + pyproj."""
    h = _Collect()
    h.apply_file(str(helsinki_pbf), locations=True)
    tr = pyproj.Transformer.from_crs("EPSG:4326", HELSINKI_CRS, always_xy=True)
    lamps = np.array([tr.transform(x, y) for x, y in h.lamps])
    ways = []
    for w in h.ways:
        xs, ys = tr.transform(*zip(*w["coords"], strict=True))
        ways.append({**w, "geometry": shapely.LineString(np.column_stack([xs, ys]))})
    return {"lamps": lamps, "ways": pd.DataFrame(ways)}


def write_reports_csv(
    path: Path,
    xy: np.ndarray,
    times: list[str],
    *,
    crs: str,
    category: str = "misshandel",
    source: str | None = None,
    start: int = 0,
) -> Path:
    """Write reports at metric positions `xy` (in `crs`) as a WGS84 CSV a user could have exported."""
    tr = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lon, lat = tr.transform(xy[:, 0], xy[:, 1])
    frame = pd.DataFrame(
        {
            "id": [f"R{start + i:05d}" for i in range(len(xy))],
            "time": times,
            "category": category,
            "lat": np.round(lat, 7),
            "lon": np.round(lon, 7),
        }
    )
    if source is not None:
        frame["source"] = source
    header = not path.exists()
    frame.to_csv(path, index=False, mode="a" if not header else "w", header=header)
    return path
