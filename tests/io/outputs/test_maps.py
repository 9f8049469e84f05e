"""Writing a map (geo.io.outputs.maps): page, GeoPackage and summary with their kinds, each atomically."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio

from geo.io.outputs.maps import map_paths, write_map
from geo.stages.maps import MapInputs, MapSettings, map_stage
from tests.io import _map_frames as F


def _inputs() -> MapInputs:
    return MapInputs(hotspots=F.hotspots(), patrol_visits=F.visits("Planplatsen", "22:00", "22:15"))


def test_internal_map_files_and_kinds(tmp_path: Path) -> None:
    result = map_stage(None, _inputs(), MapSettings(tiles="none"), public=False, title="T")
    files = write_map(result, tmp_path / "karta.html", pdf=False)
    assert [(f.kind, Path(f.path).name, f.stage) for f in files] == [
        ("map", "karta.html", "maps"),
        ("map_gpkg", "karta.gpkg", "maps"),
        ("map_summary", "karta-sammanfattning.html", "maps"),
    ]
    assert {name for name, _ in pyogrio.list_layers(tmp_path / "karta.gpkg")} == set(result.package)
    visits = gpd.read_file(tmp_path / "karta.gpkg", layer="patrol_visits")
    assert set(visits["place"]) == {"Planplatsen"} and len(visits) == 3
    assert "Planplatsen" in (tmp_path / "karta-sammanfattning.html").read_text(encoding="utf-8")
    assert not list(tmp_path.glob("*.tmp*"))


def test_public_map_and_options(tmp_path: Path) -> None:
    result = map_stage(None, _inputs(), MapSettings(tiles="none", k=30), public=True)
    files = write_map(result, tmp_path / "publik.html", summary=True)
    assert [f.kind for f in files] == ["map_public", "map_public_gpkg"]
    internal = map_stage(None, _inputs(), MapSettings(tiles="none"), public=False)
    files = write_map(internal, tmp_path / "intern.html", gpkg=False, summary=False)
    assert [f.kind for f in files] == ["map"]
    assert not map_paths(tmp_path / "intern.html")["gpkg"].exists()


def test_english_file_names_and_the_summary_pdf(tmp_path: Path) -> None:
    """`--lang en` names the summary in English; the PDF is Chromium's print, or a sentence says why not."""
    result = map_stage(None, _inputs(), MapSettings(tiles="none"), public=False, title="T", lang="en")
    files = write_map(result, tmp_path / "map.html", gpkg=False, lang="en")
    names = {f.kind: Path(f.path).name for f in files}
    assert names["map_summary"] == "map-summary.html"
    if "map_summary_pdf" in names:
        assert names["map_summary_pdf"] == "map-summary.pdf"
        assert (tmp_path / "map-summary.pdf").read_bytes().startswith(b"%PDF")
    else:
        assert [n for n in result.notes if n.startswith("no PDF of the summary")]
    assert not list(tmp_path.glob("*sammanfattning*"))


def test_without_a_browser_the_summary_has_no_pdf_and_one_sentence_says_so(
    tmp_path: Path, monkeypatch
) -> None:
    import geo.io.outputs.summary_pdf as summary_pdf

    monkeypatch.setattr(summary_pdf, "chromium_path", lambda: None)
    result = map_stage(None, _inputs(), MapSettings(tiles="none"), public=False, title="T")
    files = write_map(result, tmp_path / "karta.html", gpkg=False)
    assert [f.kind for f in files] == ["map", "map_summary"]
    (note,) = [n for n in result.notes if n.startswith("ingen PDF")]
    assert "Chromium saknas" in note and "karta-sammanfattning.html" in note and "\n" not in note
