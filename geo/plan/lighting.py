"""Where darkness and incidents meet, and where new or repaired lamps buy the most.

Steps, each a pure function:

1. :func:`dark_evidence` — the reports that speak for more light: incidents that happened in darkness
   (``is_dark``, the sun below civil twilight) and residents'/safety-walk reports of dark or unsafe places
   (any time), outside today's lit coverage and within ``near_m`` of a dark stretch.
2. :func:`rank_dark_places` — dark stretches ranked by the score

   ``score = (Σ w(dark-time incidents) + place_weight × Σ w(place reports)) / (max(length_m, 100) / 100)``

   i.e. weighted evidence per 100 m of dark way (stretches shorter than 100 m count as 100 m, so that a
   10 m sliver with one report does not outrank a 100 m path with five). The evidence behind each score is
   kept: which reports (``report_ids``) and which hours (``hours``).
3. :func:`propose_lamps` — a maximal covering location problem (MCLP): choose ``budget`` positions among
   candidates every ``spacing_m`` along the dark stretches so that the weighted evidence within ``radius_m``
   of a new lamp is as large as possible. Solved exactly with spopt's :class:`spopt.locate.MCLP` and
   PuLP's bundled CBC; when the solver is unavailable or the problem too large, a greedy choice is used,
   which is guaranteed to reach at least 1 - 1/e ≈ 63 % of the optimum (Nemhauser, Wolsey & Fisher 1978)
   and says so.
4. :func:`quick_fixes` — broken and part-night lamps near dark-time evidence: repair before building.
5. :func:`follow_up` — dark-time incidents before and after a change, against a comparison area.
"""

from __future__ import annotations

import json
import logging
import math
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse

from geo.layers.lighting import LightingLayer
from geo.model import Reports, point_reports

__all__ = [
    "BROKEN_WORDS",
    "DARK_WORDS",
    "FollowUp",
    "LightingPlan",
    "Proposals",
    "dark_evidence",
    "follow_up",
    "greedy_cover",
    "plan_lighting",
    "propose_lamps",
    "quick_fixes",
    "rank_dark_places",
    "solve_mclp",
]

log = logging.getLogger(__name__)


DARK_WORDS: tuple[str, ...] = (
    "mörk",
    "mork",
    "belysning",
    "obelyst",
    "lampa",
    "lampor",
    "gatljus",
    "gatlykt",
    "otrygg",
    "dark",
    "unlit",
    "lighting",
    "streetlight",
    "street light",
    "lamp",
    "unsafe",
)
"""Words in ``category`` that make a report a report of a dark or unsafe place (counted at any hour)."""

BROKEN_WORDS: tuple[str, ...] = (
    "trasig",
    "ur funktion",
    "släckt",
    "slackt",
    "broken",
    "not working",
    "fungerar inte",
)
"""Words in ``category`` (or ``description``) of a report of a broken lamp."""

_SPOPT_MAX_CELLS = 600_000
"""Largest demand × candidate matrix handed to spopt (it builds the model cell by cell in Python)."""


def _fold(text: object) -> str:
    return unicodedata.normalize("NFC", str(text)).casefold().strip()


def _hours_text(hours: dict[int, float]) -> str:
    """Swedish text of the busiest hours (``kl 22–01``): the shortest run of hours holding half the weight."""
    if not hours:
        return ""
    w = np.zeros(24)
    for h, c in hours.items():
        w[int(h)] += c
    total = w.sum()
    if total <= 0:
        return ""
    best: tuple[int, int] | None = None
    c = np.concatenate([[0.0], np.cumsum(np.tile(w, 2))])
    starts = np.arange(24)
    for length in range(1, 25):
        sums = c[starts + length] - c[starts]  # circular runs of `length` hours starting at each hour
        if sums.max() >= 0.5 * total - 1e-9:
            best = (int(np.argmax(sums)), length)
            break
    start, length = best if best else (0, 24)
    end = (start + length) % 24
    return f"kl {start:02d}" if length == 1 else f"kl {start:02d}–{end:02d}"


# ------------------------------------------------------------------------------------------------ evidence


