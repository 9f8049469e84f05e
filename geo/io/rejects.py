"""A raw table being mapped to the report model, with its row numbers, the rows still accepted and the log.

Every check is one call on :class:`RawTable` that drops rows and says why in the rejection table
(:mod:`geo.rejects`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from geo.rejects import RejectLog

__all__ = ["RawTable"]


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
