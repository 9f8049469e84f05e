"""geo.io.merge: several sources as one."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.io import read_reports


def test_id_repeated_across_sources_rejected(tmp_path: Path, now: pd.Timestamp) -> None:
    from geo.io import merge_results

    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("id,lat,lon,time,category\nX1,57.18,14.05,2024-03-05 22:10,stöld\n", encoding="utf-8")
    b.write_text(
        "id;lat;lon;time;category\nX1;57,19;14,06;2024-03-06 10:00;rån\n"
        "X2;57,19;14,06;2024-03-06 11:00;rån\n",
        encoding="utf-8",
    )
    together = read_reports([a, b], now=now)
    apart = merge_results([read_reports([a], now=now), read_reports([b], now=now)])
    for result in (together, apart):
        assert list(result.reports["report_id"]) == ["X1", "X2"]
        entry = result.rejects.iloc[0]
        assert entry["file"].endswith("b.csv") and entry["row"] == 2 and entry["field"] == "report_id"
        assert "already read from" in entry["reason"]
        assert result.rows_read == {str(a): 1, str(b): 2}
