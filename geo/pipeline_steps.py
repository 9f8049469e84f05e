"""The stages of a whole run, one step each: call the stage with its settings, write, record the files.

Each step takes the run's :class:`~geo.pipeline.RunContext`, calls one stage function of :mod:`geo.stages`
with the settings from the config, writes the result with its writer from :mod:`geo.io.outputs`, records
the files in the manifest and keeps the result on the run for the next stages and the map.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from geo.config import stage_settings
from geo.i18n import N_, gettext
from geo.io.export import write_frame
from geo.io.manifest import OutputFile
from geo.model import Reports
from geo.pipeline_insecurity import insecurity_step
from geo.pipeline_measures import measures_step
from geo.pipeline_nearrepeat import nearrepeat_step
from geo.run_summary import DEMO_LABEL
from geo.stages.forecast import ForecastSettings
from geo.stages.hotspots import HotspotResult, HotspotSettings
from geo.stages.lighting import LightingSettings
from geo.stages.maps import MapSettings
from geo.stages.patrol import PatrolSettings
from geo.stages.speed import SpeedSettings
from geo.time.parse import local_midnight

if TYPE_CHECKING:
    from geo.pipeline import RunContext

__all__ = ["STAGES"]


def _short_period_trends(run: RunContext, res: HotspotResult, settings: HotspotSettings) -> None:
    """Under 8 weeks, compare each hot-spot with the weeks before the period (:mod:`geo.rhythm.trend`)."""
    from geo.rhythm.trend import short_trend_text, short_trends
    from geo.stages.hotspots import select_reports

    start, end = run.config.period.start, run.period_end
    if start is None or end is None or run.all_reports is None or not len(res.hotspots):
        return
    begin = local_midnight(start, str(run.reports["occurred_at"].dt.tz))
    weeks_now = round((end - begin) / pd.Timedelta(weeks=1))
    if weeks_now >= 8:
        return
    history = select_reports(Reports(run.all_reports.to_crs(run.crs)), settings)
    trends, weeks = short_trends(res.hotspots, history, start=begin, end=end)
    if weeks:
        res.hotspots = res.hotspots.assign(trend=trends)
        res.chosen["trend"] = short_trend_text(weeks_now, weeks, lang=run.config.run.lang)


def _hotspots(run: RunContext) -> None:
    from geo.io.outputs.hotspots import write_hotspots
    from geo.io.results import read_previous_hotspots
    from geo.stages.hotspots import hotspots_stage

    config = run.config
    if run.kept is not None:  # ids follow the places kept in the run store
        previous, note = run.kept.id_history, None
    else:
        previous, note = read_previous_hotspots(run.out)
    run.result.notes.extend([note] if note else [])
    settings = stage_settings(config.hotspots, HotspotSettings)
    # the density and Gi* overview is drawn only on the map
    settings = settings.model_copy(update={"overview": settings.overview and config.maps.enabled})
    res = hotspots_stage(
        run.reports,
        settings,
        area=run.area_m,
        streets=run.streets,
        previous=previous,
        period_end=run.period_end,
        lang=config.run.lang,
        progress=run.say,
    )
    _short_period_trends(run, res, settings)
    if config.run.demo:
        res.hotspots = res.hotspots.assign(data=DEMO_LABEL)
    files = write_hotspots(res, run.out / "hotspots.geojson")
    keep = write_frame(res.hotspots, run.out / "hotspots.parquet")  # the next run's ids start from these
    run.record(
        [*files, OutputFile("hotspots_ids", str(keep), "hotspots")], stage="hotspots", settings=res.settings
    )
    run.result.hotspots = res


def _lighting(run: RunContext) -> None:
    from geo.io.lamps import read_lighting_sources
    from geo.io.outputs.lighting import write_lighting
    from geo.stages.lighting import lighting_stage

    config = run.config
    if config.layers.lamps is None:
        return
    run.say(gettext("Läser lampor och vägar", config.run.lang))
    lamps, ways, rejects = read_lighting_sources(config.layers.lamps, config.layers.streets, crs=run.crs)
    res = lighting_stage(
        run.reports,
        lamps,
        ways,
        stage_settings(config.lighting, LightingSettings),
        rejects=rejects,
        progress=run.say,
        lang=config.run.lang,
    )
    run.record(write_lighting(res, run.out), stage="lighting", settings=res.settings)
    run.result.lighting = res


def _patrol(run: RunContext) -> None:
    from geo.io.outputs.patrol import write_patrol
    from geo.stages.patrol import patrol_stage

    config = run.config
    hotspots = run.result.hotspots
    if hotspots is None or not len(hotspots.hotspots):
        run.result.notes.append("steg patrullplan: inga hot-spots att planera för")
        return
    res = patrol_stage(
        run.reports,
        hotspots.hotspots,
        stage_settings(config.patrol, PatrolSettings),
        streets=run.streets,
        today=config.period.end,
        progress=run.say,
        lang=config.run.lang,
    )
    files = write_patrol(res, run.out, demo=config.run.demo, lang=config.run.lang)
    run.record(files, stage="patrol", settings=res.settings)
    run.result.patrol = res


def _in_period(frame: pd.DataFrame, run: RunContext, *, tz: str) -> pd.DataFrame:
    """Keep the measurements whose ``time`` lies in the run's period (local days, end included)."""
    from geo.time.parse import local_midnight

    keep = pd.Series(True, index=frame.index)
    if run.config.period.start is not None:
        keep &= frame["time"] >= local_midnight(run.config.period.start, tz)
    if run.config.period.end is not None:
        keep &= frame["time"] < local_midnight(run.config.period.end + dt.timedelta(days=1), tz)
    return frame[keep.to_numpy()]