def dark_evidence(
    reports: Reports,
    layer: LightingLayer,
    *,
    near_m: float = 30.0,
    place_weight: float = 2.0,
    dark_words: Sequence[str] = DARK_WORDS,
) -> gpd.GeoDataFrame:
    """Select the reports that argue for more light and tie each to its nearest dark stretch.

    A report is evidence when it has a point position (see :func:`geo.model.point_reports`), lies outside the
    lit coverage, is within `near_m` of a dark stretch, and either is a report of a dark or unsafe place
    (``category`` containing one of `dark_words`: ``mörkt``, ``trasig belysning``, ``otrygg passage``, ...;
    residents and safety walks file these, often by day) which counts at any hour, or happened in darkness
    (``is_dark``, the sun below civil twilight): any crime or disturbance, whatever its source.

    Parameters
    ----------
    reports
        Validated reports in the layer's CRS.
    layer
        The lighting layer.
    near_m
        Largest distance in metres from a report to the dark stretch it is tied to (inclusive).
    place_weight
        Weight multiplier of a place report relative to a dark-time incident (>= 0).
    dark_words
        How place reports are recognised (case-insensitive substrings of ``category``).

    Returns
    -------
    evidence
        ``report_id``, ``kind`` (``incident`` or ``place_report``), ``category``, ``source``, ``occurred_at``,
        ``hour``, ``weight`` (the report's), ``evidence_weight`` (weight × `place_weight` for place reports),
        ``stretch_id``, ``distance_m``, Point geometry. Empty when there are no dark stretches.

    Raises
    ------
    ValueError
        If `near_m` <= 0 or `place_weight` < 0, or the CRSs differ.
    """
    if not near_m > 0:
        raise ValueError(f"near_m must be > 0 metres, got {near_m}")
    if not place_weight >= 0:
        raise ValueError(f"place_weight must be >= 0, got {place_weight}")
    if len(reports) and reports.crs != layer.crs:
        raise ValueError(f"reports are in {reports.crs} but the lighting layer in {layer.crs}; reproject one")
    pts = point_reports(reports)
    cols = [
        "report_id",
        "kind",
        "category",
        "source",
        "occurred_at",
        "hour",
        "weight",
        "evidence_weight",
        "stretch_id",
        "distance_m",
    ]
    is_place = _is_place(pts, dark_words=dark_words)
    keep = is_place | pts["is_dark"].to_numpy(dtype=bool)
    cand = pts.loc[keep]
    is_place = is_place[keep]
    dark = layer.dark_stretches
    if len(cand) == 0 or len(dark) == 0:
        out = gpd.GeoDataFrame(
            {c: pd.Series(dtype="object") for c in cols}, geometry=gpd.GeoSeries([], crs=layer.crs)
        )
        return out
    geoms = cand.geometry.to_numpy()
    cover = layer.coverage_geometry
    shapely.prepare(cover)  # one large polygon tested against many points
    inside = (
        shapely.contains_xy(cover, shapely.get_x(geoms), shapely.get_y(geoms))
        if not cover.is_empty
        else np.zeros(len(geoms), dtype=bool)
    )
    tree = shapely.STRtree(dark.geometry.to_numpy())
    idx, dist = tree.query_nearest(geoms, max_distance=near_m, return_distance=True, all_matches=False)
    ri, si = idx
    ok = ~inside[ri]
    ri, si, dist = ri[ok], si[ok], dist[ok]
    sub = cand.iloc[ri].reset_index(drop=True)
    w = sub["weight"].to_numpy(dtype=float)
    place = is_place[ri]
    out = gpd.GeoDataFrame(
        {
            "report_id": sub["report_id"].astype("string"),
            "kind": np.where(place, "place_report", "incident"),
            "category": sub["category"].astype("string"),
            "source": sub["source"].astype("string"),
            "occurred_at": sub["occurred_at"],
            "hour": sub["hour"].astype(int),
            "weight": w,
            "evidence_weight": np.where(place, w * place_weight, w),
            "stretch_id": dark["stretch_id"].to_numpy()[si],
            "distance_m": dist,
        },
        geometry=sub.geometry.to_numpy(),
        crs=layer.crs,
    )
    return out.reset_index(drop=True)


def _is_place(reports: pd.DataFrame, *, dark_words: Sequence[str]) -> np.ndarray:
    """Tell which reports are reports of a dark or unsafe place (by words in their category)."""
    if len(reports) == 0 or not dark_words:
        return np.zeros(len(reports), dtype=bool)
    cat = reports["category"].astype("string").fillna("").map(_fold)
    pattern = "|".join(map(_escape, (_fold(w) for w in dark_words)))
    return cat.str.contains(pattern, regex=True).fillna(False).to_numpy(dtype=bool)


def _escape(text: str) -> str:
    import re

    return re.escape(text)


# ------------------------------------------------------------------------------------------------- ranking


