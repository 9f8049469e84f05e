"""Shared by the command-line tests: run `geo` in a fresh process; the demo police export's options."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import DEMO

GEO = [sys.executable, "-m", "geo"]
"""The console command as a fresh Python process runs it."""

DEMO_POLICE_ARGS = [
    str(DEMO / "polisanmalningar.csv"),
    "--encoding",
    "cp1252",
    "--sep",
    ";",
    "--id-col",
    "Ärendenummer",
    "--category-col",
    "Brottstyp",
    "--time-col",
    "occurred_from",
    "--time-to-col",
    "occurred_to",
    "--lat-col",
    "Latitud",
    "--lon-col",
    "Longitud",
]
"""The demo police export and its reader options on the command line (as data/demo/demo.toml reads it)."""


def run_geo(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run ``geo *args`` in a fresh process (in `cwd` if given), as a user does; output captured as text."""
    return subprocess.run([*GEO, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)
