"""CSV reading as users' exports come: UTF-8 or Windows-1252, ``,``/``;``/tab separators, decimal commas."""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import InputError

__all__ = [
    "MAX_EXPANDED_BYTES",
    "MAX_FIELD_CHARS",
    "MAX_LINE_BYTES",
    "encoding_hint",
    "read_csv_raw",
    "sniff_csv",
]

MAX_FIELD_CHARS = 100_000
"""Longest value accepted in one CSV cell (characters); a longer one is an error naming the file and row."""

MAX_LINE_BYTES = 1_000_000
"""Longest line accepted (bytes, the header line too); a longer one is an error naming the file and row."""

MAX_EXPANDED_BYTES = 512 << 20
"""Most bytes a compressed file (``.gz``) may expand to; it is decompressed in chunks and refused beyond."""

_CHUNK = 1 << 20


def _open_bytes(path: Path, n: int | None = None, *, max_expanded: int = MAX_EXPANDED_BYTES) -> bytes:
    """Read a file (gzip-compressed when ``.gz``), at most `n` bytes.

    A ``.gz`` is read in chunks and refused once it expands past `max_expanded` bytes (a gzip bomb never
    fills memory).
    """
    if path.suffix.lower() != ".gz":
        with open(path, "rb") as fh:
            return fh.read(n) if n else fh.read()
    buf = bytearray()
    limit = n if n else max_expanded + 1
    try:
        with gzip.open(path, "rb") as fh:
            while len(buf) < limit:
                chunk = fh.read(min(_CHUNK, limit - len(buf)))
                if not chunk:
                    break
                buf += chunk
    except (gzip.BadGzipFile, EOFError, zlib.error) as err:
        raise InputError(f"not a readable gzip file: {err}", path=str(path)) from err
    if not n and len(buf) > max_expanded:
        raise InputError(
            f"expands to more than {max_expanded:,} bytes when decompressed; refused (a compression bomb?)",
            path=str(path),
        )
    return bytes(buf)


def _check_lines(data: bytes, path: Path, *, max_line: int, window: int = 1 << 26) -> tuple[int, int]:
    """Refuse a line longer than `max_line` bytes (one linear pass), naming the file and the line.

    Returns the longest line's length and the number of lines.
    """
    n_lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    arr = np.frombuffer(data, dtype=np.uint8)
    prev, line_no, longest = -1, 0, 0
    for start in range(0, len(arr), window):
        ends = np.flatnonzero(arr[start : start + window] == 10) + start
        if not len(ends):
            if start + window - prev - 1 > max_line:
                break  # this line is already too long
            continue
        lengths = np.diff(np.concatenate(([prev], ends))) - 1
        worst = int(np.argmax(lengths))
        if lengths[worst] > max_line:
            _line_error(path, line_no + worst + 1, int(lengths[worst]), max_line)
        longest = max(longest, int(lengths[worst]))
        line_no += len(ends)
        prev = int(ends[-1])
    if len(data) - prev - 1 > max_line:
        end = data.find(b"\n", prev + 1)
        _line_error(path, line_no + 1, (len(data) if end < 0 else end) - prev - 1, max_line)
    return max(longest, len(data) - prev - 1), n_lines


def _line_error(path: Path, line: int, length: int, max_line: int) -> None:
    raise InputError(
        f"line {line} is {length:,} bytes long; at most {max_line:,} are accepted (is this a CSV file?)",
        path=str(path),
        row=line,
    )


def _check_fields(raw: pd.DataFrame, rows: np.ndarray, path: Path, *, max_chars: int) -> None:
    """Refuse a cell longer than `max_chars`, naming the file, row and column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for c in raw.columns:
        values = pa.array(raw[c].astype(object), type=pa.string(), from_pandas=True)
        lengths = pc.utf8_length(values).to_numpy(zero_copy_only=False)
        lengths = np.nan_to_num(np.asarray(lengths, dtype="float64"))
        if len(lengths) and lengths.max() > max_chars:
            i = int(np.argmax(lengths))
            raise InputError(
                f"a value of {int(lengths[i]):,} characters; at most {max_chars:,} are accepted in one cell",
                path=str(path),
                row=int(rows[i]),
                field=str(c),
            )
    too_long = [str(c) for c in raw.columns if len(str(c)) > max_chars]
    if too_long:
        raise InputError("a column name is too long", path=str(path), row=1)


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
    path: Path,
    *,
    encoding: str | None = None,
    sep: str | None = None,
    max_field_chars: int = MAX_FIELD_CHARS,
    max_line_bytes: int = MAX_LINE_BYTES,
    max_expanded_bytes: int = MAX_EXPANDED_BYTES,
) -> tuple[pd.DataFrame, np.ndarray, str, str]:
    """Read a CSV file with every value as text.

    Parameters
    ----------
    path
        The file (``.csv``, ``.txt`` or gzip-compressed ``.csv.gz``).
    encoding, sep
        Encoding and separator; detected when ``None``.
    max_field_chars, max_line_bytes, max_expanded_bytes
        Bounds: the longest cell, the longest line, the most a ``.gz`` may expand to.

    Returns
    -------
    raw, rows, encoding, sep
        The values as strings (empty string for empty cells), each row's number as a spreadsheet shows it
        (header = 1, first data row = 2), and the encoding and separator used.

    Raises
    ------
    InputError
        If the file cannot be decoded or parsed, or passes a bound (naming the file and row).
    """
    encoding, sep = sniff_csv(path, encoding=encoding, sep=sep)
    try:
        data = _open_bytes(path, max_expanded=max_expanded_bytes)
        longest, n_lines = _check_lines(data, path, max_line=max_line_bytes)
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
        if longest > max_field_chars or len(raw) + 1 < n_lines:  # a cell may be too long
            _check_fields(raw, rows, path, max_chars=max_field_chars)
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
    if longest > max_field_chars or len(raw) + 1 < n_lines:  # a cell may be too long
        _check_fields(raw, rows, path, max_chars=max_field_chars)
    return raw, rows, encoding, sep
