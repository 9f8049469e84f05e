"""What the layer readers share: columns found by folded names, numbers and blanks, opening a vector file."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import InputError

__all__ = ["blank", "fold", "numbers", "pick_column", "read_vector"]


def fold(text: object) -> str:
    """Return `text` NFC-normalised, case-folded and stripped (``" Skick "`` -> ``"skick"``)."""
    return unicodedata.normalize("NFC", str(text)).casefold().strip()


def pick_column(
    columns: Sequence[str],
    candidates: Sequence[str],
    given: str | None = None,
    *,
    path: str = "",
    what: str = "",
) -> str | None:
    """Return the column to use for `what`: the one `given`, else the first of `candidates` present.

    Parameters
    ----------
    columns
        The file's columns.
    candidates
        Folded names to look for, in order of preference.
    given
        The column the user named (matched exactly, then case-insensitively), or ``None`` to detect.
    path
        The file, for the error message.
    what
        What the column holds (``"lamp id"``, ``"status"``), for the error message.

    Returns
    -------
    column
        The column as the file spells it, or ``None`` when none is given and none is found.

    Raises
    ------
    InputError
        If `given` is not a column of the file.
    """
    if given is not None:
        if given in columns:
            return given
        folded = {fold(c): c for c in columns}
        if fold(given) in folded:
            return folded[fold(given)]
        purpose = f" (given for {what})" if what else ""
        raise InputError(
            f"column '{given}'{purpose} is not in the file; it has {list(columns)}", path=path or None
        )
    first: dict[str, str] = {}
    for c in columns:
        first.setdefault(fold(c), c)
    return next((first[c] for c in candidates if c in first), None)


def read_vector(path: Path, *, source_crs: str | None, flag: str = "--lamps-crs") -> gpd.GeoDataFrame:
    """Read a vector file (GeoPackage, Shapefile, GeoJSON, ...) in its own CRS.

    Parameters
    ----------
    path
        The file.
    source_crs
        The CRS to assume when the file states none.
    flag
        The option a user gives `source_crs` with, for the error message.

    Returns
    -------
    frame
        The features, in the file's CRS (or `source_crs` when the file has none).

    Raises
    ------
    InputError
        Naming the file, when it cannot be read or has no CRS and `source_crs` is ``None``.
    """
    try:
        frame = gpd.read_file(path, engine="pyogrio")
    except Exception as err:  # noqa: BLE001 - any driver failure is the user's file problem
        raise InputError(f"cannot read: {err}", path=str(path)) from err
    if frame.crs is None:
        if source_crs is None:
            raise InputError(f"the file has no CRS; give it with {flag} (e.g. EPSG:3006)", path=str(path))
        frame = frame.set_crs(source_crs)
    return frame


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
