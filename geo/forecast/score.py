"""Scoring a forecast against what happened: hit rate, PAI and PEI under one stated protocol.

Protocol (so results compare across tools):

* The study region is the set of *active cells*: cells with at least one incident in a stated reference
  period (by default the 365 days before the forecast moment). There are ``N`` of them.
* At coverage ``X`` % the forecast flags the ``k = floor(N · X / 100)`` active cells with the highest risk.
  When cells tie at the threshold, only some of them fit: each tied cell counts at its expected value, i.e.
  with the share ``(k − cells above the threshold) / cells at the threshold`` of its incidents.
* hit rate = incidents of the week in flagged cells / incidents of the week in active cells;
  PAI = hit rate / (k / N); PEI = hits / the most hits any choice of ``k`` active cells could have had.

Weeks without incidents in active cells, or with ``k = 0``, give NaN and are left out of means.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["WeekScore", "score_forecast"]


@dataclass(frozen=True)
class WeekScore:
    """Scores of one forecast at one coverage.

    Attributes
    ----------
    hit_rate
        Share of the period's incidents (in active cells) that fell in flagged cells.
    pai
        Predictive accuracy index: hit rate over the flagged share of active cells.
    pei
        Predictive efficiency index: hits over the best possible hits with the same ``k``.
    hits
        Expected incidents in flagged cells (ties counted at expected value).
    incidents
        Incidents in active cells.
    k
        Cells flagged.
    n_active
        Active cells.
    """

    hit_rate: float
    pai: float
    pei: float
    hits: float
    incidents: float
    k: int
    n_active: int


def _tidy(risk: np.ndarray) -> np.ndarray:
    """Round risks to 12 significant digits relative to the largest, so float noise does not break ties."""
    r = np.asarray(risk, dtype=float)
    r = np.where(np.isfinite(r), r, -np.inf)
    top = np.max(np.abs(r[np.isfinite(r)])) if np.isfinite(r).any() else 0.0
    if top > 0:
        r = np.where(np.isfinite(r), np.round(r / top, 12), r)
    return r


def score_forecast(risk: np.ndarray, truth: np.ndarray, *, coverage_pct: float) -> WeekScore:
    """Score one forecast over the active cells at one coverage.

    Parameters
    ----------
    risk
        Risk of each active cell (higher = more expected incidents); NaN counts as lowest.
    truth
        Incidents (weights) of the scored period in each active cell, aligned with `risk`.
    coverage_pct
        Share of active cells flagged, in percent (0 < X <= 100).

    Returns
    -------
    score
        Hit rate, PAI, PEI and the counts behind them.

    Raises
    ------
    ValueError
        If the arrays differ in length or `coverage_pct` is outside (0, 100].

    Examples
    --------
    Ten active cells; 20 % flags two: cell 0 is above the threshold, cells 1-3 tie at it for the last place:

    >>> import numpy as np
    >>> s = score_forecast(np.array([5, 3, 3, 3, 1, 0, 0, 0, 0, 0]),
    ...                    np.array([2, 3, 0, 0, 1, 0, 0, 0, 0, 0]), coverage_pct=20)
    >>> round(s.hits, 6), round(s.hit_rate, 6), round(s.pai, 6), round(s.pei, 6)
    (3.0, 0.5, 2.5, 0.6)
    """
    risk = np.asarray(risk, dtype=float)
    truth = np.asarray(truth, dtype=float)
    if risk.shape != truth.shape:
        raise ValueError(f"risk and truth must align, got {risk.shape} and {truth.shape}")
    if not 0 < coverage_pct <= 100:
        raise ValueError(f"coverage_pct must be in (0, 100], got {coverage_pct}")
    n = int(risk.shape[0])
    k = int(np.floor(n * coverage_pct / 100.0 + 1e-9))
    incidents = float(truth.sum())
    nan = float("nan")
    if k == 0 or incidents <= 0:
        return WeekScore(nan, nan, nan, nan, incidents, k, n)
    r = _tidy(risk)
    threshold = np.partition(r, n - k)[n - k]
    above = r > threshold
    tied = r == threshold
    n_above = int(above.sum())
    hits = float(truth[above].sum()) + (k - n_above) / int(tied.sum()) * float(truth[tied].sum())
    best = float(np.sort(truth)[n - k :].sum())
    hit_rate = hits / incidents
    return WeekScore(
        hit_rate=hit_rate,
        pai=hit_rate / (k / n),
        pei=hits / best if best > 0 else nan,
        hits=hits,
        incidents=incidents,
        k=k,
        n_active=n,
    )
