"""A CSV export read in chunks of rows, with the rules of :func:`geo.io.tabular.read_csv_raw`.

:func:`scan_csv` passes over the file once in blocks of bytes (never the whole file in memory): the same
bounds as the whole-file reader (the longest line, a ``.gz`` that expands too far, text that does not decode)
with the same messages and line numbers, and whether pyarrow's parser reads the file as the whole-file reader
would (no blank lines, distinct header names). :func:`iter_csv_chunks` then yields the rows in chunks, each
with its rows' numbers as a spreadsheet shows them (header = 1, first data row = 2), every value as text,
and each cell checked against the longest value allowed.

A file the scan finds unfit for the streaming parser (blank lines, repeated or empty header names) is read
whole by :func:`geo.io.tabular.read_csv_raw`, as ``geo run`` reads it.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from geo.errors import InputError
from geo.io.tabular import (
    MAX_EXPANDED_BYTES,
    MAX_FIELD_CHARS,
    MAX_LINE_BYTES,
    encoding_hint,
    sniff_csv,
)

__all__ = ["CsvScan", "NotStreamable", "iter_csv_chunks", "scan_csv"]

_BLOCK = 1 << 24
"""Bytes read at a time by the scan (16 MiB)."""


class NotStreamable(Exception):  # noqa: N818 - a signal to read the file whole, not an error
    """The streaming parser cannot read this file as the whole-file reader would; read it whole."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


@dataclass(frozen=True)
class CsvScan:
    """What one pass over a CSV file found.

    Attributes
    ----------
    encoding, sep
        As :func:`geo.io.tabular.sniff_csv` detects them (or as given).
    names
        The header's column names, stripped.
    streamable
        Whether the streaming parser reads the file as the whole-file reader does (distinct, non-empty
        header names; no blank line; at least a header).
    """

    encoding: str
    sep: str
    names: tuple[str, ...]
    streamable: bool


def _open(path: Path) -> BinaryIO:
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")  # noqa: SIM115 - closed by the caller's with-block


def _blocks(path: Path, *, max_expanded: int) -> Iterator[bytes]:
    """Yield the file's bytes in blocks; a ``.gz`` expanding past `max_expanded` bytes is refused."""
    total = 0
    try:
        with _open(path) as fh:
            while block := fh.read(_BLOCK):
                total += len(block)
                if path.suffix.lower() == ".gz" and total > max_expanded:
                    raise InputError(
                        f"expands to more than {max_expanded:,} bytes when decompressed; refused "
                        "(a compression bomb?)",
                        path=str(path),
                    )
                yield block
    except (gzip.BadGzipFile, EOFError, zlib.error) as err:
        raise InputError(f"not a readable gzip file: {err}", path=str(path)) from err
    except OSError as err:
        raise InputError(f"cannot read: {err}", path=str(path)) from err


def _line_error(path: Path, line: int, length: int, max_line: int) -> InputError:
    return InputError(
        f"line {line} is {length:,} bytes long; at most {max_line:,} are accepted (is this a CSV file?)",
        path=str(path),
        row=line,
    )


class _Lines:
    """Line lengths over blocks: refuses a line longer than the bound, naming it (one linear pass)."""

    def __init__(self, path: Path, max_line: int) -> None:
        self.path, self.max_line = path, max_line
        self.done = 0  # bytes before the current block
        self.prev = -1  # position of the last newline seen, in the whole file
        self.lines = 0  # newlines seen

    def feed(self, block: bytes) -> None:
        arr = np.frombuffer(block, dtype=np.uint8)
        ends = np.flatnonzero(arr == 10) + self.done
        if len(ends):
            lengths = np.diff(np.concatenate(([self.prev], ends))) - 1
            worst = int(np.argmax(lengths))
            if lengths[worst] > self.max_line:
                raise _line_error(self.path, self.lines + worst + 1, int(lengths[worst]), self.max_line)
            self.lines += len(ends)
            self.prev = int(ends[-1])
        self.done += len(block)
        if self.done - self.prev - 1 > self.max_line:
            raise _line_error(self.path, self.lines + 1, self.done - self.prev - 1, self.max_line)


