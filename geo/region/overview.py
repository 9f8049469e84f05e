"""The overview of a many-area run: one row an area (``overview.csv``), from the areas' outcomes."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.region.task import VERDICTS, AreaOutcome

__all__ = ["OVERVIEW_COLUMNS", "overview_table"]

OVERVIEW_COLUMNS = (
    "code",
    "name",
    "county",
    "status",
    "reports",
    "hotspots",
    "new",
    "continuing",
    "ended",
    "proposals",
    "measures",
    *(f"verdict_{v}" for v in VERDICTS),
    "area_km2",
    "reports_per_km2",
    "population",
    "reports_per_1000",
    "seconds",
    "folder",
    "map",
    "error",
)
"""``overview.csv``'s columns. ``new``/``continuing``/``ended`` are hot-spots against the area's previous kept
run (empty without a store or a previous run); ``proposals`` are lamps, patrol visits and speed checks;
``measures`` the measures evaluated and ``verdict_*`` how many got each verdict; ``reports_per_1000`` per
1,000 inhabitants where the population is given; ``status`` is ``ok`` or ``failed`` (then ``error``)."""


def _relative(path: Path | None, out: Path) -> str:
    if path is None:
        return ""
    return Path(os.path.relpath(Path(path).resolve(), out.resolve())).as_posix()


def overview_table(
    outcomes: list[AreaOutcome], areas: gpd.GeoDataFrame, *, km2: dict[str, float], out: Path
) -> pd.DataFrame:
    """Return one row an area (:data:`OVERVIEW_COLUMNS`), in code order; a failed area keeps its row.

    Parameters
    ----------
    outcomes
        The areas' outcomes.
    areas
        The areas run (``code``, ``name``, ``county``, ``population``).
    km2
        Each area's size in km².
    out
        The run's output folder (links are relative to it).
    """
    by_code = {o.code: o for o in outcomes}
    rows = []
    for a in areas.itertuples(index=False):
        code = str(a.code)
        o = by_code.get(code) or AreaOutcome(code=code, name=str(a.name), ok=False, error="not run")
        f = o.figures
        size = float(km2.get(code, np.nan))
        pop = float(a.population) if pd.notna(a.population) else np.nan
        n = f.get("reports")
        row: dict[str, object] = {
            "code": code,
            "name": str(a.name),
            "county": str(a.county),
            "status": "ok" if o.ok else "failed",
            **{k: f.get(k) for k in OVERVIEW_COLUMNS[4:15]},
            "area_km2": size,
            "reports_per_km2": round(n / size, 3) if n is not None and size > 0 else np.nan,
            "population": pop,
            "reports_per_1000": round(1000 * n / pop, 2) if n is not None and pop > 0 else np.nan,
            "seconds": o.seconds,
            "folder": _relative(o.folder, out),
            "map": _relative(o.maps.get("map"), out),
            "error": o.error,
        }
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(OVERVIEW_COLUMNS))
    for col in OVERVIEW_COLUMNS[4:15]:
        table[col] = pd.to_numeric(table[col], errors="coerce").astype("Int64")
    table["population"] = pd.to_numeric(table["population"], errors="coerce").round().astype("Int64")
    return table
