"""Lamp registers as municipalities export them: statuses in Swedish, projected coordinates, bad rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from geo.errors import InputError
from geo.io.lamps import normalise_status, read_lamp_register
from tests.layers.lighting.street import CRS, X0, Y0, register_csv


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("trasig", "broken"),
        ("Ur funktion", "broken"),
        ("BROKEN", "broken"),
        ("släckt", "broken"),
        ("halvnatt", "part_night"),
        ("Halvnattsbelysning", "part_night"),
        ("part-night", "part_night"),
        ("part_night", "part_night"),
        ("ok", "ok"),
        ("fungerar", "ok"),
        ("", "ok"),
        (None, "ok"),
        ("grön", None),
    ],
)
def test_status_values(value: object, expected: str | None) -> None:
    assert normalise_status(value) == expected


def test_projected_register_with_swedish_statuses(tmp_path: Path) -> None:
    path = register_csv(
        tmp_path / "belysning.csv",
        [
            ("A1", X0, Y0, "OK"),
            ("A2", X0 + 40, Y0, "Trasig"),
            ("A3", X0 + 80, Y0, "Halvnatt"),
            ("A4", X0 + 120, Y0, ""),
        ],
    )
    lamps = read_lamp_register(path, crs=CRS, source_crs=CRS)
    assert list(lamps["lamp_id"]) == ["A1", "A2", "A3", "A4"]
    assert list(lamps["status"]) == ["ok", "broken", "part_night", "ok"]
    assert list(lamps["source_row"]) == [2, 3, 4, 5]
    np.testing.assert_allclose(lamps.geometry.x, [X0, X0 + 40, X0 + 80, X0 + 120])


def test_unknown_status_names_file_row_and_field(tmp_path: Path) -> None:
    path = register_csv(tmp_path / "lampor.csv", [("A1", X0, Y0, "ok"), ("A2", X0, Y0, "lila")])
    with pytest.raises(InputError, match=r"lampor\.csv, row 3, field 'Skick'.*'lila'"):
        read_lamp_register(path, crs=CRS, source_crs=CRS)


def test_bad_position_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "lampor.csv"
    path.write_text("id,lat,lon\n1,57.18,14.04\n2,,14.05\n3,57.19,abc\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 3.*2 lamp\(s\) without a usable position"):
        read_lamp_register(path, crs=CRS)
