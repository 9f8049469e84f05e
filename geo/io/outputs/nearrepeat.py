"""Writer of the near-repeat stage's result: ``knox.csv``, ``alerts.csv`` and the map layer of alert zones.

The files are the contract of ``geo nearrepeat --out DIR``: ``knox.csv`` has the columns
:data:`geo.nearrepeat.KNOX_COLUMNS` (bands as given, from inclusive, to exclusive), ``alerts.csv`` the
columns :data:`geo.nearrepeat.ALERT_COLUMNS` plus ``lat``/``lon`` of the zone's centre (the centre of a
50 m grid cell, never an incident's own position), and ``alert_zones.geojson`` (WGS84) the zones as circles.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from geo.io.export import write_csv, write_frame
from geo.io.manifest import OutputFile

if TYPE_CHECKING:
    from geo.stages.nearrepeat import NearRepeatResult

__all__ = ["ZONES_FILE", "write_nearrepeat"]

ZONES_FILE = "alert_zones.geojson"
"""The map layer's file name in the output folder."""

_STAGE = "nearrepeat"


def write_nearrepeat(result: NearRepeatResult, out_dir: str | Path) -> list[OutputFile]:
    """Write ``knox.csv``, ``alerts.csv`` and ``alert_zones.geojson`` into `out_dir` (created).

    Parameters
    ----------
    result
        From :func:`geo.stages.nearrepeat.nearrepeat_stage`.
    out_dir
        Output folder.

    Returns
    -------
    files
        Kinds ``nearrepeat_knox``, ``nearrepeat_alerts`` and ``nearrepeat_zones``.
    """
    from geo.nearrepeat import ALERT_COLUMNS, KNOX_COLUMNS

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    knox = write_csv(result.knox[list(KNOX_COLUMNS)], out / "knox.csv")
    alerts = write_frame(result.alerts[[*ALERT_COLUMNS, result.alerts.geometry.name]], out / "alerts.csv")
    zones = write_frame(result.zones, out / ZONES_FILE)
    return [
        OutputFile("nearrepeat_knox", str(knox), _STAGE),
        OutputFile("nearrepeat_alerts", str(alerts), _STAGE),
        OutputFile("nearrepeat_zones", str(zones), _STAGE),
    ]
