"""``geo forecast`` and ``geo backtest``: next week's risk per place, and which forecast method to trust."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import typer
from rich.table import Table

from geo import i18n
from geo.commands._common import (
    ReaderArgs,
    check_lang,
    console,
    lang_option,
    load_reports,
    with_reader_options,
)
from geo.commands._settings import build_settings, option
from geo.errors import InputError, LagesbildError
from geo.forecast.backtest import REFERENCE_BASELINE
from geo.forecast.methods import METHODS
from geo.forecast.predict import DEFAULT_METHOD
from geo.io.manifest import Manifest, write_manifest
from geo.io.outputs.forecast import write_backtest, write_forecast_cells, write_forecast_points
from geo.io.points import read_points
from geo.stages.backtest import BacktestResult, BacktestSettings, backtest_stage
from geo.stages.forecast import ForecastResult, ForecastSettings, forecast_stage
from geo.time.parse import parse_date

__all__ = ["backtest_command", "forecast_command", "register"]

_REPORTS = typer.Argument(..., help="Report files (CSV, GeoJSON, GPKG, GeoParquet, Police JSON) or URLs.")
_AT = typer.Option(None, "--at", help="Points CSV (x,y or lat,lon): output its rows plus risk.")
_RISK_OUT = typer.Option(..., "--out", help="Output RISK.csv.")
_BACKTEST_OUT = typer.Option(
    ..., "--out", help="Output folder: summary.csv, weeks.csv, pai.png, recommended.txt (and run.json)."
)
_DEFAULT_WHY = i18n.N_("standard: vann referens-backtesten")


def _local_midnight(value: str, *, tz: str, name: str) -> pd.Timestamp:
    """Parse a date option as local midnight in `tz`; a time of day is an error."""
    ts = parse_date(value, tz=tz, name=name)
    if ts is None or ts != ts.normalize():
        raise InputError(f"{name} is a date (local midnight), got a time of day in '{value}'")
    return ts


def _positive(**flags: float | None) -> None:
    """Check that each given metre option is > 0 (keys are the flags without ``--``)."""
    for flag, value in flags.items():
        if value is not None and not value > 0:
            raise InputError(f"--{flag.replace('_', '-')} must be > 0 metres, got {value}")


@contextlib.contextmanager
def _as_input_error() -> Iterator[None]:
    """Turn a computation's ValueError (bad argument, unusable data) into a one-line user error."""
    try:
        yield
    except LagesbildError:
        raise
    except ValueError as err:
        raise InputError(str(err)) from err


def _print_forecast(result: ForecastResult, settings: ForecastSettings, lang: str) -> None:
    days = i18n.number(settings.horizon_days, lang)
    when = result.as_of.isoformat()
    console.print(i18n.gettext("Prognos från %(as_of)s för %(days)s dagar", lang, as_of=when, days=days))
    for note in result.notes:
        console.print(f"  {note}")


@with_reader_options
def forecast_command(
    reports: list[str] = _REPORTS,
    as_of: str = typer.Option(
        ..., "--as-of", help="Forecast date YYYY-MM-DD; its local midnight is the forecast moment."
    ),
    horizon_days: int | None = option(ForecastSettings, "horizon_days", "--horizon-days", min=1),
    method: str | None = option(ForecastSettings, "method", "--method"),
    cell: float | None = typer.Option(
        None, "--cell", help="Output one row per square cell of this side (metres)."
    ),
    at: Path | None = _AT,
    at_crs: str | None = typer.Option(
        None, "--at-crs", help="CRS of x,y in --at (default: the reports' metric CRS)."
    ),
    grid_m: float | None = option(ForecastSettings, "cell_m", "--grid-m"),
    history_days: int | None = option(ForecastSettings, "history_days", "--history-days", min=1),
    seed: int | None = option(ForecastSettings, "seed", "--seed"),
    out: Path = _RISK_OUT,
    lang: str = lang_option(),
    *,
    reader: ReaderArgs,
) -> None:
    """Forecast risk for the coming days per cell or at given points, from reports before --as-of only.

    Reports at or after local midnight of --as-of are never used, even when the file holds them.
    With --cell: RISK.csv has cell_id, x, y (cell centre, metric CRS), risk, rank, best first. With --at: the
    input rows in their order with all their columns plus risk (higher = more expected incidents); --grid-m
    is then the cell side. Default method: blend (a learned non-negative blend of count windows and
    neighbours, with an emergence check), the winner of the project's reference backtests (Toronto 2016,
    52 weeks).

    Example: geo forecast data/toronto_mci_2014_2017.csv.gz --as-of 2016-06-06 --cell 150 --out risk.csv
    """
    check_lang(lang)
    if (cell is None) == (at is None):
        raise InputError("give exactly one of --cell M or --at POINTS.csv")
    _positive(cell=cell, grid_m=grid_m)
    settings = build_settings(
        ForecastSettings,
        horizon_days=horizon_days,
        method=method,
        cell_m=cell if cell is not None else grid_m,
        history_days=history_days,
        seed=seed,
    )
    read = load_reports(reports, reader, out=out, lang=lang)
    moment = _local_midnight(as_of, tz=read.tz, name="--as-of")
    points = read_points(at, crs=at_crs, target_crs=read.reports.crs) if at is not None else None
    name = settings.method or DEFAULT_METHOD
    why = i18n.gettext("angiven" if settings.method else _DEFAULT_WHY, lang)
    described = METHODS[name].description
    console.print(
        i18n.gettext(
            "Metod: %(name)s (%(why)s) — %(what)s", lang, name=f"[bold]{name}[/bold]", why=why, what=described
        )
    )
    with console.status(i18n.gettext("Beräknar prognos ...", lang)), _as_input_error():
        result = forecast_stage(
            read.reports,
            settings,
            as_of=moment,
            at=(points[1], points[2]) if points is not None else None,
            lang=lang,
        )
    _print_forecast(result, settings, lang)
    if result.table.empty:
        raise InputError(result.notes[-1])
    if points is not None:
        write_forecast_points(result, points[0], out)
        n_points = i18n.number(len(points[0]), lang)
        console.print(i18n.gettext("Skrev %(n)s punkter till %(out)s", lang, n=n_points, out=str(out)))
        return
    write_forecast_cells(result, out)
    n_cells = i18n.number(len(result.table), lang)
    console.print(i18n.gettext("Skrev %(n)s celler till %(out)s", lang, n=n_cells, out=str(out)))
    for _, r in result.table.head(5).iterrows():
        console.print(f"  {r['cell_id']}  x={r['x']:.0f} y={r['y']:.0f}  risk={r['risk']:.3f}")


