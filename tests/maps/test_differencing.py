"""Differencing (issue 20, finding 7): public maps with different filters could be compared cell by cell to
reveal the small counts k-suppression hides, so a public map is made from all reports only.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import DEMO


def test_public_map_refuses_filters(tmp_path: Path, geo_inproc) -> None:  # noqa: ANN001
    src = [str(DEMO / "polisanmalningar.csv"), "--encoding", "cp1252", "--sep", ";", "--source", "police"]
    for flt in (["--weekdays", "Mon-Sat"], ["--hours", "22-03"]):
        out = tmp_path / "publik.html"
        proc = geo_inproc("map", *src, "--public", *flt, "--out", str(out), "--tiles", "none")
        assert proc.returncode != 0
        assert "--public cannot be combined with --weekdays/--hours" in proc.stderr + proc.stdout
        assert not out.exists()
