"""Map stage: reports and the other stages' frames in, the lägesbild map (internal or public) out."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import geopandas as gpd
import pandas as pd
from pydantic import Field

from geo.i18n import gettext
from geo.stages._base import Progress, StageResult, StageSettings, quiet
from geo.stages.evaluate import EvaluateResult
from geo.stages.forecast import ForecastResult
from geo.stages.hotspots import HotspotResult
from geo.stages.insecurity import InsecurityResult
from geo.stages.lighting import LightingResult
from geo.stages.patrol import PatrolResult
from geo.stages.speed import SpeedResult

__all__ = ["MapInputs", "MapResult", "MapSettings", "map_stage", "week_expected"]


class MapSettings(StageSettings):
    """Settings of the map stage (``[maps]`` in the TOML, options of ``geo map``)."""

    public: bool = Field(True, description="geo run: also write the public map")
    k: int = Field(5, ge=1, description="Public map: fewest reports a shown cell or area may have")
    tiles: str = Field("osm", description="Background tiles: osm, light, dark, none or a tile URL")
    max_points: int = Field(20_000, ge=0, description="Internal map: most report points embedded")
    cell_m: float | None = Field(
        None, gt=0, description="Grid cell side in metres (default: chosen for at most 4000 cells)"
    )


@dataclass
class MapInputs:
    """The frames a map draws besides the reports; every one is optional.

    Build it from stage results in memory with :meth:`from_results`, or from a results folder by its
    manifest with :func:`geo.io.results.read_map_inputs`. Tables with ``lat``/``lon`` (the CSV contracts)
    are drawn as points; everything else needs a geometry with a CRS.

    Attributes
    ----------
    hotspots, density, gistar
        Hot-spots, density contours and Gi* cells (:class:`~geo.stages.hotspots.HotspotResult`).
    lit_coverage, dark_stretches, dark_places, lamp_proposals, quick_fixes
        The lighting layers: lit coverage, unlit walkable ways, ranked dark places, proposed lamps and
        broken lamps near dark places.
    speed_segments, enforcement
        Road segments with their speed figures, and the speed-enforcement plan.
    patrol_visits
        The patrol plan's visits (``PatrolResult.plan.visits``, ``patrol_plan.csv``); the naive comparison
        plan never goes here.
    forecast_cells
        The forecast's highest-risk cells.
    measures
        Every measure with its status and verdict (:meth:`~geo.stages.evaluate.EvaluateResult.map_frame`).
    insecurity
        Felt insecurity against recorded crime per cell or area
        (:attr:`~geo.stages.insecurity.InsecurityResult.cells`); on the public map only cells with at least k
        reports.
    nearrepeat_zones
        Near-repeat alert zones (:attr:`~geo.stages.nearrepeat.NearRepeatResult.zones`,
        ``alert_zones.geojson`` of ``geo nearrepeat``).
    feed
        Weekly Police-feed counts (``week``, ``category``, ``count``); default computed from the reports.
    area
        The study area, when it comes with the results.
    streets
        Street lines (``name``, optionally ``highway``): the internal map's offline base map, drawn from the
        run's own streets file when there are no tiles (no internet) and offered beside them.
    origin
        Frame name -> where it came from (a stage, or ``file[:layer]``), for the user.
    skipped
        What was offered but not drawn, with the reason (e.g. the naive patrol plan).
    notes
        Why a stage drew nothing (it ran and found nothing), in Swedish: shown on the map and the summary
        page in place of the missing layer.
    period
        The run's period in words (default: the first and last report's day).
    since_last
        "Sedan förra lägesbilden": what changed since the previous kept run, in Swedish sentences; the
        summary page opens with them.
    area_lines
        The priority areas' figures in Swedish sentences (the summary page's "Prioriterade områden").
    trend_text
        What the hot-spots' trend classes compared ("de senaste 13 veckorna jämfört med ...").
    """

    hotspots: gpd.GeoDataFrame | None = None
    density: gpd.GeoDataFrame | None = None
    gistar: gpd.GeoDataFrame | None = None
    lit_coverage: gpd.GeoDataFrame | None = None
    dark_stretches: gpd.GeoDataFrame | None = None
    dark_places: pd.DataFrame | None = None
    lamp_proposals: pd.DataFrame | None = None
    quick_fixes: pd.DataFrame | None = None
    speed_segments: gpd.GeoDataFrame | None = None
    enforcement: pd.DataFrame | None = None
    patrol_visits: pd.DataFrame | None = None
    forecast_cells: gpd.GeoDataFrame | None = None
    measures: gpd.GeoDataFrame | None = None
    insecurity: gpd.GeoDataFrame | None = None
    nearrepeat_zones: gpd.GeoDataFrame | None = None
    feed: pd.DataFrame | None = None
    area: gpd.GeoDataFrame | None = None
    streets: gpd.GeoDataFrame | None = None
    origin: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    period: str = ""
    since_last: list[str] = field(default_factory=list)
    trend_text: str = ""
    area_lines: list[str] = field(default_factory=list)

    @classmethod
    def from_results(
        cls,
        *,
        hotspots: HotspotResult | None = None,
        lighting: LightingResult | None = None,
        patrol: PatrolResult | None = None,
        speed: SpeedResult | None = None,
        forecast: ForecastResult | None = None,
        measures: EvaluateResult | None = None,
        insecurity: InsecurityResult | None = None,
    ) -> MapInputs:
        """Collect the frames a map draws from the stages' results (each may be ``None``).

        The patrol layer is the plan (``patrol.plan.visits``), never its naive comparison plan.
        """
        out = cls()
        if hotspots is not None:
            out.set("hotspots", hotspots.hotspots, "hotspots")
            out.set("density", hotspots.density, "hotspots")
            out.set("gistar", hotspots.gistar, "hotspots")
            out.trend_text = hotspots.chosen.get("trend", "")
        if lighting is not None:
            layers = lighting.plan.map_layers()
            out.set("lit_coverage", layers.get("coverage"), "lighting")
            out.set("dark_places", layers.get("dark_stretches"), "lighting")  # the ranked dark places
            out.set("dark_stretches", layers.get("unlit_ways"), "lighting")
            out.set("lamp_proposals", layers.get("proposals"), "lighting")
            out.set("quick_fixes", layers.get("quick_fixes"), "lighting")
        if patrol is not None:
            out.set("patrol_visits", _with_week_expected(patrol), "patrol")
        if speed is not None:
            out.set("speed_segments", speed.layer.segments, "speed")
            out.set("enforcement", speed.plan, "speed")
        if forecast is not None:
            out.set("forecast_cells", forecast.cells, "forecast")
        if measures is not None:
            out.set("measures", measures.map_frame(), "evaluate")
        if insecurity is not None:
            out.set("insecurity", insecurity.cells, "insecurity")
        return out

    def set(self, name: str, frame: pd.DataFrame | None, origin: str) -> None:
        """Set the frame `name` (ignoring ``None``) and record where it came from."""
        if frame is None:
            return
        if name not in FRAME_NAMES:
            raise ValueError(f"MapInputs has no frame '{name}'; frames: {', '.join(FRAME_NAMES)}")
        setattr(self, name, frame)
        self.origin[name] = origin

    def frames(self) -> dict[str, pd.DataFrame]:
        """Return the frames that are set, by name (``feed`` and ``area`` included)."""
        return {n: getattr(self, n) for n in FRAME_NAMES if getattr(self, n) is not None}


def week_expected(plan: Any) -> float | None:
    """Return the incidents a week of the patrol plan's history held on average (``None``: no history).

    The plan's shares are shares of its history window's incidents; a week of that window holds
    ``n_history`` × 7 / days of them, so a page can say "ungefär 2 av veckans 30 förväntade händelser".
    """
    if plan.history_start is None or plan.history_end is None:
        return None
    days = (plan.history_end - plan.history_start).total_seconds() / 86_400
    return float(plan.n_history) * 7.0 / days if days > 0 else None


def _with_week_expected(patrol: PatrolResult) -> pd.DataFrame:
    """Return the plan's visits carrying :func:`week_expected` in ``attrs["week_expected"]``."""
    visits = patrol.plan.visits.copy()
    week = week_expected(patrol.plan)
    if week is not None:
        visits.attrs["week_expected"] = week
    return visits


