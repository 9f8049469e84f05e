"""Hot-spot stage: reports in, hot-spots (and the map's density and Gi* overview) out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import pandas as pd
from pydantic import Field
from shapely.geometry.base import BaseGeometry

from geo.i18n import gettext, number
from geo.model import Reports, point_reports
from geo.stages._base import Progress, StageResult, StageSettings, quiet

__all__ = ["HotspotResult", "HotspotSettings", "hotspots_stage", "select_reports"]


class HotspotSettings(StageSettings):
    """Settings of the hot-spot stage (``[hotspots]`` in the TOML, options of ``geo hotspots``).

    ``None`` means automatic: the stage chooses the value from the data and says why in
    :attr:`HotspotResult.chosen`.
    """

    method: Literal["dbscan", "hdbscan", "kde", "gistar", "segments"] = Field(
        "dbscan",
        description="Hot-spot method: dbscan, hdbscan, kde, gistar or segments (hot streets; needs streets)",
    )
    eps_m: float | None = Field(
        None, gt=0, description="DBSCAN radius in metres (automatic: from the k-distance curve)"
    )
    min_samples: int | None = Field(
        None,
        ge=1,
        description="Reports for a core point (DBSCAN/HDBSCAN) or the fewest a hot-spot holds (KDE/Gi*); "
        "automatic: max(5, √n/4)",
    )
    min_samples_weeks: float | None = Field(
        None,
        gt=0,
        description="min-samples is set for a period of this many weeks: scaled to the period analysed "
        "(at least 5), so one config serves four weeks and three years (none: used as given)",
    )
    bandwidth_m: float | None = Field(
        None, gt=0, description="KDE bandwidth (Gaussian sd) in metres (automatic: mean spacing of reports)"
    )
    share: float = Field(
        0.3,
        gt=0,
        lt=1,
        description="KDE: outline each significant concentration where its density is at least this share "
        "of its peak above the background",
    )
    segment_share: float = Field(
        0.5,
        gt=0,
        le=1,
        description="Segments: the hot streets are the top segments holding this share of the reports",
    )
    snap_m: float = Field(
        25.0,
        gt=0,
        description="Segments: a report counts for the nearest street segment within this many metres "
        "(farther ones are counted apart and reported)",
    )
    simulations: int = Field(
        99,
        ge=19,
        description="KDE: simulated surfaces under complete spatial randomness in the study area for the "
        "significance test",
    )
    seed: int = Field(0, ge=0, description="KDE: seed of the simulations (same seed, same hot-spots)")
    cell_m: float | None = Field(
        None, gt=0, description="Gi* cell side in metres (KDE: grid cell; DBSCAN/HDBSCAN: shape grid)"
    )
    band_m: float | None = Field(
        None,
        gt=0,
        description="Gi* distance band in metres between cell centres "
        "(automatic: incremental spatial autocorrelation)",
    )
    alpha: float = Field(
        0.05,
        gt=0,
        lt=1,
        description="Gi*: false discovery rate for hot cells (Benjamini–Hochberg); KDE: level of the "
        "Monte Carlo test (chance that randomness alone makes any cell that dense)",
    )
    sources: list[str] = Field(default_factory=list, description="Only these sources (empty: all)")
    categories: list[str] = Field(default_factory=list, description="Only these categories (empty: all)")
    density_min_bandwidth_m: float = Field(
        50.0, gt=0, description="Smallest KDE bandwidth of the map's density overview, in metres"
    )
    shape: Literal["square", "hex"] = Field("square", description="Gi* cell shape: square or hex")
    min_cluster_size: int | None = Field(
        None, ge=2, description="HDBSCAN: smallest hot-spot in reports (automatic: 3 × min-samples)"
    )
    overview: bool = Field(True, description="Also compute the map's density contours and Gi* cells")

    def method_kwargs(self) -> dict[str, object]:
        """Return the keyword arguments of :func:`geo.hotspots.find_hotspots` these settings give."""
        keys = ("method", "eps_m", "min_samples", "bandwidth_m", "share", "cell_m", "band_m", "alpha")
        extra = {"shape": self.shape, "min_cluster_size": self.min_cluster_size}
        extra |= {"simulations": self.simulations, "seed": self.seed}
        out = {k: getattr(self, k) for k in keys} | extra
        if self.method == "segments":  # the hot streets' own share (KDE's share is an outline level)
            out["share"] = self.segment_share
        return out


@dataclass
class HotspotResult(StageResult):
    """What the hot-spot stage found.

    Attributes
    ----------
    hotspots
        One row a hot-spot (``hotspot_id``, ``method``, ``n_reports``, ``score``, ``label``, profile,
        ``peak_windows``, ``trend``, ...), polygons in the reports' metric CRS.
    density
        KDE density contours for the map's overview (``None`` unless ``settings.overview``).
    gistar
        Gi* cells with ``z``, ``p_fdr`` and ``class`` for the map: with method ``gistar`` always, the cells
        the hot-spots were found on, with their ``hotspot_id``; otherwise only with ``settings.overview``.
    n_reports
        The point reports the stage counted (of `settings.sources` and `settings.categories`).
    segments
        With method ``segments``: every street segment with reports (``segment_id``, ``name``,
        ``length_m``, ``n_reports``, ``per_100m``, ``rank``).
    """

    hotspots: gpd.GeoDataFrame
    density: gpd.GeoDataFrame | None = None
    gistar: gpd.GeoDataFrame | None = None
    n_reports: int = 0
    segments: gpd.GeoDataFrame | None = None


def select_reports(reports: Reports, settings: HotspotSettings) -> Reports:
    """Return the point reports the hot-spot stage counts: `settings.sources` and `settings.categories`."""
    pts = point_reports(reports)
    if settings.sources:
        pts = pts[pts["source"].isin(settings.sources)]
    if settings.categories:
        pts = pts[pts["category"].isin(settings.categories)]
    return Reports(pts.reset_index(drop=True))


def _no_reports_note(reports: Reports, settings: HotspotSettings, lang: str) -> str:
    have = sorted(point_reports(reports)["source"].dropna().astype(str).unique())
    every, none = gettext("alla", lang), gettext("inga", lang)
    return gettext(
        "källorna %(sources)s / kategorierna %(categories)s matchar inga punktrapporter (data har källorna "
        "%(have)s); inga hot-spots",
        lang,
        sources=", ".join(settings.sources) or every,
        categories=", ".join(settings.categories) or every,
        have=", ".join(have) or none,
    )


def _scaled(
    settings: HotspotSettings, pts: Reports, period_end: pd.Timestamp | None, result: HotspotResult
) -> HotspotSettings:
    """Scale ``min_samples`` from ``min_samples_weeks`` to the weeks the reports span (recorded in chosen)."""
    if settings.min_samples is None or settings.min_samples_weeks is None:
        return settings
    times = pts["occurred_at"]
    end = period_end if period_end is not None else times.max()
    weeks = max((end - times.min()).total_seconds() / (7 * 86400), 1.0)
    scaled = max(5, round(settings.min_samples * weeks / settings.min_samples_weeks))
    result.chosen["min_samples"] = (
        f"{scaled}: {settings.min_samples} per {settings.min_samples_weeks:g} veckor, skalat till "
        f"periodens {weeks:.0f} veckor (minst 5)"
    )
    return settings.model_copy(update={"min_samples": scaled, "min_samples_weeks": None})


def _nothing_found_note(settings: HotspotSettings, n: int, found: gpd.GeoDataFrame, lang: str) -> str:
    """Say in `lang` why no hot-spot was found, and what to change."""
    note = gettext(
        "%(method)s fann inga hot-spots bland %(n)s rapporter",
        lang,
        method=settings.method,
        n=number(n, lang),
    )
    if settings.min_samples is not None:
        auto = max(5, int(round(n**0.5 / 4)))
        dbscan = settings.eps_m and settings.method == "dbscan"
        radius = gettext(" inom %(eps)s m", lang, eps=number(settings.eps_m, lang)) if dbscan else ""
        return note + gettext(
            ": min_samples = %(min)s kräver så många rapporter%(radius)s på en plats, vilket ingen plats "
            "når i perioden; utelämna min_samples så väljs den efter datamängden (max(5, √n/4) = %(auto)s), "
            "eller ange min_samples_weeks (de veckor min_samples gäller) så skalas den till perioden",
            lang,
            min=settings.min_samples,
            radius=radius,
            auto=auto,
        )
    choices = found.attrs.get("choices", {})
    chosen = ", ".join(f"{k} = {v[0] if isinstance(v, tuple) else v}" for k, v in choices.items())
    return note + gettext(
        ": ingen plats är tät nog med de valda värdena (%(chosen)s)",
        lang,
        chosen=chosen or gettext("automatiska", lang),
    )


def _record_choices(result: HotspotResult, hotspots: gpd.GeoDataFrame) -> None:
    """Put the automatic choices of :func:`~geo.hotspots.find_hotspots` (name: reason) in `result.chosen`."""
    choices = hotspots.attrs.get("choices", {})
    for name in hotspots.attrs.get("auto", []):
        result.chosen[name] = str(choices[name][1])


def _overview(
    pts: Reports, settings: HotspotSettings, area: BaseGeometry | None, result: HotspotResult
) -> None:
    """Add the map's density contours and (unless the method made them) Gi* cells to `result`."""
    from geo.hotspots import gistar_cells
    from geo.hotspots.contours import density_contours
    from geo.hotspots.kde import kde_surface

    surface = kde_surface(pts, area=area)
    if surface.bandwidth_m < settings.density_min_bandwidth_m:
        # the automatic bandwidth shrinks with n (n^-1/6): at a million reports it is a few metres and
        # the contours trace single addresses; the overview uses at least density_min_bandwidth_m
        surface = kde_surface(pts, area=area, bandwidth_m=settings.density_min_bandwidth_m)
    result.chosen["density_bandwidth_m"] = surface.bandwidth_reason or f"{surface.bandwidth_m:g} m"
    result.density = density_contours(surface)
    if result.gistar is None:
        result.gistar = gistar_cells(
            pts, cell_m=settings.cell_m, band_m=settings.band_m, area=area, shape=settings.shape
        )


