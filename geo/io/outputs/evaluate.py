"""Writing the evaluation: ``evaluation.csv`` (the contract's columns) and ``evaluation.html``.

The CSV has one row a measure; the page one section a measure, Swedish or English.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.io.export import write_csv, write_text
from geo.io.manifest import OutputFile
from geo.measures.evaluate import CONTRACT_COLUMNS
from geo.measures.page import evaluation_html
from geo.stages.evaluate import EvaluateResult

__all__ = ["evaluation_table", "write_evaluation"]

STAGE = "evaluate"

_ROUND = {"effect_pct": 1, "ci_low": 1, "ci_high": 1, "wdd": 2, "wdd_se": 2, "wdq": 4}


def evaluation_table(evaluation: pd.DataFrame) -> pd.DataFrame:
    """Return exactly the contract's columns, numbers rounded for reading (NaN stays empty in the CSV)."""
    out = evaluation.loc[:, list(CONTRACT_COLUMNS)].copy()
    for col, digits in _ROUND.items():
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64").round(digits)
    p = pd.to_numeric(out["p_value"], errors="coerce").astype("float64")
    out["p_value"] = [float(f"{v:.3g}") if pd.notna(v) else v for v in p]  # three significant digits
    return out


def write_evaluation(result: EvaluateResult, out_dir: str | Path, *, lang: str = "sv") -> list[OutputFile]:
    """Write ``evaluation.csv`` and ``evaluation.html`` into `out_dir`, each atomically.

    Returns
    -------
    files
        Kinds ``evaluation`` and ``evaluation_page``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    csv = write_csv(evaluation_table(result.evaluation), out / "evaluation.csv")
    s = result.settings
    page = evaluation_html(
        result.evaluation,
        comparison=result.comparison,
        buffer_m=s.buffer_m,
        min_days=s.min_days,
        min_expected=s.min_expected,
        insecurity=result.insecurity,
        lang=lang,
    )
    html = write_text(page, out / "evaluation.html")
    return [
        OutputFile(kind="evaluation", path=str(csv), stage=STAGE),
        OutputFile(kind="evaluation_page", path=str(html), stage=STAGE),
    ]
