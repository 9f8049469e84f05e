"""Kept lägesbild runs in both store backends, and `geo run --store postgresql://...`."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geo.pipeline import run
from geo.service.storage import LagesbildRecord, open_store
from tests.rhythm.conftest import town_config
from tests.service.conftest import BACKENDS, make_db


def _record(end: dt.date, area: str = "Testby", n: int = 1) -> LagesbildRecord:
    start = end - dt.timedelta(days=6)
    return LagesbildRecord(
        key=f"{area}|{start}|{end}",
        area=area,
        period_start=start,
        period_end=end,
        created_at=dt.datetime.now(dt.UTC),
        document={"hotspots": [{"hotspot_id": "HS-0001", "n_reports": n, "wkt": "POINT (1 2)"}], "å": "ä"},
    )


@pytest.mark.parametrize("kind", BACKENDS)
def test_kept_runs_round_trip(kind: str, tmp_path, request: pytest.FixtureRequest) -> None:  # noqa: ANN001
    store = open_store(make_db(kind, tmp_path, request))
    try:
        assert store.schema_version() == 5
        store.save_lagesbild(_record(dt.date(2026, 3, 8)))
        store.save_lagesbild(_record(dt.date(2026, 3, 1)))
        store.save_lagesbild(_record(dt.date(2026, 3, 8), n=7))  # the same period again replaces it
        store.save_lagesbild(_record(dt.date(2026, 3, 8), area="Annanstad"))
        kept = store.lagesbild_runs(area="Testby")
        assert [r.period_end for r in kept] == [dt.date(2026, 3, 1), dt.date(2026, 3, 8)]
        assert kept[1].document["hotspots"][0]["n_reports"] == 7 and kept[1].document["å"] == "ä"
        assert len(store.lagesbild_runs()) == 3
    finally:
        store.close()


@pytest.mark.postgis
def test_geo_run_keeps_runs_in_postgis(tmp_path, request: pytest.FixtureRequest) -> None:  # noqa: ANN001
    url = make_db("postgis", tmp_path, request)
    config = town_config(tmp_path, weeks=1, store=url)
    run(config, out_dir=tmp_path / "one", as_of=dt.date(2026, 3, 2))
    two = run(config, out_dir=tmp_path / "two", as_of=dt.date(2026, 3, 9))
    changes = pd.read_csv(two.outputs["changes"])
    assert sorted(changes["status"]) == ["continuing", "ended", "new"]
    from geo.service.storage.postgis import redact_url

    assert redact_url(url) in two.outputs["manifest"].read_text(encoding="utf-8")  # never a password
