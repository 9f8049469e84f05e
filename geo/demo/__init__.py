"""The Värnamo demo world: a seeded generator of realistic synthetic data with a planted truth.

``build_world(seed)`` draws streets, lamps, three years of police reports, residents' and safety-walk reports,
speed measurements, a Police events feed and the planted truth in memory; nothing here touches files.
:func:`geo.io.outputs.demo.generate_world` writes it with a README and the run configuration ``demo.toml``.
Everything is labelled "syntetiska demodata". The committed copy lives in ``data/demo/`` (seed 683).

Modules: :mod:`~geo.demo.network` (streets, places, segments), :mod:`~geo.demo.places` (projection, random
points), :mod:`~geo.demo.period` (the three years, drawing times), :mod:`~geo.demo.lamps`,
:mod:`~geo.demo.hotspots`, :mod:`~geo.demo.police`, :mod:`~geo.demo.residents`, :mod:`~geo.demo.walks`,
:mod:`~geo.demo.speed`, :mod:`~geo.demo.feed`, :mod:`~geo.demo.truth` and :mod:`~geo.demo.world`, which
draws them in a fixed order.
"""

from __future__ import annotations

from pathlib import Path

from geo.demo.world import DEMO_LABEL, World, build_world

__all__ = [
    "DEFAULT_SEED",
    "DEMO_DIR",
    "DEMO_LABEL",
    "World",
    "build_world",
]

DEFAULT_SEED = 683
"""Seed of the committed demo world in ``data/demo/`` (after Värnamo's municipality code 0683)."""

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"
"""Where the committed demo world lives."""
