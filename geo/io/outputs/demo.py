"""Write the demo world as files that regenerate byte-identically: CSV and GeoJSON with fixed number formats.

GeoPackage is avoided on purpose (it embeds timestamps). Every file is written through
:func:`geo.io.export.atomic_path`, so an interrupted run leaves no half file. :func:`generate_world` builds
the world (:func:`geo.demo.build_world`) and writes it; the run configuration ``demo.toml`` is copied from the
package (``geo/demo/demo.toml``).
"""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.demo.places import Proj
from geo.demo.world import DEMO_LABEL, World, build_world
from geo.io.export import atomic_path
from geo.io.spreadsheet import spreadsheet_safe

__all__ = ["FILES", "demo_config_text", "generate_world", "write_world"]

FILES: dict[str, str] = {
    "streets": "gator.geojson",
    "lamps": "belysning.geojson",
    "police": "polisanmalningar.csv",
    "residents": "trygghetsrapporter.csv",
    "walks": "trygghetsvandringar.geojson",
    "speed_passes": "hastighet_passager.csv",
    "speed_hourly": "hastighet_timmar.csv",
    "feed": "polisen_handelser.json",
    "truth": "truth.json",
    "readme": "README.md",
    "config": "demo.toml",
    "measures": "atgarder.csv",
    "areas": "centrum.geojson",
}
"""Role -> file name of every file the generator writes."""

_OUTSIDE = (57.7826, 14.1618)  # Jönköping: a planted position outside Värnamo municipality


