"""The hour × weekday chart and the sparkline, built in Python as inline SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from geo.maps.svg import block_profile, hour_week_svg, sparkline_svg


def _cells(svg: str) -> int:
    """Number of drawn (non-empty) hour cells: one 'M' per cell in the level paths."""
    root = ET.fromstring(svg)
    return sum(p.get("d", "").count("M") for p in root.iter("{http://www.w3.org/2000/svg}path"))


def test_chart_is_valid_svg_with_one_cell_per_nonzero_hour():
    profile = np.zeros(168)
    profile[[0, 5, 4 * 24 + 22, 5 * 24 + 23, 167]] = [1, 2, 10, 9, 3]
    svg = hour_week_svg(profile, lang="sv", title="Händelser <test>")
    assert _cells(svg) == 5
    assert "&lt;test&gt;" in svg and "<test>" not in svg
    assert "mån" in svg and "sön" in svg


def test_chart_darkest_level_is_the_maximum():
    profile = np.zeros(168)
    profile[10], profile[20] = 1, 100
    svg = hour_week_svg(profile)
    ops = [float(x) for x in re.findall(r'fill-opacity="([0-9.]+)"', svg)]
    assert max(ops) == pytest.approx(1.0)
    assert len(ops) == 2


def test_block_profile_sums_three_hour_blocks_and_keeps_the_total():
    profile = np.arange(168, dtype=float)
    blocks = block_profile(profile, block_h=3)
    assert blocks.shape == (7, 8)
    assert blocks[0, 0] == 0 + 1 + 2
    assert blocks.sum() == profile.sum()


def test_public_chart_hides_small_blocks():
    blocks = np.zeros((7, 8))
    blocks[4, 7] = 12
    blocks[0, 0] = 2
    svg = hour_week_svg(blocks, suppress_below=5)
    assert _cells(svg) == 1
    assert svg.count("stroke-dasharray") == 1
    marked = blocks.copy()
    marked[0, 0] = -1  # already suppressed upstream
    assert hour_week_svg(marked).count("stroke-dasharray") == 1


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match="168"):
        block_profile(np.zeros(100))
    with pytest.raises(ValueError, match="shape"):
        hour_week_svg(np.zeros((6, 24)))


def test_sparkline_has_one_bar_per_value():
    svg = sparkline_svg([1, 0, 5, 2])
    assert svg.count("<rect") == 4
    ET.fromstring(svg)
