"""Writers of the forecast and backtest results (``geo run``, ``geo forecast``, ``geo backtest``)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geo.forecast.methods import BASELINES
from geo.io.export import atomic_path, write_csv, write_frame, write_text
from geo.io.manifest import OutputFile
from geo.io.spreadsheet import spreadsheet_safe_frame
from geo.stages.backtest import BacktestResult
from geo.stages.forecast import ForecastResult

__all__ = ["write_backtest", "write_forecast", "write_forecast_cells", "write_forecast_points"]

DEMO_LABEL = "syntetiska demodata"
"""The ``data`` column's value when the forecast is made from the synthetic demo world."""

CELL_COLUMNS = ["cell_id", "x", "y", "risk", "rank"]
"""Columns of ``geo forecast --cell``'s table."""


def write_forecast(result: ForecastResult, out_dir: str | Path, *, demo: bool = False) -> list[OutputFile]:
    """Write ``forecast.csv`` (every cell, best first) and ``forecast.gpkg`` (layer ``forecast_top``).

    Parameters
    ----------
    result
        The forecast stage's result.
    out_dir
        The output folder.
    demo
        Mark the table as synthetic demo data (a ``data`` column).

    Returns
    -------
    files
        Kinds ``forecast`` (the CSV), ``forecast_gpkg`` and its layer ``forecast_top``.
    """
    out = Path(out_dir)
    table = result.table.copy()
    if demo:
        table["data"] = DEMO_LABEL
    csv_path = write_csv(table, out / "forecast.csv")
    gpkg_path = write_frame(result.cells, out / "forecast.gpkg", layer="forecast_top")
    return [
        OutputFile("forecast", str(csv_path), "forecast"),
        OutputFile("forecast_gpkg", str(gpkg_path), "forecast"),
        OutputFile("forecast_top", str(gpkg_path), "forecast", layer="forecast_top"),
    ]


def write_forecast_cells(result: ForecastResult, path: str | Path) -> OutputFile:
    """Write ``geo forecast --cell``'s table: ``cell_id, x, y, risk, rank`` (metric CRS), best first."""
    return OutputFile("forecast", str(write_csv(result.table[CELL_COLUMNS], path)), "forecast")


def write_forecast_points(result: ForecastResult, points: pd.DataFrame, path: str | Path) -> OutputFile:
    """Write ``geo forecast --at``'s table: the rows of `points` as read, in order, plus ``risk``.

    Parameters
    ----------
    result
        A forecast made with ``at`` the positions of `points`.
    points
        The points table as read (:func:`geo.io.points.read_points`), one row a position.
    path
        The CSV to write.
    """
    if result.at_risk is None or len(result.at_risk) != len(points):
        raise ValueError("the forecast was not made at these points")
    table = points.copy()
    table["risk"] = [f"{v:.6g}" for v in result.at_risk]
    with atomic_path(path) as tmp:
        spreadsheet_safe_frame(table).to_csv(tmp, index=False, encoding="utf-8", quoting=csv.QUOTE_MINIMAL)
    return OutputFile("forecast_points", str(path), "forecast")


def plot_pai(weeks: pd.DataFrame, path: str | Path, *, recommended: str) -> Path:
    """Draw each method's PAI per week, one panel per coverage, to a PNG (matplotlib's Agg canvas)."""
    covs = sorted(weeks["coverage_pct"].unique())
    fig = Figure(figsize=(11, 3.2 * len(covs)))
    FigureCanvasAgg(fig)
    axes = fig.subplots(len(covs), 1, sharex=True, squeeze=False)
    for ax, cov in zip(axes[:, 0], covs, strict=True):
        part = weeks[weeks["coverage_pct"] == cov]
        for name, g in part.groupby("method", sort=False):
            best = name == recommended
            ax.plot(
                pd.to_datetime(g["week_start"]),
                g["pai"],
                label=str(name),
                lw=2.4 if best else 1.0,
                color="black" if best else None,
                ls="-" if best or name in BASELINES else "--",
            )
        ax.set_ylabel(f"PAI @ {cov:g} %")
        ax.grid(alpha=0.3)
    axes[0, 0].set_title(f"PAI per vecka / per week (rekommenderad / recommended: {recommended})")
    axes[0, 0].legend(ncol=4, fontsize=8, loc="lower left")
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110, format="png")
    return Path(path)


def write_backtest(result: BacktestResult, out_dir: str | Path) -> list[OutputFile]:
    """Write ``summary.csv``, ``weeks.csv``, ``pai.png`` and ``recommended.txt`` into `out_dir`.

    ``weeks.csv`` repeats each week's scores under the summary's names (``mean_pai``, ``median_pai``,
    ``mean_hit_rate``, ``mean_pei``), so one week reads like a one-week summary.

    Returns
    -------
    files
        Kinds ``summary``, ``weeks``, ``pai`` and ``recommended`` (the file stems).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    weekly = result.weeks.copy()
    weekly["mean_pai"] = weekly["pai"]
    weekly["median_pai"] = weekly["pai"]
    weekly["mean_hit_rate"] = weekly["hit_rate"]
    weekly["mean_pei"] = weekly["pei"]
    paths = {
        "summary": write_csv(result.summary, out / "summary.csv"),
        "weeks": write_csv(weekly, out / "weeks.csv"),
        "pai": plot_pai(result.weeks, out / "pai.png", recommended=result.recommended),
        "recommended": write_text(result.recommended + "\n", out / "recommended.txt"),
    }
    return [OutputFile(kind, str(p), "backtest") for kind, p in paths.items()]
