"""Value columns of a raw table: numbers, category, ids, free text, weight, location precision, source.

Each reader takes the :class:`~geo.io.rejects.RawTable`, rejects the rows whose value cannot be used (saying
why) and returns the canonical column.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from geo.errors import InputError
from geo.io.options import ReaderOptions
from geo.io.rejects import RawTable
from geo.model import PRECISIONS

__all__ = [
    "SeenIds",
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


class SeenIds:
    """Ids already read, each with the row (or file) of its first use: a file read in chunks.

    Kept compact, as one Arrow string array a chunk (about 15 bytes an id, not a Python string each), so that
    remembering the ids of a country's export costs tens of MiB, not the export.
    """

    def __init__(self) -> None:
        self._parts: list[tuple[Any, np.ndarray]] = []

    def __len__(self) -> int:
        return sum(len(ids) for ids, _ in self._parts)

    @staticmethod
    def _arrow(ids: pd.Series) -> Any:
        import pyarrow as pa

        arr = pa.array(ids.astype("string[pyarrow]").array)
        return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr

    def first(self, ids: pd.Series) -> pd.Series:
        """Return the first use of each id already seen (aligned with `ids`; missing where new)."""
        import pyarrow.compute as pc

        found = pd.Series(pd.NA, index=ids.index, dtype="object")
        values = self._arrow(ids)
        for seen, firsts in self._parts:
            at = pc.fill_null(pc.index_in(values, value_set=seen), -1).to_numpy(zero_copy_only=False)
            hit = (at >= 0) & found.isna().to_numpy()
            if hit.any():
                found.iloc[np.flatnonzero(hit)] = firsts[at[hit]]
        return found

    def extend(self, other: SeenIds) -> None:
        """Remember the ids of `other` too (none of them seen here before)."""
        self._parts += other._parts

    def add(self, ids: pd.Series, firsts: np.ndarray) -> None:
        """Remember new `ids` (distinct, none seen before) with their first use."""
        if len(ids):
            self._parts.append((self._arrow(ids), np.asarray(firsts)))


def read_ids(t: RawTable, seen: SeenIds | None = None) -> tuple[pd.Series, bool]:
    """Return ``report_id`` and whether the input has ids of its own.

    Without ids, ``<file>:<row>`` is the id. A blank id is replaced so (with a warning); a repeated id is
    rejected, naming the row of its first use. With `seen` (the ids of the same file's earlier chunks), an
    id first used in an earlier chunk is a repeat too, and the chunk's new ids are added to it.
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
    earlier = seen.first(kept_ids) if seen is not None and len(seen) else None
    if earlier is not None:
        dup |= t.keep & earlier.notna().to_numpy()
    if dup.any():
        first_row = pd.Series(t.rows[t.keep], index=kept_ids[t.keep].to_numpy()).groupby(level=0).first()
        if earlier is not None:  # an id of an earlier chunk: its first row there
            known = earlier[earlier.notna()]
            first_row = pd.concat(
                [pd.Series(known.to_numpy(), index=kept_ids[known.index].to_numpy()), first_row]
            )
            first_row = first_row[~first_row.index.duplicated(keep="first")]
        reasons = [f"repeated id (first at row {first_row[i]})" for i in ids[dup]]
        t.log.add(t.rows[dup], field=id_field, reason=reasons, value=ids[dup])
        t.keep &= ~dup
    if seen is not None:
        seen.add(ids[t.keep], t.rows[t.keep])
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
