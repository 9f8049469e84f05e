"""Small inline SVG charts for popups and panels, built in Python (no JavaScript chart library)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from geo.i18n import gettext
from geo.maps.escape import Markup, escape
from geo.texts import WEEKDAYS_SHORT as WEEKDAYS

__all__ = ["block_profile", "hour_week_svg", "sparkline_svg"]


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def block_profile(profile: Sequence[float] | np.ndarray, *, block_h: int = 3) -> np.ndarray:
    """Sum a 168-bin hour-of-week profile into weekday × `block_h`-hour blocks.

    Parameters
    ----------
    profile
        168 values, index ``weekday * 24 + hour`` (Monday 00-01 first).
    block_h
        Hours per block; must divide 24.

    Returns
    -------
    blocks
        Array of shape ``(7, 24 // block_h)``.
    """
    arr = np.asarray(profile, dtype=float)
    if arr.shape != (168,):
        raise ValueError(f"profile must have 168 values (7 days × 24 hours), got {arr.shape}")
    if 24 % block_h:
        raise ValueError(f"block_h must divide 24, got {block_h}")
    return arr.reshape(7, 24 // block_h, block_h).sum(axis=2)


def hour_week_svg(
    values: np.ndarray,
    *,
    lang: str = "sv",
    title: str | None = None,
    suppress_below: float | None = None,
    color: str = "#b2182b",
) -> Markup:
    """Draw a weekday × hour heat chart as inline SVG.

    Parameters
    ----------
    values
        Array of shape ``(7, B)`` with B hour blocks per day (24 for hours, 8 for three-hour blocks), or a
        flat 168-value profile (then B = 24).
    lang
        Language of the labels.
    title
        Caption above the chart (escaped).
    suppress_below
        Blocks with a value below this (but above zero), and blocks marked with a negative value (already
        suppressed), are drawn blank with a dotted outline: used on the public map so that single incidents'
        hours are not shown.
    color
        Fill colour; intensity is the value over the chart's maximum, in eight steps (one ``<path>`` per
        step keeps the chart small enough to sit in every popup).

    Returns
    -------
    svg
        An ``<svg>`` element as text.
    """
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 1:
        arr = arr.reshape(7, -1)
    if arr.shape[0] != 7 or 24 % arr.shape[1]:
        raise ValueError(f"values must have shape (7, B) with B dividing 24, got {arr.shape}")
    blocks = arr.shape[1]
    shown = arr.copy()
    hidden = arr < 0
    if suppress_below is not None:
        hidden |= (arr > 0) & (arr < suppress_below)
    shown[hidden] = 0.0
    left, top = 26, 16 if title else 4
    cw = 216 / blocks
    ch = 10
    width = left + 216 + 4
    height = top + 7 * ch + 14
    vmax = float(shown.max()) if shown.size and shown.max() > 0 else 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lb-chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title or gettext("Händelser per timme och veckodag", lang))}" '
        'style="font:9px sans-serif">'
    ]
    if title:
        parts.append(f'<text x="0" y="10" font-weight="bold">{escape(title)}</text>')
    parts.append(f'<rect x="{left}" y="{top}" width="216" height="{7 * ch}" fill="#f4f4f4"/>')
    levels = 8
    paths: list[list[str]] = [[] for _ in range(levels)]
    for d, name in enumerate(WEEKDAYS[lang]):
        y = top + d * ch
        parts.append(f'<text x="0" y="{y + 8}">{escape(name)}</text>')
        for b in range(blocks):
            v = shown[d, b]
            x = left + b * cw
            if hidden[d, b]:
                parts.append(
                    f'<rect x="{_fmt(x + 0.5)}" y="{y + 0.5}" width="{_fmt(cw - 1)}" height="{ch - 1}" '
                    'fill="none" stroke="#999" stroke-dasharray="1,1"/>'
                )
            elif v > 0:
                level = min(levels - 1, int(np.ceil(levels * v / vmax)) - 1)
                paths[level].append(f"M{_fmt(x)} {y}h{_fmt(cw)}v{ch}h-{_fmt(cw)}z")
    for level, cells in enumerate(paths):
        if cells:
            op = 0.12 + 0.88 * (level + 1) / levels
            parts.append(f'<path fill="{color}" fill-opacity="{op:.2f}" d="{"".join(cells)}"/>')
    for h in (0, 6, 12, 18, 24):
        x = left + h * 9
        anchor = "end" if h == 24 else "start" if h == 0 else "middle"
        parts.append(f'<text x="{x}" y="{top + 7 * ch + 10}" text-anchor="{anchor}">{h:02d}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline_svg(
    values: Sequence[float], *, width: int = 220, height: int = 40, color: str = "#2166ac"
) -> Markup:
    """Draw a small bar chart of a series (the Police feed's weekly counts) as inline SVG.

    Parameters
    ----------
    values
        The series, oldest first.
    width, height
        Size in pixels.
    color
        Bar colour.
    """
    vals = np.asarray(list(values), dtype=float)
    n = len(vals)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="lb-spark" width="{width}" height="{height}">']
    if n:
        vmax = float(vals.max()) or 1.0
        bw = width / n
        for i, v in enumerate(vals):
            h = (height - 2) * v / vmax
            parts.append(
                f'<rect x="{_fmt(i * bw)}" y="{_fmt(height - h)}" width="{_fmt(max(bw - 1, 0.5))}" '
                f'height="{_fmt(h)}" fill="{color}"/>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
