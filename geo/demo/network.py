"""The demo town's street network: named streets in metres around Värnamo's centre, split into segments.

Pure geometry, no randomness: the same network every time. Coordinates are metres east and north of the
town centre point (:data:`CENTRE_LAT`, :data:`CENTRE_LON`) and become SWEREF 99 TM by adding the centre's
SWEREF coordinates (:func:`centre_sweref`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pyproj import Transformer
from shapely.geometry import LineString

__all__ = [
    "CENTRE_LAT",
    "CENTRE_LON",
    "PLACES",
    "STREETS",
    "Segment",
    "Street",
    "centre_sweref",
    "segments",
]

CENTRE_LAT = 57.1832
"""Latitude of Värnamo's centre, the point the Swedish Police use for the municipality."""

CENTRE_LON = 14.0478
"""Longitude of Värnamo's centre."""


def centre_sweref() -> tuple[float, float]:
    """Return the centre point in SWEREF 99 TM (EPSG:3006) metres, ``(x, y)``."""
    t = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    x, y = t.transform(CENTRE_LON, CENTRE_LAT)
    return float(x), float(y)


@dataclass(frozen=True)
class Street:
    """A named street or path drawn as a polyline in local metres.

    Attributes
    ----------
    key
        Short stable key used by the generator (``"parkstigen"``).
    name
        Street name as it is signed.
    highway
        OSM ``highway`` value (primary, secondary, tertiary, residential, service, footway, cycleway, ...).
    maxspeed_kmh
        Posted limit in km/h (``None`` for foot and cycle paths).
    points
        Polyline vertices, metres east and north of the centre.
    lit
        OSM ``lit`` value for the whole street (``"yes"`` or ``"no"``).
    """

    key: str
    name: str
    highway: str
    maxspeed_kmh: int | None
    points: tuple[tuple[float, float], ...]
    lit: str = "yes"


def _grid_streets() -> list[Street]:
    """Residential streets in four neighbourhoods (names after trees, flowers, birds and farms)."""
    out: list[Street] = []
    # north-west: trees, east-west streets
    for i, name in enumerate(["Björkgatan", "Lindgatan", "Ekgatan", "Askgatan", "Almgatan"]):
        y = 300 + 220 * i
        out.append(Street(f"nw{i}", name, "residential", 30, ((-1300, y), (-150, y + 40))))
    for i, name in enumerate(["Rönngatan", "Hasselgatan", "Aspgatan"]):
        x = -1150 + 380 * i
        out.append(Street(f"nwv{i}", name, "residential", 30, ((x, 250), (x + 30, 1350))))
    # south-west: flowers
    for i, name in enumerate(["Blåklintsvägen", "Vitsippsvägen", "Prästkragevägen"]):
        y = -600 - 200 * i
        out.append(Street(f"sw{i}", name, "residential", 30, ((-1300, y), (-700, y - 30))))
    # south-east: birds
    for i, name in enumerate(["Trastvägen", "Lärkvägen", "Svalvägen", "Finkvägen"]):
        y = -300 - 230 * i
        out.append(Street(f"se{i}", name, "residential", 30, ((250, y), (880, y + 20))))
    for i, name in enumerate(["Hägervägen", "Tranvägen"]):
        x = 400 + 300 * i
        out.append(Street(f"sev{i}", name, "residential", 30, ((x, -250), (x - 20, -1050))))
    # north-east: farms
    for i, name in enumerate(["Ågårdsvägen", "Bruksgatan", "Gårdsvägen"]):
        y = 250 + 300 * i
        out.append(Street(f"ne{i}", name, "residential", 30, ((650, y), (880, y + 10))))
    # west: the fading hot-spot's neighbourhood
    for i, name in enumerate(["Bredastensvägen", "Hagstigsvägen"]):
        y = -850 - 120 * i
        out.append(Street(f"bv{i}", name, "residential", 30, ((-2200, y), (-1300, y + 20))))
    return out


