"""New lamps: a maximal covering location problem (MCLP) over candidate positions on the dark stretches.

:func:`propose_lamps` chooses ``budget`` positions among candidates every ``spacing_m`` along the dark
stretches so that the weighted evidence within ``radius_m`` of a new lamp is as large as possible. Solved
exactly with spopt's MCLP and PuLP's bundled CBC (:mod:`geo.plan.lighting.optimise`); when the solver is
unavailable or the problem too large, a greedy choice is used, which is guaranteed to reach at least
1 - 1/e ≈ 63 % of the optimum (Nemhauser, Wolsey & Fisher 1978) and says so.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse

from geo.layers.lighting.layer import LightingLayer
from geo.plan.lighting.optimise import (
    covered_weight,
    greedy_cover,
    order_by_gain,
    reduce_cover,
    solve_mclp,
    strongest_candidates,
)
from geo.plan.lighting.words import hours_text, proposal_reason

__all__ = ["Proposals", "propose_lamps"]

log = logging.getLogger(__name__)

_SPOPT_MAX_CELLS = 600_000
"""Largest demand × candidate matrix handed to spopt (it builds the model cell by cell in Python)."""

_GREEDY_BOUND = "covers at least 1 - 1/e ≈ 63 % of the optimum"

_COLUMNS = (
    "rank proposal_id lat lon street covered_reports gain reason stretch_id cumulative_gain cumulative_share "
    "incidents place_reports peak_hours report_ids repair_first method"
).split()
"""The columns of ``Proposals.lamps`` (besides the geometry)."""


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


@dataclass
class _Choice:
    """The chosen candidate columns (best first) and how they were chosen."""

    cols: list[int]
    method: str
    status: str
    greedy_weight: float
    covered_weight: float
    notes: list[str]


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


def _cover(evidence: gpd.GeoDataFrame, cand: gpd.GeoDataFrame, *, radius: float) -> sparse.csc_matrix:
    """Evidence × candidate: True where the candidate lies within `radius` metres of the report."""
    ev_geoms = evidence.geometry.to_numpy() if len(evidence) else np.array([], dtype=object)
    if len(cand) and len(ev_geoms):
        tree = shapely.STRtree(cand.geometry.to_numpy())
        ri, ci = tree.query(ev_geoms, predicate="dwithin", distance=radius)
    else:
        ri = ci = np.array([], dtype=int)
    return sparse.csc_matrix((np.ones(ri.size, dtype=bool), (ri, ci)), shape=(len(ev_geoms), len(cand)))


def _exact(
    G: sparse.csc_matrix,
    gw: np.ndarray,
    greedy: list[int],
    *,
    budget: int,
    time_limit_s: float,
    max_cells: int,
) -> tuple[list[int], str, str, list[str]]:
    """Solve the reduced problem exactly; keep the greedy choice when the solver fails or does worse."""
    greedy_w = covered_weight(G, gw, greedy)
    notes: list[str] = []
    sub = np.arange(G.shape[1])
    reduced = G.shape[0] * G.shape[1] > max_cells
    if reduced:
        sub = strongest_candidates(G, gw, greedy, max_cells=max_cells)
        notes.append(
            f"MCLP solved over the {sub.size} strongest of {G.shape[1]} candidates "
            f"(reduced problem; the greedy choice is among them)"
        )
    Gs = G[:, sub]
    rows = np.asarray(Gs.sum(axis=1)).ravel() > 0
    try:
        picked, solver_status = solve_mclp(Gs[rows], gw[rows], budget=budget, time_limit_s=time_limit_s)
    except Exception as err:  # noqa: BLE001 - any solver failure falls back to the stated greedy bound
        log.warning("MCLP solver failed (%s); using greedy", err)
        return (
            greedy,
            "greedy",
            f"spopt/CBC failed ({type(err).__name__}: {err}); greedy choice: {_GREEDY_BOUND}",
            notes,
        )
    picked = [int(sub[j]) for j in picked]
    w = covered_weight(G, gw, picked)
    if w + 1e-9 >= greedy_w:
        return picked, "mclp-reduced" if reduced else "mclp", f"spopt MCLP with CBC: {solver_status}", notes
    status = f"spopt MCLP stopped at {w:.2f} < greedy {greedy_w:.2f} ({solver_status}); greedy kept: "
    status += _GREEDY_BOUND
    return greedy, "greedy", status, notes


def _choose(
    cover: sparse.csc_matrix,
    weights: np.ndarray,
    *,
    budget: int,
    method: str,
    time_limit_s: float,
    max_cells: int,
) -> _Choice:
    """Choose up to `budget` candidates: greedy, then exact MCLP when asked for and it can do better."""
    G, gw, cols, _ = reduce_cover(cover, weights)
    greedy = greedy_cover(G, gw, budget=budget)
    chosen, used, notes = greedy, "greedy", list[str]()
    status = f"greedy choice: {_GREEDY_BOUND} (coverage is submodular)"
    if method == "mclp" and len(greedy) == int(budget) and G.shape[1] > len(greedy):
        chosen, used, status, notes = _exact(
            G, gw, greedy, budget=budget, time_limit_s=time_limit_s, max_cells=max_cells
        )
    elif method == "mclp":
        used, status = (
            "mclp",
            "optimal: the budget covers every candidate with any gain (greedy = exact here)",
        )
    return _Choice(
        cols=[int(cols[j]) for j in order_by_gain(G, gw, chosen)],
        method=used,
        status=status,
        greedy_weight=covered_weight(G, gw, greedy),
        covered_weight=covered_weight(G, gw, chosen),
        notes=notes,
    )


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
    lang: str = "sv",
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
    lang
        Language of the reasons (``sv`` or ``en``).

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
    cover = _cover(evidence, cand, radius=radius)
    weights = evidence["evidence_weight"].to_numpy(dtype=float) if len(evidence) else np.zeros(0)
    total = float(weights[np.asarray(cover.sum(axis=1)).ravel() > 0].sum()) if len(weights) else 0.0
    if cover.nnz:
        choice = _choose(
            cover, weights, budget=budget, method=method, time_limit_s=time_limit_s, max_cells=max_cells
        )
    else:
        status = "no dark-time evidence near any dark stretch: nothing to cover"
        choice = _Choice(
            cols=[], method="greedy", status=status, greedy_weight=0.0, covered_weight=0.0, notes=[]
        )
    lamps = _proposal_table(
        choice.cols, cand, cover, evidence, layer, radius=radius, total=total, method=choice.method, lang=lang
    )
    return Proposals(
        lamps=lamps,
        method=choice.method,
        status=choice.status,
        total_weight=total,
        covered_weight=choice.covered_weight,
        greedy_weight=choice.greedy_weight,
        candidates=len(cand),
        notes=choice.notes,
    )


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
    lang: str,
) -> gpd.GeoDataFrame:
    if not chosen:
        return gpd.GeoDataFrame(
            {c: pd.Series(dtype="object") for c in _COLUMNS},
            geometry=gpd.GeoSeries([], crs=layer.crs),
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
        peak = hours_text({int(h): float(c) for h, c in hours.items()}, lang)
        reason = proposal_reason(
            street,
            n_new=len(new),
            n_inc=n_inc,
            n_place=n_place,
            peak=peak,
            gain=gain,
            repair=repair,
            radius=radius,
            lang=lang,
        )
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
    return gpd.GeoDataFrame(table[_COLUMNS].reset_index(drop=True), geometry=pts[keep], crs=layer.crs)
