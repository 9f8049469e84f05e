"""The run's workbook: every table of the run on its own sheet, typed cells, filters, frozen headers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from geo.io.outputs.workbook import WORKBOOK_NAME, run_tables, write_workbook
from geo.io.outputs.workbook_texts import sheet_name
from geo.pipeline import RunResult


def test_the_run_writes_a_workbook_with_every_table(demo_result: RunResult, demo_out: Path) -> None:
    path = demo_out / WORKBOOK_NAME
    assert demo_result.outputs["workbook"] == path
    assert demo_result.manifest.path_of("workbook") is not None
    wb = load_workbook(path)
    csv_kinds = [f.kind for f in demo_result.manifest.files if f.path.endswith(".csv") and f.layer is None]
    expected = {sheet_name(k, "sv") for k in [*csv_kinds, "hotspots"]}
    assert expected <= set(wb.sheetnames)
    assert wb.sheetnames[0] == "Hot-spots" and wb.sheetnames[-2:] == ["Avvisade mätningar", "Om arbetsboken"]
    about = {r[0]: r[1:] for r in wb["Om arbetsboken"].iter_rows(min_row=2, values_only=True)}
    assert about["Prognos"][0] == wb["Prognos"].max_row - 1 == 5_000 < about["Prognos"][1]
    assert about["Prognos"][2] == "forecast.csv"
    assert (
        about["Patrullplan"][0] == about["Patrullplan"][1] == len(pd.read_csv(demo_out / "patrol_plan.csv"))
    )
    for name in ("Patrullplan", "Belysningsförslag", "Hastighetskontroller", "Prognos", "Avvisade rader"):
        assert name in wb.sheetnames
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert all(c.font.bold for c in ws[1]), ws.title


def _number(v: object) -> bool:
    """A numeric cell (Excel keeps 1.0 as 1, so openpyxl reads it back as an int)."""
    return isinstance(v, int | float) and not isinstance(v, bool)


def _column(ws, head: str) -> list:
    heads = [c.value for c in ws[1]]
    i = heads.index(head)
    return [row[i] for row in ws.iter_rows(min_row=2, values_only=True)]


def test_workbook_cells_are_typed_and_headers_swedish(demo_out: Path) -> None:
    wb = load_workbook(demo_out / WORKBOOK_NAME)
    plan = wb["Patrullplan"]
    heads = [c.value for c in plan[1]]
    assert {"Datum", "Veckodag", "Start", "Slut", "Plats", "Förväntad andel"} <= set(heads)
    assert all(isinstance(v, dt.datetime) for v in _column(plan, "Datum"))  # Excel dates
    assert all(isinstance(v, dt.time) for v in _column(plan, "Start"))
    assert all(_number(v) for v in _column(plan, "Förväntad andel"))
    assert all(isinstance(v, int) for v in _column(plan, "Ordning"))
    assert plan.cell(row=2, column=heads.index("Datum") + 1).number_format == "yyyy-mm-dd"
    hot = wb["Hot-spots"]
    assert all(isinstance(v, int) for v in _column(hot, "Antal rapporter"))
    assert all(isinstance(v, float) for v in _column(hot, "Latitud"))
    checks = wb["Hastighetskontroller"]
    assert all(_number(v) for v in _column(checks, "Andel över gränsen"))


def test_english_headers_with_lang_en_and_text_never_a_formula(tmp_path: Path) -> None:
    table = pd.DataFrame(
        {
            "street": ['=HYPERLINK("x")', "Storgatan"],
            "n_reports": [3, 4],
            "as_of": ["2026-11-01T00:00:00+01:00", "2026-07-01T12:30:00+02:00"],
        }
    )
    write_workbook({"hotspots": table, "new_stage_table": table}, tmp_path, lang="en")
    wb = load_workbook(tmp_path / WORKBOOK_NAME)
    assert wb.sheetnames == ["Hot-spots", "new_stage_table", "About"]  # a later stage's table gets a sheet
    ws = wb["Hot-spots"]
    assert [c.value for c in ws[1]] == ["Street", "N reports", "As of"]
    assert ws["A2"].data_type == "s" and ws["A2"].value.startswith("=")
    assert ws["C3"].value == dt.datetime(2026, 7, 1, 12, 30)  # local wall time


def test_run_tables_reads_csv_with_a_byte_order_mark(tmp_path: Path) -> None:
    from geo.io.export import write_csv
    from geo.io.manifest import OutputFile

    path = write_csv(pd.DataFrame({"gata": ["Åsgatan"], "antal": [2]}), tmp_path / "t.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with its mark
    tables = run_tables([OutputFile("t", str(path), "x")])
    assert list(tables["t"].columns) == ["gata", "antal"]
    assert list(pd.read_csv(path).columns) == ["gata", "antal"]  # pandas drops the mark
