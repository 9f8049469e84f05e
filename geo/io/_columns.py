"""Column helpers the speed readers share: find a column by candidate names, read numbers, spot blanks."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd

from geo.errors import InputError

__all__ = ["blank", "find_column", "numbers"]


def _fold(name: object) -> str:
    return unicodedata.normalize("NFC", str(name)).casefold().strip()


def find_column(
    columns: Sequence[str], candidates: Sequence[str], explicit: str | None = None, *, path: str = ""
) -> str | None:
    """Return the column named `explicit`, else the first of `candidates` present (case-insensitive).

    Raises
    ------
    InputError
        Naming `path`, when `explicit` is given but not a column.
    """
    by_fold: dict[str, str] = {}
    for c in columns:
        by_fold.setdefault(_fold(c), c)
    if explicit is not None:
        if _fold(explicit) not in by_fold:
            raise InputError(f"column '{explicit}' is not in the file; it has {list(columns)}", path=path)
        return by_fold[_fold(explicit)]
    return next((by_fold[c] for c in candidates if c in by_fold), None)


def numbers(values: pd.Series) -> np.ndarray:
    """Return the values as floats (decimal comma and Unicode minus understood; NaN where not a number)."""
    if pd.api.types.is_numeric_dtype(values):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    text = (
        values.astype("string")
        .str.strip()
        .str.replace("\u2212", "-", regex=False)
        .str.replace(",", ".", regex=False)
    )
    return pd.to_numeric(text, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def blank(values: pd.Series) -> np.ndarray:
    """Return a mask of missing or whitespace-only values."""
    s = values.astype("string")
    return (s.isna() | (s.str.strip() == "")).to_numpy(dtype=bool)
