"""``geo forecast`` and ``geo backtest``: next week's risk per place, and the proof of which method to trust."""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from geo.commands._common import ReaderArgs, console, load_reports, with_reader_options
from geo.errors import InputError
from geo.forecast import (
    BASELINES,
    DEFAULT_METHOD,
    METHODS,
    as_of_moment,
    backtest,
    events_from_reports,
    forecast_cells,
    forecast_points,
)
from geo.forecast.backtest import REFERENCE_BASELINE
from geo.io.export import atomic_path, write_csv, write_text
from geo.time.parse import parse_date

__all__ = ["backtest_command", "forecast_command", "read_points", "register", "run_forecast"]

_METHOD_LIST = ", ".join(METHODS)


@contextlib.contextmanager
def _as_input_error() -> Iterator[None]:
    """Turn a computation's ValueError (bad argument, unusable data) into a one-line user error."""
    try:
        yield
    except InputError:
        raise
    except ValueError as err:
        raise InputError(str(err)) from err


def read_points(
    path: Path, *, crs: str | None, target_crs: object
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Read a points CSV (``x,y`` in `crs`, else ``lat,lon``), keeping every column as written.

    Parameters
    ----------
    path
        The CSV file.
    crs
        CRS of ``x``/``y``; default: `target_crs`.
    target_crs
        The reports' metric CRS, which positions are returned in.

    Returns
    -------
    table, x, y
        The input rows unchanged (as text) and their positions in `target_crs`.

    Raises
    ------
    InputError
        Naming the file, row and field of a missing or unreadable coordinate.
    """
    if not path.exists():
        raise InputError("file not found", path=str(path))
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, sep=None, engine="python")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read as CSV: {err}", path=str(path)) from err
    lower = {c.strip().lower(): c for c in table.columns}
    if "x" in lower and "y" in lower:
        cx, cy, kind = lower["x"], lower["y"], "xy"
    else:
        lat = next((lower[c] for c in ("lat", "latitude") if c in lower), None)
        lon = next((lower[c] for c in ("lon", "lng", "long", "longitude") if c in lower), None)
        if lat is None or lon is None:
            raise InputError(
                f"needs columns x,y (with --at-crs) or lat,lon; found {list(table.columns)}", path=str(path)
            )
        cx, cy, kind = lon, lat, "latlon"
    values = {}
    for col in (cx, cy):
        num = pd.to_numeric(table[col].str.strip().str.replace(",", ".", regex=False), errors="coerce")
        bad = np.flatnonzero(~np.isfinite(num.to_numpy(dtype=float)))
        if len(bad):
            i = int(bad[0])
            raise InputError(
                f"not a number: '{table[col].iloc[i]}' ({len(bad)} such rows)",
                path=str(path),
                row=i + 2,
                field=col,
            )
        values[col] = num.to_numpy(dtype=float)
    import pyproj

    src = "EPSG:4326" if kind == "latlon" else (crs or target_crs)
    if kind == "latlon":
        bad = np.flatnonzero((np.abs(values[cy]) > 90) | (np.abs(values[cx]) > 180))
        if len(bad):
            raise InputError("latitude/longitude out of range", path=str(path), row=int(bad[0]) + 2, field=cy)
    try:
        tr = pyproj.Transformer.from_crs(pyproj.CRS(src), pyproj.CRS(target_crs), always_xy=True)
    except pyproj.exceptions.CRSError as err:
        raise InputError(f"unknown CRS '{src}' for --at-crs") from err
    x, y = tr.transform(values[cx], values[cy])
    return table, np.asarray(x, dtype=float), np.asarray(y, dtype=float)


@with_reader_options
def forecast_command(
    reports: list[str] = typer.Argument(
        ..., help="Report files (CSV, GeoJSON, GPKG, GeoParquet, Police JSON) or URLs."
    ),
    as_of: str = typer.Option(
        ..., "--as-of", help="Forecast date YYYY-MM-DD; its local midnight is the forecast moment."
    ),
    horizon_days: int = typer.Option(7, "--horizon-days", min=1, help="Days ahead the risk refers to."),
    method: str | None = typer.Option(
        None,
        "--method",
        help=f"Method: {_METHOD_LIST}. Default: {DEFAULT_METHOD} (won the project's reference backtests).",
    ),
    cell: float | None = typer.Option(
        None, "--cell", help="Output one row per square cell of this side (metres)."
    ),
    at: Path | None = typer.Option(
        None, "--at", help="Points CSV (x,y or lat,lon): output its rows plus risk."
    ),
    at_crs: str | None = typer.Option(
        None, "--at-crs", help="CRS of x,y in --at (default: the reports' metric CRS)."
    ),
    grid_m: float = typer.Option(150.0, "--grid-m", help="Cell side (metres) used for --at points."),
    history_days: int | None = typer.Option(
        None, "--history-days", min=1, help="Use at most this many days before --as-of (default: all)."
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed for the learned method."),
    out: Path = typer.Option(..., "--out", help="Output RISK.csv."),
    *,
    reader: ReaderArgs,
) -> None:
    """Forecast risk for the coming days per cell or at given points, from reports before --as-of only.

    Reports at or after local midnight of --as-of are never used, even when the file holds them.
    With --cell: RISK.csv has cell_id, x, y (cell centre, metric CRS), risk, rank. With --at: the input
    rows in their order with all their columns plus risk (higher = more expected incidents).
    Default method: blend (a learned non-negative blend of count windows and neighbours, with an
    emergence check), the winner of the project's reference backtests (Toronto 2016, 52 weeks).

    Example: geo forecast data/toronto_mci_2014_2017.csv.gz --as-of 2016-06-06 --cell 150 --out risk.csv
    """
    if (cell is None) == (at is None):
        raise InputError("give exactly one of --cell M or --at POINTS.csv")
    if cell is not None and not cell > 0:
        raise InputError(f"--cell must be > 0 metres, got {cell}")
    name = method or DEFAULT_METHOD
    if name not in METHODS:
        raise InputError(f"--method must be one of {_METHOD_LIST}, got '{name}'")
    result = load_reports(reports, reader, out=out)
    rep = result.reports
    moment = parse_date(as_of, tz=result.tz, name="--as-of", date_only=True)
    why = (
        "angiven / given"
        if method
        else "standard: vann referens-backtesten / default: won the reference backtests"
    )
    console.print(f"Metod / method: [bold]{name}[/bold] ({why}) — {METHODS[name].description}")
    n_future = int(
        (rep["occurred_at"] >= moment).sum()
        + ((rep["occurred_to"] >= moment) & (rep["occurred_at"] < moment)).sum()
    )
    console.print(
        f"Prognos från / forecast from {moment.isoformat()} för / for {horizon_days} dagar / days; "
        f"{n_future:,} rapporter vid eller efter prognostillfället används inte / reports at or after it are not used"
    )
    with console.status("Beräknar prognos / computing forecast ..."), _as_input_error():
        if cell is not None:
            cells = forecast_cells(
                rep,
                as_of=moment,
                horizon_days=horizon_days,
                method=name,
                cell_m=cell,
                history_days=history_days,
                seed=seed,
            )
            table = pd.DataFrame(cells.drop(columns="geometry"))
            write_csv(table, out)
            console.print(f"Skrev / wrote {len(table):,} celler / cells to {out}")
            top = table.nsmallest(5, "rank")
            for _, r in top.iterrows():
                console.print(f"  {r['cell_id']}  x={r['x']:.0f} y={r['y']:.0f}  risk={r['risk']:.3f}")
        else:
            assert at is not None
            points, x, y = read_points(at, crs=at_crs, target_crs=rep.crs)
            risk = forecast_points(
                rep,
                x,
                y,
                as_of=moment,
                horizon_days=horizon_days,
                method=name,
                cell_m=grid_m,
                history_days=history_days,
                seed=seed,
            )
            table = points.copy()
            table["risk"] = [f"{v:.6g}" for v in risk]
            with atomic_path(out) as tmp:
                table.to_csv(tmp, index=False, encoding="utf-8", quoting=csv.QUOTE_MINIMAL)
            console.print(f"Skrev / wrote {len(table):,} punkter / points to {out}")


def _print_summary(summary: pd.DataFrame, recommended: str) -> None:
    table = Table(title="Backtest: PAI per metod och täckning / per method and coverage")
    table.add_column("metod/method", no_wrap=True)
    for head in ("%", "PAI", "median", "träff/hit", "PEI", f"vs {REFERENCE_BASELINE}", "s/wk"):
        table.add_column(head, justify="right")
    for _, r in summary.iterrows():
        style = "bold green" if r["method"] == recommended else None
        table.add_row(
            str(r["method"]),
            f"{r['coverage_pct']:g}",
            f"{r['mean_pai']:.2f}",
            f"{r['median_pai']:.2f}",
            f"{r['mean_hit_rate']:.3f}",
            f"{r['mean_pei']:.3f}",
            f"{(r['pai_vs_count_365'] - 1) * 100:+.1f} %" if pd.notna(r["pai_vs_count_365"]) else "",
            f"{r['seconds_per_week']:.2f}",
            style=style,
        )
    console.print(table)


def _plot(weeks: pd.DataFrame, path: Path, recommended: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    covs = sorted(weeks["coverage_pct"].unique())
    fig, axes = plt.subplots(len(covs), 1, figsize=(11, 3.2 * len(covs)), sharex=True, squeeze=False)
    for ax, cov in zip(axes[:, 0], covs, strict=True):
        part = weeks[weeks["coverage_pct"] == cov]
        for name, g in part.groupby("method", sort=False):
            dates = pd.to_datetime(g["week_start"])
            ax.plot(
                dates,
                g["pai"],
                label=str(name),
                lw=2.4 if name == recommended else 1.0,
                color="black" if name == recommended else None,
                ls="-" if name == recommended or name in BASELINES else "--",
            )
        ax.set_ylabel(f"PAI @ {cov:g} %")
        ax.grid(alpha=0.3)
    axes[0, 0].set_title(f"PAI per vecka / per week (rekommenderad / recommended: {recommended})")
    axes[0, 0].legend(ncol=4, fontsize=8, loc="lower left")
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110, format="png")
    plt.close(fig)


@with_reader_options
def backtest_command(
    reports: list[str] = typer.Argument(
        ..., help="Report files (CSV, GeoJSON, GPKG, GeoParquet, Police JSON) or URLs."
    ),
    start: str = typer.Option(..., "--start", help="First forecast date YYYY-MM-DD (local midnight)."),
    weeks: int = typer.Option(..., "--weeks", min=1, help="Number of weekly forecasts."),
    cell: float = typer.Option(150.0, "--cell", help="Cell side in metres."),
    methods: str | None = typer.Option(
        None,
        "--methods",
        help=f"Comma-separated methods (baselines always added): {_METHOD_LIST}. Default: all.",
    ),
    active_from: str | None = typer.Option(
        None, "--active-from", help="Start date of a fixed reference period for active cells."
    ),
    active_to: str | None = typer.Option(None, "--active-to", help="End date (inclusive) of that period."),
    active_days: int = typer.Option(
        365,
        "--active-days",
        min=1,
        help="Otherwise: active = >= 1 incident in this many days before each week.",
    ),
    history_days: int | None = typer.Option(
        None,
        "--history-days",
        min=1,
        help="Limit every method to this many days of history (default: all before each week).",
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed for the learned method."),
    out: Path = typer.Option(
        ..., "--out", help="Output folder: summary.csv, weeks.csv, pai.png, recommended.txt."
    ),
    *,
    reader: ReaderArgs,
) -> None:
    """Rolling-origin backtest: each week fit on the past only, forecast the next 7 days, score hit rate, PAI, PEI.

    Protocol: square cells (150 m unless --cell); active cells = cells with >= 1 incident in the reference
    period (default: the 365 days before each week); flag the top k = floor(N_active * X / 100) active cells at
    X = 1, 5, 10 %, ties at the threshold counted at their expected value; hit rate = the week's incidents in
    flagged cells / the week's incidents in active cells; PAI = hit rate / (k / N_active); PEI = hits / the
    most hits possible with k cells. The recommended method has the highest mean PAI at 5 %.

    Example: geo backtest data/toronto_mci_2014_2017.csv.gz --start 2016-01-04 --weeks 52 --out backtest/
    """
    chosen = [m.strip() for m in methods.split(",") if m.strip()] if methods else None
    for m in chosen or []:
        if m not in METHODS:
            raise InputError(f"--methods: unknown method '{m}'; choose from {_METHOD_LIST}")
    if (active_from is None) != (active_to is None):
        raise InputError("give both --active-from and --active-to, or neither")
    if not cell > 0:
        raise InputError(f"--cell must be > 0 metres, got {cell}")
    result = load_reports(reports, reader, out=out)
    tz = result.tz
    first = parse_date(start, tz=tz, name="--start", date_only=True)
    a0 = parse_date(active_from, tz=tz, name="--active-from", date_only=True) if active_from else None
    a1 = parse_date(active_to, tz=tz, name="--active-to", date_only=True) if active_to else None
    a1 = a1 + pd.Timedelta(days=1) if a1 is not None else None
    if a0 is not None and a1 is not None and a1 <= a0:
        raise InputError("--active-to must not be before --active-from")
    events = events_from_reports(result.reports)
    if len(events) == 0:
        raise InputError("no point reports to backtest on", path=reports[0])
    n_methods = len(dict.fromkeys([*BASELINES, *(chosen or METHODS)]))
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("Backtest", total=weeks * n_methods)

        def tick(step: int, total: int, message: str) -> None:
            bar.update(task, completed=step, description=f"Backtest {message}")

        with _as_input_error():
            res = backtest(
                events,
                start=first,
                weeks=weeks,
                methods=chosen,
                cell_m=cell,
                active_from=a0,
                active_to=a1,
                active_days=active_days,
                history_days=history_days,
                seed=seed,
                progress=tick,
            )
    _print_summary(res.summary, res.recommended)
    out.mkdir(parents=True, exist_ok=True)
    weekly = res.weeks.copy()
    weekly["mean_pai"] = weekly["pai"]
    weekly["median_pai"] = weekly["pai"]
    weekly["mean_hit_rate"] = weekly["hit_rate"]
    weekly["mean_pei"] = weekly["pei"]
    write_csv(res.summary, out / "summary.csv")
    write_csv(weekly, out / "weeks.csv")
    _plot(res.weeks, out / "pai.png", res.recommended)
    write_text(res.recommended + "\n", out / "recommended.txt")
    at5 = res.summary[(res.summary["coverage_pct"] == 5.0) & (res.summary["method"] == res.recommended)]
    gain = (
        f" ({(float(at5['pai_vs_count_365'].iloc[0]) - 1) * 100:+.1f} % mot / vs {REFERENCE_BASELINE} vid / at 5 %)"
        if len(at5) and pd.notna(at5["pai_vs_count_365"].iloc[0])
        else ""
    )
    console.print(
        f"Rekommenderad metod / recommended method: [bold green]{res.recommended}[/bold green]{gain}"
    )
    console.print(
        f"Skrev / wrote {out / 'summary.csv'}, {out / 'weeks.csv'}, {out / 'pai.png'}, {out / 'recommended.txt'}"
    )


def run_forecast(
    reports: pd.DataFrame,
    *,
    as_of: pd.Timestamp | None = None,
    horizon_days: int = 7,
    method: str | None = None,
    cell_m: float = 150.0,
    top: int = 50,
    out_dir: Path,
    demo: bool = False,
) -> dict[str, Path]:
    """Forecast the next days' risk per cell for ``geo run`` / ``geo demo`` and write it to `out_dir`.

    Parameters
    ----------
    reports
        Validated reports (metric CRS).
    as_of
        Forecast moment (local midnight); default: the local midnight after the latest report.
    horizon_days
        Days ahead.
    method
        Forecast method; default :data:`geo.forecast.DEFAULT_METHOD`, the winner of the reference backtests.
    cell_m
        Cell side in metres.
    top
        How many of the highest-risk cells go into ``forecast.gpkg`` (the map layer); the CSV holds all.
    out_dir
        Output folder; gets ``forecast.csv`` (``cell_id, x, y, lat, lon, risk, rank``, best first) and
        ``forecast.gpkg`` (layer ``forecast_top``, cell squares).
    demo
        Mark the outputs as synthetic demo data.

    Returns
    -------
    outputs
        ``{"forecast": csv path, "forecast_gpkg": gpkg path}``.
    """
    from geo.io.export import write_frame

    name = method or DEFAULT_METHOD
    if name not in METHODS:
        raise InputError(f"forecast method must be one of {_METHOD_LIST}, got '{name}'")
    tz = str(reports["occurred_at"].dt.tz)
    if as_of is None:
        last = reports["occurred_at"].max()
        as_of = (last + pd.Timedelta(days=1)).normalize()
    moment = as_of_moment(pd.Timestamp(as_of), tz)
    with _as_input_error():
        cells = forecast_cells(reports, as_of=moment, horizon_days=horizon_days, method=name, cell_m=cell_m)
    cells = cells.sort_values("rank", kind="stable").reset_index(drop=True)
    centres = gpd.GeoSeries(gpd.points_from_xy(cells["x"], cells["y"]), crs=cells.crs).to_crs("EPSG:4326")
    table = pd.DataFrame(cells.drop(columns="geometry"))
    table["lat"] = centres.y.round(6).to_numpy()
    table["lon"] = centres.x.round(6).to_numpy()
    table["method"] = name
    table["as_of"] = moment.isoformat()
    table["horizon_days"] = horizon_days
    if demo:
        table["data"] = "syntetiska demodata"
    out_dir = Path(out_dir)
    csv_path = write_csv(table, out_dir / "forecast.csv")
    best = cells.head(top).copy()
    best["method"] = name
    gpkg_path = write_frame(best, out_dir / "forecast.gpkg", layer="forecast_top")
    return {"forecast": csv_path, "forecast_gpkg": gpkg_path}


def register(app: typer.Typer) -> None:
    """Add ``geo forecast`` and ``geo backtest`` to the app."""
    app.command("forecast")(forecast_command)
    app.command("backtest")(backtest_command)