def _segments(
    pts: Reports,
    settings: HotspotSettings,
    streets: gpd.GeoDataFrame | None,
    previous: gpd.GeoDataFrame | None,
    period_end: pd.Timestamp | None,
    lang: str,
    result: HotspotResult,
) -> gpd.GeoDataFrame:
    """Hot streets (:func:`geo.hotspots.segments.segment_hotspots`); the curve sentence goes in chosen."""
    from geo.errors import ConfigError
    from geo.hotspots.segments import segment_hotspots

    if streets is None:
        raise ConfigError(
            "method segments needs street lines: give --streets (or [layers] streets in geo run)"
        )
    found, result.segments, summary = segment_hotspots(
        pts,
        streets,
        snap_m=settings.snap_m,
        share=settings.share,
        min_samples=settings.min_samples,
        previous=previous,
        period_end=period_end,
        lang=lang,
    )
    result.chosen["concentration"] = summary.sentence(lang) or "inga rapporter nära en gata"
    result.chosen["snap_m"] = summary.far_sentence()
    return found


def hotspots_stage(
    reports: Reports,
    settings: HotspotSettings,
    *,
    area: BaseGeometry | None = None,
    streets: gpd.GeoDataFrame | None = None,
    previous: gpd.GeoDataFrame | None = None,
    period_end: pd.Timestamp | None = None,
    lang: str = "sv",
    progress: Progress = quiet,
) -> HotspotResult:
    """Find hot-spots, and the map's density contours and Gi* cells.

    The hot-spots come from ``settings.method`` (:func:`geo.hotspots.find_hotspots`). With
    ``settings.overview`` the stage also makes the map's overview from the same reports: density contours of
    a KDE surface with the automatic bandwidth, but at least ``settings.density_min_bandwidth_m`` (the
    hot-spot ``bandwidth_m`` is not used: the overview shows the whole town, not the hot-spots' scale), and
    Gi* cells with ``settings.cell_m``, ``settings.band_m`` and ``settings.shape`` (automatic when ``None``).
    With method ``gistar`` the Gi* cells are those the hot-spots were found on, computed once.

    Parameters
    ----------
    reports
        Validated reports in a metric CRS; only point reports of `settings.sources`/`settings.categories`
        count. Not modified.
    settings
        The stage's settings.
    area
        Study polygon in the reports' CRS (KDE edge correction, Gi* cells).
    streets
        Lines with a ``name`` column in the reports' CRS: each hot-spot is labelled by its nearest street.
    previous
        Hot-spots of an earlier run: matching ones keep their id.
    period_end
        End of the period (exclusive), for trends; default the last report.
    lang
        Language of the peak-window texts.
    progress
        Called with a message per step.

    Returns
    -------
    result
        Hot-spots (possibly none, with a note saying why), the automatic choices with their reasons, and the
        overview layers.
    """
    from geo.hotspots import find_hotspots
    from geo.hotspots.methods import gistar_hotspots
    from geo.hotspots.objects import empty_hotspots

    pts = select_reports(reports, settings)
    result = HotspotResult(settings=settings, hotspots=empty_hotspots(reports.crs), n_reports=len(pts))
    if not len(pts):
        result.notes.append(_no_reports_note(reports, settings, lang))
        return result
    progress(f"Hot-spots ({settings.method})")
    settings = _scaled(settings, pts, period_end, result)
    context = {"area": area, "streets": streets, "previous": previous, "period_end": period_end, "lang": lang}
    if settings.method == "segments":
        found = _segments(pts, settings, streets, previous, period_end, lang, result)
    elif settings.method == "gistar":
        found, result.gistar = gistar_hotspots(
            pts,
            cell_m=settings.cell_m,
            band_m=settings.band_m,
            alpha=settings.alpha,
            min_samples=settings.min_samples,
            shape=settings.shape,
            area=area,
            streets=streets,
            previous=previous,
            period_end=period_end,
            lang=lang,
        )
    else:
        found = find_hotspots(pts, **settings.method_kwargs(), **context)  # type: ignore[arg-type]
    result.hotspots = found
    _record_choices(result, found)
    if len(pts):
        from geo.hotspots.trend_words import trend_words

        end = period_end if period_end is not None else pts["occurred_at"].max()
        result.chosen["trend"] = trend_words(pts["occurred_at"].min(), end, lang=lang)
    if not len(found):
        result.notes.append(_nothing_found_note(settings, len(pts), found, lang))
    if settings.overview:
        progress(gettext("Täthet (KDE) och Gi*", lang))
        _overview(pts, settings, area, result)
    return result
