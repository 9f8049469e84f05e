"""``geo ingest``: read reports from any supported source into one validated GeoPackage or GeoParquet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from geo import i18n
from geo.commands._common import (
    ReaderArgs,
    check_lang,
    console,
    lang_option,
    load_reports,
    with_reader_options,
)
from geo.errors import InputError
from geo.io.export import write_frame

__all__ = ["ingest", "register"]


@with_reader_options
def ingest(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="Files (CSV, GeoJSON, GPKG, SHP, GeoParquet, Police JSON) or postgresql:// URLs."
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Output: OUT.gpkg or OUT.parquet (GeoParquet), in the metric CRS.")
    ],
    lang: str = lang_option(),
    *,
    reader: ReaderArgs,
) -> None:
    """Read and validate reports into the canonical model (metric CRS, local timezone-aware times).

    Every row is accepted or listed in the rejection table (file,row,field,reason,status).

    Example: geo ingest data/toronto_mci_2014_2017.csv.gz --out toronto.parquet --rejects toronto.rejects.csv
    """
    if out.suffix.lower() not in {".gpkg", ".parquet"}:
        raise InputError(f"--out must end in .gpkg or .parquet, got '{out.name}'")
    check_lang(lang)
    result = load_reports(sources, reader, out=out, companion=True, lang=lang)
    if not len(result.reports):
        raise InputError(no_rows_accepted(result.rejects, n_read=sum(result.rows_read.values())))
    write_frame(result.reports, out, layer="reports" if out.suffix.lower() == ".gpkg" else None)
    n = i18n.number(len(result.reports), lang)
    console.print(i18n.gettext("Skrev %(n)s rapporter till %(out)s", lang, n=n, out=str(out)))


def no_rows_accepted(rejects: pd.DataFrame, *, n_read: int) -> str:
    """Say why an ingest accepted no row: rows read and the most common reasons (nothing is written)."""
    rejected = rejects[rejects["status"] == "rejected"] if len(rejects) else rejects
    if not len(rejected):
        return f"no row accepted ({n_read} rows read; the source holds no reports); nothing written"
    top = rejected.groupby(["field", "reason"]).size().sort_values(ascending=False).head(3)
    why = "; ".join(f"{field}: {reason} ({n} rows)" for (field, reason), n in top.items())
    return f"no row accepted: all {n_read} rows rejected ({why}); see the rejection table; nothing written"


def register(app: typer.Typer) -> None:
    """Add ``geo ingest`` to the app."""
    app.command("ingest")(ingest)
