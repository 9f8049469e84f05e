"""``geo lighting``: lighting layer, ranked dark places, new-lamp proposals and quick fixes.

Also the functions the pipeline and the map call: :func:`compute_lighting` (files in, :class:`LightingPlan`
out; its ``map_layers()`` are the map's GeoDataFrames) and :func:`run_lighting` (files in, output files out).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import typer
from rich.table import Table

from geo.commands._common import ReaderArgs, console, load_reports, with_reader_options
from geo.errors import InputError
from geo.io.export import atomic_path, write_csv, write_frame, write_text
from geo.layers.lighting import (
    DEFAULT_LIT_WAY_BUFFER_M,
    DEFAULT_RADIUS_M,
    build_lighting,
    read_lighting_sources,
)
from geo.model import Reports
from geo.plan.lighting import FollowUp, LightingPlan, follow_up, plan_lighting

__all__ = ["compute_lighting", "lighting", "register", "run_lighting", "write_lighting"]

PROPOSAL_COLUMNS = ["rank", "lat", "lon", "street", "covered_reports", "gain", "reason"]
"""The first columns of ``lighting_proposals.csv`` (the command-line contract)."""

DARK_PLACE_COLUMNS = ["rank", "lat", "lon", "length_m", "score", "dark_reports"]
"""The first columns of ``dark_places.csv`` (the command-line contract)."""


def compute_lighting(
    reports: Reports,
    *,
    lamps_path: str | Path,
    ways_path: str | Path | None = None,
    budget: int = 10,
    radius_m: float = DEFAULT_RADIUS_M,
    lit_way_buffer_m: float = DEFAULT_LIT_WAY_BUFFER_M,
    near_m: float = 30.0,
    place_weight: float = 2.0,
    spacing_m: float = 10.0,
    method: str = "mclp",
    lamps_crs: str | None = None,
    sources: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame] | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[LightingPlan, pd.DataFrame]:
    """Read lamps and ways, build the lighting layer and plan lamps for these reports.

    Parameters
    ----------
    reports
        Validated reports (their CRS is used for everything).
    lamps_path
        Lamp register (CSV/GPKG/SHP/GeoJSON, optional status column) or OSM PBF.
    ways_path
        Ways (OSM PBF or line file); default the PBF given as `lamps_path`.
    budget
        Number of new lamps to propose.
    radius_m
        Effective lit radius of a lamp in metres (existing and new).
    lit_way_buffer_m
        Half-width of the band a ``lit=yes`` way lights, in metres.
    near_m, place_weight
        See :func:`geo.plan.lighting.dark_evidence`.
    spacing_m, method
        See :func:`geo.plan.lighting.propose_lamps`.
    lamps_crs
        CRS of a register's projected coordinates.
    sources
        Lamps, ways and rejects already read with :func:`~geo.layers.lighting.read_lighting_sources` (in any
        CRS; they are reprojected); the paths are then not read again.
    progress
        Called with a message per step.

    Returns
    -------
    plan, rejects
        The plan and the table of unusable ways/tags from the OSM reader.
    """
    say = progress or (lambda _m: None)
    if reports.crs is None:
        raise InputError("the reports have no CRS")
    if sources is None:
        say("Läser lampor och vägar / reading lamps and ways")
        sources = read_lighting_sources(lamps_path, ways_path, crs=reports.crs, lamps_crs=lamps_crs)
    lamps, ways, rejects = sources
    lamps, ways = lamps.to_crs(reports.crs), ways.to_crs(reports.crs)
    say("Bygger belysningslager / building the lighting layer")
    layer = build_lighting(lamps, ways, radius_m=radius_m, lit_way_buffer_m=lit_way_buffer_m)
    say("Rangordnar mörka platser och placerar lampor / ranking dark places, placing lamps")
    plan = plan_lighting(
        reports,
        layer,
        budget=budget,
        near_m=near_m,
        place_weight=place_weight,
        spacing_m=spacing_m,
        method=method,
    )
    return plan, rejects


def write_lighting(
    plan: LightingPlan,
    out_dir: str | Path,
    *,
    rejects: pd.DataFrame | None = None,
    follow: FollowUp | None = None,
) -> dict[str, Path]:
    """Write a plan's files into `out_dir` (each atomically).

    Returns
    -------
    paths
        ``lighting_proposals`` (CSV), ``dark_places`` (CSV), ``quick_fixes`` (CSV), ``lighting_summary``
        (JSON: layer figures, score rule, optimiser method/status), ``lighting_gpkg`` (every layer), and
        ``lighting_rejects``/``follow_up`` when there are any.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    props = plan.proposals.lamps
    places = plan.dark_places
    paths: dict[str, Path] = {}
    prop_table = pd.DataFrame(props.drop(columns=props.geometry.name))
    rest = [c for c in prop_table.columns if c not in PROPOSAL_COLUMNS]
    paths["lighting_proposals"] = write_csv(
        prop_table[PROPOSAL_COLUMNS + rest], out / "lighting_proposals.csv"
    )
    place_table = pd.DataFrame(places.drop(columns=places.geometry.name))
    rest = [c for c in place_table.columns if c not in DARK_PLACE_COLUMNS]
    paths["dark_places"] = write_csv(place_table[DARK_PLACE_COLUMNS + rest], out / "dark_places.csv")
    fixes = plan.fixes
    paths["quick_fixes"] = write_csv(
        pd.DataFrame(fixes.drop(columns=fixes.geometry.name)), out / "quick_fixes.csv"
    )
    if rejects is not None and len(rejects):
        paths["lighting_rejects"] = write_csv(rejects, out / "lighting_rejects.csv")
    if follow is not None:
        table = follow.table.assign(
            ratio=follow.ratio, ci_low=follow.ci_low, ci_high=follow.ci_high, note=follow.note
        )
        paths["follow_up"] = write_csv(table, out / "follow_up.csv")
    layer = plan.layer
    prop = plan.proposals
    summary = {
        "layer": {k: (round(v, 1) if isinstance(v, float) else v) for k, v in layer.summary().items()},
        "radius_m": layer.radius_m,
        "lit_way_buffer_m": layer.lit_way_buffer_m,
        "score_rule": str(places["score_rule"].iloc[0]) if len(places) else "",
        "evidence_reports": len(plan.evidence),
        "optimiser": {
            "method": prop.method,
            "status": prop.status,
            "candidates": prop.candidates,
            "covered_weight": prop.covered_weight,
            "greedy_weight": prop.greedy_weight,
            "total_weight": prop.total_weight,
            "notes": prop.notes,
        },
        "proposals": len(prop.lamps),
        "quick_fixes": len(plan.fixes),
    }
    if follow is not None:
        summary["follow_up"] = {
            "ratio": follow.ratio,
            "ci_low": follow.ci_low,
            "ci_high": follow.ci_high,
            "note": follow.note,
        }
    paths["lighting_summary"] = write_text(
        json.dumps(summary, ensure_ascii=False, indent=2, default=float), out / "lighting_summary.json"
    )
    evidence = plan.evidence.drop(columns=[c for c in ("description",) if c in plan.evidence.columns])
    layers: dict[str, gpd.GeoDataFrame] = {
        "lit_coverage": layer.coverage,
        "lamps": layer.lamps,
        "walkable_ways": layer.ways,
        "unlit_ways": layer.unlit_ways,
        "dark_places": places,
        "dark_evidence": evidence,
        "lighting_proposals": props,
        "proposal_coverage": gpd.GeoDataFrame(
            props.drop(columns=props.geometry.name),
            geometry=props.geometry.buffer(layer.radius_m),
            crs=props.crs,
        ),
        "quick_fixes": fixes,
    }
    gpkg = out / "lighting.gpkg"
    with atomic_path(gpkg) as tmp:
        for name, frame in layers.items():
            write_frame(frame, tmp, layer=name)
    paths["lighting_gpkg"] = gpkg
    return paths


