"""The rejection table every reader keeps: each row not accepted, or accepted with a warning, and why.

It is part of the data model (``file,row,field,reason,status,value``), so readers, layers and stages share
one definition; :class:`RejectLog` collects such a table while a file is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["REJECT_COLUMNS", "RejectLog", "empty_rejects"]

REJECT_COLUMNS = ["file", "row", "field", "reason", "status", "value"]
"""Columns of the rejection table; ``status`` is ``rejected`` or ``warning``."""


@dataclass
class RejectLog:
    """Collects rejected and warned rows while a file is read.

    Parameters
    ----------
    file
        The input file's name as the user gave it.
    """

    file: str
    _parts: list[pd.DataFrame] = field(default_factory=list)

    def add(
        self,
        rows: Sequence[int] | np.ndarray | pd.Series,
        *,
        field: str,
        reason: str | Sequence[str] | np.ndarray | pd.Series,
        status: str = "rejected",
        value: Sequence[object] | np.ndarray | pd.Series | None = None,
    ) -> None:
        """Record rows (input row numbers) with one field and a reason each.

        Parameters
        ----------
        rows
            Row numbers as the user sees them.
        field
            Column name as the input calls it.
        reason
            One reason for all rows, or one per row.
        status
            ``rejected`` or ``warning``.
        value
            The offending raw values, aligned with `rows`.
        """
        rows_arr = np.asarray(rows, dtype="int64")
        if rows_arr.size == 0:
            return
        reasons = np.asarray(reason, dtype=object)
        vals = (
            np.asarray(value, dtype=object) if value is not None else np.full(rows_arr.size, "", dtype=object)
        )
        self._parts.append(
            pd.DataFrame(
                {
                    "file": self.file,
                    "row": rows_arr,
                    "field": field,
                    "reason": reasons if reasons.ndim else np.full(rows_arr.size, reason, dtype=object),
                    "status": status,
                    "value": [
                        ("" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)[:200])
                        for v in vals
                    ],
                }
            )
        )

    def extend(self, other: pd.DataFrame) -> None:
        """Append rows of another rejection table."""
        if len(other):
            self._parts.append(other[REJECT_COLUMNS])

    def frame(self) -> pd.DataFrame:
        """Return the table sorted by row, one line a problem."""
        if not self._parts:
            return pd.DataFrame(
                {c: pd.Series(dtype="int64" if c == "row" else "object") for c in REJECT_COLUMNS}
            )
        out = pd.concat(self._parts, ignore_index=True)
        return out.sort_values(["file", "row"], kind="stable").reset_index(drop=True)


def empty_rejects() -> pd.DataFrame:
    """Return an empty rejection table with its columns (``row`` as integers)."""
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "object") for c in REJECT_COLUMNS})
