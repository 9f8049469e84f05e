"""A municipality's own survey (trygghetsmätning, local NTU figures) beside the two surfaces.

The survey comes as area polygons with ``share_unsafe`` (share of respondents who feel unsafe, 0–1 or a
percentage) and ``n_respondents``. Every area keeps its figure; an area with fewer than `min_respondents`
answers is flagged ``small_sample`` (its share is uncertain), never hidden. Each unit of the comparison gets
the figures of the survey area its centre lies in.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.stats import norm

from geo.insecurity.units import AREA_ID_COLUMNS

__all__ = ["SURVEY_COLUMNS", "join_survey", "survey_table", "wilson_interval"]

SURVEY_COLUMNS: tuple[str, ...] = ("share_unsafe", "n_respondents")
"""Columns a survey file must have."""


def wilson_interval(
    share: np.ndarray, n: np.ndarray, *, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Return the Wilson score interval of a share from `n` answers (NaN where n = 0)."""
    share = np.asarray(share, dtype="float64")
    n = np.asarray(n, dtype="float64")
    z = float(norm.ppf(0.5 + level / 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = 1 + z**2 / n
        centre = (share + z**2 / (2 * n)) / denom
        half = z * np.sqrt(share * (1 - share) / n + z**2 / (4 * n**2)) / denom
    low = np.where(n > 0, np.clip(centre - half, 0, 1), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0, 1), np.nan)
    return low, high


def survey_table(survey: gpd.GeoDataFrame, *, min_respondents: int = 30) -> gpd.GeoDataFrame:
    """Check a survey and return one row an area with its interval and flags.

    Parameters
    ----------
    survey
        Polygons in the reports' metric CRS with ``share_unsafe`` and ``n_respondents``; an id column
        (``area_id``, ``id``, ``deso``, ``name``, ...) is kept as ``survey_id``.
    min_respondents
        Fewer answers than this flag the area ``small_sample``.

    Returns
    -------
    table
        ``survey_id``, ``share_unsafe`` (0–1), ``n_respondents``, ``ci_low``, ``ci_high``, ``small_sample``,
        ``above_average`` (the interval lies above the survey's overall share), geometry.

    Raises
    ------
    ValueError
        Naming what is missing or wrong: a column, a share outside 0–1 (or 0–100 %), a negative count.
    """
    lower = {str(c).casefold(): str(c) for c in survey.columns}
    missing = [c for c in SURVEY_COLUMNS if c not in lower]
    if missing:
        raise ValueError(
            f"the survey needs columns {', '.join(SURVEY_COLUMNS)}; missing {', '.join(missing)} "
            f"(has {', '.join(map(str, survey.columns))})"
        )
    share = pd.to_numeric(survey[lower["share_unsafe"]], errors="coerce").to_numpy(dtype="float64")
    n = pd.to_numeric(survey[lower["n_respondents"]], errors="coerce").to_numpy(dtype="float64")
    if np.isnan(share).any() or np.isnan(n).any():
        raise ValueError("share_unsafe and n_respondents must be numbers in every row of the survey")
    if (share > 1).any():
        if (share > 100).any() or (share < 0).any():
            raise ValueError("share_unsafe must be a share 0–1 or a percentage 0–100")
        share = share / 100.0
    if (share < 0).any() or (n < 0).any():
        raise ValueError("share_unsafe and n_respondents must not be negative")
    id_col = next((lower[c] for c in (*AREA_ID_COLUMNS, "name", "namn") if c in lower), None)
    ids = (
        survey[id_col].astype("string").to_numpy()
        if id_col
        else np.array([f"s{k + 1}" for k in range(len(survey))], dtype=object)
    )
    low, high = wilson_interval(share, n)
    overall = float((share * n).sum() / n.sum()) if n.sum() > 0 else np.nan
    table = gpd.GeoDataFrame(
        {
            "survey_id": ids,
            "share_unsafe": share,
            "n_respondents": n.astype("int64"),
            "ci_low": low,
            "ci_high": high,
            "small_sample": n < min_respondents,
            "above_average": np.nan_to_num(low, nan=0.0) > overall,
        },
        geometry=survey.geometry.to_numpy(),
        crs=survey.crs,
    )
    table.attrs["overall_share"] = overall
    return table


def _survey_words(share: float, n: int, small: bool, lang: str) -> str:
    pct = f"{share * 100:.0f} %"
    if lang == "sv":
        text = f"trygghetsmätningen: {pct} känner sig otrygga (n = {n}"
        return text + (", litet urval — osäkert)" if small else ")")
    text = f"survey: {pct} feel unsafe (n = {n}"
    return text + (", small sample — uncertain)" if small else ")")


def join_survey(
    units: gpd.GeoDataFrame, survey: gpd.GeoDataFrame, *, min_respondents: int = 30
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Give every unit the figures of the survey area its centre lies in, and count reports per survey area.

    Parameters
    ----------
    units
        From :func:`~geo.insecurity.compare.compare_surfaces`; not modified.
    survey
        See :func:`survey_table`.
    min_respondents
        See :func:`survey_table`.

    Returns
    -------
    units, table
        The units with ``survey_id``, ``survey_share_unsafe``, ``survey_n`` and ``survey_small_sample``
        (empty outside every survey area) and the survey figures appended to their sentences; the survey
        table with ``felt`` and ``recorded`` summed over the units whose centre lies in each area.
    """
    table = survey_table(survey, min_respondents=min_respondents)
    out = units.copy()
    centres = out.geometry.representative_point().to_numpy()
    idx = np.full(len(out), -1, dtype="int64")
    if len(out) and len(table):
        pt, area = shapely.STRtree(table.geometry.to_numpy()).query(centres, predicate="within")
        first = pd.Series(area).groupby(pt).min()
        idx[first.index.to_numpy()] = first.to_numpy()
    has = idx >= 0
    pick = np.where(has, idx, 0)

    def column(name: str) -> pd.Series:
        values = table[name].to_numpy()[pick] if len(table) else np.zeros(len(out))
        return pd.Series(values, index=out.index).where(has)

    out.attrs["min_respondents"] = min_respondents
    out["survey_id"] = column("survey_id")
    out["survey_share_unsafe"] = column("share_unsafe").astype("float64")
    out["survey_n"] = column("n_respondents").astype("Int64")
    out["survey_small_sample"] = column("small_sample").astype("boolean")
    for col, lang in (("sentence", "sv"), ("sentence_en", "en")):
        if col in out.columns:
            out[col] = [
                f"{s[:-1]}; {_survey_words(float(sh), int(n), bool(sm), lang)}." if ok else s
                for s, ok, sh, n, sm in zip(
                    out[col],
                    has,
                    out["survey_share_unsafe"].fillna(0),
                    out["survey_n"].fillna(0),
                    out["survey_small_sample"].fillna(False),
                    strict=True,
                )
            ]
    counts = pd.DataFrame({"i": idx, "felt": out["felt"], "recorded": out["recorded"]})[has]
    sums = counts.groupby("i")[["felt", "recorded"]].sum()
    table["felt"] = sums["felt"].reindex(range(len(table)), fill_value=0).to_numpy()
    table["recorded"] = sums["recorded"].reindex(range(len(table)), fill_value=0).to_numpy()
    return out, table