def run_lighting(
    reports: Reports,
    *,
    lamps_path: str | Path,
    ways_path: str | Path | None = None,
    budget: int = 10,
    radius_m: float = DEFAULT_RADIUS_M,
    out_dir: str | Path,
    lit_way_buffer_m: float = DEFAULT_LIT_WAY_BUFFER_M,
    near_m: float = 30.0,
    place_weight: float = 2.0,
    spacing_m: float = 10.0,
    method: str = "mclp",
    lamps_crs: str | None = None,
    follow_up_date: str | pd.Timestamp | None = None,
    follow_up_area: str | Path | None = None,
    follow_up_days: int | None = None,
    sources: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Path]:
    """Compute the lighting plan for `reports` and write its files into `out_dir` (for ``geo run``).

    Parameters
    ----------
    reports
        Validated reports.
    lamps_path, ways_path, budget, radius_m, lit_way_buffer_m, near_m, place_weight, spacing_m, method
    lamps_crs, sources
        See :func:`compute_lighting`.
    out_dir
        Output folder.
    follow_up_date, follow_up_area, follow_up_days
        When date and area are given, dark-time incidents before and after that date in that polygon file are
        compared with a ring around it (``follow_up.csv``), over `follow_up_days` days each side (default:
        the longest equal windows the data allow).
    progress
        Called with a message per step.

    Returns
    -------
    paths
        See :func:`write_lighting`.
    """
    plan, rejects = compute_lighting(
        reports,
        lamps_path=lamps_path,
        ways_path=ways_path,
        budget=budget,
        radius_m=radius_m,
        lit_way_buffer_m=lit_way_buffer_m,
        near_m=near_m,
        place_weight=place_weight,
        spacing_m=spacing_m,
        method=method,
        lamps_crs=lamps_crs,
        sources=sources,
        progress=progress,
    )
    follow = None
    if (follow_up_date is None) != (follow_up_area is None):
        raise InputError("follow-up needs both a date (--follow-up-date) and an area (--follow-up-area)")
    if follow_up_date is not None and follow_up_area is not None:
        from geo.io.area import load_area

        area = load_area(str(follow_up_area))
        poly = gpd.GeoSeries([area.geometry], crs="EPSG:4326").to_crs(reports.crs).iloc[0]
        try:
            when = pd.Timestamp(follow_up_date)
        except (ValueError, TypeError) as err:
            raise InputError(
                f"--follow-up-date must be a date like 2024-10-01, got '{follow_up_date}'"
            ) from err
        follow = follow_up(reports, affected=poly, changed_at=when, window_days=follow_up_days)
    return write_lighting(plan, out_dir, rejects=rejects, follow=follow)


