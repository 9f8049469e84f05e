"""Felt insecurity against recorded crime: where people feel unsafe, where crime is recorded: the differences.

Two surfaces on one grid (or one set of user areas), each count tested against the study area's overall rate
of its kind (one-sided Poisson, Benjamini–Hochberg), every unit classed ``felt_not_recorded``,
``recorded_not_felt``, ``both`` or ``neither`` with a sentence (:mod:`geo.insecurity`).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
from pydantic import Field
from shapely.geometry.base import BaseGeometry

from geo.i18n import gettext, ngettext, number
from geo.insecurity.select import TRAFFIC_WORDS, UNSAFE_WORDS
from geo.model import Reports, point_reports
from geo.stages._base import Progress, StageResult, StageSettings, quiet

__all__ = ["InsecurityResult", "InsecuritySettings", "insecurity_stage"]


class InsecuritySettings(StageSettings):
    """Settings of the insecurity stage (``[insecurity]`` in the TOML, options of ``geo insecurity``)."""

    cell_m: float = Field(250.0, gt=0, description="Square cell side in metres (not used with areas)")
    felt_sources: list[str] = Field(
        default_factory=lambda: ["resident", "safety_walk", "partner"],
        description="Sources whose reports are felt insecurity",
    )
    recorded_sources: list[str] = Field(
        default_factory=lambda: ["police"], description="Sources whose reports are recorded crime"
    )
    category_sources: list[str] = Field(
        default_factory=lambda: ["partner"],
        description="Felt sources counted only for categories about unsafe places (unsafe-words)",
    )
    unsafe_words: list[str] = Field(
        default_factory=lambda: list(UNSAFE_WORDS),
        description="Words in a category that make a report one about an unsafe place",
    )
    traffic_words: list[str] = Field(
        default_factory=lambda: list(TRAFFIC_WORDS),
        description="Felt reports whose category holds one of these words (traffic) are left out",
    )
    alpha: float = Field(
        0.05,
        gt=0,
        lt=1,
        description="False discovery rate: a kind is high in a cell when its Benjamini–Hochberg adjusted "
        "Poisson p-value is below it",
    )
    min_count: int = Field(5, ge=1, description="Fewest reports of a kind for a cell to be high for it")
    min_respondents: int = Field(
        30, ge=1, description="Survey: areas with fewer respondents are flagged as a small sample"
    )
    public: bool = Field(
        True, description="geo run: also on the public map (only cells with at least k reports)"
    )


@dataclass
class InsecurityResult(StageResult):
    """What the insecurity stage found.

    Attributes
    ----------
    cells
        One row a cell (``cell_id``) or user area (``area_id``): ``lat``, ``lon`` (WGS84 centre), ``felt``,
        ``recorded``, their expected counts, Benjamini–Hochberg adjusted p-values ``felt_p``/``recorded_p``
        (raw in ``*_p_raw``), ``class``, ``sentence`` (Swedish), ``sentence_en``, ``place`` (nearest street,
        when streets were given), survey columns with a survey; polygons in the reports' metric CRS.
    survey
        The survey's areas with their share, interval, ``small_sample`` flag and report counts, or ``None``.
    id_column
        ``cell_id`` or ``area_id``.
    n_felt, n_recorded
        Reports of each kind counted.
    """

    cells: gpd.GeoDataFrame
    survey: gpd.GeoDataFrame | None = None
    id_column: str = "cell_id"
    n_felt: int = 0
    n_recorded: int = 0

    def class_counts(self) -> dict[str, int]:
        """Return the units per class (every class, zeros included)."""
        from geo.insecurity.classes import CLASSES

        counts = self.cells["class"].value_counts() if len(self.cells) else {}
        return {c: int(counts.get(c, 0)) for c in CLASSES}

    def walk_places(self, top: int = 8) -> gpd.GeoDataFrame:
        """Return the `top` ``felt_not_recorded`` units, most felt reports first: places for a safety walk."""
        found = self.cells[self.cells["class"] == "felt_not_recorded"]
        return found.sort_values(["felt", "felt_p"], ascending=[False, True]).head(top)


def _which_sources(reports: Reports, lang: str) -> str:
    have = sorted(point_reports(reports)["source"].dropna().astype(str).unique())
    return ", ".join(have) or gettext("inga", lang)


def insecurity_stage(
    reports: Reports,
    settings: InsecuritySettings | None = None,
    *,
    area: BaseGeometry | None = None,
    areas: gpd.GeoDataFrame | None = None,
    survey: gpd.GeoDataFrame | None = None,
    streets: gpd.GeoDataFrame | None = None,
    progress: Progress = quiet,
    lang: str = "sv",
) -> InsecurityResult:
    """Compare felt insecurity with recorded crime on square cells or user areas.

    Parameters
    ----------
    reports
        Validated reports in a metric CRS (point reports only count); not modified.
    settings
        The stage's settings (default :class:`InsecuritySettings`).
    area
        Study polygon in the reports' CRS (cells only): reports outside are left out, edge cells clipped.
    areas
        User areas (polygons in the reports' CRS, e.g. DeSO) to count on instead of cells.
    survey
        Survey areas with ``share_unsafe`` and ``n_respondents`` (:func:`geo.insecurity.join_survey`).
    streets
        Lines with a ``name`` column: each cell gets the nearest street's name in ``place``.
    progress
        Called with a message per step.
    lang
        Language of the notes, the reasons in ``chosen`` and the progress messages (``"sv"`` or ``"en"``).

    Returns
    -------
    result
        Every unit with its class, evidence and sentence; notes say when a kind is missing.

    Raises
    ------
    ValueError
        If the areas or the survey are unusable (the message says what is wrong).
    """
    from geo.insecurity import compare_surfaces, felt_reports, join_survey, recorded_reports
    from geo.insecurity.places import street_names

    s = settings if settings is not None else InsecuritySettings()
    progress(gettext("Otrygghet och brott", lang))
    felt = felt_reports(
        reports,
        sources=s.felt_sources,
        category_sources=s.category_sources,
        unsafe_words=s.unsafe_words,
        traffic_words=s.traffic_words,
    )
    recorded = recorded_reports(reports, sources=s.recorded_sources)
    cells = compare_surfaces(
        felt, recorded, cell_m=s.cell_m, areas=areas, area=area, alpha=s.alpha, min_count=s.min_count
    )
    id_column = "area_id" if areas is not None else "cell_id"
    result = InsecurityResult(
        settings=s,
        cells=cells,
        id_column=id_column,
        n_felt=int(cells.attrs["n_felt"]),
        n_recorded=int(cells.attrs["n_recorded"]),
    )
    if streets is not None and len(cells):
        result.cells["place"] = street_names(cells, streets)
    if survey is not None:
        result.cells, result.survey = join_survey(result.cells, survey, min_respondents=s.min_respondents)
        small = int(result.survey["small_sample"].sum())
        if small:
            result.notes.append(
                ngettext(
                    "trygghetsmätningen: %(small)s av %(num)s område har färre än %(least)s svarande "
                    "(litet urval, visas men är osäkra)",
                    "trygghetsmätningen: %(small)s av %(num)s områden har färre än %(least)s svarande "
                    "(litet urval, visas men är osäkra)",
                    len(result.survey),
                    lang,
                    small=number(small, lang),
                    least=number(s.min_respondents, lang),
                )
            )
    _explain(result, reports, s, areas is not None, lang)
    return result


def _explain(
    result: InsecurityResult, reports: Reports, s: InsecuritySettings, with_areas: bool, lang: str
) -> None:
    cells = result.cells
    n, cell_m = len(cells), f"{s.cell_m:g}"
    if with_areas:
        units = ngettext("%(num)s område", "%(num)s områden", n, lang)
    else:
        units = ngettext(
            "%(num)s ruta à %(cell_m)s m", "%(num)s rutor à %(cell_m)s m", n, lang, cell_m=cell_m
        )
    exposure = cells.attrs.get("exposure", "area")
    if exposure == "area":
        rate = gettext("per kvadratmeter", lang)
    else:
        rate = gettext("per invånare (kolumnen %(column)s)", lang, column=exposure)
    if with_areas:
        region = gettext("områdena", lang)
    else:
        region = gettext("rutorna där någon rapport av något slag finns", lang)
    alpha = f"{s.alpha:g}"
    result.chosen["test"] = gettext(
        "Poisson: varje rutas antal mot studieområdets genomsnitt %(rate)s (%(region)s), "
        "Benjamini–Hochberg över %(units)s, FDR %(alpha)s, minst %(least)s rapporter",
        lang,
        rate=rate,
        region=region,
        units=units,
        alpha=alpha,
        least=number(s.min_count, lang),
    )
    result.chosen["units"] = units
    outside = cells.attrs.get("outside", {})
    if any(outside.values()):
        felt, recorded = number(outside.get("felt", 0), lang), number(outside.get("recorded", 0), lang)
        if with_areas:
            result.notes.append(
                gettext(
                    "utanför områdena: %(felt)s otrygghetsrapporter och %(recorded)s anmälda brott "
                    "räknas inte",
                    lang,
                    felt=felt,
                    recorded=recorded,
                )
            )
        else:
            result.notes.append(
                gettext(
                    "utanför studieområdet: %(felt)s otrygghetsrapporter och %(recorded)s anmälda brott "
                    "räknas inte",
                    lang,
                    felt=felt,
                    recorded=recorded,
                )
            )
    have = _which_sources(reports, lang)
    if not result.n_felt:
        result.notes.append(
            gettext(
                "inga rapporter om upplevd otrygghet (källorna %(wanted)s; data har %(have)s): ingen plats "
                "kan klassas som upplevd otrygghet",
                lang,
                wanted=", ".join(s.felt_sources),
                have=have,
            )
        )
    if not result.n_recorded:
        result.notes.append(
            gettext(
                "inga anmälda brott (källorna %(wanted)s; data har %(have)s): ingen plats kan klassas som "
                "anmälda brott",
                lang,
                wanted=", ".join(s.recorded_sources),
                have=have,
            )
        )
