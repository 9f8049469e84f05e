"""The whole lighting plan in one call: evidence, ranked dark places, new-lamp proposals and quick fixes."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd

from geo.layers.lighting.layer import LightingLayer
from geo.model import Reports
from geo.plan.lighting.evidence import dark_evidence, rank_dark_places
from geo.plan.lighting.fixes import quick_fixes
from geo.plan.lighting.proposals import Proposals, propose_lamps

__all__ = ["LightingPlan", "plan_lighting"]


@dataclass
class LightingPlan:
    """Everything :func:`plan_lighting` computes.

    Attributes
    ----------
    layer
        The lighting layer.
    evidence
        Dark-time evidence (see :func:`~geo.plan.lighting.evidence.dark_evidence`).
    dark_places
        Ranked dark stretches (see :func:`~geo.plan.lighting.evidence.rank_dark_places`).
    proposals
        New lamps (see :func:`~geo.plan.lighting.proposals.propose_lamps`).
    fixes
        Quick fixes (see :func:`~geo.plan.lighting.fixes.quick_fixes`).
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
    lang: str = "sv",
) -> LightingPlan:
    """Evidence, ranked dark places, new-lamp proposals and quick fixes in one call.

    Parameters
    ----------
    reports
        Validated reports in the layer's CRS.
    layer
        From :func:`geo.layers.lighting.layer.build_lighting`.
    budget
        Number of new lamps.
    near_m, place_weight
        See :func:`~geo.plan.lighting.evidence.dark_evidence`.
    spacing_m, method, time_limit_s
        See :func:`~geo.plan.lighting.proposals.propose_lamps`.
    lang
        Language of the proposals' and quick fixes' reasons (``sv`` or ``en``).

    Returns
    -------
    plan
        The :class:`LightingPlan`.
    """
    evidence = dark_evidence(reports, layer, near_m=near_m, place_weight=place_weight)
    places = rank_dark_places(layer, evidence, place_weight=place_weight)
    props = propose_lamps(
        evidence,
        layer,
        budget=budget,
        spacing_m=spacing_m,
        method=method,
        time_limit_s=time_limit_s,
        lang=lang,
    )
    fixes = quick_fixes(reports, layer, lang=lang)
    return LightingPlan(layer=layer, evidence=evidence, dark_places=places, proposals=props, fixes=fixes)