@with_reader_options
def lighting(
    reports: list[str] = typer.Argument(
        ..., help="Report files (CSV, GeoJSON, GPKG, GeoParquet, Police JSON)."
    ),
    lamps: str = typer.Option(
        ...,
        "--lamps",
        help="Lamp register (CSV/GPKG/SHP, optional status ok/broken/part_night, "
        "trasig/halvnatt) or an OSM .pbf with highway=street_lamp.",
    ),
    out: Path = typer.Option(..., "--out", help="Output folder."),
    ways: str | None = typer.Option(
        None, "--ways", help="Walkable ways: OSM .pbf or a line file (default: --lamps if it is a .pbf)."
    ),
    budget: int = typer.Option(10, "--budget", min=1, help="Number of new lamps to propose."),
    radius: float = typer.Option(
        DEFAULT_RADIUS_M, "--radius", min=0.1, help="Effective lit radius of a lamp, metres."
    ),
    lit_way_buffer: float = typer.Option(
        DEFAULT_LIT_WAY_BUFFER_M, "--lit-way-buffer", min=0.0, help="Half-width lit by a lit=yes way, metres."
    ),
    near: float = typer.Option(
        30.0, "--near", min=0.1, help="Max distance from a report to a dark stretch, metres."
    ),
    place_weight: float = typer.Option(
        2.0,
        "--place-weight",
        min=0.0,
        help="Weight of a resident/safety-walk dark-place report vs. a dark-time incident.",
    ),
    spacing: float = typer.Option(
        10.0, "--spacing", min=0.5, help="Candidate spacing along dark stretches, metres."
    ),
    method: str = typer.Option(
        "mclp", "--method", help="mclp (spopt + CBC, exact) or greedy (≥ 63 % of optimum)."
    ),
    lamps_crs: str | None = typer.Option(
        None, "--lamps-crs", help="CRS of a lamp register's x/y, e.g. EPSG:3006."
    ),
    follow_up_date: str | None = typer.Option(
        None, "--follow-up-date", help="Date lamps were fixed/added (YYYY-MM-DD)."
    ),
    follow_up_days: int | None = typer.Option(
        None,
        "--follow-up-days",
        min=1,
        help="Days before and after to compare (default: longest equal windows).",
    ),
    follow_up_area: str | None = typer.Option(
        None, "--follow-up-area", help="Polygon file of where they were fixed/added."
    ),
    *,
    reader: ReaderArgs,
) -> None:
    """Belysning: mörka sträckor, rangordnade mörka platser, förslag på nya lampor och snabba åtgärder.

    Lighting: lit coverage, dark stretches ranked by dark-time evidence per 100 m, new lamps placed by a
    maximal     covering location problem (spopt + CBC), broken/part-night lamps to repair first.

    Writes OUT/lighting_proposals.csv, OUT/dark_places.csv, OUT/quick_fixes.csv and OUT/lighting.gpkg.

    Example: geo lighting reports.csv --lamps data/helsinki_center.osm.pbf --budget 10 --radius 25 --out ut/
    """
    if method not in ("mclp", "greedy"):
        raise InputError(f"--method must be mclp or greedy, got '{method}'")
    if out.suffix:
        raise InputError(f"--out is a folder, got a file name '{out}'")
    if (follow_up_date is None) != (follow_up_area is None):
        raise InputError("follow-up needs both --follow-up-date and --follow-up-area")
    # lamps and ways first: a bad register stops the run before anything is written
    with console.status("Läser lampor och vägar / reading lamps and ways ..."):
        sources = read_lighting_sources(lamps, ways, crs="EPSG:4326", lamps_crs=lamps_crs)
    console.print(
        f"Lampor / lamps: {len(sources[0]):,} · vägar / ways: {len(sources[1]):,} ({lamps}"
        f"{', ' + ways if ways else ''})"
    )
    result = load_reports(reports, reader, out=out)
    if len(result.reports) == 0:
        raise InputError("no reports were accepted; nothing to plan (see the rejects table)")
    with console.status("Belysning / lighting ...") as status:
        paths = run_lighting(
            result.reports,
            lamps_path=lamps,
            ways_path=ways,
            budget=budget,
            radius_m=radius,
            out_dir=out,
            lit_way_buffer_m=lit_way_buffer,
            near_m=near,
            place_weight=place_weight,
            spacing_m=spacing,
            method=method,
            lamps_crs=lamps_crs,
            sources=sources,
            follow_up_date=follow_up_date,
            follow_up_area=follow_up_area,
            follow_up_days=follow_up_days,
            progress=lambda m: status.update(m),
        )
    places = pd.read_csv(paths["dark_places"])
    props = pd.read_csv(paths["lighting_proposals"])
    console.print(
        f"Mörka platser / dark places: {len(places):,} (med rapporter / with reports: "
        f"{int((places['dark_reports'] > 0).sum()):,})"
    )
    if len(props):
        method_used = str(props["method"].iloc[0])
        console.print(
            f"Föreslagna lampor / proposed lamps: {len(props)} av / of {budget} "
            f"(metod / method: {method_used}); "
            f"täcker / cover {int(props['covered_reports'].sum())} rapporter / reports"
        )
        table = Table("rank", "street", "reports", "gain", "reason", title="Nya lampor / new lamps")
        for _, r in props.head(10).iterrows():
            table.add_row(
                str(r["rank"]),
                str(r["street"]),
                str(r["covered_reports"]),
                f"{r['gain']:.1f}",
                str(r["reason"])[:100],
            )
        console.print(table)
    else:
        console.print(
            "Inga lampor föreslås: inga rapporter i mörker nära mörka sträckor / "
            "no lamps proposed: no dark-time reports near dark stretches"
        )
    for key, path in paths.items():
        console.print(f"Skrev / wrote {key}: {path}")


def register(app: typer.Typer) -> None:
    """Add ``geo lighting`` to the app."""
    app.command("lighting")(lighting)