def rank_dark_places(
    layer: LightingLayer, evidence: gpd.GeoDataFrame, *, place_weight: float = 2.0, per_m: float = 100.0
) -> gpd.GeoDataFrame:
    """Rank the dark stretches by weighted dark-time evidence per 100 m.

    Parameters
    ----------
    layer
        The lighting layer (its ``dark_stretches``).
    evidence
        From :func:`dark_evidence`.
    place_weight
        Only used to describe the score (the weighting is already in ``evidence_weight``).
    per_m
        The length unit of the score in metres; shorter stretches count as this long.

    Returns
    -------
    dark_places
        One row per dark stretch, best first: ``rank``, ``stretch_id``, ``street``, ``highway``, ``lit``,
        ``lat``, ``lon`` (WGS84 midpoint), ``length_m``, ``score``, ``dark_reports`` (evidence reports),
        ``incidents``, ``place_reports``, ``evidence_weight``, ``hours`` (JSON {hour: reports}),
        ``peak_hours`` (Swedish text), ``categories`` (JSON {category: reports}), ``report_ids`` (JSON list),
        ``score_rule``, LineString geometry. Stretches without evidence follow with score 0, longest first.
    """
    dark = layer.dark_stretches.copy()
    n = len(dark)
    mids = shapely.line_interpolate_point(dark.geometry.to_numpy(), 0.5, normalized=True)
    wgs = gpd.GeoSeries(mids, crs=layer.crs).to_crs("EPSG:4326")
    dark["lat"] = np.round(wgs.y.to_numpy(), 6)
    dark["lon"] = np.round(wgs.x.to_numpy(), 6)
    stats: dict[str, dict[str, object]] = {}
    if len(evidence):
        ev = pd.DataFrame(
            {
                "sid": evidence["stretch_id"].astype(str).to_numpy(),
                "hour": evidence["hour"].to_numpy(dtype=int),
                "inc": (evidence["kind"] == "incident").to_numpy(dtype=int),
                "w": evidence["evidence_weight"].to_numpy(dtype=float),
                "cat": evidence["category"].astype(str).to_numpy(),
                "rid": evidence["report_id"].astype(str).to_numpy(),
            }
        )
        g = ev.groupby("sid", sort=False)
        size, inc, weight = g.size(), g["inc"].sum(), g["w"].sum()
        ids = g["rid"].agg(lambda r: json.dumps(sorted(r), ensure_ascii=False))
        hours = pd.crosstab(ev["sid"], ev["hour"])
        cats = ev.groupby(["sid", "cat"]).size().reset_index(name="n")
        cats = cats.sort_values(["sid", "n", "cat"], ascending=[True, False, True], kind="stable")
        cat_json = {
            sid: json.dumps(dict(zip(c["cat"], c["n"].astype(int).tolist(), strict=True)), ensure_ascii=False)
            for sid, c in cats.groupby("sid", sort=False)
        }
        for sid in size.index:
            row = hours.loc[sid]
            h = {int(k): int(v) for k, v in row.items() if v > 0}
            stats[sid] = {
                "dark_reports": int(size[sid]),
                "incidents": int(inc[sid]),
                "place_reports": int(size[sid] - inc[sid]),
                "evidence_weight": float(weight[sid]),
                "hours": json.dumps(h),
                "peak_hours": _hours_text({k: float(v) for k, v in h.items()}),
                "categories": cat_json[sid],
                "report_ids": ids[sid],
            }
    defaults = {
        "dark_reports": 0,
        "incidents": 0,
        "place_reports": 0,
        "evidence_weight": 0.0,
        "hours": "{}",
        "peak_hours": "",
        "categories": "{}",
        "report_ids": "[]",
    }
    for key, value in defaults.items():
        dark[key] = [stats.get(str(s), {}).get(key, value) for s in dark["stretch_id"]]
    for key in ("dark_reports", "incidents", "place_reports"):
        dark[key] = dark[key].astype("int64")
    dark["score"] = np.round(
        dark["evidence_weight"].to_numpy(dtype=float) / (np.maximum(dark["length_m"], per_m) / per_m), 4
    )
    dark = dark.sort_values(
        ["score", "dark_reports", "length_m", "stretch_id"],
        ascending=[False, False, False, True],
        kind="stable",
    ).reset_index(drop=True)
    dark.insert(0, "rank", np.arange(1, n + 1))
    dark["length_m"] = dark["length_m"].round(1)
    dark["score_rule"] = (
        f"(dark-time incidents + {place_weight:g} × place reports, weighted) per {per_m:g} m "
        f"of dark way (min {per_m:g} m)"
    )
    order = [
        "rank",
        "lat",
        "lon",
        "length_m",
        "score",
        "dark_reports",
        "stretch_id",
        "street",
        "highway",
        "lit",
        "incidents",
        "place_reports",
        "evidence_weight",
        "peak_hours",
        "hours",
        "categories",
        "report_ids",
        "way_ids",
        "score_rule",
    ]
    return gpd.GeoDataFrame(dark[order], geometry=dark.geometry.to_numpy(), crs=layer.crs)


# ------------------------------------------------------------------------------------------------ proposals


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


def _candidates(dark: gpd.GeoDataFrame, *, spacing_m: float) -> gpd.GeoDataFrame:
    geoms = dark.geometry.to_numpy()
    lengths = shapely.length(geoms)
    counts = np.maximum(1, np.floor(lengths / spacing_m).astype(int))
    owner = np.repeat(np.arange(len(dark)), counts)
    # positions at the centres of equal parts: (k + 0.5) / count of the length
    k = np.concatenate([np.arange(c) for c in counts]) if len(counts) else np.array([], dtype=int)
    frac = (k + 0.5) / counts[owner] if len(owner) else np.array([])
    pts = (
        shapely.line_interpolate_point(geoms[owner], frac, normalized=True)
        if len(owner)
        else np.array([], dtype=object)
    )
    return gpd.GeoDataFrame(
        {
            "stretch_id": dark["stretch_id"].to_numpy()[owner],
            "street": dark["street"].to_numpy()[owner],
        },
        geometry=pts,
        crs=dark.crs,
    )


