"""Value columns of a raw table: numbers, category, ids, free text, weight, location precision, source.

Each reader takes the :class:`~geo.io.rejects.RawTable`, rejects the rows whose value cannot be used (saying
why) and returns the canonical column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.errors import InputError
from geo.io.options import ReaderOptions
from geo.io.rejects import RawTable
from geo.model import PRECISIONS

__all__ = [
    "is_blank",
    "read_category",
    "read_ids",
    "read_precision",
    "read_source",
    "read_text",
    "read_weight",
    "to_number",
]


def to_number(values: pd.Series) -> pd.Series:
    """Parse numbers as exports write them (decimal comma, Unicode minus); NaN where not a number."""
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64")
    text = (
        values.astype("string")
        .str.strip()
        .str.replace("\u2212", "-", regex=False)
        .str.replace(",", ".", regex=False)
    )
    return pd.to_numeric(text, errors="coerce").astype("float64")


def is_blank(values: pd.Series) -> np.ndarray:
    """Return a mask of missing or whitespace-only values."""
    if pd.api.types.is_numeric_dtype(values):
        return values.isna().to_numpy()
    s = values.astype("string")
    return (s.isna() | (s.str.strip() == "")).to_numpy(dtype=bool)


def read_category(t: RawTable) -> tuple[pd.Series, str]:
    """Return the category column and the field named in messages; empty categories are rejected."""
    if "category" in t.preset:
        category = t.preset["category"].astype("string")
        cat_field = t.cols.get("category") or "category"
    elif cat_col := t.cols.get("category"):
        cat_field = cat_col
        category = t.raw[cat_field].astype("string").str.strip()
    else:
        raise InputError(
            f"no category column found among {list(t.raw.columns)}; name it with --category-col", path=t.file
        )
    t.reject(
        (category.isna() | (category == "")).to_numpy(dtype=bool), field=cat_field, reason="empty category"
    )
    return category, cat_field


def _own_ids(t: RawTable) -> tuple[pd.Series, str] | None:
    if "report_id" in t.preset:
        return t.preset["report_id"].astype("string"), t.cols.get("id") or "id"
    if id_col := t.cols.get("id"):
        return t.raw[id_col].astype("string").str.strip(), id_col
    return None


def read_ids(t: RawTable) -> tuple[pd.Series, bool]:
    """Return ``report_id`` and whether the input has ids of its own.

    Without ids, ``<file>:<row>`` is the id. A blank id is replaced so (with a warning); a repeated id is
    rejected, naming the row of its first use.
    """
    stem = t.file.rsplit("/", 1)[-1]
    row_ids = f"{stem}:" + pd.Series(t.rows).astype("string")
    own = _own_ids(t)
    if own is None:
        return row_ids, False
    ids, id_field = own
    blank_id = (ids.isna() | (ids == "")).to_numpy(dtype=bool)
    ids = ids.where(~blank_id, row_ids)
    t.warn(blank_id, field=id_field, reason="empty id; file and row used instead")
    kept_ids = ids.where(t.keep)
    dup = t.keep & kept_ids.duplicated(keep="first").to_numpy() & kept_ids.notna().to_numpy()
    if dup.any():
        first_row = pd.Series(t.rows[t.keep], index=kept_ids[t.keep].to_numpy()).groupby(level=0).first()
        reasons = [f"repeated id (first at row {first_row[i]})" for i in ids[dup]]
        t.log.add(t.rows[dup], field=id_field, reason=reasons, value=ids[dup])
        t.keep &= ~dup
    return ids, True


def read_text(t: RawTable, key: str) -> pd.Series:
    """Return a free-text column (preset, detected or all missing)."""
    if key in t.preset:
        return t.preset[key].astype("string")
    c = t.cols.get(key)
    return t.raw[c].astype("string") if c else pd.Series(pd.NA, index=t.raw.index, dtype="string")


def read_weight(t: RawTable) -> pd.Series:
    """Return the weight (1 unless given); a weight that is not a number >= 0 is rejected."""
    wf = t.cols.get("weight")
    if not wf:
        return pd.Series(1.0, index=t.raw.index)
    weight = to_number(t.raw[wf])
    bad = (weight.isna() | (weight < 0)).to_numpy()
    t.reject(bad, field=wf, reason="weight must be a number >= 0", value=t.raw[wf])
    return weight


def read_precision(t: RawTable, options: ReaderOptions) -> pd.Series:
    """Return ``location_precision`` (``options.precision`` where not given); unknown values are rejected."""
    if "location_precision" in t.preset:
        return t.preset["location_precision"].astype("string")
    pf = t.cols.get("precision")
    if not pf:
        return pd.Series(options.precision, index=t.raw.index, dtype="string")
    precision = t.raw[pf].astype("string").str.strip().str.lower().fillna(options.precision)
    precision = precision.where(precision != "", options.precision)
    t.reject(
        ~precision.isin(PRECISIONS).to_numpy(),
        field=pf,
        reason=f"unknown location precision (allowed: {', '.join(PRECISIONS)})",
        value=t.raw[pf],
    )
    return precision


def read_source(t: RawTable, options: ReaderOptions, *, default: str) -> pd.Series:
    """Return ``source``: the option, else the file's column, else `default`."""
    if options.source:
        return pd.Series(options.source, index=t.raw.index, dtype="string")
    if sf := t.cols.get("source"):
        source = t.raw[sf].astype("string").str.strip().fillna(default)
        return source.where(source != "", default)
    return pd.Series(default, index=t.raw.index, dtype="string")
