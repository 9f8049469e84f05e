"""The points reader of ``geo forecast --at``: rows kept as written, positions in the asked CRS,
errors named."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyproj
import pytest

from geo.errors import InputError
from geo.io.points import read_points


def test_lat_lon_rows_kept_as_text(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text('name;Latitude;Lng\nA;43,65614;-79,38063\n"B; b";43.6;-79.4\n', encoding="utf-8")
    table, x, y = read_points(path, crs=None, target_crs="EPSG:32617")
    assert table.to_dict("list") == {
        "name": ["A", "B; b"],
        "Latitude": ["43,65614", "43.6"],
        "Lng": ["-79,38063", "-79.4"],
    }
    ex, ey = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32617", always_xy=True).transform(
        [-79.38063, -79.4], [43.65614, 43.6]
    )
    np.testing.assert_allclose(x, ex) and np.testing.assert_allclose(y, ey)


def test_xy_in_the_given_crs_else_the_target(tmp_path: Path) -> None:
    path = tmp_path / "xy.csv"
    path.write_text("x,y\n630379.5,4834750\n", encoding="utf-8")
    _, x, y = read_points(path, crs=None, target_crs="EPSG:32617")
    np.testing.assert_allclose([x[0], y[0]], [630_379.5, 4_834_750])
    _, x, _ = read_points(path, crs="EPSG:32617", target_crs="EPSG:3857")
    assert x[0] == pytest.approx(-8_836_800, abs=1_000)


@pytest.mark.parametrize(
    ("text", "crs", "message"),
    [
        ("a,b\n1,2\n", None, "needs columns x,y"),
        ("lat,lon\n43.6,-79.4\n43.6,east\n", None, "row 3, field 'lon': not a number: 'east'"),
        ("lat,lon\n95,-79.4\n", None, "row 2, field 'lat': latitude/longitude out of range"),
        ("x,y\n1,2\n", "EPSG:999999", "unknown CRS"),
    ],
)
def test_errors_name_file_row_and_field(tmp_path: Path, text: str, crs: str | None, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="bad.csv") as err:
        read_points(path, crs=crs, target_crs="EPSG:32617")
    assert message in str(err.value)
    with pytest.raises(InputError, match="file not found"):
        read_points(tmp_path / "missing.csv", crs=None, target_crs="EPSG:32617")
