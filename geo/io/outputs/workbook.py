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

MAX_ROWS = 5_000
"""Rows per sheet by default: a longer table (the forecast's every cell) keeps its first rows (the tables
are ranked, best first) and the "Om arbetsboken" sheet says so and names the file that holds all of them."""

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
            tables[f.kind].attrs["file"] = path.name
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
            table.attrs["file"] = path.name
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


def _values(column: pd.Series, kind: str) -> list[Any]:
    """Return a column's cell values, converted once for the whole column (``None`` where missing)."""
    missing = column.isna().to_numpy()
    if kind == "number":
        values = column.astype("float64") if column.dtype.kind not in "iu" else column
        out = values.astype(object).tolist()
    elif kind == "bool":
        out = [bool(v) for v in column.fillna(False)]
    elif kind == "datetime":
        if pd.api.types.is_datetime64_any_dtype(column):
            wall = column.dt.tz_localize(None) if getattr(column.dt, "tz", None) is not None else column
        else:  # ISO text with its offset: the local wall time as written
            wall = pd.to_datetime(
                column.astype("string").str.slice(0, 19).str.replace(" ", "T"), errors="coerce"
            )
        out = [None if pd.isna(t) else t.to_pydatetime() for t in wall]
    elif kind == "date":
        out = [None if pd.isna(t) else t.date() for t in pd.to_datetime(column, errors="coerce")]
    elif kind == "time":
        parts = column.astype("string").str.split(":", n=1, expand=True)
        out = [
            None if pd.isna(h) else dt.time(int(h) % 24, int(m))
            for h, m in zip(parts[0], parts[1], strict=True)
        ]
    else:
        out = [str(v)[:_MAX_TEXT] for v in column.astype(object)]
    return [None if miss else v for v, miss in zip(out, missing, strict=True)]


def _add_sheet(wb: Workbook, table: pd.DataFrame, *, title: str, lang: str) -> None:
    ws: WriteOnlyWorksheet = wb.create_sheet(title)
    columns = [str(c) for c in table.columns]
    kinds = [_kind_of(table[c]) for c in table.columns]
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(table) + 1}"
    heads = [header(c, lang) for c in columns]
    for i, (head, kind) in enumerate(zip(heads, kinds, strict=True), start=1):
        extra = 6 if kind == "datetime" else 0
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(head) + 4)) + extra
    bold = Font(bold=True)
    cells = []
    for head in heads:
        cell = WriteOnlyCell(ws, value=head)
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    columns_out = []
    for c, kind in zip(table.columns, kinds, strict=True):
        values: list[Any] = _values(table[c], kind)
        fmt = _FORMATS.get(kind)
        if fmt is not None:  # an Excel date or time needs its number format
            values = [_cell(ws, v, fmt) if v is not None else None for v in values]
        elif kind == "text":
            values = [_cell(ws, v, None) if isinstance(v, str) and v.startswith("=") else v for v in values]
        columns_out.append(values)
    for row in zip(*columns_out, strict=True):
        ws.append(list(row))


def _cell(ws: WriteOnlyWorksheet, value: Any, fmt: str | None) -> WriteOnlyCell:
    """Return a cell with a number format, or (no format) text that is never read as a formula."""
    cell = WriteOnlyCell(ws, value=value)
    if fmt is not None:
        cell.number_format = fmt
    else:
        cell.data_type = "s"
    return cell


_ABOUT = {
    "sv": ("Om arbetsboken", ["Blad", "Rader i bladet", "Rader i tabellen", "Fil med hela tabellen"]),
    "en": ("About", ["Sheet", "Rows in the sheet", "Rows in the table", "File with the whole table"]),
}


def write_workbook(
    tables: Mapping[str, pd.DataFrame],
    out_dir: str | Path,
    *,
    lang: str = "sv",
    max_rows: int = MAX_ROWS,
    stage: str = "workbook",
) -> list[OutputFile]:
    """Write ``lagesbild.xlsx``: one sheet per table, headers in `lang`, typed cells, filters, frozen headers.

    A last sheet ("Om arbetsboken") lists every sheet with its rows, the table's rows and the file that
    holds the whole table.

    Parameters
    ----------
    tables
        Manifest kind -> table (:func:`run_tables`), in the sheets' order.
    out_dir
        The output folder.
    lang
        ``"sv"`` (default) or ``"en"``: the sheet names and headers.
    max_rows
        Most rows per sheet (see :data:`MAX_ROWS`).
    stage
        The stage named in the manifest entry.

    Returns
    -------
    files
        One entry of kind ``workbook``; none when there is no table but rejected rows (a run that only
        read its sources).
    """
    if all(kind.endswith("rejects") for kind in tables):  # no result, only the account of the input
        return []
    path = Path(out_dir) / WORKBOOK_NAME
    wb = Workbook(write_only=True)
    used: set[str] = set()
    about: list[list[Any]] = []
    for kind, table in tables.items():
        title = sheet_name(kind, lang)
        n = 2
        while title.casefold() in used:
            title = f"{sheet_name(kind, lang)[:28]} {n}"
            n += 1
        used.add(title.casefold())
        _add_sheet(wb, table.head(max_rows), title=title, lang=lang)
        about.append([title, min(len(table), max_rows), len(table), table.attrs.get("file", "")])
    name, heads = _ABOUT["sv" if lang == "sv" else "en"]
    _add_sheet(wb, pd.DataFrame(about, columns=heads), title=name, lang=lang)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return [OutputFile("workbook", str(path), stage)]
