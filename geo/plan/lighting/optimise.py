"""The covering problem behind lamp proposals: greedy choice, exact MCLP with spopt + CBC, problem reduction.

A demand × candidate boolean matrix says which candidate lamp position covers which piece of evidence; the
weights are the evidence weights. :func:`greedy_cover` reaches at least 1 - 1/e ≈ 63 % of the optimum
(coverage is monotone submodular; Nemhauser, Wolsey & Fisher 1978); :func:`solve_mclp` solves the maximal
covering location problem exactly with spopt's :class:`spopt.locate.MCLP` and PuLP's bundled CBC.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = [
    "covered_weight",
    "greedy_cover",
    "order_by_gain",
    "reduce_cover",
    "solve_mclp",
    "strongest_candidates",
]


def greedy_cover(cover: sparse.csc_matrix, weights: np.ndarray, *, budget: int) -> list[int]:
    """Choose up to `budget` columns (candidates) greedily by marginal covered weight.

    Reaches at least 1 - 1/e of the optimal covered weight (coverage is monotone submodular).

    Parameters
    ----------
    cover
        Boolean sparse matrix, demand × candidate: True where the candidate covers the demand.
    weights
        Demand weights (>= 0).
    budget
        Number of candidates to choose at most; stops early when nothing more can be gained.

    Returns
    -------
    chosen
        Column indices in the order chosen (each adds the largest remaining weight; ties: lowest index).
    """
    A = sparse.csc_matrix(cover, dtype=float)
    uncovered = np.asarray(weights, dtype=float).copy()
    chosen: list[int] = []
    for _ in range(int(budget)):
        gains = A.T @ uncovered
        if chosen:
            gains[chosen] = -1.0
        j = int(np.argmax(gains)) if gains.size else -1
        if j < 0 or gains[j] <= 1e-12:
            break
        chosen.append(j)
        rows = A.indices[A.indptr[j] : A.indptr[j + 1]]
        uncovered[rows] = 0.0
    return chosen


def solve_mclp(
    cover: sparse.csc_matrix, weights: np.ndarray, *, budget: int, time_limit_s: float = 60.0
) -> tuple[list[int], str]:
    """Solve the maximal covering location problem with spopt's MCLP and CBC.

    Parameters
    ----------
    cover
        Boolean demand × candidate matrix (True: covered).
    weights
        Demand weights.
    budget
        Number of facilities (new lamps) to place.
    time_limit_s
        CBC's time limit in seconds; when hit, the best solution found is returned and flagged.

    Returns
    -------
    chosen, status
        Chosen candidate indices and ``"optimal"`` or ``"feasible (time limit)"``.

    Raises
    ------
    RuntimeError
        If spopt/CBC fails to produce a solution.
    """
    import pulp
    from spopt.locate import MCLP

    A = sparse.csr_matrix(cover, dtype=bool).toarray()
    n_cli, n_fac = A.shape
    p = int(min(budget, n_fac))
    # spopt takes a cost matrix and a service radius: cost 0 where covered, 2 where not, radius 1
    cost = np.where(A, 0.0, 2.0)
    with warnings.catch_warnings():
        # PuLP 3 announces API changes for 4.0 on every variable; the calls here are the supported 3.x ones
        warnings.simplefilter("ignore", DeprecationWarning)
        model = MCLP.from_cost_matrix(
            cost, np.asarray(weights, dtype=float), service_radius=1.0, p_facilities=p
        )
        solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=float(time_limit_s))
        model = model.solve(solver, results=False)
    chosen = [j for j, var in enumerate(model.fac_vars) if var.value() is not None and var.value() > 0.5]
    sol_status = getattr(model.problem, "sol_status", 1)
    status = "optimal" if sol_status == pulp.LpSolutionOptimal else "feasible (time limit)"
    return chosen, status


def reduce_cover(
    cover: sparse.csc_matrix, weights: np.ndarray
) -> tuple[sparse.csc_matrix, np.ndarray, np.ndarray, np.ndarray]:
    """Merge demands with equal candidate sets; drop candidates covering nothing or a subset of another's."""
    A = sparse.csr_matrix(cover, dtype=bool)
    A.sort_indices()
    keys = [A.indices[A.indptr[i] : A.indptr[i + 1]].tobytes() for i in range(A.shape[0])]
    codes, uniq = pd.factorize(pd.Series(keys, dtype=object))
    nonempty = np.diff(A.indptr) > 0
    grouped_w = np.bincount(
        codes[nonempty], weights=np.asarray(weights, dtype=float)[nonempty], minlength=len(uniq)
    )
    first = pd.Series(np.arange(len(codes))[nonempty]).groupby(codes[nonempty]).first()
    rows = first.to_numpy()
    G = A[rows].tocsc()
    gw = grouped_w[first.index.to_numpy()]
    col_count = np.asarray(G.sum(axis=0)).ravel()
    useful = np.flatnonzero(col_count > 0)
    G = G[:, useful]
    col_count = col_count[useful]
    # dominance: j is dropped when another column k covers all of j's demands (ties: keep the lower index)
    Gi = G.astype(np.int32)
    overlap = (Gi.T @ Gi).tocoo()
    dominated = np.zeros(G.shape[1], dtype=bool)
    m = (overlap.row != overlap.col) & (overlap.data == col_count[overlap.row])
    r, c = overlap.row[m], overlap.col[m]
    strictly = col_count[c] > col_count[r]
    tie_later = (col_count[c] == col_count[r]) & (c < r)
    dominated[r[strictly | tie_later]] = True
    keep = np.flatnonzero(~dominated)
    return G[:, keep].tocsc(), gw, useful[keep], rows


def strongest_candidates(
    G: sparse.csc_matrix, w: np.ndarray, greedy: list[int], *, max_cells: int
) -> np.ndarray:
    """Pick the most candidates, strongest first, whose demand × candidate matrix fits `max_cells`.

    The greedy choice is always included, so the exact solution over them is at least as good as greedy.
    """
    order = np.argsort(-np.asarray(G.T @ w).ravel(), kind="stable")
    must = np.array(greedy, dtype=int)

    def cells(k: int) -> tuple[int, np.ndarray]:
        sub = np.unique(np.concatenate([order[:k], must]))
        rows = int((np.asarray(G[:, sub].sum(axis=1)).ravel() > 0).sum())
        return rows * sub.size, sub

    lo, hi = 0, G.shape[1]
    best = cells(0)[1]
    while lo <= hi:
        mid = (lo + hi) // 2
        n, sub = cells(mid)
        if n <= max_cells:
            best, lo = sub, mid + 1
        else:
            hi = mid - 1
    return best


def covered_weight(G: sparse.csc_matrix, w: np.ndarray, cols: Sequence[int]) -> float:
    """Return the weight of the demands (rows of `G`, weights `w`) that columns `cols` cover together."""
    if not len(cols):
        return 0.0
    hit = np.asarray(G[:, list(cols)].sum(axis=1)).ravel() > 0
    return float(w[hit].sum())


def order_by_gain(G: sparse.csc_matrix, w: np.ndarray, cols: Sequence[int]) -> list[int]:
    """Order chosen columns so each adds the most remaining weight (gain per added lamp, best first)."""
    sub = G[:, list(cols)]
    order = greedy_cover(sub, w, budget=len(cols))
    rest = [j for j in range(len(cols)) if j not in order]
    return [int(cols[j]) for j in (*order, *rest)]