def _speed(run: RunContext) -> None:
    from geo.io.measurements import read_measurements
    from geo.io.outputs.speed import write_speed
    from geo.io.segments import read_segments
    from geo.stages.speed import speed_stage

    config = run.config
    if not config.layers.speed:
        return
    if config.layers.streets is None:
        run.result.notes.append("steg hastighet: layers.streets saknas (vägsegment med hastighetsgräns)")
        return
    seg = read_segments(config.layers.streets, crs=run.crs)
    for i, path in enumerate(config.layers.speed):
        meas = read_measurements(path, crs=seg.crs, tz=seg.tz)
        frame = _in_period(meas.frame, run, tz=seg.tz)
        if len(frame) < len(meas.frame):
            run.result.notes.append(
                f"hastighet: {len(meas.frame) - len(frame):,} mätningar utanför perioden räknas inte"
            )
        res = speed_stage(
            seg.segments,
            frame,
            stage_settings(config.speed, SpeedSettings),
            reports=run.reports,
            rejects=[seg.rejects, meas.rejects],
            progress=run.say,
            lang=config.run.lang,
        )
        files = write_speed(res, run.out if i == 0 else run.out / f"speed-{i + 1}")
        run.record(files, stage="speed", settings=res.settings, suffix="" if i == 0 else f"_{i + 1}")
        if i == 0:
            run.result.speed = res


def _forecast(run: RunContext) -> None:
    from geo.io.outputs.forecast import write_forecast
    from geo.stages.forecast import forecast_stage

    config = run.config
    lang = config.run.lang
    res = forecast_stage(
        run.reports,
        stage_settings(config.forecast, ForecastSettings),
        as_of=run.period_end,
        progress=run.say,
        lang=lang,
    )
    run.result.notes.extend(gettext("prognos: %(note)s", lang, note=n) for n in res.notes)
    if len(res.table):
        run.record(
            write_forecast(res, run.out, demo=config.run.demo), stage="forecast", settings=res.settings
        )
        run.result.forecast = res


def _store(run: RunContext) -> None:
    from geo.pipeline_store import store_step

    store_step(run)


def _map_stem(run: RunContext) -> str:
    config, reports = run.config, run.reports
    if run.area is not None:
        place = run.area.slug
    else:
        stem = Path(config.sources[0].path).name.split(".")[0].lower()
        place = "".join(ch if ch.isalnum() else "-" for ch in stem).strip("-") or "lagesbild"
    times = reports["occurred_at"]
    start = config.period.start or (times.min().date() if len(reports) else dt.date.today())
    end = config.period.end or (times.max().date() if len(reports) else dt.date.today())
    return f"lagesbild-{place}-{start:%Y%m%d}-{end:%Y%m%d}"


def _maps(run: RunContext) -> None:
    from geo.io.outputs.maps import SUFFIXES, write_map
    from geo.stages.maps import MapInputs, map_stage

    config, r = run.config, run.result
    settings = stage_settings(config.maps, MapSettings)
    internal = MapInputs.from_results(
        hotspots=r.hotspots,
        lighting=r.lighting,
        patrol=r.patrol,
        speed=r.speed,
        forecast=r.forecast,
        measures=r.measures,
        insecurity=r.insecurity,
    )
    internal.notes, internal.period = list(r.notes), r.period  # why a stage found nothing
    if r.nearrepeat is not None:
        internal.set("nearrepeat_zones", r.nearrepeat.zones, "nearrepeat")
    internal.since_last, internal.area_lines = list(r.since_last), list(r.area_lines)
    internal.set("streets", run.streets, "layers.streets")  # the offline base map
    public_inputs = MapInputs.from_results(hotspots=r.hotspots)
    public_inputs.notes = [n for n in r.notes if n.startswith("hotspots:")]
    public_inputs.period = r.period
    if r.insecurity is not None and r.insecurity.settings.public:  # k-suppressed on the public map
        public_inputs.set("insecurity", r.insecurity.cells, "insecurity")
    now = pd.Timestamp.now(tz=str(run.reports["occurred_at"].dt.tz)).floor("min")
    for public in (False, True) if settings.public else (False,):
        res = map_stage(
            run.reports,
            internal if not public else public_inputs,
            settings,
            public=public,
            area=run.area,
            title=config.run.title,
            lang=config.run.lang,
            demo=config.run.demo,
            generated_at=now,
            progress=run.say,
        )
        suffix = f"-{SUFFIXES[config.run.lang]['public']}" if public else ""
        html = run.out / f"{_map_stem(run)}{suffix}.html"
        files = write_map(res, html, lang=config.run.lang)
        r.notes.extend(n for n in res.notes if n.startswith(("ingen PDF", "no PDF")))  # one line, run goes on
        run.record(files, stage="maps_public" if public else "maps", settings=settings)
        r.maps.append(res)


STAGES: tuple[tuple[str, str, Callable[[RunContext], None]], ...] = (
    ("hotspots", N_("Hot-spots"), _hotspots),
    ("lighting", N_("Belysning"), _lighting),
    ("patrol", N_("Patrullplan"), _patrol),
    ("speed", N_("Hastighet"), _speed),
    ("forecast", N_("Prognos"), _forecast),
    ("measures", N_("Åtgärder"), measures_step),
    ("insecurity", N_("Otrygghet och brott"), insecurity_step),
    ("nearrepeat", N_("Nära upprepning"), nearrepeat_step),
    ("store", N_("Arkiv: vad har ändrats"), _store),
    ("maps", N_("Kartor"), _maps),
)
"""The stages in order: config section, progress text (a message id, said in the run's language), step."""
