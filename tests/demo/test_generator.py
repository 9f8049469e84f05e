"""The Värnamo demo world: byte-identical regeneration, the planted truth in the data, all inside the municipality."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from typer.testing import CliRunner

from geo.demo import DEFAULT_SEED, DEMO_DIR, FILES, build_world, generate_world
from geo.io import read_reports
from geo.io.area import load_area
from geo.time.sun import sun_window

TZ = "Europe/Stockholm"


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((DEMO_DIR / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def area():
    return load_area("0683")


@pytest.fixture(scope="module")
def police(area) -> pd.DataFrame:
    """The committed police file read by the project's own reader (default options, detection on)."""
    res = read_reports([DEMO_DIR / FILES["police"]], area=area)
    return res.reports.assign(_rejects=len(res.rejects))


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, Path]:
    a = tmp_path_factory.mktemp("gen_a")
    b = tmp_path_factory.mktemp("gen_b")
    generate_world(DEFAULT_SEED, a)
    generate_world(DEFAULT_SEED, b)
    return a, b


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# --------------------------------------------------------------------------------------- reproducibility
def test_same_seed_gives_the_same_bytes(generated):
    a, b = generated
    fa, fb = _files(a), _files(b)
    assert set(fa) == set(FILES.values())
    for name in fa:
        assert fa[name] == fb[name], name


def test_committed_demo_regenerates_byte_identically(generated):
    a, _ = generated
    committed = {k: v for k, v in _files(DEMO_DIR).items() if k in set(FILES.values())}
    assert set(committed) == set(FILES.values())
    for name, data in _files(a).items():
        assert committed[name] == data, f"data/demo/{name} differs from generate_world({DEFAULT_SEED})"


def test_another_seed_gives_another_world():
    one = build_world(1)
    two = build_world(2)
    assert not one.police[["lat", "lon"]].equals(two.police[["lat", "lon"]])
    # the planted structure stays: same hot-spots, same sizes
    assert [h["n_reports"] for h in one.truth["hotspots"]] == [h["n_reports"] for h in two.truth["hotspots"]]


def test_demo_is_small_and_labelled():
    total = sum(p.stat().st_size for p in DEMO_DIR.iterdir() if p.is_file())
    assert total < 5_000_000
    for role, name in FILES.items():
        raw = (DEMO_DIR / name).read_bytes()
        text = raw.decode("cp1252" if role == "police" else "utf-8")
        if role == "feed":
            assert all("syntetiska demodata" in e["summary"] for e in json.loads(text)), name
        if role == "config":
            assert "syntetiska demodata" in text.lower()
        else:
            assert "syntetiska demodata" in text, name


