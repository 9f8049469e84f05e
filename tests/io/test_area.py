"""geo.io.area: study areas by municipality name or code."""

from __future__ import annotations

from geo.io.area import load_area


def test_area_by_name_and_code() -> None:
    by_name = load_area("Värnamo")
    by_code = load_area("0683")
    assert by_name.code == "0683" and by_code.name == "Värnamo"
    assert by_name.geometry.equals(by_code.geometry)
    assert load_area("värnamo kommun").code == "0683"