@dataclass
class Proposals:
    """New lamp positions, best first, and how they were chosen.

    Attributes
    ----------
    lamps
        ``rank``, ``proposal_id``, ``lat``, ``lon``, ``street``, ``stretch_id``, ``covered_reports``
        (evidence reports this lamp adds to the covered set), ``gain`` (the weighted evidence it adds),
        ``cumulative_gain``, ``cumulative_share`` (of all evidence), ``incidents``, ``place_reports``,
        ``peak_hours``, ``report_ids`` (JSON), ``repair_first`` (broken lamps within the radius, JSON),
        ``reason`` (Swedish), ``method``, Point geometry.
    method
        ``mclp`` (spopt + CBC), ``mclp-reduced`` (exact over the strongest candidates), or ``greedy``.
    status
        Solver status or why the greedy choice was used, with its guarantee.
    total_weight
        Weighted evidence that any candidate could cover.
    covered_weight
        Weighted evidence covered by the chosen lamps.
    greedy_weight
        What the greedy choice covers (for comparison).
    candidates
        Number of candidate positions considered.
    """

    lamps: gpd.GeoDataFrame
    method: str
    status: str
    total_weight: float
    covered_weight: float
    greedy_weight: float
    candidates: int
    notes: list[str] = field(default_factory=list)