def test_cli_generate_writes_the_same_files(tmp_path):
    from geo.cli import app

    out = tmp_path / "w"
    res = CliRunner().invoke(app, ["demo", "generate", "--seed", str(DEFAULT_SEED), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "truth.json").read_bytes() == (DEMO_DIR / "truth.json").read_bytes()
    assert (out / FILES["police"]).read_bytes() == (DEMO_DIR / FILES["police"]).read_bytes()


# --------------------------------------------------------------------------------------- formats and readers
def test_police_file_is_a_swedish_export():
    raw = (DEMO_DIR / FILES["police"]).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    head = raw.decode("cp1252").splitlines()[:2]
    assert head[0].startswith("Ärendenummer;Brottstyp;occurred_from;occurred_to;Latitud;Longitud")
    lat = head[1].split(";")[4]
    assert "," in lat and "." not in lat  # decimal comma


def test_readers_reject_only_the_planted_bad_rows(truth, area):
    files = [DEMO_DIR / FILES[k] for k in ("police", "residents", "walks", "feed")]
    res = read_reports(files, area=area)
    got = {(Path(r.file).name, int(r.row), r.field, r.status) for r in res.rejects.itertuples()}
    bad = truth["planted_bad_rows"] + truth["feed_rejected_rows"]
    assert got == {(b["file"], b["row"], b["field"], b["status"]) for b in bad}
    assert len(truth["planted_bad_rows"]) == 4 and len(truth["feed_rejected_rows"]) == 3
    c = truth["counts"]
    assert res.n_read == c["police"] + c["residents"] + c["safety_walk"] + c["polisen_feed"]
    assert len(res.reports) == res.n_read - 3 - 3
    assert set(res.reports["source"]) == {"police", "resident", "safety_walk", "polisen_feed"}
    feed = res.reports[res.reports["source"] == "polisen_feed"]
    assert set(feed["location_precision"]) == {"municipality"}


def test_noise_zero_has_only_planted_incidents():
    w = build_world(DEFAULT_SEED, noise=0)
    assert w.police["hotspot"].notna().all()
    assert w.truth["planted_bad_rows"] == []
    assert len(w.police) == sum(h["n_reports"] for h in w.truth["hotspots"])


def test_layers_read_with_their_columns():
    streets = gpd.read_file(DEMO_DIR / FILES["streets"])
    lamps = gpd.read_file(DEMO_DIR / FILES["lamps"])
    assert {"segment_id", "highway", "name", "maxspeed", "lit"} <= set(streets.columns)
    assert streets["segment_id"].is_unique
    limits = set(pd.to_numeric(streets["maxspeed"].dropna()).astype(int))
    assert limits == {30, 40, 50, 60, 70, 80}
    assert {"footway", "cycleway", "residential", "primary", "secondary"} <= set(streets["highway"])
    assert set(lamps["status"]) == {"ok", "broken", "part_night"}
    assert (lamps["status"] == "ok").mean() > 0.9


# --------------------------------------------------------------------------------------- everything inside
def test_everything_lies_inside_the_municipality(area):
    poly = area.geometry
    for role in ("streets", "lamps", "walks"):
        frame = gpd.read_file(DEMO_DIR / FILES[role])
        assert frame.geometry.within(poly).all(), role
    for role in ("residents", "speed_passes", "speed_hourly"):
        t = pd.read_csv(DEMO_DIR / FILES[role])
        assert shapely.contains_xy(poly, t["lon"], t["lat"]).all(), role
    t = pd.read_csv(DEMO_DIR / FILES["police"], sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    lat = pd.to_numeric(t["Latitud"].str.replace(",", "."), errors="coerce")
    lon = pd.to_numeric(t["Longitud"].str.replace(",", "."), errors="coerce")
    inside = shapely.contains_xy(poly, lon, lat)
    # only the planted bad rows are not inside (missing, outside, swapped)
    assert (~inside).sum() == 3
    feed = json.loads((DEMO_DIR / FILES["feed"]).read_text(encoding="utf-8"))
    gps = np.array([[float(v) for v in e["location"]["gps"].split(",")] for e in feed])
    assert shapely.contains_xy(poly, gps[:, 1], gps[:, 0]).all()


# --------------------------------------------------------------------------------------- planted hot-spots
def _member_frame(police: pd.DataFrame, h: dict) -> pd.DataFrame:
    return police[police["report_id"].isin(set(h["member_ids"]))]


def test_hotspots_are_dense_and_inside_their_radius(truth, police):
    xy = np.c_[police.geometry.x, police.geometry.y]
    area_town_km2 = np.pi * 2.6**2
    background = truth["counts"]["police_background"] / area_town_km2
    for h in truth["hotspots"]:
        m = _member_frame(police, h)
        assert len(m) >= h["n_reports"] - 1  # at most one planted bad row can hit a hot-spot
        d = np.hypot(m.geometry.x - h["x"], m.geometry.y - h["y"])
        assert (d <= h["radius_m"]).all(), h["id"]
        inside = np.hypot(xy[:, 0] - h["x"], xy[:, 1] - h["y"]) <= h["radius_m"]
        density = inside.sum() / (np.pi * (h["radius_m"] / 1000) ** 2)
        assert density > 8 * background, (h["id"], density, background)


def test_hotspots_keep_their_time_signature(truth, police):
    for h in truth["hotspots"]:
        m = _member_frame(police, h)
        exact = m[m["occurred_to"].isna()]
        if h["hours"] and h["pattern"] != "winter_nights":
            in_hours = exact["hour"].isin(h["hours"]) & exact["weekday"].isin(h["weekdays"])
            assert in_hours.mean() >= 0.85, h["id"]
        if h["months"] != list(range(1, 13)):
            assert m["month"].isin(h["months"]).mean() >= 0.8, h["id"]


def test_weekend_night_hotspot_is_friday_saturday_night(truth, police):
    h = next(h for h in truth["hotspots"] if h["pattern"] == "weekend_nights")
    m = _member_frame(police, h)
    evening = m["hour"] >= 22
    night = m["hour"] <= 2
    assert (m[evening]["weekday"].isin([4, 5])).mean() > 0.95
    assert (m[night]["weekday"].isin([5, 6])).mean() > 0.95
    assert (evening | night).mean() >= 0.85


def test_park_drugs_happen_at_real_dusk(truth, police):
    h = next(h for h in truth["hotspots"] if h["at_dusk"])
    m = _member_frame(police, h)
    assert (m["category"] == "narkotikabrott").mean() > 0.7
    offsets = []
    for t in m["occurred_at"]:
        day = (
            t.date() if t.hour >= 12 else t.date() - dt.timedelta(days=1)
        )  # after midnight: last evening's dusk
        _, dusk, _ = sun_window(h["lat"], h["lon"], day, TZ)
        offsets.append((t - dusk).total_seconds() / 60)
    offsets = np.array(offsets)
    assert ((offsets >= -16) & (offsets <= 76)).all()
    # dusk moves with the season: summer incidents are hours later than winter ones
    summer = m["month"].isin([6, 7])
    winter = m["month"].isin([12, 1])
    assert m[summer]["hour"].mean() - m[winter]["hour"].mean() > 4


def test_industrial_burglaries_are_winter_night_windows(truth, police):
    h = next(h for h in truth["hotspots"] if h["pattern"] == "winter_nights")
    m = _member_frame(police, h)
    win = m[m["occurred_to"].notna()]
    assert len(win) >= 0.5 * len(m)
    mid = win["occurred_at"] + (win["occurred_to"] - win["occurred_at"]) / 2
    assert mid.dt.hour.isin([22, 23, 0, 1, 2, 3, 4, 5]).mean() > 0.7
    assert win["is_dark"].mean() > 0.9
    assert (m["category"] == "inbrott").mean() > 0.7


def test_emerging_and_fading(truth, police):
    emerging = next(h for h in truth["hotspots"] if h["emerging"])
    fading = next(h for h in truth["hotspots"] if h["fading"])
    last_year = dt.date.fromisoformat(truth["period"]["years"][2][0])
    m = _member_frame(police, emerging)
    assert (m["occurred_at"].dt.date >= last_year).all()
    y = fading["yearly_counts"]
    assert y[0] > 1.5 * y[1] > 1.5 * 1.5 * y[2] * 0.9
    for h in truth["hotspots"]:
        if h["trend"] == "persistent":
            c = h["yearly_counts"]
            assert max(c) - min(c) <= 0.15 * max(c), h["id"]


def test_repeated_addresses(truth, police):
    for h in truth["hotspots"]:
        rep = h["address_repeats"]
        if rep is None:
            continue
        m = _member_frame(police, h)
        at = m[(m["location_precision"] == "address")]
        assert len(at) == rep["n_reports"] >= 20
        assert at.geometry.x.round(1).nunique() == 1
        assert abs(at.geometry.x.iloc[0] - rep["x"]) < 1 and abs(at.geometry.y.iloc[0] - rep["y"]) < 1


# --------------------------------------------------------------------------------------- dark stretches
def test_dark_stretches_are_dark_and_reported(truth):
    streets = gpd.read_file(DEMO_DIR / FILES["streets"]).to_crs(3006)
    lamps = gpd.read_file(DEMO_DIR / FILES["lamps"]).to_crs(3006)
    working = lamps[lamps["status"] != "broken"]
    lit_cover = shapely.union_all(working.geometry.buffer(30).to_numpy())
    residents = pd.read_csv(DEMO_DIR / FILES["residents"])
    res_pts = gpd.GeoSeries(gpd.points_from_xy(residents["lon"], residents["lat"]), crs=4326).to_crs(3006)
    dark_cats = residents["category"].isin(["mörkt", "trasig belysning", "otrygg passage"])
    near_any = np.zeros(len(residents), dtype=bool)
    for d in truth["dark_segments"]:
        segs = streets[streets["segment_id"].isin(d["segment_ids"])]
        assert len(segs) == len(d["segment_ids"]) >= 3
        line = shapely.union_all(segs.geometry.to_numpy())
        assert abs(line.length - d["length_m"]) < 0.01 * d["length_m"]
        uncovered = line.difference(lit_cover).length / line.length
        assert uncovered > 0.8, (d["kind"], uncovered)
        if d["kind"] == "broken_lamps":
            on = lamps[lamps["segment_id"].isin(d["segment_ids"])]
            assert len(on) >= 10 and (on["status"] == "broken").all()
            assert set(segs["lit"]) == {"yes"}  # lamps are there, they just do not work
        else:
            assert set(segs["lit"]) == {"no"}
        near = (res_pts.distance(line) <= 30).to_numpy()
        assert near.sum() >= 30, d["kind"]
        near_any |= near
    # residents' dark-place reports are concentrated on the planted stretches
    assert (near_any & dark_cats.to_numpy()).sum() / dark_cats.sum() > 0.6


# --------------------------------------------------------------------------------------- speed
def test_planted_speeding_segments(truth):
    passes = pd.read_csv(DEMO_DIR / FILES["speed_passes"], parse_dates=["measured_at"])
    streets = gpd.read_file(DEMO_DIR / FILES["streets"]).set_index("segment_id")
    night_hours = set(truth["speed_night_hours"])
    for item in truth["speeding_segments"] + truth["speed_controls"]:
        p = passes[passes["segment_id"] == item["segment_id"]]
        limit = float(streets.loc[item["segment_id"], "maxspeed"])
        assert limit == item["limit_kmh"]
        night = p["measured_at"].dt.hour.isin(night_hours)
        over_day = (p[~night]["speed_kmh"] > limit).mean()
        over_night = (p[night]["speed_kmh"] > limit).mean()
        assert over_day == pytest.approx(item["share_over_limit_day"], abs=1e-3)
        assert over_night == pytest.approx(item["share_over_limit_night"], abs=1e-3)
        if item["planted"]:
            assert over_day > 0.5 and over_night > 0.85 and over_night > over_day + 0.2, item
            assert np.percentile(p["speed_kmh"], 85) > limit + 5
        else:
            assert over_day < 0.25 and over_night < 0.5, item
    assert len(truth["speeding_segments"]) == 3


def test_hourly_aggregates_match_the_passes():
    passes = pd.read_csv(DEMO_DIR / FILES["speed_passes"], parse_dates=["measured_at"])
    hourly = pd.read_csv(DEMO_DIR / FILES["speed_hourly"], parse_dates=["hour_start"])
    assert hourly["count"].sum() == len(passes)
    key = passes.assign(hour_start=passes["measured_at"].dt.floor("h"))
    g = key.groupby(["hour_start", "segment_id", "direction"])["speed_kmh"]
    merged = hourly.set_index(["hour_start", "segment_id", "direction"]).join(g.mean().rename("m"))
    assert np.allclose(merged["mean_kmh"], merged["m"], atol=0.051)
    assert (hourly["p85_kmh"] >= hourly["mean_kmh"] - 0.05).all()


def _in_windows(weekday: pd.Series, hour: pd.Series, windows: list[dict]) -> np.ndarray:
    hit = np.zeros(len(weekday), dtype=bool)
    wd, hr = weekday.to_numpy(), hour.to_numpy()
    for w in windows:
        d, s, e = w["weekday"], w["start_hour"], w["end_hour"]
        if s < e:
            hit |= (wd == d) & (hr >= s) & (hr < e)
        else:  # runs past midnight into the next day
            hit |= ((wd == d) & (hr >= s)) | ((wd == (d + 1) % 7) & (hr < e))
    return hit


def test_active_windows_hold_the_planted_share(truth, police):
    for h in truth["hotspots"]:
        if not h["active_windows"]:
            assert h["at_dusk"] and h["dusk_offset_min"] == [-15, 75]
            continue
        m = _member_frame(police, h)
        exact = m[m["occurred_to"].isna()]
        share = _in_windows(exact["weekday"], exact["hour"], h["active_windows"]).mean()
        assert share >= h["in_window_share"] - 0.05, (h["id"], share)
        # and outside the hot-spot the same windows hold far fewer of the background reports
        background = police[
            ~police["report_id"].isin(set().union(*(x["member_ids"] for x in truth["hotspots"])))
        ]
        bg_share = _in_windows(background["weekday"], background["hour"], h["active_windows"]).mean()
        assert share > bg_share + 0.4, (h["id"], share, bg_share)