FRAME_NAMES = tuple(
    f.name
    for f in fields(MapInputs)
    if f.name not in {"origin", "skipped", "notes", "period", "since_last", "trend_text", "area_lines"}
)
"""The frame attributes of :class:`MapInputs`."""


@dataclass
class MapResult(StageResult):
    """A drawn map.

    Attributes
    ----------
    map
        The self-contained map (:class:`geo.maps.registry.LeanMap`, a folium map).
    public
        Whether it is the public map.
    summary_html
        The EST summary page (internal map only), else ``None``.
    package
        GeoPackage layers (name -> frame) of what the map shows.
    counts
        Features per layer.
    layers
        The prepared layers (:class:`geo.maps.prepare.MapLayers`) the map, summary and package were made
        from.
    """

    map: Any
    public: bool
    summary_html: str | None = None
    package: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    layers: Any = None


def map_stage(
    reports: gpd.GeoDataFrame | None,
    inputs: MapInputs,
    settings: MapSettings,
    *,
    public: bool,
    area: Any = None,
    title: str | None = None,
    lang: str = "sv",
    demo: bool = False,
    generated_at: pd.Timestamp | None = None,
    filter_text: str | None = None,
    summary: bool = True,
    progress: Progress = quiet,
) -> MapResult:
    """Draw the lägesbild map, its GeoPackage layers and (internal map) the EST summary page.

    Parameters
    ----------
    reports
        Reports for the grid, the clustered points and the feed panel (``None`` when drawing saved results
        only).
    inputs
        The other stages' frames (:meth:`MapInputs.from_results` or
        :func:`geo.io.results.read_map_inputs`).
    settings
        The stage's settings (`settings.public` is for ``geo run``; this call draws the map `public` says).
    public
        Draw the public map: report counts per grid cell and generalised hot-spot areas with at least
        `settings.k` incidents; no internal layer.
    area
        Study area (GeoDataFrame, polygon in the reports' CRS or :class:`~geo.io.area.StudyArea`); default
        `inputs.area`.
    title
        Map title (default "Lägesbild").
    lang
        ``"sv"`` or ``"en"``.
    demo
        Mark the map and summary as synthetic demo data.
    generated_at
        Generation time shown in the footer and on the summary page.
    filter_text
        Description of a weekday/hour filter applied to the reports.
    summary
        Also build the summary page (internal map only).
    progress
        Called with a message per step.

    Returns
    -------
    result
        The map, its package and counts; notes say what was left out and why.

    Raises
    ------
    ValueError
        If `lang` is unknown or a layer lacks the columns it needs.
    """
    from geo.maps.draw import draw_map
    from geo.maps.package import gpkg_layers
    from geo.maps.prepare import prepare_layers

    progress(gettext("Kartan ritas", lang))
    layers = prepare_layers(
        reports,
        inputs,
        area=area if area is not None else inputs.area,
        public=public,
        k=settings.k,
        cell_m=settings.cell_m,
        max_points=settings.max_points,
        lang=lang,
    )
    layers.period = inputs.period or layers.period
    layers.notes = list(inputs.notes)
    layers.since_last = list(inputs.since_last)
    layers.trend_text = inputs.trend_text
    layers.area_lines = list(inputs.area_lines)
    m = draw_map(
        layers,
        lang=lang,
        tiles=settings.tiles,
        title=title,
        demo=demo,
        generated_at=generated_at,
        filter_text=filter_text,
    )
    result = MapResult(
        settings=settings,
        map=m,
        public=public,
        package=gpkg_layers(layers),
        counts=layers.feature_counts(),
        layers=layers,
    )
    _explain(result, reports, inputs, settings, lang)
    if summary and not public:
        from geo.maps.summary import summary_html

        progress(gettext("Sammanfattningssidan", lang))
        result.summary_html = summary_html(
            layers, title=title, lang=lang, demo=demo, generated_at=generated_at
        )
    return result


def _explain(
    result: MapResult, reports: gpd.GeoDataFrame | None, inputs: MapInputs, settings: MapSettings, lang: str
) -> None:
    """Fill the result's `chosen` and `notes`: the automatic cell size, and what the map leaves out."""
    layers = result.layers
    if settings.cell_m is None and "grid" in layers.frames:
        result.chosen["cell_m"] = (
            f"{layers.cell_m:g} m: den minsta rutan som ger högst 4000 rutor med rapporter"
        )
    if reports is None or not len(reports):
        result.notes.append(
            gettext("inga rapporter: kartan har ingen rapportruta och inga rapportpunkter", lang)
        )
    elif "grid" not in layers.frames:
        result.notes.append(
            gettext("inga punktrapporter (bara kommun- eller områdesnivå): ingen rapportruta", lang)
        )
    if result.public and set(inputs.frames()) - {"hotspots", "area", "feed", "insecurity"}:
        result.notes.append(
            gettext(
                "den publika kartan visar bara rapportrutor och hot-spot-områden (minst k händelser)", lang
            )
        )
    result.notes.extend(inputs.skipped)
