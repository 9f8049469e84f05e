"""No method ever sees data from the forecast moment on: poisoned future records change nothing."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo.forecast import METHODS, backtest, events_from_reports, forecast_cells, past_only, to_days
from geo.model import Reports, validate_reports

TZ = "America/Toronto"
AS_OF = pd.Timestamp("2016-07-04", tz=TZ)


def _poison(reports: Reports, *, shift: pd.Timedelta | None = None) -> Reports:
    """Add 300 fake reports in one quiet cell: at the forecast moment, in the test week, years later, and a
    time window that starts before the moment but ends after it (not yet reported at the moment)."""
    base = reports.iloc[[0]]
    quiet = (630_400 + 2_000, 4_834_700 - 1_500)
    times = (
        [(AS_OF, pd.NaT)] * 75
        + [(AS_OF + pd.Timedelta(hours=30), pd.NaT)] * 75
        + [(AS_OF + pd.Timedelta(days=900), pd.NaT)] * 75
        + [(AS_OF - pd.Timedelta(days=3), AS_OF + pd.Timedelta(hours=2))] * 75
    )
    if shift is not None:  # the control: the same records moved into the past
        times = [(s - shift, e - shift if pd.notna(e) else e) for s, e in times]
    fake = pd.concat([base] * len(times), ignore_index=True)
    fake["report_id"] = [f"poison-{i}" for i in range(len(times))]
    fake["occurred_at"] = (
        pd.Series(pd.to_datetime([s for s, _ in times], utc=True))
        .dt.tz_convert(TZ)
        .astype(f"datetime64[ns, {TZ}]")
    )
    fake["occurred_to"] = (
        pd.Series(pd.to_datetime([e for _, e in times], utc=True))
        .dt.tz_convert(TZ)
        .astype(f"datetime64[ns, {TZ}]")
    )
    fake = fake.set_geometry(
        gpd.points_from_xy([quiet[0]] * len(fake), [quiet[1]] * len(fake), crs=reports.crs)
    )
    both = pd.concat([reports, fake], ignore_index=True)
    return validate_reports(gpd.GeoDataFrame(both, geometry="geometry", crs=reports.crs))


def test_past_only_cuts_at_the_moment(downtown: Reports) -> None:
    ev = events_from_reports(_poison(downtown))
    moment = float(to_days(AS_OF))
    past = past_only(ev, moment)
    assert (past.known < moment).all()
    assert (past.t < moment).all()
    poisoned_rows = set(np.flatnonzero(_poison(downtown)["report_id"].str.startswith("poison")))
    assert not poisoned_rows & set(past.row.tolist())


@pytest.mark.parametrize("method", list(METHODS))
def test_future_records_change_nothing(downtown: Reports, method: str) -> None:
    clean = forecast_cells(downtown, as_of=AS_OF, method=method)
    poisoned = forecast_cells(_poison(downtown), as_of=AS_OF, method=method)
    assert list(clean["cell_id"]) == list(poisoned["cell_id"])
    np.testing.assert_array_equal(clean["risk"].to_numpy(), poisoned["risk"].to_numpy())


@pytest.mark.parametrize("method", ["count_28", "kde", "prospective", "sepp", "learned"])
def test_the_same_records_in_the_past_do_change_it(downtown: Reports, method: str) -> None:
    # control: the check above could fail — moved 10 days back, the poison does move the forecast
    clean = forecast_cells(downtown, as_of=AS_OF, method=method)
    past = forecast_cells(_poison(downtown, shift=pd.Timedelta(days=10)), as_of=AS_OF, method=method)
    common = clean.merge(past, on="cell_id", suffixes=("", "_p"))
    assert not np.allclose(common["risk"], common["risk_p"])


def test_backtest_week_scores_ignore_later_weeks(downtown: Reports) -> None:
    # a backtest's first week is scored the same whether or not later weeks hold a flood of records
    ev_clean = events_from_reports(downtown)
    later = downtown.copy()
    later = later[later["occurred_at"] < AS_OF + pd.Timedelta(days=7)]
    ev_cut = events_from_reports(Reports(later))
    a = backtest(ev_clean, start=AS_OF, weeks=1, methods=["count_365", "sepp"])
    b = backtest(ev_cut, start=AS_OF, weeks=1, methods=["count_365", "sepp"])
    pd.testing.assert_frame_equal(a.weeks.drop(columns="seconds"), b.weeks.drop(columns="seconds"))
