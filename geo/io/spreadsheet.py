"""CSV cells that a spreadsheet would run as a formula are written as text (OWASP's CSV-injection rule).

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel, LibreOffice
and Google Sheets as a formula (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``), so a value from an input file
(a category, a street name, an address) could run when a person opens the CSV. Such a cell gets a leading
``'``, which makes the spreadsheet show it as text; a number (``-12.5``, ``+3``) is left as it is. Every CSV
writer in lagesbild goes through :func:`spreadsheet_safe_frame` (or :func:`spreadsheet_safe` per cell).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

__all__ = ["FORMULA_START", "spreadsheet_safe", "spreadsheet_safe_frame"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""

_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_safe(value: Any) -> Any:
    """Return `value` with a leading ``'`` when it is text a spreadsheet would read as a formula.

    Examples
    --------
    >>> spreadsheet_safe("=1+2")
    "'=1+2"
    >>> spreadsheet_safe("-12,5"), spreadsheet_safe("Storgatan"), spreadsheet_safe(-3)
    ('-12,5', 'Storgatan', -3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def spreadsheet_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return `frame` with every text cell made safe by :func:`spreadsheet_safe` (column names too).

    Only text columns (object, string, category) are looked at; the frame itself is not changed.
    """
    out = frame.copy(deep=False)
    out.columns = [spreadsheet_safe(c) if isinstance(c, str) else c for c in out.columns]
    for i in range(frame.shape[1]):
        series = frame.iloc[:, i]
        dtype = series.dtype
        plain = pd.api.types.is_object_dtype(dtype)
        if plain or isinstance(dtype, pd.StringDtype | pd.CategoricalDtype):
            values = series.astype(object)
            risky = values.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_START))
            if risky.any():
                out.isetitem(i, values.map(spreadsheet_safe).astype(object if plain else "string"))
    return out
