"""The rejection table beside a public map holds no rejected positions or free text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests._helpers import run_geo


def test_public_map_rejects_hold_no_raw_values(tmp_path: Path, data_dir: Path) -> None:
    police = pd.read_csv(data_dir / "demo" / "polisanmalningar.csv", sep=";", encoding="cp1252", dtype=str)
    src = tmp_path / "reports.csv"
    extra = police.iloc[[0]].copy()
    extra[police.columns[0]] = "EXTRA-1"
    lat_col = next(c for c in police.columns if c.lower().startswith("lat"))
    lon_col = next(c for c in police.columns if c.lower().startswith("lon"))
    extra[lat_col], extra[lon_col] = "59,3293", "18,0686"  # Stockholm: outside Värnamo
    pd.concat([police, extra]).to_csv(src, sep=";", index=False, encoding="cp1252")
    out = tmp_path / "pub.html"
    proc = run_geo(
        "map", str(src), "--area", "0683", "--public", "--tiles", "none", "--out", str(out), cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    rejects = pd.read_csv(tmp_path / "pub.html.rejects.csv")
    assert "value" not in rejects.columns
    assert (rejects["reason"].str.contains("utanför studieområdet")).any()  # the reasons are in Swedish
    assert "59.3293" not in (tmp_path / "pub.html.rejects.csv").read_text(encoding="utf-8")
