"""The rejection table: every row a reader did not accept, or accepted with a warning, and why.

:class:`RejectLog` collects the table; :class:`RawTable` is a raw table being mapped together with its row
numbers, the rows still accepted and the log, so every check is one call that drops rows and says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["REJECT_COLUMNS", "RawTable", "RejectLog"]

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


@dataclass
class RawTable:
    """A raw table being mapped to the report model, with the account of its rows.

    Attributes
    ----------
    raw
        Raw values, columns named as in the input, index ``0..n-1``.
    rows
        Row number the user sees, for each raw row.
    cols
        The detected input column of each canonical field (see :func:`geo.io.columns.detect_columns`).
    log
        The rejection table being built.
    keep
        Rows still accepted.
    preset
        Canonical columns a reader already parsed (index ``0..n-1``).
    """

    raw: pd.DataFrame
    rows: np.ndarray
    cols: dict[str, str | None]
    log: RejectLog
    keep: np.ndarray
    preset: dict[str, pd.Series] = field(default_factory=dict)

    @property
    def file(self) -> str:
        """The input's name."""
        return self.log.file

    def reject(
        self,
        mask: np.ndarray,
        *,
        field: str,
        reason: str,
        value: pd.Series | np.ndarray | None = None,
    ) -> np.ndarray:
        """Reject the accepted rows in `mask`; return the rows rejected.

        Parameters
        ----------
        mask
            Rows with the problem (aligned with the raw table).
        field, reason
            The input column and what is wrong.
        value
            The offending values, aligned with the raw table.
        """
        hit = self.keep & mask
        self.log.add(self.rows[hit], field=field, reason=reason, value=_pick(value, hit))
        self.keep &= ~hit
        return hit

    def warn(
        self, mask: np.ndarray, *, field: str, reason: str, value: pd.Series | np.ndarray | None = None
    ) -> None:
        """List the accepted rows in `mask` with a warning; they stay accepted."""
        hit = self.keep & mask
        self.log.add(self.rows[hit], field=field, reason=reason, status="warning", value=_pick(value, hit))


def _pick(value: Any, hit: np.ndarray) -> Any:
    return None if value is None else value[hit]
