"""Error messages: one readable line, no internal class names, hints that help."""

from __future__ import annotations

import codecs

import pytest

from geo.io.tabular import encoding_hint
from tests._helpers import run_geo


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("hotspots", "--nosuch", "x"), "unknown option --nosuch"),
        (("hotspots",), "missing argument SOURCES"),
        (("nosuchcmd",), "unknown command 'nosuchcmd' (see geo --help"),
    ],
)
def test_usage_errors_are_one_line_without_class_names(args, expected):
    proc = run_geo(*args)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert expected in lines[0] and lines[0].startswith("error: ")
    for name in ("NoSuchOption", "MissingParameter", "UsageError", "Exception", "Traceback"):
        assert name not in proc.stderr


def test_the_encoding_hint_never_suggests_the_encoding_that_failed(tmp_path):
    src = tmp_path / "bad.csv"
    src.write_bytes(b"lat;lon\n\xe5\x81;1\n")  # 0x81 is undefined in cp1252
    proc = run_geo("ingest", str(src), "--encoding", "cp1252", "--out", str(tmp_path / "x.parquet"))
    assert proc.returncode == 1
    line = proc.stderr.strip()
    assert "cannot decode as cp1252" in line and "--encoding cp1252" not in line
    assert "--encoding latin-1" in line


@pytest.mark.parametrize("failed", ["utf-8", "UTF8", "cp1252", "windows-1252"])
def test_hint_names_an_encoding_that_works(failed):
    data = "Åsa;Östra\n".encode("cp1252")
    hint = encoding_hint(data, failed)
    suggested = hint.rsplit(" ", 1)[-1]
    data.decode(suggested)
    assert codecs.lookup(suggested).name != codecs.lookup(failed).name
