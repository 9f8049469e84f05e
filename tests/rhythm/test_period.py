"""A run as of a date: whole ISO weeks before it; ``[period] weeks``; the period in words."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.config import parse_config
from geo.errors import ConfigError
from geo.rhythm.asof import resolve_period
from geo.rhythm.period import period_text, weeks_before

D = dt.date


@pytest.mark.parametrize(
    ("as_of", "weeks", "start", "end"),
    [
        (D(2026, 11, 2), 4, D(2026, 10, 5), D(2026, 11, 1)),  # a Monday: the four weeks before it
        (D(2026, 11, 4), 1, D(2026, 10, 26), D(2026, 11, 1)),  # a Wednesday: its own week is not whole
        (D(2026, 11, 8), 1, D(2026, 10, 26), D(2026, 11, 1)),  # a Sunday: still not whole
        (D(2027, 1, 4), 2, D(2026, 12, 21), D(2027, 1, 3)),  # across the year (ISO week 53 of 2026)
    ],
)
def test_weeks_before_are_whole_monday_weeks(as_of, weeks, start, end):
    assert weeks_before(as_of, weeks) == (start, end)
    assert start.weekday() == 0 and end.weekday() == 6
    assert (end - start).days + 1 == 7 * weeks


def test_weeks_before_refuses_no_weeks():
    with pytest.raises(ValueError, match="at least 1"):
        weeks_before(D(2026, 11, 2), 0)


def test_period_text_names_weeks():
    assert period_text(D(2026, 10, 5), D(2026, 11, 1)) == "2026-10-05 – 2026-11-01 (v. 41–44, 4 veckor)"
    assert period_text(D(2026, 10, 26), D(2026, 11, 1)).endswith("(v. 44, 1 vecka)")
    assert period_text(D(2026, 10, 1), D(2026, 10, 3)).endswith("(3 dagar)")
    assert period_text(None, None) == "hela datamängden"


def _config(period: dict, **extra):
    return parse_config({"sources": [{"path": "x.csv"}], "period": period, **extra})


def test_as_of_overrides_start_end_and_sets_the_patrol_week():
    config = _config({"start": "2023-11-01", "end": "2026-10-31"}, patrol={"week": "2026-W45"})
    got = resolve_period(config, as_of=D(2026, 11, 16))
    assert (got.period.start, got.period.end, got.period.weeks) == (D(2026, 10, 19), D(2026, 11, 15), 4)
    assert got.patrol.week == "2026-W47"


def test_weeks_in_the_config():
    assert resolve_period(_config({"weeks": 13}), as_of=D(2026, 11, 2)).period.start == D(2026, 8, 3)
    got = resolve_period(_config({"weeks": 2, "end": "2026-11-01"}))
    assert (got.period.start, got.period.end) == (D(2026, 10, 19), D(2026, 11, 1))
    got = resolve_period(_config({"weeks": 1}), today=D(2026, 11, 4))
    assert (got.period.start, got.period.end) == (D(2026, 10, 26), D(2026, 11, 1))
    plain = _config({"start": "2026-01-01"})
    assert resolve_period(plain) is plain


def test_weeks_with_start_and_end_is_an_error():
    with pytest.raises(ConfigError, match="weeks"):
        _config({"weeks": 2, "start": "2026-01-01", "end": "2026-03-01"})
