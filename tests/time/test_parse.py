"""The one time parser: the file reader, the service and the command line give the same answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pyproj
import pytest
import shapely

from geo.errors import InputError
from geo.io import read_reports
from geo.service.intake import Intake, Refusal, read_time
from geo.time.parse import (
    EARLIEST,
    LATEST,
    TimeError,
    in_future,
    local_midnight,
    parse_date,
    parse_time,
    parse_times,
)

TZ = "Europe/Stockholm"
NOW = pd.Timestamp("2026-11-25 12:00", tz=TZ)


def read_file_time(tmp_path: Path, text: str) -> tuple[pd.Timestamp | None, pd.DataFrame]:
    """The time the report file reader gives a one-row CSV, and its rejection table."""
    path = tmp_path / "one.csv"
    path.write_text(f"lat,lon,time,category\n57.18,14.05,{text},stöld\n", encoding="utf-8")
    result = read_reports([path], now=NOW)
    times = result.reports["occurred_at"]
    return (times.iloc[0] if len(times) else None), result.rejects


def service_intake() -> Intake:
    return Intake(
        area_name="Värnamo",
        area=shapely.box(13.9, 57.1, 14.2, 57.3),
        to_metric=pyproj.Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True),
        tz=ZoneInfo(TZ),
        max_text_chars=2000,
        future_slack_min=10,
    )


def submit(occurred_at: str) -> dict[str, object]:
    return {"lat": 57.18, "lon": 14.05, "category": "mörkt", "occurred_at": occurred_at}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05 22:10", "2024-03-05 22:10+01:00"),
        ("2024-03-05T22:10", "2024-03-05 22:10+01:00"),
        ("05.03.2024 22:10", "2024-03-05 22:10+01:00"),
        ("2024-03-05 kl. 22.10", "2024-03-05 22:10+01:00"),
        ("2024-03-05T21:10:00Z", "2024-03-05 22:10+01:00"),
        ("2024-07-05 22:10:00+00:00", "2024-07-06 00:10+02:00"),
        ("2024-10-27 02:30", "2024-10-27 02:30+02:00"),  # ambiguous: the earlier (summer-time) instant
        ("1999-06-01 12:00", "1999-06-01 12:00+02:00"),  # the service once refused years before 2000
    ],
)
def test_same_time_through_file_service_and_cli(tmp_path: Path, text: str, expected: str) -> None:
    want = pd.Timestamp(expected).tz_convert(TZ)
    from_file, _ = read_file_time(tmp_path, text)
    assert from_file == want
    assert read_time(text, tz=ZoneInfo(TZ)) == want
    assert parse_date(text, tz=TZ, name="--since") == want
    assert parse_time(text, tz=TZ) == want


def test_ambiguous_time_warned_everywhere(tmp_path: Path) -> None:
    text = "2024-10-27 02:30"
    _, rejects = read_file_time(tmp_path, text)
    assert rejects.iloc[0]["status"] == "warning" and "ambiguous" in rejects.iloc[0]["reason"]
    warned: list[str] = []
    parse_time(text, tz=TZ, warn=warned.append)
    assert len(warned) == 1 and "ambiguous" in warned[0] and "earlier instant" in warned[0]


def test_dst_gap_refused_in_all_three(tmp_path: Path) -> None:
    text = "2024-03-31 02:30"  # clocks jump from 02:00 to 03:00 in Sweden
    from_file, rejects = read_file_time(tmp_path, text)
    assert from_file is None
    entry = rejects.iloc[0]
    assert entry["status"] == "rejected" and "does not exist" in entry["reason"]
    with pytest.raises(TimeError, match="does not exist"):
        read_time(text, tz=ZoneInfo(TZ))
    with pytest.raises(Refusal) as refusal:
        service_intake().check(submit(text), now=NOW.to_pydatetime(), idempotency_key=None, body_hash=None)
    assert "does not exist" in refusal.value.problems["occurred_at"]
    with pytest.raises(InputError, match="--since.*does not exist"):
        parse_date(text, tz=TZ, name="--since")
    with pytest.raises(InputError, match="does not exist"):
        parse_date(text, tz=TZ, name="--as-of", date_only=True)


@pytest.mark.parametrize("text", ["1899-12-31 10:00", "2100-01-01 00:00", "0024-03-05 22:10"])
def test_outside_the_plausible_range_refused_in_all_three(tmp_path: Path, text: str) -> None:
    from_file, rejects = read_file_time(tmp_path, text)
    assert from_file is None and rejects.iloc[0]["status"] == "rejected"
    with pytest.raises(TimeError, match="plausible range"):
        read_time(text, tz=ZoneInfo(TZ))
    with pytest.raises(InputError, match="plausible range"):
        parse_date(text, tz=TZ, name="--since")


def test_service_accepts_an_old_time_and_refuses_the_future() -> None:
    intake = service_intake()
    now = NOW.to_pydatetime()
    stored = intake.check(submit("1999-06-01 12:00"), now=now, idempotency_key=None, body_hash=None)
    assert stored.occurred_at == dt.datetime(1999, 6, 1, 12, tzinfo=ZoneInfo(TZ))
    assert isinstance(stored.occurred_at, dt.datetime) and not isinstance(stored.occurred_at, pd.Timestamp)
    with pytest.raises(Refusal) as refusal:
        intake.check(submit("2026-11-25 13:00"), now=now, idempotency_key=None, body_hash=None)
    assert "future" in refusal.value.problems["occurred_at"]


def test_parse_times_masks() -> None:
    values = pd.Series(
        ["2024-03-05 22:10", "", "not a time", "2024-03-31 02:30", "2024-10-27 02:30", "1850-01-01"]
    )
    pt = parse_times(values, tz=TZ)
    assert list(pt.blank) == [False, True, False, False, False, False]
    assert list(pt.unparseable) == [False, False, True, False, False, False]
    assert list(pt.nonexistent) == [False, False, False, True, False, False]
    assert list(pt.ambiguous) == [False, False, False, False, True, False]
    assert list(pt.early) == [False, False, False, False, False, True]
    assert list(pt.refused) == [False, True, True, True, False, True]
    assert str(pt.times.dt.tz) == TZ


def test_in_future_has_a_slack() -> None:
    times = pd.Series(pd.to_datetime(["2026-11-25 12:05", "2026-11-25 12:20", None]).tz_localize(TZ))
    assert list(in_future(times, now=NOW)) == [False, True, False]
    assert list(in_future(times, now=NOW, future_slack_min=30)) == [False, False, False]


def test_local_midnight_is_the_first_instant_of_the_day() -> None:
    assert local_midnight(dt.date(2024, 3, 31), TZ) == pd.Timestamp("2024-03-31 00:00+01:00")
    assert local_midnight("2024-10-27", TZ) == pd.Timestamp("2024-10-27 00:00+02:00")
    # Havana skips midnight in spring (00:00 -> 01:00): the day starts at 01:00
    assert local_midnight("2024-03-10", "America/Havana") == pd.Timestamp("2024-03-10 01:00-04:00")
    assert EARLIEST < LATEST


def test_parse_date_a_date_is_local_midnight() -> None:
    assert parse_date("2024-03-31", tz=TZ, name="--since") == local_midnight("2024-03-31", TZ)
    assert parse_date(None, tz=TZ, name="--since") is None
    assert parse_date("2024-01-31 12:00", tz=TZ, name="--since") == pd.Timestamp("2024-01-31 12:00", tz=TZ)
    with pytest.raises(InputError, match="--as-of is a date"):
        parse_date("2024-01-31 12:00", tz=TZ, name="--as-of", date_only=True)
    moment = parse_date("2016-01-04T12:00:00+00:00", tz=TZ, name="--as-of", date_only=True)
    assert moment == pd.Timestamp("2016-01-04 00:00", tz=TZ)
    with pytest.raises(InputError, match="--start must be a date"):
        parse_date("next week", tz=TZ, name="--start", date_only=True)


@pytest.mark.parametrize(
    "text",
    [
        "2025-01-10T21:30",
        "2025-01-10 21:30:00+01:00",
        "2025-01-10T20:30Z",
        "2025-03-30 02:30",  # daylight-saving gap
        "2025-10-26 02:30",  # repeated hour
        "2025-10-26T02:30+01:00",
        "1899-12-31 23:00",
        "2100-01-01 00:00",
        "2025-01-10",
        "2025-06-01T12:00:00.123456",
        "10.01.2025 21:30",  # not ISO: the column parser decides
    ],
)
def test_one_value_gives_what_the_column_parser_gives(text):
    """The service's one-value path (standard library ISO parser) follows the file reader's rules."""
    pt = parse_times(pd.Series([text], dtype=object), tz=TZ)
    problems = [k for k in ("blank", "unparseable", "nonexistent", "early", "late") if getattr(pt, k)[0]]
    warned: list[str] = []
    if problems:
        with pytest.raises(TimeError):
            parse_time(text, tz=TZ, warn=warned.append)
    else:
        assert parse_time(text, tz=TZ, warn=warned.append) == pt.times.iloc[0]
        assert bool(warned) == bool(pt.ambiguous[0])
