"""Counts against earlier periods: a window before the first report is unknown, not zero."""

from __future__ import annotations

import pandas as pd

from geo.rhythm.changes import count_changes, since_last_lines

TZ = "Europe/Stockholm"


def _reports(days: list[str]) -> pd.DataFrame:
    times = pd.to_datetime(days).tz_localize(TZ)
    return pd.DataFrame({"occurred_at": times, "category": "stöld", "source": "police"})


def test_previous_period_before_the_data_is_unknown():
    reports = _reports([f"2026-10-{d:02d} 12:00" for d in range(5, 30)])
    counts = count_changes(
        reports, start=pd.Timestamp("2026-10-05", tz=TZ), end=pd.Timestamp("2026-11-02", tz=TZ)
    )
    row = counts[(counts["group"] == "kategori") & (counts["value"] == "stöld")].iloc[0]
    assert row["n_now"] == 25 and pd.isna(row["n_previous"]) and pd.isna(row["n_year_before"])
    lines = since_last_lines(None, counts, previous_period="2026-09-28 – 2026-10-25")
    assert "Perioden före ligger före de äldsta data: antalen jämförs inte." in lines
    assert not any("0→25" in line for line in lines)


def test_previous_period_with_data_counts_zero_as_zero():
    reports = _reports(["2026-09-07 12:00", *[f"2026-10-{d:02d} 12:00" for d in range(5, 30)]])
    counts = count_changes(
        reports, start=pd.Timestamp("2026-10-05", tz=TZ), end=pd.Timestamp("2026-11-02", tz=TZ)
    )
    row = counts[(counts["group"] == "kategori") & (counts["value"] == "stöld")].iloc[0]
    assert row["n_previous"] == 1 and pd.isna(row["n_year_before"])