STREETS: tuple[Street, ...] = (
    # the through road (riksväg) from south to north, slower through town
    Street("jv_s2", "Jönköpingsvägen", "primary", 80, ((900, -5200), (920, -2600))),
    Street("jv_s1", "Jönköpingsvägen", "primary", 60, ((920, -2600), (910, -1600))),
    Street("jv_s0", "Jönköpingsvägen", "primary", 50, ((910, -1600), (930, 0))),
    Street("jv_n0", "Jönköpingsvägen", "primary", 50, ((930, 0), (920, 1000))),
    Street("jv_n1", "Jönköpingsvägen", "primary", 50, ((920, 1000), (940, 1600))),
    Street("jv_n2", "Jönköpingsvägen", "primary", 60, ((940, 1600), (980, 2600))),
    Street("jv_n3", "Jönköpingsvägen", "primary", 80, ((980, 2600), (1100, 5200))),
    # main roads
    Street("storgatan", "Storgatan", "tertiary", 30, ((-700, 10), (0, 0), (930, 0))),
    Street("jarnvag", "Järnvägsgatan", "tertiary", 30, ((0, 0), (-200, -160), (-450, -350))),
    Street("vastra", "Västra Ringvägen", "secondary", 50, ((-1300, -1800), (-1300, 0), (-1320, 1700))),
    Street("norra", "Norra Ringvägen", "secondary", 50, ((-1320, 1700), (-200, 1650), (940, 1600))),
    Street("sodra", "Södra Ringvägen", "secondary", 50, ((-1300, -1800), (-200, -1650), (910, -1600))),
    Street("gislaved", "Gislavedsvägen", "secondary", 70, ((-1300, -900), (-2600, -1100), (-4500, -1500))),
    Street("rydaholm", "Rydaholmsvägen", "secondary", 70, ((930, 0), (2200, 150), (4500, 400))),
    Street("kyrkogatan", "Kyrkogatan", "tertiary", 40, ((0, 0), (20, 700), (0, 1650))),
    Street("lasarett", "Lasarettsgatan", "tertiary", 40, ((-1300, 0), (-700, 10))),
    Street("skolgatan", "Skolgatan", "residential", 30, ((-1300, 780), (-1000, 790), (-600, 800))),
    Street("mosslevagen", "Mosslevägen", "tertiary", 40, ((940, 1400), (1400, 1420), (1800, 1400))),
    Street("industrigatan", "Industrigatan", "service", 50, ((910, -1200), (1700, -1200), (2400, -1220))),
    Street("verkstadsgatan", "Verkstadsgatan", "service", 50, ((1700, -700), (1700, -1200), (1720, -2100))),
    Street("lonngatan", "Lönngatan", "residential", 30, ((-700, -1000), (-150, -1010), (400, -1000))),
    # foot and cycle paths
    Street(
        "lagaleden", "Lagaleden", "cycleway", None, ((-250, -2400), (-180, -1000), (-150, 0), (-200, 1500))
    ),
    Street("parkstigen", "Parkstigen", "footway", None, ((150, 350), (350, 650), (550, 950)), lit="no"),
    Street(
        "stationsstigen",
        "Stationsstigen",
        "cycleway",
        None,
        ((-450, -350), (-800, -380), (-1300, -300)),
        lit="no",
    ),
    Street("torgstigen", "Torggången", "footway", None, ((-100, 0), (-120, 250), (150, 350))),
    *_grid_streets(),
)
"""Every street of the demo town."""

PLACES: dict[str, tuple[float, float]] = {
    "Stortorget": (30.0, 10.0),
    "Resecentrum": (-450.0, -350.0),
    "Gröndalsskolan": (-1000.0, 860.0),
    "Stadsparken": (350.0, 650.0),
    "Industriområde Nydala": (1700.0, -1300.0),
    "Handelsplats Mossle": (1400.0, 1480.0),
    "Bredasten": (-1750.0, -900.0),
}
"""Named places in local metres (east, north of the centre)."""


@dataclass(frozen=True)
class Segment:
    """One piece of a street between cut points, the unit of lighting and speed analysis.

    Attributes
    ----------
    segment_id
        ``S0001``, ...; stable for a given network.
    street
        The street it belongs to.
    line
        Geometry in local metres.
    """

    segment_id: str
    street: Street
    line: LineString


def _cut(line: LineString, *, piece_m: float) -> list[LineString]:
    """Cut a line into equal pieces no longer than `piece_m` metres."""
    n = max(1, math.ceil(line.length / piece_m))
    pieces = []
    for i in range(n):
        a, b = line.length * i / n, line.length * (i + 1) / n
        pts = [line.interpolate(a)]
        for c in line.coords:
            d = line.project(LineString([c, c]).centroid)
            if a < d < b:
                pts.append(LineString([c, c]).centroid)
        pts.append(line.interpolate(b))
        pieces.append(LineString([(p.x, p.y) for p in pts]))
    return pieces


def segments(*, piece_m: float = 250.0) -> list[Segment]:
    """Return every street cut into segments of at most `piece_m` metres, ids in street order.

    Parameters
    ----------
    piece_m
        Longest segment in metres.
    """
    out: list[Segment] = []
    for street in STREETS:
        for piece in _cut(LineString(street.points), piece_m=piece_m):
            out.append(Segment(f"S{len(out) + 1:04d}", street, piece))
    return out
