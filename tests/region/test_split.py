"""The export read and split in chunks: the same partitions, counts and rejects as one read of the whole."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from geo.config import load_config
from geo.io.export import write_frame
from geo.io.merge import merge_results
from geo.io.reports import read_reports
from geo.region.assign import assign_areas
from geo.region.split import Split, split_export
from tests.region.conftest import write_config, write_world


def _spoil(csv: Path) -> None:
    """Put the faults an export has into `csv`: repeats across the file, bad times, positions, categories."""
    table = pd.read_csv(csv, dtype=str, keep_default_na=False)
    table.loc[700, "id"] = table.loc[3, "id"]  # repeated far from its first use (another chunk)
    table.loc[701, "id"] = table.loc[3, "id"]
    table.loc[702, "id"] = table.loc[650, "id"]
    table.loc[10, "time"] = "inte en tid"
    table.loc[400, "time"] = "2099-01-01T10:00:00+0100"  # in the future
    table.loc[20, "lat"] = ""
    table.loc[900, "category"] = ""
    table.loc[30, ["lat", "lon"]] = table.loc[30, ["lon", "lat"]].to_numpy()  # swapped
    table.loc[40, "id"] = ""  # blank: file and row used
    table.to_csv(csv, index=False)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory, county) -> Path:
    """A county export with faults, and a second source repeating some of its ids (one new report)."""
    folder = tmp_path_factory.mktemp("split")
    csv = write_world(folder, [])
    _spoil(csv)
    table = pd.read_csv(csv, dtype=str, keep_default_na=False)
    second = table.iloc[[5, 6, 800, 801]].copy()
    second.loc[second.index[-1], "id"] = "NY-1"
    second.to_csv(folder / "andra.csv", index=False)
    config = write_config(folder, csv)
    text = config.read_text(encoding="utf-8").replace(
        "[hotspots]",
        f'[[sources]]\npath = "{(folder / "andra.csv").as_posix()}"\nsource = "police"\n'
        '[sources.columns]\nid = "id"\ntime = "time"\ncategory = "category"\nlat = "lat"\nlon = "lon"\n\n'
        "[hotspots]",
    )
    config.write_text(text, encoding="utf-8")
    return config


def _split(config: Path, county, folder: Path, rows: int | None) -> Split:
    return split_export(load_config(config), *county, folder, chunk_rows=rows)


def test_small_chunks_give_the_partitions_counts_and_rejects_of_one_chunk(export, county, tmp_path):
    whole = _split(export, county, tmp_path / "one", None)
    small = _split(export, county, tmp_path / "small", 97)
    assert whole.chunks == 2 and small.chunks > 10  # one a source, and many
    assert (small.rows_read, small.reports, small.counts) == (whole.rows_read, whole.reports, whole.counts)
    assert (small.elsewhere, small.nowhere) == (whole.elsewhere, whole.nowhere) == (7, 5)
    pd.testing.assert_frame_equal(small.rejects, whole.rejects)
    assert set(small.parts) == set(whole.parts) == set(county[0]["code"])
    for code, (data, area) in whole.parts.items():
        assert_geodataframe_equal(gpd.read_parquet(small.parts[code][0]), gpd.read_parquet(data))
        assert small.parts[code][1].read_bytes() == area.read_bytes()
    assert whole.outside is not None and small.outside is not None
    assert small.outside.read_bytes() == whole.outside.read_bytes()


def test_the_split_accounts_for_rows_as_the_whole_file_reader_does(export, county, tmp_path):
    config = load_config(export)
    reads = [read_reports([s.path], s.reader_options(tz=config.run.tz)) for s in config.sources]
    merged = merge_results(reads)
    small = _split(export, county, tmp_path, 50)
    pd.testing.assert_frame_equal(small.rejects, merged.rejects)
    assert small.reports == len(merged.reports) and small.rows_read == merged.n_read
    reasons = small.rejects["reason"].astype(str)
    first = small.rejects.loc[small.rejects["row"] == 704, "reason"].tolist()
    assert first == ["repeated id (first at row 652)"]  # its first use, two chunks before
    assert reasons.str.startswith("repeated id (already read from").sum() == 3  # the second source's
    kept = pd.concat([gpd.read_parquet(d) for d, _ in small.parts.values()])
    assert "NY-1" in set(kept["report_id"].astype(str))
    labels, _ = assign_areas(merged.reports.geometry, *county)
    for code, (data, _) in small.parts.items():  # as the whole export read at once and split
        alone = merged.reports[labels == code].reset_index(drop=True)
        alone = gpd.read_parquet(write_frame(alone, tmp_path / f"{code}.parquet"))
        assert_geodataframe_equal(gpd.read_parquet(data), alone)


@pytest.mark.parametrize("fault", ["short row", "blank line", "no ids"])
def test_a_file_the_stream_cannot_read_alike_is_read_whole(fault, county, tmp_path):
    lines = ["id,time,category,lat,lon"] + [
        f"R{i},2026-01-1{i % 9}T12:00:00+0100,stöld,57.7{i % 10},14.1{i % 7}" for i in range(12)
    ]
    if fault == "short row":
        lines[5] = "R4,2026-01-14T12:00:00+0100,stöld,57.7"
    elif fault == "blank line":
        lines.insert(6, "")
    else:
        lines = [ln.split(",", 1)[1] for ln in lines]
    csv = tmp_path / "kort.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = tmp_path / "kort.toml"
    config.write_text(f'[[sources]]\npath = "{csv.as_posix()}"\n', encoding="utf-8")
    small = _split(config, county, tmp_path / "parts", 4)
    merged = read_reports([str(csv)], load_config(config).sources[0].reader_options(tz=None))
    pd.testing.assert_frame_equal(small.rejects, merged.rejects)
    assert small.reports == len(merged.reports) and small.chunks == 1  # read whole: one chunk


@pytest.mark.parametrize("form", ["gzip", "windows-1252 with semicolons"])
def test_chunks_of_a_compressed_or_windows_export_are_read_as_the_whole(form, county, tmp_path):
    import gzip

    lines = ["id;tid;brottstyp;lat;lon"] + [
        f"R{i % 40};2026-01-1{i % 9} 12:00;skadegörelse;57,7{i % 10};14,1{i % 7}" for i in range(60)
    ]
    text = "\n".join(lines) + "\n"
    if form == "gzip":
        csv = tmp_path / "export.csv.gz"
        csv.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        csv = tmp_path / "export.csv"
        csv.write_bytes(text.encode("cp1252"))
    config = tmp_path / "export.toml"
    config.write_text(f'[[sources]]\npath = "{csv.as_posix()}"\n', encoding="utf-8")
    small = _split(config, county, tmp_path / "parts", 7)
    merged = read_reports([str(csv)], load_config(config).sources[0].reader_options(tz=None))
    assert small.chunks == 9
    pd.testing.assert_frame_equal(small.rejects, merged.rejects)
    assert small.reports == len(merged.reports) == 40  # every id after the 40th is a repeat


def test_sources_with_other_columns_give_every_area_all_of_them(county, tmp_path):
    head = "id,time,category,lat,lon"
    one = [f"{head},adress"] + [
        f"A{i},2026-01-12T12:00:00+0100,stöld,57.7{i},14.1{i},Storgatan {i}" for i in range(9)
    ]
    two = [f"{head},plats"] + [
        f"B{i},2026-01-13T12:00:00+0100,rån,57.78{i},14.16{i},torget" for i in range(5)
    ]
    paths = []
    for name, lines in (("ett", one), ("tva", two)):
        paths.append(tmp_path / f"{name}.csv")
        paths[-1].write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = tmp_path / "two.toml"
    config.write_text("".join(f'[[sources]]\npath = "{p.as_posix()}"\n' for p in paths), encoding="utf-8")
    whole = _split(config, county, tmp_path / "one", None)
    small = _split(config, county, tmp_path / "small", 2)
    assert small.chunks == 8
    for code, (data, _) in whole.parts.items():
        frame = gpd.read_parquet(data)
        assert {"adress", "plats"} <= set(frame.columns)
        assert_geodataframe_equal(gpd.read_parquet(small.parts[code][0]), frame)
    config_ = load_config(config)
    merged = merge_results([read_reports([s.path], s.reader_options(tz=None)) for s in config_.sources])
    labels, _ = assign_areas(merged.reports.geometry, *county)
    for code, (data, _) in small.parts.items():  # as the whole export read at once and split
        alone = write_frame(
            merged.reports[labels == code].reset_index(drop=True), tmp_path / f"{code}.parquet"
        )
        assert_geodataframe_equal(gpd.read_parquet(data), gpd.read_parquet(alone))
