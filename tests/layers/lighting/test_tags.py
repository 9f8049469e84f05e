"""OSM lit=* values and their classes."""

from __future__ import annotations

import pytest

from geo.layers.lighting.tags import classify_lit


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", "lit"),
        ("24/7", "lit"),
        ("automatic", "lit"),
        ("limited", "limited"),
        ("no", "unlit"),
        ("disused", "unlit"),
        (None, "unknown"),
        ("sunset-23:00", "limited"),
        ("maybe", "unknown"),
    ],
)
def test_lit_values(value: object, expected: str) -> None:
    assert classify_lit(value) == expected