def _reduce(
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


def propose_lamps(
    evidence: gpd.GeoDataFrame,
    layer: LightingLayer,
    *,
    budget: int = 10,
    radius_m: float | None = None,
    spacing_m: float = 10.0,
    method: str = "mclp",
    time_limit_s: float = 60.0,
    max_cells: int = _SPOPT_MAX_CELLS,
) -> Proposals:
    """Place up to `budget` new lamps on dark stretches to cover the most weighted dark-time evidence.

    Parameters
    ----------
    evidence
        From :func:`dark_evidence` (uses ``evidence_weight``).
    layer
        The lighting layer (candidates lie on its dark stretches; broken lamps are named as repair-first).
    budget
        Number of new lamps (>= 1). Fewer are proposed when fewer add anything.
    radius_m
        Radius a new lamp covers in metres (default: the layer's lamp radius).
    spacing_m
        Distance between candidate positions along a dark stretch in metres (> 0).
    method
        ``mclp`` (exact with spopt + CBC, greedy when that fails) or ``greedy``.
    time_limit_s
        Time limit for CBC in seconds.
    max_cells
        Largest reduced demand × candidate matrix given to spopt whole; larger problems are solved exactly
        over the strongest candidates only (always including the greedy choice), flagged ``mclp-reduced``.

    Returns
    -------
    proposals
        The :class:`Proposals`.

    Raises
    ------
    ValueError
        If `budget` < 1, `spacing_m` <= 0, `radius_m` <= 0 or `method` is unknown.
    """
    if int(budget) < 1:
        raise ValueError(f"budget must be at least 1 lamp, got {budget}")
    if not spacing_m > 0:
        raise ValueError(f"spacing_m must be > 0 metres, got {spacing_m}")
    radius = float(layer.radius_m if radius_m is None else radius_m)
    if not radius > 0:
        raise ValueError(f"radius_m must be > 0 metres, got {radius}")
    if method not in ("mclp", "greedy"):
        raise ValueError(f"method must be 'mclp' or 'greedy', got '{method}'")
    cand = _candidates(layer.dark_stretches, spacing_m=spacing_m)
    notes: list[str] = []
    ev_geoms = evidence.geometry.to_numpy() if len(evidence) else np.array([], dtype=object)
    if len(cand) and len(ev_geoms):
        tree = shapely.STRtree(cand.geometry.to_numpy())
        ri, ci = tree.query(ev_geoms, predicate="dwithin", distance=radius)
    else:
        ri = ci = np.array([], dtype=int)
    cover = sparse.csc_matrix((np.ones(ri.size, dtype=bool), (ri, ci)), shape=(len(ev_geoms), len(cand)))
    weights = evidence["evidence_weight"].to_numpy(dtype=float) if len(evidence) else np.zeros(0)
    total = float(weights[np.asarray(cover.sum(axis=1)).ravel() > 0].sum()) if len(weights) else 0.0
    chosen_cols: list[int] = []
    used, status, greedy_w = "greedy", "", 0.0
    if ri.size:
        G, gw, cols, _ = _reduce(cover, weights)
        greedy = greedy_cover(G, gw, budget=budget)
        greedy_w = _covered(G, gw, greedy)
        chosen_local = greedy
        used = "greedy"
        status = "greedy choice: covers at least 1 - 1/e ≈ 63 % of the optimum (coverage is submodular)"
        if method == "mclp" and len(greedy) == int(budget) and G.shape[1] > len(greedy):
            sub = np.arange(G.shape[1])
            reduced = G.shape[0] * G.shape[1] > max_cells
            if reduced:
                sub = _strongest(G, gw, greedy, max_cells=max_cells)
                notes.append(
                    f"MCLP solved over the {sub.size} strongest of {G.shape[1]} candidates "
                    f"(reduced problem; the greedy choice is among them)"
                )
            Gs = G[:, sub]
            rows = np.asarray(Gs.sum(axis=1)).ravel() > 0
            try:
                picked, solver_status = solve_mclp(
                    Gs[rows], gw[rows], budget=budget, time_limit_s=time_limit_s
                )
                picked = [int(sub[j]) for j in picked]
                w = _covered(G, gw, picked)
                if w + 1e-9 >= greedy_w:
                    chosen_local, used = picked, "mclp-reduced" if reduced else "mclp"
                    status = f"spopt MCLP with CBC: {solver_status}"
                else:
                    status = (
                        f"spopt MCLP stopped at {w:.2f} < greedy {greedy_w:.2f} ({solver_status}); "
                        "greedy kept: "
                        "covers at least 1 - 1/e ≈ 63 % of the optimum"
                    )
            except Exception as err:  # noqa: BLE001 - any solver failure falls back to the stated greedy bound
                log.warning("MCLP solver failed (%s); using greedy", err)
                status = (
                    f"spopt/CBC failed ({type(err).__name__}: {err}); greedy choice: covers at least "
                    "1 - 1/e ≈ 63 % of the optimum"
                )
        elif method == "mclp":
            used, status = (
                "mclp",
                "optimal: the budget covers every candidate with any gain (greedy = exact here)",
            )
        chosen_cols = [int(cols[j]) for j in _order_by_gain(G, gw, chosen_local)]
        covered_w = _covered(G, gw, chosen_local)
    else:
        covered_w = 0.0
        status = "no dark-time evidence near any dark stretch: nothing to cover"
    lamps = _proposal_table(
        chosen_cols, cand, cover, evidence, layer, radius=radius, total=total, method=used
    )
    return Proposals(
        lamps=lamps,
        method=used,
        status=status,
        total_weight=total,
        covered_weight=covered_w,
        greedy_weight=greedy_w,
        candidates=len(cand),
        notes=notes,
    )


def _strongest(G: sparse.csc_matrix, w: np.ndarray, greedy: list[int], *, max_cells: int) -> np.ndarray:
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


def _covered(G: sparse.csc_matrix, w: np.ndarray, cols: Sequence[int]) -> float:
    if not len(cols):
        return 0.0
    hit = np.asarray(G[:, list(cols)].sum(axis=1)).ravel() > 0
    return float(w[hit].sum())


def _order_by_gain(G: sparse.csc_matrix, w: np.ndarray, cols: Sequence[int]) -> list[int]:
    """Order chosen columns so each adds the most remaining weight (gain per added lamp, best first)."""
    sub = G[:, list(cols)]
    order = greedy_cover(sub, w, budget=len(cols))
    rest = [j for j in range(len(cols)) if j not in order]
    return [int(cols[j]) for j in (*order, *rest)]


def _proposal_table(
    chosen: list[int],
    cand: gpd.GeoDataFrame,
    cover: sparse.csc_matrix,
    evidence: gpd.GeoDataFrame,
    layer: LightingLayer,
    *,
    radius: float,
    total: float,
    method: str,
) -> gpd.GeoDataFrame:
    cols = [
        "rank",
        "proposal_id",
        "lat",
        "lon",
        "street",
        "covered_reports",
        "gain",
        "reason",
        "stretch_id",
        "cumulative_gain",
        "cumulative_share",
        "incidents",
        "place_reports",
        "peak_hours",
        "report_ids",
        "repair_first",
        "method",
    ]
    if not chosen:
        return gpd.GeoDataFrame(
            {c: pd.Series(dtype="object") for c in cols}, geometry=gpd.GeoSeries([], crs=layer.crs)
        )
    covered = np.zeros(cover.shape[0], dtype=bool)
    w = evidence["evidence_weight"].to_numpy(dtype=float)
    pts = cand.geometry.to_numpy()[chosen]
    broken = layer.lamps[~layer.lamps["lights"].to_numpy(dtype=bool)]
    btree = shapely.STRtree(broken.geometry.to_numpy()) if len(broken) else None
    rows = []
    cum = 0.0
    for rank, j in enumerate(chosen, start=1):
        col = cover.indices[cover.indptr[j] : cover.indptr[j + 1]]
        new = col[~covered[col]]
        covered[new] = True
        gain = float(w[new].sum())
        cum += gain
        ev = evidence.iloc[new]
        hours = ev.groupby("hour").size().to_dict() if len(ev) else {}
        n_inc = int((ev["kind"] == "incident").sum())
        n_place = int((ev["kind"] == "place_report").sum())
        repair: list[str] = []
        if btree is not None:
            near = btree.query(pts[rank - 1], predicate="dwithin", distance=radius)
            repair = sorted(broken["lamp_id"].astype(str).to_numpy()[near].tolist())
        street = str(cand["street"].iloc[j])
        peak = _hours_text({int(h): float(c) for h, c in hours.items()})
        parts = []
        if n_inc:
            parts.append(f"{n_inc} brott/händelser i mörker")
        if n_place:
            parts.append(f"{n_place} rapporter om mörka eller otrygga platser")
        reason = (
            f"Ny lampa på {street}: lyser upp platsen för {len(new)} rapporter "
            f"({' och '.join(parts) if parts else 'inga'}){', mest ' + peak if peak else ''}; "
            f"vinst {gain:.1f}."
        )
        if repair:
            reason += f" Laga först trasig lampa {', '.join(repair[:3])} inom {radius:.0f} m."
        rows.append(
            {
                "rank": rank,
                "proposal_id": f"LP-{rank:03d}",
                "street": street,
                "covered_reports": int(len(new)),
                "gain": round(gain, 3),
                "reason": reason,
                "stretch_id": str(cand["stretch_id"].iloc[j]),
                "cumulative_gain": round(cum, 3),
                "cumulative_share": round(cum / total, 4) if total else 0.0,
                "incidents": n_inc,
                "place_reports": n_place,
                "peak_hours": peak,
                "report_ids": json.dumps(sorted(ev["report_id"].astype(str)), ensure_ascii=False),
                "repair_first": json.dumps(repair),
                "method": method,
            }
        )
    table = pd.DataFrame(rows)
    wgs = gpd.GeoSeries(pts, crs=layer.crs).to_crs("EPSG:4326")
    table["lat"] = np.round(wgs.y.to_numpy(), 6)
    table["lon"] = np.round(wgs.x.to_numpy(), 6)
    # proposals that add nothing are not proposed
    table = table[table["covered_reports"] > 0]
    keep = table.index.to_numpy()
    return gpd.GeoDataFrame(table[cols].reset_index(drop=True), geometry=pts[keep], crs=layer.crs)


# ----------------------------------------------------------------------------------------------- quick fixes


def quick_fixes(
    reports: Reports,
    layer: LightingLayer,
    *,
    radius_m: float | None = None,
    part_night_off_hours: Sequence[int] = (1, 2, 3, 4),
    dark_words: Sequence[str] = DARK_WORDS,
    broken_words: Sequence[str] = BROKEN_WORDS,
) -> gpd.GeoDataFrame:
    """Broken and part-night lamps with dark-time evidence around them: repair before building.

    A lamp is a quick fix when it is ``broken`` (register) and dark-time incidents or dark-place reports lie
    within `radius_m`; when it is ``part_night`` and such reports lie within `radius_m` in the hours it is
    switched off (`part_night_off_hours`); or when a resident reported a broken lamp (category or description
    with one of `broken_words`) within `radius_m` of it.

    Parameters
    ----------
    reports
        Validated reports in the layer's CRS.
    layer
        The lighting layer.
    radius_m
        Distance in metres (default: the layer's lamp radius).
    part_night_off_hours
        Local hours (0-23) in which part-night lamps are off (Swedish halvnattsbelysning: about 01-05).
    dark_words, broken_words
        How dark-place and broken-lamp reports are recognised.

    Returns
    -------
    fixes
        Best first: ``rank``, ``lamp_id``, ``status``, ``lat``, ``lon``, ``street`` (nearest walkable way),
        ``dark_reports``, ``broken_reports`` (residents reporting a broken lamp), ``peak_hours``,
        ``report_ids``
        (JSON), ``reason`` (Swedish), Point geometry.
    """
    radius = float(layer.radius_m if radius_m is None else radius_m)
    cols = [
        "rank",
        "lamp_id",
        "status",
        "lat",
        "lon",
        "street",
        "dark_reports",
        "broken_reports",
        "peak_hours",
        "report_ids",
        "reason",
    ]
    empty = gpd.GeoDataFrame(
        {c: pd.Series(dtype="object") for c in cols}, geometry=gpd.GeoSeries([], crs=layer.crs)
    )
    lamps = layer.lamps
    pts = point_reports(reports)
    if len(lamps) == 0 or len(pts) == 0:
        return empty
    place = _is_place(pts, dark_words=dark_words)
    text = (
        pts["category"].astype("string").fillna("")
        + " "
        + (pts["description"].astype("string").fillna("") if "description" in pts.columns else "")
    )
    pattern = "|".join(_escape(_fold(w)) for w in broken_words)
    broken_rep = text.map(_fold).str.contains(pattern, regex=True).fillna(False).to_numpy(dtype=bool)
    dark_ev = place | pts["is_dark"].to_numpy(dtype=bool)
    tree = shapely.STRtree(pts.geometry.to_numpy())
    li, ri = tree.query(lamps.geometry.to_numpy(), predicate="dwithin", distance=radius)
    status = lamps["status"].astype("string").to_numpy()
    hours = pts["hour"].to_numpy(dtype=int)
    off = np.isin(hours, list(part_night_off_hours))
    # only the pairs that can make a quick fix: dark evidence at a broken lamp, at a part-night lamp while
    # it is off, or a broken-lamp report at any lamp
    st_pair = status[li]
    useful = (
        ((st_pair == "broken") & dark_ev[ri])
        | ((st_pair == "part_night") & dark_ev[ri] & off[ri])
        | broken_rep[ri]
    )
    li, ri = li[useful], ri[useful]
    order = np.argsort(li, kind="stable")
    li, ri = li[order], ri[order]
    report_ids = pts["report_id"].astype(str).to_numpy()
    lamp_ids = lamps["lamp_id"].astype(str).to_numpy()
    lamp_geoms = lamps.geometry.to_numpy()
    uniq, start = np.unique(li, return_index=True)
    stop = np.append(start[1:], li.size) if start.size else start
    streets = np.full(len(lamps), "", dtype=object)
    if len(layer.ways) and uniq.size:
        near_l, near_w = shapely.STRtree(layer.ways.geometry.to_numpy()).query_nearest(
            lamp_geoms[uniq], all_matches=False
        )
        streets[uniq[near_l]] = layer.ways["street"].astype(str).to_numpy()[near_w]
    rows = []
    for i, a, b in zip(uniq, start, stop, strict=True):
        r = ri[a:b]
        st = status[i]
        if st == "broken":
            ev = r[dark_ev[r]]
        elif st == "part_night":
            ev = r[dark_ev[r] & off[r]]
        else:
            ev = np.array([], dtype=int)
        br = r[broken_rep[r]]
        if ev.size == 0 and br.size == 0:
            continue
        ids = sorted(set(report_ids[np.concatenate([ev, br])]))
        peak = (
            _hours_text(
                {int(h): float(c) for h, c in zip(*np.unique(hours[ev], return_counts=True), strict=True)}
            )
            if ev.size
            else ""
        )
        street = str(streets[i])
        lamp_id = str(lamp_ids[i])
        if st == "broken":
            reason = (
                f"Laga trasig lampa {lamp_id} ({street}): {ev.size} rapporter i mörker inom {radius:.0f} m"
            )
        elif st == "part_night":
            reason = (
                f"Halvnattslampa {lamp_id} ({street}): {ev.size} rapporter inom {radius:.0f} m "
                f"när den är släckt (kl {min(part_night_off_hours):02d}–"
                f"{(max(part_night_off_hours) + 1) % 24:02d}); överväg helnatt"
            )
        else:
            reason = f"Kontrollera lampa {lamp_id} ({street})"
        if peak:
            reason += f", mest {peak}"
        if br.size:
            reason += f"; {br.size} invånarrapport(er) om trasig lampa"
        rows.append(
            {
                "lamp_id": lamp_id,
                "status": st,
                "street": street,
                "dark_reports": int(ev.size),
                "broken_reports": int(br.size),
                "peak_hours": peak,
                "report_ids": json.dumps(ids),
                "reason": reason + ".",
                "_i": i,
                "_w": ev.size + br.size,
            }
        )
    if not rows:
        return empty
    table = (
        pd.DataFrame(rows)
        .sort_values(["_w", "lamp_id"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )
    geoms = lamps.geometry.to_numpy()[table["_i"].to_numpy()]
    wgs = gpd.GeoSeries(geoms, crs=layer.crs).to_crs("EPSG:4326")
    table["lat"] = np.round(wgs.y.to_numpy(), 6)
    table["lon"] = np.round(wgs.x.to_numpy(), 6)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return gpd.GeoDataFrame(table[cols], geometry=geoms, crs=layer.crs)


# -------------------------------------------------------------------------------------------------- follow-up


@dataclass
class FollowUp:
    """Dark-time incidents before and after a change, in the affected and a comparison area.

    Attributes
    ----------
    table
        Rows ``affected`` and ``comparison``: ``area``, ``before``, ``after``, ``days_before``,
        ``days_after``,
        ``change_pct``.
    ratio
        Relative change, (after/before in affected) / (after/before in comparison); < 1 means the affected
        area improved relative to the comparison area. NaN when a count is zero.
    ci_low, ci_high
        Approximate 95 % interval of `ratio` (log scale, Poisson counts: exp(±1.96·√(1/a+1/b+1/c+1/d))).
    note
        Swedish text with the caveat that small counts prove little.
    """

    table: pd.DataFrame
    ratio: float
    ci_low: float
    ci_high: float
    note: str


def follow_up(
    reports: Reports,
    *,
    affected: shapely.Geometry,
    changed_at: pd.Timestamp,
    comparison: shapely.Geometry | None = None,
    ring_m: tuple[float, float] = (50.0, 500.0),
    window_days: int | None = None,
    dark_words: Sequence[str] = DARK_WORDS,
) -> FollowUp:
    """Compare dark-time incidents before and after lamps were fixed or added.

    Parameters
    ----------
    reports
        Validated reports (dark-time incidents are counted; residents' reports are left out because
        campaigns change how often people report).
    affected
        Where the lamps were fixed or added (polygon in the reports' CRS).
    changed_at
        When (timezone-aware or local date); reports on that day are left out.
    comparison
        Comparison area; default a ring from ``ring_m[0]`` to ``ring_m[1]`` metres around `affected`.
    ring_m
        Inner and outer distance of the default ring in metres.
    window_days
        Days before and after to compare; default the longest equal window the data allow.

    Returns
    -------
    follow_up
        The :class:`FollowUp`.

    Raises
    ------
    ValueError
        If there are no reports before or after `changed_at`.
    """
    pts = point_reports(reports)
    tz = pts["occurred_at"].dt.tz
    t0 = pd.Timestamp(changed_at)
    t0 = t0.tz_localize(tz) if t0.tzinfo is None else t0.tz_convert(tz)
    day0 = t0.normalize()
    day1 = day0 + pd.Timedelta(days=1)
    inc = pts[pts["is_dark"].to_numpy(dtype=bool) & ~_is_place(pts, dark_words=dark_words)]
    times = inc["occurred_at"]
    if not ((times < day0).any() and (times >= day1).any()):
        raise ValueError(f"no dark-time incidents both before and after {day0.date()}; cannot follow up")
    if window_days is None:
        window_days = int(min((day0 - times.min()).days, (times.max() - day1).days + 1))
    window_days = max(1, int(window_days))
    start, end = day0 - pd.Timedelta(days=window_days), day1 + pd.Timedelta(days=window_days)
    if comparison is None:
        comparison = shapely.difference(
            shapely.buffer(affected, ring_m[1]), shapely.buffer(affected, ring_m[0])
        )
    x, y = shapely.get_x(inc.geometry.to_numpy()), shapely.get_y(inc.geometry.to_numpy())
    rows = []
    for name, area in (("affected", affected), ("comparison", comparison)):
        inside = shapely.contains_xy(area, x, y)
        before = int((inside & (times >= start) & (times < day0)).sum())
        after = int((inside & (times >= day1) & (times < end)).sum())
        rows.append(
            {
                "area": name,
                "before": before,
                "after": after,
                "days_before": window_days,
                "days_after": window_days,
                "change_pct": round(100 * (after - before) / before, 1) if before else math.nan,
            }
        )
    table = pd.DataFrame(rows)
    a, b = table.loc[0, "before"], table.loc[0, "after"]
    c, d = table.loc[1, "before"], table.loc[1, "after"]
    if min(a, b, c, d) > 0:
        ratio = (b / a) / (d / c)
        se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
        lo, hi = ratio * math.exp(-1.96 * se), ratio * math.exp(1.96 * se)
    else:
        ratio = lo = hi = math.nan
    n = int(a + b)
    note = (
        f"Mörkerbrott i området: {a} före och {b} efter ({window_days} dagar vardera); jämförelseområdet: "
        f"{c} före och {d} efter. "
    )
    if math.isfinite(ratio):
        note += f"Relativ förändring {ratio:.2f} (95 % ungefärligt intervall {lo:.2f}–{hi:.2f}). "
        if lo <= 1 <= hi:
            note += "Intervallet omfattar 1: ingen säker skillnad. "
    note += (
        f"Obs: små tal bevisar lite ({n} händelser i området); slumpen, säsong och andra åtgärder kan ge "
        "lika stora skillnader."
    )
    return FollowUp(table=table, ratio=float(ratio), ci_low=float(lo), ci_high=float(hi), note=note)


# ------------------------------------------------------------------------------------------------ all of it


@dataclass
class LightingPlan:
    """Everything :func:`plan_lighting` computes.

    Attributes
    ----------
    layer
        The lighting layer.
    evidence
        Dark-time evidence (see :func:`dark_evidence`).
    dark_places
        Ranked dark stretches (see :func:`rank_dark_places`).
    proposals
        New lamps (see :func:`propose_lamps`).
    fixes
        Quick fixes (see :func:`quick_fixes`).
    """

    layer: LightingLayer
    evidence: gpd.GeoDataFrame
    dark_places: gpd.GeoDataFrame
    proposals: Proposals
    fixes: gpd.GeoDataFrame

    def map_layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Return the layers for the lägesbild map, in WGS84.

        ``coverage``, ``dark_stretches`` (ranked, with score and
        evidence counts), ``proposals`` (with ``reason`` for popups), ``quick_fixes``, ``unlit_ways``.
        """

        def wgs(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
            return frame.to_crs("EPSG:4326")

        return {
            "coverage": wgs(self.layer.coverage),
            "dark_stretches": wgs(self.dark_places.drop(columns=["report_ids"])),
            "proposals": wgs(self.proposals.lamps.drop(columns=["report_ids"])),
            "quick_fixes": wgs(self.fixes.drop(columns=["report_ids"])),
            "unlit_ways": wgs(self.layer.unlit_ways),
        }


def plan_lighting(
    reports: Reports,
    layer: LightingLayer,
    *,
    budget: int = 10,
    near_m: float = 30.0,
    place_weight: float = 2.0,
    spacing_m: float = 10.0,
    method: str = "mclp",
    time_limit_s: float = 60.0,
) -> LightingPlan:
    """Evidence, ranked dark places, new-lamp proposals and quick fixes in one call.

    Parameters
    ----------
    reports
        Validated reports in the layer's CRS.
    layer
        From :func:`geo.layers.lighting.build_lighting`.
    budget
        Number of new lamps.
    near_m, place_weight
        See :func:`dark_evidence`.
    spacing_m, method, time_limit_s
        See :func:`propose_lamps`.

    Returns
    -------
    plan
        The :class:`LightingPlan`.
    """
    evidence = dark_evidence(reports, layer, near_m=near_m, place_weight=place_weight)
    places = rank_dark_places(layer, evidence, place_weight=place_weight)
    props = propose_lamps(
        evidence, layer, budget=budget, spacing_m=spacing_m, method=method, time_limit_s=time_limit_s
    )
    fixes = quick_fixes(reports, layer)
    return LightingPlan(layer=layer, evidence=evidence, dark_places=places, proposals=props, fixes=fixes)
