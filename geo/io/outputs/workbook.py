"""The run's workbook (``lagesbild.xlsx``): every table of the run on its own sheet, for planners in Excel.

One sheet per table the run wrote (hot-spots, patrol plan, lighting proposals, speed checks, forecast,
changes, areas, measures, rejected rows, and any table a later stage adds: the workbook is built from the
run's manifest, not from a list of stages). Each sheet has headers in the run's language
(:mod:`geo.io.outputs.workbook_texts`), typed cells (numbers as numbers; dates, date-times and clock times
as Excel dates and times in local time, since Excel has no time zones), an autofilter and a frozen header
row. A text that starts with ``=`` stays text, never a formula.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from geo.io.export import atomic_path
from geo.io.manifest import OutputFile
from geo.io.outputs.workbook_texts import header, sheet_name

__all__ = ["WORKBOOK_NAME", "run_tables", "write_workbook"]

WORKBOOK_NAME = "lagesbild.xlsx"
"""The run's workbook, in the output folder."""

EXCEL_MAX_ROWS = 1_048_575
"""Data rows a sheet can hold below its header (Excel's limit); longer tables are cut there."""

_MAX_TEXT = 32_767
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?")
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
_SKIP_KINDS = ("reports", "hotspots_ids", "manifest")
_FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "time": "hh:mm"}


def run_tables(files: Iterable[OutputFile]) -> dict[str, pd.DataFrame]:
    """Read the tables a run wrote, by its manifest entries, in their order.

    Every CSV is a table; a GeoJSON (the hot-spots) becomes a table with ``lat``/``lon`` of a point on
    each feature. GeoPackages, pages and the reports themselves are left out (their tables are these).

    Parameters
    ----------
    files
        The run's manifest entries.

    Returns
    -------
    tables
        Manifest kind -> table; the rejected rows last.
    """
    tables: dict[str, pd.DataFrame] = {}
    for f in files:
        path = Path(f.path)
        if f.layer is not None or f.kind in _SKIP_KINDS or not path.exists():
            continue
        suffix = path.suffix.lower()
        if suffix == ".csv":
            tables[f.kind] = pd.read_csv(
                path, dtype={"start": str, "end": str, "date": str}, encoding="utf-8-sig"
            )
        elif suffix in {".geojson", ".json"} and not f.kind.endswith(("summary", "_json")):
            try:
                frame = gpd.read_file(path, engine="pyogrio")
            except Exception:  # noqa: BLE001 - a JSON that is not GeoJSON is not a table
                continue
            if frame.crs is None or frame.geometry.name not in frame.columns:
                continue
            points = frame.geometry.to_crs("EPSG:4326").representative_point()
            table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
            table["lat"], table["lon"] = points.y.round(6), points.x.round(6)
            tables[f.kind] = table
    rejects = [k for k in tables if k.endswith("rejects")]  # the account of the input, after the results
    return {k: tables[k] for k in [*(k for k in tables if k not in rejects), *rejects]}


def _kind_of(values: pd.Series) -> str:
    """Tell how a column is written: ``number``, ``bool``, ``datetime``, ``date``, ``time`` or ``text``."""
    if pd.api.types.is_bool_dtype(values):
        return "bool"
    if pd.api.types.is_numeric_dtype(values):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "datetime"
    sample = values.dropna().astype(str)
    if not len(sample):
        return "text"
    for kind, pattern in (("date", _DATE), ("datetime", _DATETIME), ("time", _CLOCK)):
        if bool(sample.map(lambda v, p=pattern: p.fullmatch(v) is not None).all()):
            return kind
    return "text"


def _typed(value: Any, kind: str) -> Any:
    """Return a cell's Python value for its column's kind (local wall time for times; ``None`` if missing)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == "number":
        return value.item() if isinstance(value, np.generic) else value
    if kind == "bool":
        return bool(value)
    if kind == "datetime":
        t = value if isinstance(value, pd.Timestamp) else pd.Timestamp(str(value).replace(" ", "T"))
        if t.tzinfo is not None:
            t = t.tz_localize(None)  # the local wall time, as written
        return t.to_pydatetime()
    if kind == "date":
        return dt.date.fromisoformat(str(value))
    if kind == "time":
        hours, minutes = str(value).split(":")
        return dt.time(int(hours) % 24, int(minutes))
    text = str(value)
    return text[:_MAX_TEXT]


def _add_sheet(wb: Workbook, table: pd.DataFrame, *, title: str, lang: str) -> None:
    ws: WriteOnlyWorksheet = wb.create_sheet(title)
    table = table.head(EXCEL_MAX_ROWS)
    columns = [str(c) for c in table.columns]
    kinds = [_kind_of(table[c]) for c in table.columns]
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(table) + 1}"
    heads = [header(c, lang) for c in columns]
    for i, (head, kind) in enumerate(zip(heads, kinds, strict=True), start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(head) + 4)) + (
            6 if kind == "datetime" else 0
        )
    bold = Font(bold=True)
    cells = []
    for head in heads:
        cell = WriteOnlyCell(ws, value=head)
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    formats = [_FORMATS.get(k) for k in kinds]
    for row in table.itertuples(index=False, name=None):
        out: list[Any] = []
        for value, kind, fmt in zip(row, kinds, formats, strict=True):
            v = _typed(value, kind)
            if fmt is not None and v is not None or (isinstance(v, str) and v.startswith("=")):
                cell = WriteOnlyCell(ws, value=v)
                if fmt is not None:
                    cell.number_format = fmt
                else:
                    cell.data_type = "s"  # text, never a formula
                out.append(cell)
            else:
                out.append(v)
        ws.append(out)


def write_workbook(
    tables: Mapping[str, pd.DataFrame], out_dir: str | Path, *, lang: str = "sv", stage: str = "workbook"
) -> list[OutputFile]:
    """Write ``lagesbild.xlsx``: one sheet per table, headers in `lang`, typed cells, filters, frozen headers.

    Parameters
    ----------
    tables
        Manifest kind -> table (:func:`run_tables`), in the sheets' order.
    out_dir
        The output folder.
    lang
        ``"sv"`` (default) or ``"en"``: the sheet names and headers.
    stage
        The stage named in the manifest entry.

    Returns
    -------
    files
        One entry of kind ``workbook``; none when there is no table.
    """
    if not tables:
        return []
    path = Path(out_dir) / WORKBOOK_NAME
    wb = Workbook(write_only=True)
    used: set[str] = set()
    for kind, table in tables.items():
        title = sheet_name(kind, lang)
        n = 2
        while title.casefold() in used:
            title = f"{sheet_name(kind, lang)[:28]} {n}"
            n += 1
        used.add(title.casefold())
        _add_sheet(wb, table, title=title, lang=lang)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return [OutputFile("workbook", str(path), stage)]
