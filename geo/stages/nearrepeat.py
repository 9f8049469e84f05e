"""Near-repeat stage: reports of a category in, the Knox table, the raised-risk zone and alerts out."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from pydantic import Field, field_validator

from geo.i18n import gettext, ngettext, number
from geo.model import Reports, point_reports
from geo.stages._base import Progress, StageResult, StageSettings, quiet

__all__ = ["NearRepeatResult", "NearRepeatSettings", "nearrepeat_stage"]


def _edges(*values: float) -> list[float]:
    """Return band edges as given (whole numbers stay whole in the help text and run.json)."""
    return list(values)


class NearRepeatSettings(StageSettings):
    """Settings of the near-repeat stage (``[nearrepeat]`` in the TOML, options of ``geo nearrepeat``)."""

    categories: list[str] = Field(
        default_factory=list,
        description="Only these categories, e.g. bostadsinbrott (case does not matter; empty: all)",
    )
    space_bands_m: list[float] = Field(
        default_factory=lambda: _edges(0, 100, 200, 300, 400, 500),
        description="Distance band edges in metres; each band is [from, to)",
    )
    time_bands_days: list[float] = Field(
        default_factory=lambda: _edges(0, 7, 14, 21, 28),
        description="Time-gap band edges in days; each band is [from, to)",
    )
    permutations: int = Field(
        999, ge=1, description="Monte-Carlo permutations of the times (999: p-values down to 0.001)"
    )
    alpha: float = Field(
        0.05, gt=0, lt=1, description="A band is raised when its p-value is at most this and ratio > 1"
    )
    alerts_days: int = Field(
        14, ge=1, description="Alerts for incidents of the last this many days whose raised risk lasts"
    )
    seed: int = Field(0, ge=0, description="Seed of the permutations (the same seed gives the same p-values)")

    @field_validator("space_bands_m", "time_bands_days")
    @classmethod
    def _increasing(cls, value: list[float]) -> list[float]:
        from geo.nearrepeat.knox import check_bands

        check_bands(value, name="bands")
        return value


@dataclass
class NearRepeatResult(StageResult):
    """What the near-repeat stage found.

    Attributes
    ----------
    knox
        One row per space band × time band: :data:`geo.nearrepeat.KNOX_COLUMNS`.
    alerts
        Alerts for the latest incidents (:data:`geo.nearrepeat.ALERT_COLUMNS`), the point geometry of each
        zone's centre (a 50 m grid cell's centre), in the reports' metric CRS.
    zones
        The alerts with their zone (a circle of ``radius_m``) as geometry: the map layer.
    radius_m, days
        The raised-risk zone (``None`` when the first band is not raised).
    n_reports
        The point reports analysed.
    """

    knox: pd.DataFrame
    alerts: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    radius_m: float | None = None
    days: float | None = None
    n_reports: int = 0


def _select(reports: Reports, categories: list[str]) -> Reports:
    pts = point_reports(reports)
    if categories:
        wanted = {c.casefold() for c in categories}
        pts = pts[pts["category"].astype(str).str.casefold().isin(wanted).to_numpy()]
    return Reports(pts[pts["occurred_at"].notna()].reset_index(drop=True))


def nearrepeat_stage(
    reports: Reports,
    settings: NearRepeatSettings,
    *,
    end: pd.Timestamp | None = None,
    streets: gpd.GeoDataFrame | None = None,
    progress: Progress = quiet,
    lang: str = "sv",
) -> NearRepeatResult:
    """Run the Knox test on the chosen category and make alerts for its latest incidents.

    Parameters
    ----------
    reports
        Validated reports in a metric CRS; point reports of ``settings.categories`` count. Not modified.
    settings
        The stage's settings.
    end
        End of the data (exclusive) for the alerts; default just after the last incident.
    streets
        Named street lines in the reports' CRS: an alert's place is the nearest street when the report
        names none.
    progress
        Called with a message per step.
    lang
        Language of the notes, the reason in ``chosen`` and the progress messages (``"sv"`` or ``"en"``).

    Returns
    -------
    result
        The Knox table, the zone, the alerts and notes (in `lang`) on what was found.
    """
    from geo.nearrepeat import alert_zones, knox_test, near_repeat_alerts, risk_zone
    from geo.nearrepeat.knox import KNOX_COLUMNS

    pts = _select(reports, settings.categories)
    knox = pd.DataFrame({c: pd.Series(dtype="float64") for c in KNOX_COLUMNS})
    none = near_repeat_alerts(pts, None, alerts_days=settings.alerts_days)
    result = NearRepeatResult(
        settings=settings, knox=knox, alerts=none, zones=alert_zones(none), n_reports=len(pts)
    )
    what = ", ".join(settings.categories) or gettext("alla kategorier", lang)
    if len(pts) < 2:
        result.notes.append(
            ngettext(
                "nära upprepning: %(num)s rapport (%(what)s); för få för ett Knox-test",
                "nära upprepning: %(num)s rapporter (%(what)s); för få för ett Knox-test",
                len(pts),
                lang,
                what=what,
            )
        )
        return result
    permutations = number(settings.permutations, lang)
    progress(
        ngettext(
            "Knox-test (%(permutations)s permutationer, %(num)s rapport)",
            "Knox-test (%(permutations)s permutationer, %(num)s rapporter)",
            len(pts),
            lang,
            permutations=permutations,
        )
    )
    xy = pd.DataFrame({"x": pts.geometry.x, "y": pts.geometry.y}).to_numpy()
    result.knox = knox_test(
        xy,
        pts["occurred_at"],
        space_bands_m=settings.space_bands_m,
        time_bands_days=settings.time_bands_days,
        permutations=settings.permutations,
        seed=settings.seed,
    )
    zone = risk_zone(result.knox, alpha=settings.alpha)
    if zone is None:
        first = result.knox.iloc[0]
        metres, days = f"{first['space_to_m']:g}", f"{first['time_to_days']:g}"
        result.notes.append(
            gettext(
                "nära upprepning: inget förhöjt mönster för %(what)s (närmaste bandet %(metres)s m / "
                "%(days)s dagar: kvot %(ratio)s, p = %(p)s); inga varningar",
                lang,
                what=what,
                metres=metres,
                days=days,
                ratio=number(first["ratio"], lang, decimals=2),
                p=number(first["p_value"], lang, decimals=3),
            )
        )
    else:
        result.radius_m, result.days = zone.radius_m, zone.days
        metres, days, alpha = f"{zone.radius_m:g}", f"{zone.days:g}", f"{settings.alpha:g}"
        result.chosen["zone"] = gettext(
            "förhöjd risk inom %(metres)s m i %(days)s dagar: de signifikanta banden (p ≤ %(alpha)s, "
            "kvot > 1) som hänger ihop med det närmaste",
            lang,
            metres=metres,
            days=days,
            alpha=alpha,
        )
    progress(gettext("Varningar", lang))
    result.alerts = near_repeat_alerts(pts, zone, alerts_days=settings.alerts_days, end=end, streets=streets)
    result.zones = alert_zones(result.alerts)
    if zone is not None and not len(result.alerts):
        result.notes.append(
            gettext(
                "nära upprepning: ingen %(what)s-händelse de senaste %(days)s dagarna med risk kvar; "
                "inga varningar",
                lang,
                what=what,
                days=settings.alerts_days,
            )
        )
    return result
