"""CSV reading as users' exports come: UTF-8 or Windows-1252, ``,``/``;``/tab separators, decimal commas."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import InputError

__all__ = ["encoding_hint", "read_csv_raw", "sniff_csv"]


def _open_bytes(path: Path, n: int | None = None) -> bytes:
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "rb") as fh:
        return fh.read(n) if n else fh.read()


def sniff_csv(path: Path, *, encoding: str | None = None, sep: str | None = None) -> tuple[str, str]:
    """Detect a CSV file's encoding and separator.

    Parameters
    ----------
    path
        The file (``.csv`` or ``.csv.gz``).
    encoding, sep
        Given values win.

    Returns
    -------
    encoding, sep
        UTF-8 (``utf-8-sig``) when the file decodes as UTF-8, else Windows-1252 (``cp1252``); the separator
        that occurs most often in the header line among ``;``, ``,``, tab and ``|``.
    """
    head = _open_bytes(path, 1 << 16)
    if encoding is None:
        try:
            head.decode("utf-8")
            encoding = "utf-8-sig"
        except UnicodeDecodeError as err:
            # a multi-byte character cut at the sample's end is still UTF-8
            encoding = "utf-8-sig" if err.start >= len(head) - 3 else "cp1252"
    if sep is None:
        first = head.decode(encoding, errors="replace").splitlines()[0] if head else ""
        counts = {s: first.count(s) for s in (";", ",", "\t", "|")}
        sep = max(counts, key=lambda s: counts[s]) if any(counts.values()) else ","
    return encoding, sep


def _read_with_arrow(path: Path, text: str, *, encoding: str, sep: str) -> pd.DataFrame | None:
    """Parse with pyarrow's multi-threaded CSV reader, every column as text; ``None`` when it cannot.

    Files pyarrow's parser would read differently from a spreadsheet (blank lines, repeated or missing
    header names, ragged rows) return ``None`` and go through pandas' parser instead.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    lines = text.splitlines()
    if not lines:
        return None
    header = next(csv.reader([lines[0].lstrip("\ufeff")], delimiter=sep))
    names = [h.strip() for h in header]
    if len(set(names)) != len(names) or "" in names or any(not ln.strip() for ln in lines[1:]):
        return None
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    return table.to_pandas(types_mapper=lambda t: pd.StringDtype("pyarrow") if t == pa.string() else None)


def encoding_hint(data: bytes, failed: str) -> str:
    """Suggest an ``--encoding`` that decodes `data`, never the one that just `failed`."""
    import codecs

    tried = codecs.lookup(failed).name
    for candidate in ("utf-8", "cp1252", "latin-1"):
        if codecs.lookup(candidate).name == tried:
            continue
        try:
            data.decode(candidate)
        except UnicodeDecodeError:
            continue
        return f"the file decodes as {candidate}: give --encoding {candidate}"
    return "give --encoding with the file's encoding"


def read_csv_raw(
    path: Path, *, encoding: str | None = None, sep: str | None = None
) -> tuple[pd.DataFrame, np.ndarray, str, str]:
    """Read a CSV file with every value as text.

    Parameters
    ----------
    path
        The file (``.csv``, ``.txt`` or gzip-compressed ``.csv.gz``).
    encoding, sep
        Encoding and separator; detected when ``None``.

    Returns
    -------
    raw, rows, encoding, sep
        The values as strings (empty string for empty cells), each row's number as a spreadsheet shows it
        (header = 1, first data row = 2), and the encoding and separator used.

    Raises
    ------
    InputError
        If the file cannot be decoded or parsed.
    """
    encoding, sep = sniff_csv(path, encoding=encoding, sep=sep)
    try:
        data = _open_bytes(path)
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(
            f"cannot decode as {encoding}; {encoding_hint(data, encoding)}", path=str(path), row=line
        ) from err
    except OSError as err:
        raise InputError(f"cannot read: {err}", path=str(path)) from err
    raw = _read_with_arrow(path, text, encoding=encoding, sep=sep)
    if raw is not None:
        rows = np.arange(2, len(raw) + 2, dtype="int64")
        return raw, rows, encoding, sep
    try:
        raw = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            engine="c",
            skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
        )
    except pd.errors.ParserError as err:
        raise InputError(f"cannot parse as CSV with separator '{sep}': {err}", path=str(path)) from err
    except pd.errors.EmptyDataError as err:
        raise InputError("file is empty", path=str(path)) from err
    raw.columns = [str(c).strip() for c in raw.columns]
    # a spreadsheet shows one row per record (even when a quoted field spans lines) and shows blank lines
    rows = np.arange(2, len(raw) + 2, dtype="int64")
    return raw, rows, encoding, sep
