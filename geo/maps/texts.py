"""User-facing words on the maps and the summary page, in Swedish (default) and English."""

from __future__ import annotations

from geo.texts import WEEKDAYS_SHORT

__all__ = ["LANGS", "WEEKDAYS", "text"]

LANGS = ("sv", "en")

WEEKDAYS = WEEKDAYS_SHORT

_TEXTS: dict[str, tuple[str, str]] = {
    # base maps
    "base_osm": ("OpenStreetMap", "OpenStreetMap"),
    "base_light": ("Ljus karta", "Light map"),
    "base_dark": ("Mörk karta", "Dark map"),
    "base_custom": ("Egen bakgrundskarta", "Custom base map"),
    "base_none": ("Ingen bakgrund (neutral)", "No base map (neutral)"),
    "base_streets": ("Gator (offline)", "Streets (offline)"),
    # layers
    "layer_area": ("Studieområde", "Study area"),
    "layer_grid": ("Rapporter per ruta", "Reports per cell"),
    "layer_grid_public": ("Händelser per ruta", "Incidents per cell"),
    "layer_density": ("Täthet (KDE)", "Density (KDE)"),
    "layer_hotspots": ("Hot-spots", "Hot-spots"),
    "layer_hotspots_public": ("Brottstäta områden", "High-incident areas"),
    "layer_gistar": ("Gi*-rutor", "Gi* cells"),
    "layer_points": ("Rapporter (kluster)", "Reports (clustered)"),
    "layer_lit": ("Belyst yta", "Lit coverage"),
    "layer_dark_stretches": ("Mörka sträckor", "Dark stretches"),
    "layer_dark_places": ("Mörka platser (rangordnade)", "Dark places (ranked)"),
    "layer_lamp_proposals": ("Förslag: nya lampor", "Proposals: new lamps"),
    "layer_quick_fixes": ("Snabba åtgärder: trasiga lampor", "Quick fixes: broken lamps"),
    "layer_speed": ("Hastighet per vägsträcka", "Speed per road segment"),
    "layer_enforcement": ("Hastighetskontroller (plan)", "Speed checks (plan)"),
    "layer_patrol": ("Patrullplan (besök)", "Patrol plan (visits)"),
    "layer_forecast": ("Prognos: högst risk", "Forecast: highest risk"),
    # legends and popups
    "reports": ("rapporter", "reports"),
    "incidents": ("händelser", "incidents"),
    "per_cell": ("per ruta", "per cell"),
    "cell": ("ruta", "cell"),
    "cells": ("rutor", "cells"),
    "suppressed": (
        "Rutor och områden med färre än {k} händelser visas inte.",
        "Cells and areas with fewer than {k} incidents are not shown.",
    ),
    "share_of_all": ("andel av alla", "share of all"),
    "area": ("yta", "area"),
    "density": ("täthet", "density"),
    "per_km2": ("per km²", "per km²"),
    "category_mix": ("kategorier", "categories"),
    "other": ("övrigt", "other"),
    "dark_share": ("i mörker", "in darkness"),
    "peak": ("mest aktiv", "most active"),
    "trend": ("trend", "trend"),
    "id": ("id", "id"),
    "method": ("metod", "method"),
    "chart_title": ("Händelser per timme och veckodag", "Incidents by hour and weekday"),
    "chart_title_public": (
        "Händelser per veckodag och tretimmarsblock (block med färre än {k} tomma)",
        "Incidents by weekday and three-hour block (blocks with fewer than {k} left blank)",
    ),
    "hours": ("timme", "hour"),
    "density_legend": (
        "Områden som rymmer en andel av alla rapporter (tätast först)",
        "Areas holding a share of all reports (densest first)",
    ),
    "of_reports": ("av rapporterna", "of the reports"),
    "gistar_legend": ("Getis-Ord Gi* (FDR-korrigerat)", "Getis-Ord Gi* (FDR-corrected)"),
    "hot_99": ("het 99 %", "hot 99 %"),
    "hot_95": ("het 95 %", "hot 95 %"),
    "hot_90": ("het 90 %", "hot 90 %"),
    "cold_99": ("kall 99 %", "cold 99 %"),
    "cold_95": ("kall 95 %", "cold 95 %"),
    "cold_90": ("kall 90 %", "cold 90 %"),
    "ns": ("ej signifikant", "not significant"),
    "points_legend": (
        "Enskilda rapporter, klustrade: de senaste {shown} av {total}.",
        "Individual reports, clustered: the latest {shown} of {total}.",
    ),
    "filter_category": ("Kategori", "Category"),
    "filter_week": ("Vecka", "Week"),
    "filter_all_categories": ("alla kategorier", "all categories"),
    "filter_all_weeks": ("alla veckor", "all weeks"),
    "filter_week_label": ("v. {week} ({year})", "w. {week} ({year})"),
    "filter_shown": ("visas", "shown"),
    "points_legend_all": (
        "Enskilda rapporter, klustrade ({total}).",
        "Individual reports, clustered ({total}).",
    ),
    "category": ("kategori", "category"),
    "time": ("tid", "time"),
    "source": ("källa", "source"),
    "description": ("beskrivning", "description"),
    "street": ("gata", "street"),
    "rank": ("rang", "rank"),
    "covered_reports": ("täckta rapporter", "covered reports"),
    "gain": ("vinst", "gain"),
    "reason": ("motivering", "reason"),
    "length_m": ("längd (m)", "length (m)"),
    "score": ("poäng", "score"),
    "dark_reports": ("rapporter i mörker", "reports in darkness"),
    "limit_kmh": ("gräns (km/h)", "limit (km/h)"),
    "share_over_limit": ("andel över gränsen", "share over the limit"),
    "share_over_limit_10": ("andel över gränsen + 10", "share over the limit + 10"),
    "p85_kmh": ("85:e percentil (km/h)", "85th percentile (km/h)"),
    "passes": ("passager", "passes"),
    "weekdays": ("veckodagar", "weekdays"),
    "window": ("tidsfönster", "time window"),
    "visits": ("besök", "visits"),
    "order": ("ordning", "order"),
    "expected_share": ("förväntad andel", "expected share"),
    "date": ("datum", "date"),
    "patrol_legend": (
        "Siffran är antalet planerade besök på platsen under veckan (klicka för tiderna).",
        "The number is how many visits the place has in the week (click for the times).",
    ),
    "layer_patrol_route": ("Patrullrutt (ett pass i taget)", "Patrol route (one shift at a time)"),
    "patrol_route_legend": (
        "Välj pass i listan. Siffran är besökets ordning i passet; linjen är rutten (längs gatorna när "
        "planen gjordes med gator).",
        "Choose a shift in the list. The number is the visit's order in the shift; the line is the route "
        "(along the streets when the plan was made with streets).",
    ),
    "expected_incidents": ("förväntade händelser", "expected incidents"),
    "speed_legend": ("Andel fordon över hastighetsgränsen", "Share of vehicles over the speed limit"),
    "lit_legend": ("Yta som nås av gatubelysning", "Area reached by street lighting"),
    "dark_stretch_legend": ("Gång- och cykelvägar utan belysning", "Walkable ways without lighting"),
    "dark_places_legend": (
        "Mörka sträckor rangordnade efter händelser i mörker",
        "Dark stretches ranked by incidents in darkness",
    ),
    "lamp_legend": ("Föreslagen ny lampa (nummer = rang)", "Proposed new lamp (number = rank)"),
    "quick_fix_legend": (
        "Trasig eller nattsläckt lampa nära mörk hot-spot",
        "Broken or part-night lamp near a dark hot-spot",
    ),
    "enforcement_legend": ("Kontrollplats (nummer = rang)", "Check site (number = rank)"),
    "hotspot_legend": ("Hot-spot-område; färg efter trend", "Hot-spot area; colour by trend"),
    "hotspot_legend_public": (
        "Generaliserat område (rutor) med minst {k} händelser",
        "Generalised area (cells) with at least {k} incidents",
    ),
    "grid_legend": ("Antal rapporter per ruta om {cell} m", "Reports per {cell} m cell"),
    "grid_legend_public": (
        "Antal händelser per ruta om {cell} m (minst {k})",
        "Incidents per {cell} m cell (at least {k})",
    ),
    "new": ("ny", "new"),
    "intensifying": ("ökande", "intensifying"),
    "persistent": ("bestående", "persistent"),
    "diminishing": ("minskande", "diminishing"),
    "sporadic": ("sporadisk", "sporadic"),
    "none": ("ingen trend", "no trend"),
    # footer and panels
    "period": ("Period", "Period"),
    "sources": ("Källor", "Sources"),
    "crs": ("Analys-CRS", "Analysis CRS"),
    "generated": ("Skapad", "Generated"),
    "demo": (
        "SYNTETISKA DEMODATA – inte verkliga händelser",
        "SYNTHETIC DEMO DATA (syntetiska demodata) – not real incidents",
    ),
    "public_note": ("Publik karta: endast sammanställda uppgifter.", "Public map: aggregated figures only."),
    "internal_note": ("Intern karta – får inte publiceras.", "Internal map – not for publication."),
    "filter": ("Urval", "Filter"),
    "feed_title": ("Polisens händelser (trend)", "Police events feed (trend)"),
    "feed_total": (
        "Senaste {n} veckor: {cur} händelser ({change} mot {n} veckor innan)",
        "Last {n} weeks: {cur} events ({change} vs the {n} weeks before)",
    ),
    "feed_top": ("Vanligast", "Most common"),
    "feed_week": ("händelser per vecka", "events per week"),
    "title_default": ("Lägesbild", "Situational picture"),
    # summary page
    "summary_title": ("Veckosammanfattning för EST-mötet", "Weekly summary for the EST meeting"),
    "top_hotspots": ("Hot-spots i fokus", "Hot-spots in focus"),
    "top_lighting": ("Förslag på belysning", "Lighting proposals"),
    "top_patrol": ("Patrullbesök", "Patrol visits"),
    "top_enforcement": ("Hastighetskontroller", "Speed checks"),
    "place": ("plats", "place"),
    "n_reports": ("antal", "count"),
    "share": ("andel", "share"),
    "no_items": ("Inga.", "None."),
    "why_empty": ("Inget att visa", "Nothing to show"),
    "priority_areas": ("Prioriterade områden", "Priority areas"),
    "since_last": ("Sedan förra lägesbilden", "Since the last situational picture"),
    "risk": ("risk (förväntade händelser)", "risk (expected incidents)"),
    "forecast_from": ("prognos från", "forecast from"),
    "forecast_legend": ("rang {lo}–{hi}", "rank {lo}–{hi}"),
    "print_hint": (
        "Skriv ut med webbläsarens utskriftsfunktion (A4 liggande).",
        "Print from the browser (A4 landscape).",
    ),
}


def text(key: str, lang: str = "sv", **fmt: object) -> str:
    """Return the user-facing text for `key` in `lang`, formatted with `fmt`.

    Parameters
    ----------
    key
        Text key (see the table in this module).
    lang
        ``"sv"`` (default) or ``"en"``.
    **fmt
        Values for ``{placeholders}`` in the text.

    Raises
    ------
    ValueError
        If `lang` is not ``"sv"`` or ``"en"``.
    KeyError
        If `key` is unknown.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be 'sv' or 'en', got '{lang}'")
    sv, en = _TEXTS[key]
    out = sv if lang == "sv" else en
    return out.format(**fmt) if fmt else out
