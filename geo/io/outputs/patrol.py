"""Writer of the patrol stage's result: the plan's tables, its printable page and its GeoPackage."""

from __future__ import annotations

from pathlib import Path

from geo.io.export import atomic_path, write_csv, write_frame, write_text
from geo.io.manifest import OutputFile
from geo.io.outputs.patrol_ics import plan_ics
from geo.plan.patrol_page import plan_html
from geo.stages.patrol import PatrolResult

__all__ = ["write_patrol"]


def write_patrol(
    result: PatrolResult, out_dir: str | Path, *, demo: bool = False, lang: str = "sv"
) -> list[OutputFile]:
    """Write ``patrol_plan.csv``, ``patrol_naive.csv``, ``patrol_plan.html``, ``patrol_plan.ics``, ``.gpkg``.

    Every file is written atomically. The GeoPackage (layers ``visits`` and ``routes``, for the map) is
    written only when the plan has visits.

    Parameters
    ----------
    result
        The patrol stage's result.
    out_dir
        Output folder (created).
    demo
        Mark the HTML page as synthetic demo data.
    lang
        Language of the HTML page, ``"sv"`` or ``"en"``.

    Returns
    -------
    files
        Kinds ``patrol_plan`` (the plan's table), ``patrol_naive`` (the naive comparison plan's table),
        ``patrol_plan_html`` (the printable page), ``patrol_plan_ics`` (one calendar event a
        visit, :func:`geo.io.outputs.patrol_ics.plan_ics`), ``patrol_plan_gpkg`` (the GeoPackage) with its
        layers
        ``patrol_visits`` (layer ``visits``) and ``patrol_routes`` (layer ``routes``).
    """
    plan = result.plan
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html = plan_html(plan, demo=demo, lang=lang)
    files = [
        OutputFile("patrol_plan", str(write_csv(plan.table(), out / "patrol_plan.csv")), "patrol"),
        OutputFile(
            "patrol_naive", str(write_csv(plan.table(naive=True), out / "patrol_naive.csv")), "patrol"
        ),
        OutputFile("patrol_plan_html", str(write_text(html, out / "patrol_plan.html")), "patrol"),
        OutputFile("patrol_plan_ics", str(_write_bytes(plan_ics(plan), out / "patrol_plan.ics")), "patrol"),
    ]
    if len(plan.visits):
        gpkg = out / "patrol_plan.gpkg"
        with atomic_path(gpkg) as tmp:
            write_frame(plan.visits, tmp, layer="visits")
            write_frame(plan.routes, tmp, layer="routes")
        files += [
            OutputFile("patrol_plan_gpkg", str(gpkg), "patrol"),
            OutputFile("patrol_visits", str(gpkg), "patrol", layer="visits"),
            OutputFile("patrol_routes", str(gpkg), "patrol", layer="routes"),
        ]
    return files


def _write_bytes(data: bytes, path: Path) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path
