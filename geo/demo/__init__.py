"""The Värnamo demo world: a seeded generator of realistic synthetic data with a planted truth.

``generate_world(seed, out_dir)`` writes streets, lamps, three years of police reports, residents' and
safety-walk reports, speed measurements, ``truth.json``, a README and the run configuration ``demo.toml``.
Everything is labelled "syntetiska demodata". The committed copy lives in ``data/demo/`` (seed 683).
"""

from __future__ import annotations

from pathlib import Path

from geo.demo.world import DEMO_LABEL, World, build_world
from geo.demo.write import FILES, write_world

__all__ = [
    "DEFAULT_SEED",
    "DEMO_DIR",
    "DEMO_LABEL",
    "FILES",
    "World",
    "build_world",
    "generate_world",
    "write_world",
]

DEFAULT_SEED = 683
"""Seed of the committed demo world in ``data/demo/`` (after Värnamo's municipality code 0683)."""

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"
"""Where the committed demo world lives."""


def generate_world(seed: int, out_dir: str | Path, *, noise: float = 1.0) -> dict[str, Path]:
    """Build the demo world from `seed` and write it into `out_dir`.

    Parameters
    ----------
    seed
        Seed of the random generator; the same seed gives byte-identical files.
    out_dir
        Folder to write into (created when missing).
    noise
        Multiplier of background incidents: 1 for the realistic demo, 0 for planted hot-spots only (no
        background and no planted bad rows), useful to test that an analysis finds nothing unplanted.

    Returns
    -------
    paths
        Role (``police``, ``residents``, ``walks``, ``streets``, ``lamps``, ``speed_passes``,
        ``speed_hourly``, ``truth``, ``readme``, ``config``) -> written file.
    """
    return write_world(build_world(seed, noise=noise), out_dir)
