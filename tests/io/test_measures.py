"""Reading a measures register: CSV points with a radius, GeoJSON polygons, errors naming file, row, field."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geo.errors import InputError
from geo.io.measures import read_measures

TZ = "Europe/Stockholm"
HEADER = "measure_id,kind,start,end,lat,lon,radius_m,hours,categories,status,focus,name\n"


def _csv(tmp_path, body: str, header: str = HEADER):
    path = tmp_path / "atgarder.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_csv_points_are_grown_by_their_radius(tmp_path):
    path = _csv(
        tmp_path,
        "A1,belysning,2025-03-01,,57.18,14.04,100,,,genomförd,trygghet,Parken\n"
        "A2,Patrull,2025-04-01,2025-06-30,57.19,14.05,50,fre-lör 22-03,misshandel;rån,pågår,,\n",
    )
    m = read_measures(path, crs="EPSG:3006", tz=TZ)
    assert list(m["measure_id"]) == ["A1", "A2"]
    assert list(m["kind"]) == ["belysning", "patrull/närvaro"]
    assert m.crs.to_epsg() == 3006
    assert m.geometry.iloc[0].area == pytest.approx(3.14159 * 100**2, rel=0.01)
    assert str(m["start"].iloc[0]) == "2025-03-01 00:00:00+01:00"
    assert m["end"].isna().iloc[0] and m["end"].notna().iloc[1]
    assert m["categories"].iloc[1] == "misshandel;rån"
    assert list(m["source_row"]) == [2, 3]


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("A1,belysning,2025-13-01,,57.18,14.04,100,,,,,\n", "start"),
        ("A1,lampor,2025-03-01,,57.18,14.04,100,,,,,\n", "kind"),
        ("A1,belysning,2025-03-01,,57.18,14.04,-5,,,,,\n", "radius_m"),
        ("A1,belysning,2025-03-01,,x,14.04,100,,,,,\n", "lat"),
        ("A1,belysning,2025-03-01,,57.18,14.04,100,varje dag,,,,\n", "hours"),
        ("A1,belysning,2025-03-01,2025-01-01,57.18,14.04,100,,,,,\n", "end"),
        ("A1,belysning,2025-03-01,,57.18,14.04,100,,,klar,,\n", "status"),
    ],
)
def test_errors_name_file_row_and_field(tmp_path, row, field):
    path = _csv(tmp_path, "A0,belysning,2025-03-01,,57.18,14.04,100,,,,,\n" + row)
    with pytest.raises(InputError) as err:
        read_measures(path, crs="EPSG:3006", tz=TZ)
    assert (err.value.path, err.value.row, err.value.field) == (str(path), 3, field)


def test_missing_columns_are_named(tmp_path):
    path = _csv(tmp_path, "A1,57.18,14.04\n", header="measure_id,lat,lon\n")
    with pytest.raises(InputError, match="kind, start"):
        read_measures(path, crs="EPSG:3006", tz=TZ)


def test_geojson_polygons_and_points(tmp_path):
    frame = gpd.GeoDataFrame(
        {
            "measure_id": ["P1", "P2"],
            "kind": ["kamera", "röjning"],
            "start": ["2025-01-01", "2025-02-01"],
            "radius_m": [None, 80.0],
        },
        geometry=[Point(440_000, 6_340_000).buffer(120), Point(441_000, 6_341_000)],
        crs="EPSG:3006",
    )
    path = tmp_path / "atgarder.geojson"
    frame.to_crs(4326).to_file(path, driver="GeoJSON")
    m = read_measures(path, crs="EPSG:3006", tz=TZ)
    assert list(m["kind"]) == ["kamera", "röjning/skötsel"]
    assert m.geometry.iloc[0].area == pytest.approx(frame.geometry.iloc[0].area, rel=0.01)
    assert m.geometry.iloc[1].area == pytest.approx(3.14159 * 80**2, rel=0.01)


def test_csv_mixes_wkt_polygons_and_points(tmp_path):
    path = _csv(
        tmp_path,
        "A1,kamera,2025-01-01,57.18,14.04,100,\n"
        'A2,kamera,2025-01-01,,,,"POLYGON ((14.05 57.19, 14.06 57.19, 14.06 57.20, 14.05 57.19))"\n',
        header="measure_id,kind,start,lat,lon,radius_m,wkt\n",
    )
    m = read_measures(path, crs="EPSG:3006", tz=TZ)
    assert list(m.geometry.geom_type) == ["Polygon", "Polygon"]
    assert m["radius_m"].notna().tolist() == [True, False]