def _print_summary(result: BacktestResult, lang: str) -> None:
    summary, recommended = result.summary, result.recommended
    table = Table(title=i18n.gettext("Backtest: PAI per metod och täckning", lang))
    table.add_column(i18n.gettext("metod", lang), no_wrap=True)
    hit = i18n.gettext("träff", lang)
    for head in ("%", "PAI", "median", hit, "PEI", f"vs {REFERENCE_BASELINE}", "s/wk"):
        table.add_column(head, justify="right")
    for _, r in summary.iterrows():
        table.add_row(
            str(r["method"]),
            f"{r['coverage_pct']:g}",
            f"{r['mean_pai']:.2f}",
            f"{r['median_pai']:.2f}",
            f"{r['mean_hit_rate']:.3f}",
            f"{r['mean_pei']:.3f}",
            f"{(r['pai_vs_count_365'] - 1) * 100:+.1f} %" if pd.notna(r["pai_vs_count_365"]) else "",
            f"{r['seconds_per_week']:.2f}",
            style="bold green" if r["method"] == recommended else None,
        )
    console.print(table)
    at5 = summary[(summary["coverage_pct"] == 5.0) & (summary["method"] == recommended)]
    gain = ""
    if len(at5) and pd.notna(at5["pai_vs_count_365"].iloc[0]):
        change = f"{(float(at5['pai_vs_count_365'].iloc[0]) - 1) * 100:+.1f} %"
        gain = " " + i18n.gettext(
            "(%(change)s mot %(baseline)s vid 5 %%)", lang, change=change, baseline=REFERENCE_BASELINE
        )
    best = f"[bold green]{recommended}[/bold green]"
    console.print(i18n.gettext("Rekommenderad metod: %(method)s", lang, method=best) + gain)


@with_reader_options
def backtest_command(
    reports: list[str] = _REPORTS,
    start: str = typer.Option(..., "--start", help="First forecast date YYYY-MM-DD (local midnight)."),
    weeks: int = typer.Option(..., "--weeks", min=1, help="Number of weekly forecasts."),
    cell: float | None = option(BacktestSettings, "cell_m", "--cell"),
    methods: str | None = option(BacktestSettings, "methods", "--methods"),
    active_from: str | None = option(BacktestSettings, "active_from", "--active-from"),
    active_to: str | None = option(BacktestSettings, "active_to", "--active-to"),
    active_days: int | None = option(BacktestSettings, "active_days", "--active-days", min=1),
    history_days: int | None = option(BacktestSettings, "history_days", "--history-days", min=1),
    seed: int | None = option(BacktestSettings, "seed", "--seed"),
    out: Path = _BACKTEST_OUT,
    lang: str = lang_option(),
    *,
    reader: ReaderArgs,
) -> None:
    """Rolling-origin backtest: each week fit on the past only, forecast the next 7 days, score hit, PAI, PEI.

    Protocol: square cells (150 m unless --cell); active cells = cells with >= 1 incident in the reference
    period (default: the 365 days before each week); flag the top k = floor(N_active * X / 100) active cells
    at X = 1, 5, 10 %, ties at the threshold counted at their expected value; hit rate = the week's incidents
    in flagged cells / the week's incidents in active cells; PAI = hit rate / (k / N_active); PEI = hits /
    the most hits possible with k cells. The recommended method has the highest mean PAI at 5 %.

    Example: geo backtest data/toronto_mci_2014_2017.csv.gz --start 2016-01-04 --weeks 52 --out backtest/
    """
    check_lang(lang)
    _positive(cell=cell)
    settings = build_settings(
        BacktestSettings,
        cell_m=cell,
        methods=[m.strip() for m in methods.split(",") if m.strip()] if methods else None,
        active_from=active_from,
        active_to=active_to,
        active_days=active_days,
        history_days=history_days,
        seed=seed,
    )
    read = load_reports(reports, reader, out=out, lang=lang)
    first = _local_midnight(start, tz=read.tz, name="--start")
    with console.status("Backtest ...") as status, _as_input_error():
        result = backtest_stage(
            read.reports,
            settings,
            start=first,
            weeks=weeks,
            progress=lambda message: status.update(f"Backtest {message}"),
            lang=lang,
        )
    if result.summary.empty:
        raise InputError(result.notes[-1], path=reports[0])
    _print_summary(result, lang)
    files = write_backtest(result, out)
    manifest = Manifest(info={"backtest": {"start": first.date().isoformat(), "weeks": weeks}})
    manifest.add(files, stage="backtest", settings=settings)
    write_manifest(manifest, out)
    written = ", ".join(str(Path(f.path)) for f in files)
    console.print(i18n.gettext("Skrev %(path)s", lang, path=written))


def register(app: typer.Typer) -> None:
    """Add ``geo forecast`` and ``geo backtest`` to the app."""
    app.command("forecast")(forecast_command)
    app.command("backtest")(backtest_command)