def scan_csv(
    path: Path,
    *,
    encoding: str | None = None,
    sep: str | None = None,
    max_line_bytes: int = MAX_LINE_BYTES,
    max_expanded_bytes: int = MAX_EXPANDED_BYTES,
) -> CsvScan:
    """Pass over a CSV file once in blocks: check its bounds and encoding, and whether it can be streamed.

    Raises
    ------
    InputError
        As :func:`geo.io.tabular.read_csv_raw` does for a line too long, a ``.gz`` expanding too far or text
        that does not decode in the encoding.
    """
    encoding, sep = sniff_csv(path, encoding=encoding, sep=sep)
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = _Lines(path, max_line_bytes)
    carry, header, blank, first = "", None, False, True
    for block in _blocks(path, max_expanded=max_expanded_bytes):
        lines.feed(block)
        try:
            text = decoder.decode(block)
        except UnicodeDecodeError as err:
            line = lines.lines - block.count(b"\n") + block[: err.start].count(b"\n") + 1
            raise InputError(
                f"cannot decode as {encoding}; {encoding_hint(block, encoding)}", path=str(path), row=line
            ) from err
        parts = (carry + text).splitlines(keepends=True)
        carry = parts.pop() if parts else ""  # the last line may go on in the next block
        if first and parts:
            header, parts, first = parts[0], parts[1:], False
        blank = blank or any(not ln.strip() for ln in parts)
    carry += decoder.decode(b"", final=True)
    if first and carry:
        header, carry = carry, ""
    blank = blank or bool(carry and not carry.strip())
    if header is None:
        return CsvScan(encoding, sep, (), False)
    names = tuple(
        h.strip() for h in next(csv.reader([header.splitlines()[0].lstrip("\ufeff")], delimiter=sep))
    )
    streamable = not blank and len(set(names)) == len(names) and "" not in names
    return CsvScan(encoding, sep, names, streamable)


def _check_cells(table: object, rows: np.ndarray, path: Path, *, max_chars: int) -> None:
    """Refuse a cell longer than `max_chars`, naming the file, row and column (as the whole reader does)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not isinstance(table, pa.Table):
        raise TypeError("a pyarrow Table expected")
    for name, column in zip(table.column_names, table.columns, strict=True):
        lengths = np.nan_to_num(np.asarray(pc.utf8_length(column).to_numpy(), dtype="float64"))
        if len(lengths) and lengths.max() > max_chars:
            i = int(np.argmax(lengths))
            raise InputError(
                f"a value of {int(lengths[i]):,} characters; at most {max_chars:,} are accepted in one cell",
                path=str(path),
                row=int(rows[i]),
                field=str(name),
            )


def iter_csv_chunks(
    path: Path,
    scan: CsvScan,
    *,
    chunk_rows: int,
    max_field_chars: int = MAX_FIELD_CHARS,
) -> Iterator[tuple[pd.DataFrame, np.ndarray]]:
    """Yield the rows of a streamable CSV file (:func:`scan_csv`) in chunks of at most `chunk_rows`.

    Yields
    ------
    raw, rows
        The chunk's values as text (empty string for an empty cell; columns as the header names them,
        the same dtypes as :func:`geo.io.tabular.read_csv_raw` gives) and each row's spreadsheet number.

    Raises
    ------
    InputError
        When a cell is too long or a column name too long.
    NotStreamable
        When the streaming parser fails (a row with more or fewer fields than the header, an unclosed
        quote): the whole-file reader, whose fallback parser reads more, must read the file.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if any(len(n) > max_field_chars for n in scan.names):
        raise InputError("a column name is too long", path=str(path), row=1)
    names = list(scan.names)
    arrow_encoding = "utf8" if codecs.lookup(scan.encoding).name.startswith("utf-8") else scan.encoding
    source = pa.input_stream(str(path), compression="gzip" if path.suffix.lower() == ".gz" else None)
    block = int(min(1 << 24, max(1 << 16, chunk_rows * 256)))
    try:
        reader = pacsv.open_csv(
            source,
            read_options=pacsv.ReadOptions(
                column_names=names, skip_rows=1, block_size=block, encoding=arrow_encoding
            ),
            parse_options=pacsv.ParseOptions(delimiter=scan.sep, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        pending: list[Any] = []
        have, first_row = 0, 2
        while True:
            batch = _next_batch(reader)
            if batch is not None:
                pending.append(batch)
                have += batch.num_rows
            while have >= chunk_rows or (batch is None and have):
                table = pa.Table.from_batches(pending, schema=reader.schema)
                part, rest = table.slice(0, chunk_rows), table.slice(chunk_rows)
                rows = np.arange(first_row, first_row + part.num_rows, dtype="int64")
                _check_cells(part, rows, path, max_chars=max_field_chars)
                yield _to_pandas(part), rows
                first_row += part.num_rows
                pending, have = rest.to_batches(), rest.num_rows
            if batch is None:
                return
    except (pa.ArrowInvalid, pa.ArrowTypeError) as err:
        raise NotStreamable(str(path)) from err  # the whole-file reader's own parser decides
    finally:
        source.close()


def _next_batch(reader: Any) -> Any:
    try:
        return reader.read_next_batch()
    except StopIteration:
        return None


def _to_pandas(table: object) -> pd.DataFrame:
    import pyarrow as pa

    if not isinstance(table, pa.Table):
        raise TypeError("a pyarrow Table expected")
    frame = table.to_pandas(types_mapper=lambda t: pd.StringDtype("pyarrow") if t == pa.string() else None)
    return frame.reset_index(drop=True)
