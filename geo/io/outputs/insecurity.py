"""Writing the insecurity comparison: ``insecurity.csv`` (the contract's columns) and ``insecurity.gpkg``.

The CSV has one row a cell (``cell_id``) or user area (``area_id``): ``lat``, ``lon`` (WGS84 centre),
``felt``, ``recorded``, ``felt_expected``, ``recorded_expected``, ``felt_p``, ``recorded_p``
(Benjamini–Hochberg adjusted), ``class``, then the sentence and the rest of the evidence. The GeoPackage
holds the same rows as polygons in the metric CRS (layer ``insecurity``) and, with a survey, its areas
(layer ``insecurity_survey``).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.insecurity.compare import CONTRACT_COLUMNS
from geo.io.export import write_csv, write_frame
from geo.io.manifest import OutputFile
from geo.stages.insecurity import InsecurityResult

__all__ = ["insecurity_table", "write_insecurity"]

STAGE = "insecurity"

_P_COLUMNS = ("felt_p", "recorded_p", "felt_p_raw", "recorded_p_raw")


def _significant(values: pd.Series, digits: int = 4) -> list[float]:
    v = pd.to_numeric(values, errors="coerce").astype("float64")
    return [float(f"{x:.{digits}g}") if np.isfinite(x) else np.nan for x in v]


def insecurity_table(result: InsecurityResult, *, demo: bool = False) -> pd.DataFrame:
    """Return the CSV's table: the id, the contract's columns, then sentence, evidence, place and survey."""
    cells = result.cells
    first = [result.id_column, *CONTRACT_COLUMNS]
    rest = [c for c in cells.columns if c not in first and c != cells.geometry.name]
    out = pd.DataFrame(cells[first + rest]).copy()
    for col in ("felt_expected", "recorded_expected", "felt_ratio", "recorded_ratio"):
        if col in out.columns:
            out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64").round(3)
    for col in _P_COLUMNS:
        if col in out.columns:
            out[col] = _significant(out[col])
    if "exposure" in out.columns:
        out["exposure"] = pd.to_numeric(out["exposure"]).astype("float64").round(1)
    if demo:
        out["data"] = "syntetiska demodata"
    return out


def write_insecurity(
    result: InsecurityResult, out_dir: str | Path, *, demo: bool = False
) -> list[OutputFile]:
    """Write ``insecurity.csv`` and ``insecurity.gpkg`` into `out_dir`, each atomically.

    Parameters
    ----------
    result
        The insecurity stage's result.
    out_dir
        The output folder (made when missing).
    demo
        Mark the tables as synthetic demo data (a ``data`` column).

    Returns
    -------
    files
        Kinds ``insecurity`` (the CSV), ``insecurity_gpkg``, its layer ``insecurity_cells`` and, with a
        survey, ``insecurity_survey``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    table = insecurity_table(result, demo=demo)
    csv = write_csv(table, out / "insecurity.csv")
    gpkg = out / "insecurity.gpkg"
    gpkg.unlink(missing_ok=True)  # no layer of an earlier run stays behind
    polygons = gpd.GeoDataFrame(table, geometry=result.cells.geometry.to_numpy(), crs=result.cells.crs)
    write_frame(polygons, gpkg, layer="insecurity")
    files = [
        OutputFile("insecurity", str(csv), STAGE),
        OutputFile("insecurity_gpkg", str(gpkg), STAGE),
        OutputFile("insecurity_cells", str(gpkg), STAGE, layer="insecurity"),
    ]
    if result.survey is not None:
        write_frame(result.survey, gpkg, layer="insecurity_survey")
        files.append(OutputFile("insecurity_survey", str(gpkg), STAGE, layer="insecurity_survey"))
    return files
