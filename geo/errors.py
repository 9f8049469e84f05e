"""Error hierarchy of lagesbild.

Every error a user can cause is a :class:`LagesbildError`; the command line prints it as one readable line
(the traceback only with ``--debug``). Subclasses derive from :class:`ValueError` so that plain
``except ValueError`` keeps working.
"""

from __future__ import annotations

__all__ = ["ConfigError", "CRSError", "InputError", "LagesbildError", "SchemaError"]


class LagesbildError(ValueError):
    """Base class of every error lagesbild raises on purpose."""


class InputError(LagesbildError):
    """A problem in an input file, located by file, row and field.

    Parameters
    ----------
    message
        What is wrong and, where possible, what to do.
    path
        The input file (or URL) the problem is in.
    row
        Row as a spreadsheet shows it (header = 1) for CSV, 1-based feature number otherwise.
    field
        The column as the input calls it.
    """

    def __init__(
        self, message: str, *, path: str | None = None, row: int | None = None, field: str | None = None
    ) -> None:
        self.path = path
        self.row = row
        self.field = field
        where = ", ".join(
            part
            for part in (
                str(path) if path else "",
                f"row {row}" if row is not None else "",
                f"field '{field}'" if field else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


class SchemaError(LagesbildError):
    """A frame does not follow the canonical report model."""


class CRSError(LagesbildError):
    """Coordinates are in a CRS the computation cannot use (for example degrees where metres are needed)."""


class ConfigError(LagesbildError):
    """A configuration file has a missing, unknown or invalid key."""
