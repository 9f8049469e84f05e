"""What every command that reads reports shares: the reader options, the read summary, the rejects file.

Use :func:`with_reader_options` on a command function that takes ``reader: ReaderArgs``; the command then has
every shared option (``--lat-col``, ``--time-col``, ``--area``, ``--strict``, ...) and receives them packed.
:func:`load_reports` reads with :func:`geo.io.read_reports`, prints the summary a user expects and writes the
rejection table. Readers of other inputs live in :mod:`geo.io`; dates are parsed by
:func:`geo.time.parse.parse_date`.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from geo import i18n
from geo.errors import InputError
from geo.io import ReaderOptions, ReadResult, read_reports
from geo.io.area import StudyArea, load_area
from geo.io.export import write_csv
from geo.model import PRECISIONS
from geo.rejects_text import localize_rejects, reason_text

__all__ = [
    "ReaderArgs",
    "check_lang",
    "console",
    "lang_option",
    "load_reports",
    "rejects_path",
    "with_reader_options",
]

console = Console(stderr=False, highlight=False)
err_console = Console(stderr=True, highlight=False)

F = TypeVar("F", bound=Callable[..., Any])


LANG_HELP = "Language of the console lines: sv | en"


def lang_option(help_text: str = LANG_HELP, *, annotated: bool = False) -> Any:
    """Return the ``--lang`` option of a command (``sv`` by default); check it with :func:`check_lang`.

    With `annotated` the option has no default: ``Annotated[str, lang_option(annotated=True)] = "sv"``.
    """
    if annotated:
        return typer.Option("--lang", help=help_text)
    return typer.Option("sv", "--lang", help=help_text)


def check_lang(lang: str) -> str:
    """Return `lang` when it is ``sv`` or ``en``.

    Raises
    ------
    InputError
        Naming the option and the value given.
    """
    if lang not in i18n.LANGS:
        raise InputError(f"--lang must be sv or en, got '{lang}'")
    return lang


def _opt(default: Any, flag: str, help_text: str) -> Any:
    """Return a dataclass field carrying its command-line flag and help text."""
    return field(default=default, metadata={"flag": flag, "help": help_text})


@dataclass(frozen=True)
class ReaderArgs:
    """The shared reader options as given on the command line (each field's flag and help in its metadata)."""

    lat_col: str | None = _opt(None, "--lat-col", "Latitude column (WGS84 degrees).")
    lon_col: str | None = _opt(None, "--lon-col", "Longitude column (WGS84 degrees).")
    x_col: str | None = _opt(None, "--x-col", "Projected x (easting) column; needs --crs.")
    y_col: str | None = _opt(None, "--y-col", "Projected y (northing) column; needs --crs.")
    crs: str | None = _opt(None, "--crs", "CRS of --x-col/--y-col, e.g. EPSG:3006.")
    time_col: str | None = _opt(None, "--time-col", "Time column (start of the window).")
    time_to_col: str | None = _opt(
        None, "--time-to-col", "End-of-window column (incidents known only within a window)."
    )
    category_col: str | None = _opt(None, "--category-col", "Category column.")
    address_col: str | None = _opt(
        None, "--address-col", "Address column (street, number, postcode, city); needs --geocode."
    )
    geocode: str | None = _opt(
        None, "--geocode", "OpenStreetMap extract (.osm.pbf) whose addresses place --address-col, offline."
    )
    id_col: str | None = _opt(None, "--id-col", "Id column (repeated ids are rejected).")
    description_col: str | None = _opt(None, "--description-col", "Free-text column (never published).")
    weight_col: str | None = _opt(None, "--weight-col", "Weight column (default weight 1).")
    tz: str | None = _opt(
        None, "--tz", "Zone of naive local times (default: the zone at the data's location)."
    )
    encoding: str | None = _opt(None, "--encoding", "CSV encoding (default: UTF-8, else Windows-1252).")
    sep: str | None = _opt(None, "--sep", "CSV separator (default: detected among , ; tab |).")
    area: str | None = _opt(
        None, "--area", "Study area: municipality name or code (Värnamo, 0683) or a polygon file."
    )
    source: str | None = _opt(
        None, "--source", "Source of every row: police, resident, safety_walk, polisen_feed, ..."
    )
    precision: str = _opt(
        "exact",
        "--precision",
        "Location precision when the file has none: exact, address, intersection, municipality.",
    )
    rejects: Path | None = _opt(
        None, "--rejects", "Where to write the rejection table (default: beside the output)."
    )
    strict: bool = _opt(False, "--strict", "Any rejected row is an error; no output is written.")
    drop_duplicates: bool = _opt(
        False,
        "--drop-duplicates",
        "Reject rows with the same place, time and category (no id) instead of listing them.",
    )

    def options(self) -> ReaderOptions:
        """Return the reader options for :func:`geo.io.read_reports`."""
        if self.precision not in PRECISIONS:
            allowed = f"{', '.join(PRECISIONS[:-1])} or {PRECISIONS[-1]}"
            raise InputError(f"--precision must be {allowed}, got '{self.precision}'")
        shared = {f.name for f in fields(ReaderOptions)} & {f.name for f in fields(self)}
        values = {name: getattr(self, name) for name in shared}
        values["sep"] = {"\\t": "\t", "tab": "\t"}.get(self.sep or "", self.sep)
        return ReaderOptions(**values)

    def study_area(self) -> StudyArea | None:
        """Return the study area, when ``--area`` was given."""
        return load_area(self.area) if self.area else None


_HELP = "Reader options"


def _reader_parameters() -> list[inspect.Parameter]:
    """Return the typer parameters of the shared reader options, built from :class:`ReaderArgs`."""
    hints = typing.get_type_hints(ReaderArgs)
    return [
        inspect.Parameter(
            f.name,
            inspect.Parameter.KEYWORD_ONLY,
            default=typer.Option(
                f.default, f.metadata["flag"], help=f.metadata["help"], rich_help_panel=_HELP
            ),
            annotation=hints[f.name],
        )
        for f in fields(ReaderArgs)
    ]


_READER_NAMES = {f.name for f in fields(ReaderArgs)}


def with_reader_options(func: F) -> F:
    """Give a command every shared reader option, passed to it packed as ``reader: ReaderArgs``.

    Parameters
    ----------
    func
        A command function with a ``reader`` parameter.
    """
    sig = inspect.signature(func, eval_str=True)
    own = [p for p in sig.parameters.values() if p.name != "reader"]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        reader = ReaderArgs(**{k: kwargs.pop(k) for k in list(kwargs) if k in _READER_NAMES})
        return func(*args, reader=reader, **kwargs)

    wrapper.__signature__ = sig.replace(parameters=[*own, *_reader_parameters()])  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def rejects_path(reader: ReaderArgs, out: Path, sources: list[str], *, companion: bool = False) -> Path:
    """Return where a command writes its rejection table: named after its own output, never an input's.

    ``--rejects`` when given. Else, for ``geo ingest`` (`companion`), ``OUT.rejects.csv`` beside the file it
    writes; for any other command ``<output file name>.rejects.csv`` (``map.html.rejects.csv``), so it never
    overwrites the rejects an input came with (``toronto.rejects.csv`` beside ``toronto.parquet``); for an
    output folder ``rejects.csv`` in it, or ``<input name>.rejects.csv`` when an input lies in that folder.

    Raises
    ------
    InputError
        When the path is one of the inputs.
    """
    if reader.rejects is not None:
        path = reader.rejects
    elif out.suffix and companion:
        path = out.with_name(out.name.split(".")[0] + ".rejects.csv")
    elif out.suffix:
        path = out.with_name(f"{out.name}.rejects.csv")
    else:
        inside = [Path(s) for s in sources if Path(s).parent.resolve() == out.resolve()]
        path = out / (f"{inside[0].name}.rejects.csv" if inside else "rejects.csv")
    if any(Path(s).resolve() == path.resolve() for s in sources if "://" not in s):
        raise InputError("the rejection table would overwrite an input; give --rejects", path=str(path))
    return path


def load_reports(
    sources: list[str],
    reader: ReaderArgs,
    *,
    out: Path,
    area: StudyArea | None = None,
    quiet: bool = False,
    public: bool = False,
    companion: bool = False,
    lang: str = "sv",
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
    companion
        The output is the reports themselves (``geo ingest``): the table is ``OUT.rejects.csv`` beside it
        (see :func:`rejects_path`).
    lang
        Language of the lines printed (``sv`` or ``en``).

    Raises
    ------
    InputError
        With ``--strict``, when any row was rejected (nothing is written).
    """
    area = area if area is not None else reader.study_area()
    path = rejects_path(reader, out, sources, companion=companion)  # checked before reading
    with console.status(i18n.gettext("Läser rapporter ...", lang)) as status:
        result = read_reports(
            sources,
            reader.options(),
            area=area,
            progress=lambda s: status.update(i18n.gettext("Läser %(source)s ...", lang, source=s)),
        )
    _check_strict(result, strict=reader.strict)
    rejects = localize_rejects(result.rejects, lang)  # the file a user reads, in the command's language
    write_csv(rejects.drop(columns="value") if public else rejects, path)
    _print_summary(result, quiet=quiet, lang=lang)
    console.print(i18n.gettext("Avvisningstabell: %(path)s", lang, path=str(path)))
    return result


def _check_strict(result: ReadResult, *, strict: bool) -> None:
    """Under ``--strict``, raise on the first rejected row (nothing is written)."""
    rejected = result.rejects[result.rejects["status"] == "rejected"]
    if strict and len(rejected):
        first = rejected.iloc[0]
        raise InputError(
            f"{result.n_rejected} rows rejected under --strict (first: {first['reason']}); no output written",
            path=str(first["file"]),
            row=int(first["row"]),
            field=str(first["field"]),
        )


def _print_summary(result: ReadResult, *, quiet: bool, lang: str) -> None:
    """Print the detected columns, the counts, the reasons and what was chosen."""
    if not quiet:
        for src, cols in result.columns.items():
            found = ", ".join(f"{k}={v}" for k, v in cols.items() if v)
            line = i18n.gettext("%(source)s: kolumner %(found)s", lang, source=src, found=found)
            console.print(f"[dim]{line}[/dim]")
    n_warnings = int((result.rejects["status"] == "warning").sum())
    counts = i18n.gettext(
        "Rader lästa: %(read)s · godkända: %(accepted)s · avvisade: %(rejected)s · varningar: %(warnings)s",
        lang,
        read=i18n.number(result.n_read, lang),
        accepted=i18n.number(len(result.reports), lang),
        rejected=i18n.number(result.n_rejected, lang),
        warnings=i18n.number(n_warnings, lang),
    )
    console.print(counts)
    if not quiet and len(result.rejects):
        title = i18n.gettext("Avvisade och varningar", lang)
        table = Table("status", "field", "reason", "rows", title=title)
        for _, r in result.summary_by_reason().head(15).iterrows():
            reason = reason_text(str(r["reason"]), lang)
            table.add_row(str(r["status"]), str(r["field"]), reason[:90], f"{int(r['rows']):,}")
        console.print(table)
    if result.crs is not None:
        console.print(f"CRS: {result.crs_reason}")
    console.print(i18n.gettext("Tidszon: %(reason)s", lang, reason=result.tz_reason))
