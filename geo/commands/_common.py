"""What every command that reads reports shares: the reader options, the read summary, the rejects file.

Use :func:`with_reader_options` on a command function that takes ``reader: ReaderArgs``; the command then has
every shared option (``--lat-col``, ``--time-col``, ``--area``, ``--strict``, ...) and receives them packed.
:func:`load_reports` reads, prints the summary a user expects and writes the rejection table.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from geo.errors import InputError
from geo.io import ReaderOptions, ReadResult, read_reports
from geo.io.area import StudyArea, load_area
from geo.io.export import write_csv

__all__ = ["ReaderArgs", "console", "load_reports", "read_layer", "read_streets", "with_reader_options"]

console = Console(stderr=False, highlight=False)
err_console = Console(stderr=True, highlight=False)

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class ReaderArgs:
    """The shared reader options as given on the command line."""

    lat_col: str | None = None
    lon_col: str | None = None
    x_col: str | None = None
    y_col: str | None = None
    crs: str | None = None
    time_col: str | None = None
    time_to_col: str | None = None
    category_col: str | None = None
    id_col: str | None = None
    description_col: str | None = None
    weight_col: str | None = None
    tz: str | None = None
    encoding: str | None = None
    sep: str | None = None
    area: str | None = None
    source: str | None = None
    precision: str = "exact"
    rejects: Path | None = None
    strict: bool = False
    drop_duplicates: bool = False

    def options(self) -> ReaderOptions:
        """The reader options for :func:`geo.io.read_reports`."""
        if self.precision not in {"exact", "address", "intersection", "municipality", "county"}:
            raise InputError(f"--precision must be exact, address, intersection, municipality or county, got '{self.precision}'")
        sep = {"\\t": "\t", "tab": "\t"}.get(self.sep or "", self.sep)
        return ReaderOptions(
            lat_col=self.lat_col, lon_col=self.lon_col, x_col=self.x_col, y_col=self.y_col, crs=self.crs,
            time_col=self.time_col, time_to_col=self.time_to_col, category_col=self.category_col,
            id_col=self.id_col, description_col=self.description_col, weight_col=self.weight_col, tz=self.tz,
            encoding=self.encoding, sep=sep, source=self.source, precision=self.precision,
            drop_duplicates=self.drop_duplicates,
        )

    def study_area(self) -> StudyArea | None:
        """The study area, when ``--area`` was given."""
        return load_area(self.area) if self.area else None


_HELP = "Reader options"
_READER_PARAMS: list[tuple[str, Any, Any]] = [
    ("lat_col", str | None, typer.Option(None, "--lat-col", help="Latitude column (WGS84 degrees).", rich_help_panel=_HELP)),
    ("lon_col", str | None, typer.Option(None, "--lon-col", help="Longitude column (WGS84 degrees).", rich_help_panel=_HELP)),
    ("x_col", str | None, typer.Option(None, "--x-col", help="Projected x (easting) column; needs --crs.", rich_help_panel=_HELP)),
    ("y_col", str | None, typer.Option(None, "--y-col", help="Projected y (northing) column; needs --crs.", rich_help_panel=_HELP)),
    ("crs", str | None, typer.Option(None, "--crs", help="CRS of --x-col/--y-col, e.g. EPSG:3006.", rich_help_panel=_HELP)),
    ("time_col", str | None, typer.Option(None, "--time-col", help="Time column (start of the window).", rich_help_panel=_HELP)),
    ("time_to_col", str | None, typer.Option(None, "--time-to-col", help="End-of-window column (incidents known only within a window).", rich_help_panel=_HELP)),
    ("category_col", str | None, typer.Option(None, "--category-col", help="Category column.", rich_help_panel=_HELP)),
    ("id_col", str | None, typer.Option(None, "--id-col", help="Id column (repeated ids are rejected).", rich_help_panel=_HELP)),
    ("description_col", str | None, typer.Option(None, "--description-col", help="Free-text column (never published).", rich_help_panel=_HELP)),
    ("weight_col", str | None, typer.Option(None, "--weight-col", help="Weight column (default weight 1).", rich_help_panel=_HELP)),
    ("tz", str | None, typer.Option(None, "--tz", help="Zone of naive local times (default: the zone at the data's location).", rich_help_panel=_HELP)),
    ("encoding", str | None, typer.Option(None, "--encoding", help="CSV encoding (default: UTF-8, else Windows-1252).", rich_help_panel=_HELP)),
    ("sep", str | None, typer.Option(None, "--sep", help="CSV separator (default: detected among , ; tab |).", rich_help_panel=_HELP)),
    ("area", str | None, typer.Option(None, "--area", help="Study area: municipality name or code (Värnamo, 0683) or a polygon file.", rich_help_panel=_HELP)),
    ("source", str | None, typer.Option(None, "--source", help="Source of every row: police, resident, safety_walk, polisen_feed, ...", rich_help_panel=_HELP)),
    ("precision", str, typer.Option("exact", "--precision", help="Location precision when the file has none: exact, address, intersection, municipality.", rich_help_panel=_HELP)),
    ("rejects", Path | None, typer.Option(None, "--rejects", help="Where to write the rejection table (default: beside the output).", rich_help_panel=_HELP)),
    ("strict", bool, typer.Option(False, "--strict", help="Any rejected row is an error; no output is written.", rich_help_panel=_HELP)),
    ("drop_duplicates", bool, typer.Option(False, "--drop-duplicates", help="Reject rows with the same place, time and category (no id) instead of listing them.", rich_help_panel=_HELP)),
]
_READER_NAMES = {name for name, _, _ in _READER_PARAMS}
assert _READER_NAMES == {f.name for f in fields(ReaderArgs)}


def with_reader_options(func: F) -> F:
    """Give a command every shared reader option, passed to it packed as ``reader: ReaderArgs``.

    Parameters
    ----------
    func
        A command function with a ``reader`` parameter.
    """
    sig = inspect.signature(func)
    own = [p for p in sig.parameters.values() if p.name != "reader"]
    extra = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=ann)
        for name, ann, default in _READER_PARAMS
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        reader = ReaderArgs(**{k: kwargs.pop(k) for k in list(kwargs) if k in _READER_NAMES})
        return func(*args, reader=reader, **kwargs)

    wrapper.__signature__ = sig.replace(parameters=[*own, *extra])  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def _rejects_path(reader: ReaderArgs, out: Path) -> Path:
    if reader.rejects is not None:
        return reader.rejects
    if out.suffix:
        return out.with_name(out.name.split(".")[0] + ".rejects.csv")
    return out / "rejects.csv"


def load_reports(
    sources: list[str],
    reader: ReaderArgs,
    *,
    out: Path,
    area: StudyArea | None = None,
    quiet: bool = False,
    public: bool = False,
) -> ReadResult:
    """Read reports for a command: show progress, print the summary, write the rejection table.

    Parameters
    ----------
    sources
        Files or URLs.
    reader
        The shared reader options.
    out
        The command's output file or folder; the rejection table goes beside it unless ``--rejects``.
    area
        The study area (default: from ``--area``).
    quiet
        Print only the one-line summary.
    public
        The output will be published: the rejection table beside it leaves out the rejected raw values
        (positions, free text) and keeps file, row, field, reason and status.

    Raises
    ------
    InputError
        With ``--strict``, when any row was rejected (nothing is written).
    """
    area = area if area is not None else reader.study_area()
    with console.status("Läser rapporter / reading reports ...") as status:
        result = read_reports(
            sources, reader.options(), area=area, progress=lambda s: status.update(f"Läser / reading {s} ...")
        )
    n_ok = len(result.reports)
    rejected = result.rejects[result.rejects["status"] == "rejected"]
    if reader.strict and len(rejected):
        first = rejected.iloc[0]
        raise InputError(
            f"{result.n_rejected} rows rejected under --strict (first: {first['reason']}); no output written",
            path=str(first["file"]), row=int(first["row"]), field=str(first["field"]),
        )
    path = _rejects_path(reader, out)
    write_csv(result.rejects.drop(columns="value") if public else result.rejects, path)
    for src, cols in result.columns.items():
        found = ", ".join(f"{k}={v}" for k, v in cols.items() if v)
        if not quiet:
            console.print(f"[dim]{src}: columns {found}[/dim]")
    console.print(
        f"Rader lästa / rows read: {result.n_read:,} · godkända / accepted: {n_ok:,} · "
        f"avvisade / rejected: {result.n_rejected:,} · varningar / warnings: "
        f"{int((result.rejects['status'] == 'warning').sum()):,}"
    )
    if not quiet and len(result.rejects):
        table = Table("status", "field", "reason", "rows", title="Avvisade och varningar / rejected and warnings")
        for _, r in result.summary_by_reason().head(15).iterrows():
            table.add_row(str(r["status"]), str(r["field"]), str(r["reason"])[:90], f"{int(r['rows']):,}")
        console.print(table)
    if result.crs is not None:
        console.print(f"CRS: {result.crs_reason}")
    console.print(f"Tidszon / time zone: {result.tz_reason}")
    console.print(f"Avvisningstabell / rejects: {path}")
    return result


def read_layer(path: Path, *, what: str, crs: Any = None) -> gpd.GeoDataFrame:
    """Read a vector file (GeoJSON/GPKG/SHP, GeoParquet) or an OSM ``.pbf``'s highway ways.

    Parameters
    ----------
    path
        The file.
    what
        What it holds, for error messages (``"streets"``).
    crs
        CRS to return the layer in (default: as read; a file without a CRS is taken as WGS84).

    Raises
    ------
    InputError
        If the file is missing or unreadable.
    """
    if not path.exists():
        raise InputError(f"{what} file not found", path=str(path))
    if path.suffix.lower() == ".pbf":
        from geo.io.osm import read_osm

        frame = read_osm(path, crs=crs).ways
    else:
        try:
            parquet = path.suffix.lower() in {".parquet", ".geoparquet"}
            frame = gpd.read_parquet(path) if parquet else gpd.read_file(path)
        except Exception as err:  # noqa: BLE001 - any driver failure is a problem with the user's file
            raise InputError(f"cannot read {what}: {err}", path=str(path)) from err
        if frame.crs is None:
            frame = frame.set_crs("EPSG:4326")
    return frame if crs is None else frame.to_crs(crs)


def read_streets(path: str | Path, *, crs: Any) -> gpd.GeoDataFrame:
    """Read street lines for travel times: an OSM PBF (highway ways) or any line file, in `crs`.

    Parameters
    ----------
    path
        ``.osm.pbf`` or a GeoJSON/GeoPackage/Shapefile of lines.
    crs
        The metric CRS wanted.

    Raises
    ------
    InputError
        If the file is missing, unreadable or holds no lines.
    """
    p = Path(path)
    if not p.exists():
        raise InputError("file not found", path=str(p))
    if p.name.lower().endswith((".pbf", ".osm")):
        from geo.io.osm import read_osm

        return read_osm(p, crs=crs).ways
    try:
        frame = gpd.read_file(p, engine="pyogrio")
    except Exception as err:  # noqa: BLE001 - driver failures are the user's file problem
        raise InputError(f"cannot read streets: {err}", path=str(p)) from err
    if frame.crs is None:
        raise InputError("streets have no CRS", path=str(p))
    lines = frame[frame.geom_type.isin(["LineString", "MultiLineString"])]
    if lines.empty:
        raise InputError("holds no lines (streets must be LineStrings)", path=str(p))
    return lines.to_crs(crs)


def parse_date(value: str | None, *, tz: str, name: str) -> pd.Timestamp | None:
    """Parse a ``YYYY-MM-DD`` option as local midnight in `tz`."""
    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as err:
        raise InputError(f"{name} must be a date like 2024-01-31, got '{value}'") from err
    return ts.tz_localize(tz) if ts.tzinfo is None else ts.tz_convert(tz)
