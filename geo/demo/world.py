"""Build the Värnamo demo world in memory: streets, lamps, incidents, residents' reports, speeds, truth.

Everything is drawn from one :class:`numpy.random.Generator` seeded with `seed`, in a fixed order (lamps,
police reports, speeds, residents' reports, safety walks, the Police feed), so the same seed gives the same
world. Nothing in :mod:`geo.demo` touches files; :mod:`geo.io.outputs.demo` writes the world.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from geo.demo.areas import priority_areas
from geo.demo.feed import police_feed
from geo.demo.lamps import dark_segments, street_lamps
from geo.demo.measures import measures_table
from geo.demo.network import Segment, segments
from geo.demo.period import TZ
from geo.demo.places import Proj
from geo.demo.police import police_reports
from geo.demo.residents import resident_reports
from geo.demo.speed import speed_measurements
from geo.demo.truth import (
    centre_truth,
    dark_truth,
    hotspot_truth,
    insecurity_truth,
    period_truth,
    speed_truth,
)
from geo.demo.walks import safety_walks

__all__ = ["DEMO_LABEL", "World", "build_world"]

DEMO_LABEL = "syntetiska demodata"
"""Written in every file of the demo world."""


@dataclass
class World:
    """The demo world as tables in memory (local metres converted to WGS84 and SWEREF 99 TM on output).

    Attributes
    ----------
    seed
        The seed it was built from.
    segments
        Street segments.
    lamps, police, residents, walks, passes, hourly
        Tables (pandas) ready to be written.
    truth
        The planted truth as a JSON-ready dict.
    measures
        The register of measures (:func:`geo.demo.measures.measures_table`).
    feed
        The Police events feed (polisen.se JSON shape).
    areas
        The priority areas (:func:`geo.demo.areas.priority_areas`).
    """

    seed: int
    segments: list[Segment]
    lamps: pd.DataFrame
    police: pd.DataFrame
    residents: pd.DataFrame
    walks: pd.DataFrame
    passes: pd.DataFrame
    hourly: pd.DataFrame
    truth: dict[str, Any] = field(default_factory=dict)
    feed: list[dict[str, Any]] = field(default_factory=list)
    measures: pd.DataFrame = field(default_factory=pd.DataFrame)
    areas: list[dict[str, Any]] = field(default_factory=list)


def _counts(world: World) -> dict[str, int]:
    """Return the number of rows of every table (the truth's ``counts``)."""
    return {
        "police": int(len(world.police)),
        "police_background": int(world.police["hotspot"].isna().sum()),
        "residents": int(len(world.residents)),
        "safety_walk": int(len(world.walks)),
        "lamps": int(len(world.lamps)),
        "segments": len(world.segments),
        "speed_passes": int(len(world.passes)),
        "speed_hours": int(len(world.hourly)),
        "polisen_feed": len(world.feed),
    }


def build_world(seed: int, *, noise: float = 1.0) -> World:
    """Build the demo world.

    Parameters
    ----------
    seed
        Seed of the random generator; the same seed gives the same world.
    noise
        Multiplier of the background incidents (1 = the committed demo; 0 = planted hot-spots only, and no
        planted bad rows).

    Returns
    -------
    world
        Every table and the planted truth.
    """
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    rng = np.random.default_rng(seed)
    proj = Proj()
    segs = segments()
    dark = dark_segments(segs)
    lamps = street_lamps(rng, segs, {s.segment_id for s in dark["broken_lamps"]})
    police, extra = police_reports(rng, segs, proj, noise=noise)
    passes, hourly, speed_info = speed_measurements(rng, segs, proj)
    planted = {i["segment_id"] for i in speed_info if i["planted"]}
    residents = resident_reports(rng, segs, dark, [s for s in segs if s.segment_id in planted], proj)
    walks = safety_walks(rng, dark, proj)
    feed, feed_rejected = police_feed(rng, police)
    world = World(seed, segs, lamps, police, residents, walks, passes, hourly, feed=feed)
    world.measures = measures_table(
        proj, label=DEMO_LABEL
    )  # no random draws: every other file stays as it was
    world.areas = priority_areas(proj)
    world.truth = {
        "data": DEMO_LABEL,
        "seed": seed,
        "noise": noise,
        "crs": "EPSG:3006",
        "tz": TZ,
        "centre": centre_truth(proj),
        "area": {"municipality": "Värnamo", "code": "0683"},
        "period": period_truth(),
        "hotspots": hotspot_truth(proj, police),
        "dark_segments": dark_truth(proj, dark, lamps, residents),
        "insecurity": insecurity_truth(proj, dark),
        **speed_truth(speed_info),
        "planted_bad_rows": extra["bad_rows"],
        "feed_rejected_rows": feed_rejected,
        "priority_areas": [{"name": a["name"], "hotspots": a["hotspots"]} for a in world.areas],
        "counts": _counts(world),
    }
    return world
