"""Reports a moderator took out of the analyses: ``rejected`` ones and ``duplicate`` ones.

The service's store (``geo serve``'s GeoPackage or PostGIS database) keeps every report with its
moderation ``status``. When ``geo ingest`` or ``geo run`` read that store (or a copy of it),
:func:`drop_moderated` leaves out the reports a moderator rejected or marked as a duplicate and lists them
in the rejection table, so the analyses use every report except those two, as the service's own runs do.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.rejects import REJECT_COLUMNS, RejectLog

__all__ = ["LEFT_OUT", "drop_moderated"]

LEFT_OUT: dict[str, str] = {
    "rejected": "rejected by a moderator / avvisad vid granskning",
    "duplicate": "a duplicate of another report / dubblett av en annan rapport",
}
"""Statuses the analyses leave out, with the reason written to the rejection table."""

_STATUSES = {"new", "approved", "rejected", "duplicate"}


def drop_moderated(raw: pd.DataFrame, *, source: str) -> tuple[np.ndarray, pd.DataFrame]:
    """Find the rows of a moderated store that the analyses leave out.

    A table counts as a moderated store when it has the service's ``status`` and ``duplicate_of`` columns
    and every status is one the service gives; any other table is left alone.

    Parameters
    ----------
    raw
        The table as read (one row a report, rows in input order).
    source
        The file or URL (for the rejection table).

    Returns
    -------
    keep, notes
        A boolean mask of the rows to keep, and the rejection table of the others.
    """
    keep = np.ones(len(raw), dtype=bool)
    empty = pd.DataFrame(columns=REJECT_COLUMNS)
    if not {"status", "duplicate_of"} <= set(raw.columns) or not len(raw):
        return keep, empty
    status = raw["status"].astype("string")
    if not set(status.dropna().unique()) <= _STATUSES:
        return keep, empty
    log = RejectLog(source)
    for value, reason in LEFT_OUT.items():
        hit = (status == value).fillna(False).to_numpy(dtype=bool)
        if hit.any():
            log.add(np.flatnonzero(hit) + 1, field="status", reason=reason, value=[value] * int(hit.sum()))
            keep &= ~hit
    return keep, log.frame()