def _write_bytes(data: bytes, path: Path) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def _csv_text(header: list[str], rows: list[list[str]], *, sep: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([spreadsheet_safe(h) for h in header])
    writer.writerows([spreadsheet_safe(v) for v in row] for row in rows)
    return buf.getvalue()


def _f(value: float, digits: int, *, comma: bool = False) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if comma else text


def _t(value: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).strftime(fmt)


def _geojson(name: str, features: list[dict[str, Any]]) -> bytes:
    doc = {"type": "FeatureCollection", "name": name, "features": features}
    return (json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _pt(lat: float, lon: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [round(float(lon), 7), round(float(lat), 7)]}


_POLICE_HEADER = [
    "Ärendenummer",
    "Brottstyp",
    "occurred_from",
    "occurred_to",
    "Latitud",
    "Longitud",
    "Adress",
    "Beskrivning",
    "Lägesnoggrannhet",
    "Källa",
    "Anmärkning",
]


def _police_row(r: Any) -> list[str]:
    """Return one police report as the export writes it, spoilt as planted when ``r.bad`` says so."""
    lat, lon = _f(r.lat, 6, comma=True), _f(r.lon, 6, comma=True)
    start, end = _t(r.start), _t(r.end)
    if r.bad == "missing coordinate":
        lat = ""
    elif r.bad == "position outside the study area":
        lat, lon = _f(_OUTSIDE[0], 6, comma=True), _f(_OUTSIDE[1], 6, comma=True)
    elif r.bad.startswith("local time does not exist"):
        start, end = "2025-03-30 02:30", ""
    elif r.bad.startswith("latitude and longitude were swapped"):
        lat, lon = lon, lat
    return [
        r.report_id,
        r.category,
        start,
        end,
        lat,
        lon,
        r.address,
        r.description,
        r.precision,
        "police",
        DEMO_LABEL,
    ]


def _police_csv(world: World) -> bytes:
    rows = [_police_row(r) for r in world.police.itertuples(index=False)]
    return _csv_text(_POLICE_HEADER, rows, sep=";").encode("cp1252")


def _residents_csv(world: World) -> bytes:
    header = ["report_id", "occurred_at", "category", "description", "lat", "lon", "source", "data"]
    rows = [
        [
            r.report_id,
            _t(r.start),
            r.category,
            r.description,
            _f(r.lat, 6),
            _f(r.lon, 6),
            "resident",
            DEMO_LABEL,
        ]
        for r in world.residents.itertuples(index=False)
    ]
    return _csv_text(header, rows, sep=",").encode("utf-8")


def _passes_csv(world: World) -> bytes:
    header = ["measured_at", "segment_id", "direction", "speed_kmh", "lat", "lon", "data"]
    rows = [
        [
            _t(r.measured_at, "%Y-%m-%dT%H:%M:%S"),
            r.segment_id,
            r.direction,
            _f(r.speed_kmh, 1),
            _f(r.lat, 6),
            _f(r.lon, 6),
            DEMO_LABEL,
        ]
        for r in world.passes.itertuples(index=False)
    ]
    return _csv_text(header, rows, sep=",").encode("utf-8")


def _hourly_csv(world: World) -> bytes:
    header = ["hour_start", "segment_id", "direction", "count", "mean_kmh", "p85_kmh", "lat", "lon", "data"]
    rows = [
        [
            _t(r.hour_start, "%Y-%m-%dT%H:%M"),
            r.segment_id,
            r.direction,
            str(int(r.count)),
            _f(r.mean_kmh, 1),
            _f(r.p85_kmh, 1),
            _f(r.lat, 6),
            _f(r.lon, 6),
            DEMO_LABEL,
        ]
        for r in world.hourly.itertuples(index=False)
    ]
    return _csv_text(header, rows, sep=",").encode("utf-8")


def _streets_geojson(world: World, proj: Proj) -> bytes:
    feats = []
    for seg in world.segments:
        xs, ys = np.array(seg.line.coords).T
        lat, lon = proj.wgs(xs, ys)
        st = seg.street
        feats.append(
            {
                "type": "Feature",
                "properties": {
                    "segment_id": seg.segment_id,
                    "name": st.name,
                    "highway": st.highway,
                    "maxspeed": str(st.maxspeed_kmh) if st.maxspeed_kmh else None,
                    "lit": st.lit,
                    "oneway": "no",
                    "data": DEMO_LABEL,
                },
                "geometry": {
                    "type": "LineString",
                    "coordinates": [
                        [round(float(a), 7), round(float(b), 7)] for a, b in zip(lon, lat, strict=True)
                    ],
                },
            }
        )
    return _geojson("gator", feats)


def _lamps_geojson(world: World, proj: Proj) -> bytes:
    lamps = world.lamps
    lat, lon = proj.wgs(lamps["ex"].to_numpy(), lamps["ny"].to_numpy())
    feats = [
        {
            "type": "Feature",
            "properties": {
                "lamp_id": r.lamp_id,
                "highway": "street_lamp",
                "status": r.status,
                "street": r.street,
                "segment_id": r.segment_id,
                "data": DEMO_LABEL,
            },
            "geometry": _pt(la, lo),
        }
        for r, la, lo in zip(lamps.itertuples(index=False), lat, lon, strict=True)
    ]
    return _geojson("belysning", feats)


def _walks_geojson(world: World) -> bytes:
    feats = [
        {
            "type": "Feature",
            "properties": {
                "report_id": r.report_id,
                "occurred_at": _t(r.start, "%Y-%m-%dT%H:%M:%S"),
                "category": r.category,
                "description": r.description,
                "source": "safety_walk",
                "walk": r.walk,
                "data": DEMO_LABEL,
            },
            "geometry": _pt(r.lat, r.lon),
        }
        for r in world.walks.itertuples(index=False)
    ]
    return _geojson("trygghetsvandringar", feats)


def _areas_geojson(world: World) -> bytes:
    feats = [
        {
            "type": "Feature",
            "properties": {"name": a["name"], "data": DEMO_LABEL},
            "geometry": {"type": "Polygon", "coordinates": [a["ring"]]},
        }
        for a in world.areas
    ]
    return _geojson("prioriterade_omraden", feats)


def demo_config_text() -> str:
    """Return the demo's run configuration (``demo.toml``), shipped with the package."""
    return resources.files("geo.demo").joinpath("demo.toml").read_text(encoding="utf-8")


def _readme_rows(world: World) -> list[tuple[str, str]]:
    """Return (file name, what it holds) for the README's table."""
    c = world.truth["counts"]
    t = world.truth
    return [
        (
            FILES["police"],
            f"{c['police']:,} polisanmälningar över tre år ({t['period']['start']} – "
            f"{t['period']['end']}); svensk export: Windows-1252, `;`, decimalkomma; "
            "`occurred_from`/`occurred_to` för brott kända bara inom ett tidsfönster; några rader med samma "
            "adress; fyra avsiktligt felaktiga rader (se `truth.json`, `planted_bad_rows`)",
        ),
        (
            FILES["residents"],
            f"{c['residents']} invånarrapporter om otrygga platser (mörkt, stökigt, hög hastighet, ...)",
        ),
        (FILES["walks"], f"{c['safety_walk']} fynd från tre trygghetsvandringar"),
        (
            FILES["streets"],
            f"{c['segments']} gatusegment med `segment_id`, `highway`, `name`, `maxspeed`, `lit`",
        ),
        (FILES["lamps"], f"{c['lamps']:,} gatlampor med `status` (ok, broken, part_night)"),
        (
            FILES["speed_passes"],
            f"{c['speed_passes']:,} enskilda fordonspassager (`measured_at`, `speed_kmh`, "
            "`segment_id`, `direction`, `lat`, `lon`)",
        ),
        (
            FILES["speed_hourly"],
            "samma mätningar per timme (`hour_start`, `count`, `mean_kmh`, `p85_kmh`) — använd "
            "den ena eller den andra",
        ),
        (
            "truth.json",
            "den planterade sanningen: hot-spots (centrum, radie, tider, trend, ärendenummer), mörka "
            "sträckor, segment med fortkörning, felaktiga rader",
        ),
        (
            "demo.toml",
            "körkonfigurationen för `geo run` / `geo demo` — exemplet en kommun kopierar och pekar mot "
            "sina egna exporter",
        ),
        (FILES["areas"], "prioriterat område Centrum (Stortorget, Resecentrum, Stadsparken) för `[[areas]]`"),
    ]


def _readme(world: World) -> str:
    t = world.truth
    hotspots = ", ".join(f"{h['name']} ({h['peak_window']}, {h['trend']})" for h in t["hotspots"])
    dark = ", ".join(f"{d['name']} ({d['kind']})" for d in t["dark_segments"])
    speeding = ", ".join(
        f"{s['street']} {s['segment_id']} ({s['limit_kmh']} km/h)" for s in t["speeding_segments"]
    )
    lines = [
        f"# Värnamo demovärld — {DEMO_LABEL}",
        "",
        f"Allt i den här mappen är **{DEMO_LABEL}** (synthetic demo data), skapat av",
        f"`geo demo generate --seed {world.seed} --out <mapp>`. Samma frö ger byte för byte samma filer.",
        "Inga verkliga händelser, personer eller adresser finns här; gatunamnen är påhittade men låter",
        "svenska.",
        "Platserna ligger inom Värnamo kommuns verkliga gräns (kommunkod 0683), runt centrumpunkten",
        "57.1832 N, 14.0478 E.",
        "",
        "| fil | innehåll |",
        "|---|---|",
        *(f"| `{name}` | {text} |" for name, text in _readme_rows(world)),
        "",
        f"Planterade hot-spots: {hotspots}.",
        "",
        f"Mörka sträckor: {dark}.",
        "",
        f"Fortkörning: {speeding}, värst på natten.",
        "",
    ]
    return "\n".join(lines)


def write_world(world: World, out_dir: str | Path) -> dict[str, Path]:
    """Write every file of the demo world into `out_dir`.

    Parameters
    ----------
    world
        The world from :func:`geo.demo.build_world`.
    out_dir
        Folder to write into (created when missing); existing files of the same names are replaced.

    Returns
    -------
    paths
        Role -> path of each file written (see :data:`FILES`).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    proj = Proj()
    blobs = {
        "streets": _streets_geojson(world, proj),
        "lamps": _lamps_geojson(world, proj),
        "police": _police_csv(world),
        "residents": _residents_csv(world),
        "walks": _walks_geojson(world),
        "speed_passes": _passes_csv(world),
        "speed_hourly": _hourly_csv(world),
        "feed": (json.dumps(world.feed, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
        "truth": (json.dumps(world.truth, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
        "readme": _readme(world).encode("utf-8"),
        "config": demo_config_text().encode("utf-8"),
        "areas": _areas_geojson(world),
        "measures": _csv_text(list(world.measures.columns), world.measures.values.tolist(), sep=",").encode(),
    }
    return {role: _write_bytes(data, out / FILES[role]) for role, data in blobs.items()}


def generate_world(seed: int, out_dir: str | Path, *, noise: float = 1.0) -> dict[str, Path]:
    """Build the demo world from `seed` and write it into `out_dir`.

    Parameters
    ----------
    seed
        Seed of the random generator; the same seed gives byte-identical files.
    out_dir
        Folder to write into (created when missing).
    noise
        Multiplier of background incidents: 1 for the realistic demo, 0 for planted hot-spots only (no
        background and no planted bad rows), useful to test that an analysis finds nothing unplanted.

    Returns
    -------
    paths
        Role (``police``, ``residents``, ``walks``, ``streets``, ``lamps``, ``speed_passes``,
        ``speed_hourly``, ``feed``, ``truth``, ``readme``, ``config``) -> written file.
    """
    return write_world(build_world(seed, noise=noise), out_dir)
