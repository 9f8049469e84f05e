"""The workbook's sheet names and column headers, in Swedish and English.

A table or column not named here keeps its own name (a later stage's table still gets its sheet); add its
words here to give it headers in both languages.
"""

from __future__ import annotations

__all__ = ["SHEETS", "header", "sheet_name"]

SHEETS: dict[str, tuple[str, str]] = {
    "hotspots": ("Hot-spots", "Hot-spots"),
    "patrol_plan": ("Patrullplan", "Patrol plan"),
    "patrol_naive": ("Patrull jämförelse", "Patrol naive plan"),
    "lighting_proposals": ("Belysningsförslag", "Lighting proposals"),
    "dark_places": ("Mörka platser", "Dark places"),
    "quick_fixes": ("Snabba åtgärder", "Quick fixes"),
    "enforcement_plan": ("Hastighetskontroller", "Speed checks"),
    "forecast": ("Prognos", "Forecast"),
    "evaluation": ("Åtgärder uppföljning", "Measures evaluation"),
    "changes": ("Förändringar", "Changes"),
    "change_counts": ("Antal jämfört", "Counts compared"),
    "areas": ("Områden", "Areas"),
    "measures": ("Åtgärder", "Measures"),
    "rejects": ("Avvisade rader", "Rejected rows"),
    "speed_rejects": ("Avvisade mätningar", "Rejected measurements"),
}
"""Manifest kind -> sheet name (Swedish, English); at most 31 characters as Excel allows."""

_HEADERS_SV: dict[str, str] = {
    "after_end": "Efter slut",
    "after_start": "Efter start",
    "area": "Område",
    "area_m2": "Yta (m²)",
    "as_of": "Per",
    "before_end": "Före slut",
    "before_start": "Före start",
    "broken_reports": "Rapporter trasig lampa",
    "buffer_after": "Buffert efter",
    "buffer_before": "Buffert före",
    "buffer_verdict": "Bedömning buffert",
    "catches_per_check": "Förväntade fall per kontroll",
    "categories": "Kategorier",
    "category": "Kategori",
    "category_mix": "Kategorier (antal)",
    "caveat": "Förbehåll",
    "cell_id": "Ruta",
    "change_pct": "Förändring (%)",
    "change_previous_pct": "Förändring mot förra perioden (%)",
    "change_year_pct": "Förändring mot ett år sedan (%)",
    "ci_high": "Konfidensintervall övre",
    "ci_low": "Konfidensintervall nedre",
    "complaints": "Klagomål",
    "control_after": "Kontroll efter",
    "control_before": "Kontroll före",
    "covered_reports": "Täckta rapporter",
    "cumulative_gain": "Kumulativ vinst",
    "cumulative_share": "Kumulativ andel",
    "dark_reports": "Rapporter i mörker",
    "dark_share": "Andel i mörker",
    "data": "Data",
    "date": "Datum",
    "density_km2": "Täthet (per km²)",
    "description": "Beskrivning",
    "effect_pct": "Effekt (%)",
    "end": "Slut",
    "evidence_weight": "Evidensvikt",
    "expected_share": "Förväntad andel",
    "field": "Fält",
    "file": "Fil",
    "gain": "Vinst",
    "group": "Grupp",
    "highway": "Vägtyp",
    "horizon_days": "Horisont (dagar)",
    "hotspot_id": "Hot-spot",
    "hours": "Timmar",
    "hours_observed": "Observerade timmar",
    "incidents": "Händelser",
    "kind": "Typ",
    "label": "Namn",
    "lamp_id": "Lampa",
    "lat": "Latitud",
    "length_m": "Längd (m)",
    "limit_kmh": "Hastighetsgräns (km/h)",
    "lit": "Belyst",
    "lon": "Longitud",
    "mean_kmh": "Medelhastighet (km/h)",
    "measure_id": "Åtgärd",
    "member_ids": "Rapporter (id)",
    "method": "Metod",
    "n_before": "Antal före",
    "n_now": "Antal nu",
    "n_previous": "Antal förra perioden",
    "n_reports": "Antal rapporter",
    "n_year_before": "Antal ett år sedan",
    "name": "Namn",
    "note": "Anmärkning",
    "occurred_at": "Tidpunkt",
    "order": "Ordning",
    "over_limit_per_hour": "Över gränsen per timme",
    "p85_kmh": "85:e percentil (km/h)",
    "p_value": "p-värde",
    "passes": "Passager",
    "peak_hours": "Topptimmar",
    "peak_windows": "Toppfönster",
    "place": "Plats",
    "place_id": "Plats-id",
    "place_reports": "Rapporter på platsen",
    "profile": "Tidsprofil",
    "proposal_id": "Förslag",
    "rank": "Rang",
    "reason": "Skäl",
    "repair_first": "Laga först",
    "report_ids": "Rapporter (id)",
    "risk": "Risk",
    "row": "Rad",
    "score": "Poäng",
    "score_rule": "Poängregel",
    "segment_id": "Vägsegment",
    "share": "Andel",
    "share_over_limit": "Andel över gränsen",
    "share_over_limit_10": "Andel mer än 10 km/h över",
    "shift": "Pass",
    "start": "Start",
    "status": "Status",
    "street": "Gata",
    "stretch_id": "Sträcka",
    "travel_m": "Förflyttning (m)",
    "travel_min": "Förflyttning (min)",
    "treated_after": "Åtgärdat område efter",
    "treated_before": "Åtgärdat område före",
    "trend": "Trend",
    "value": "Värde",
    "verdict": "Bedömning",
    "way_ids": "Vägar (id)",
    "weekday": "Veckodag",
    "weekdays": "Veckodagar",
    "x": "x (m)",
    "y": "y (m)",
}

_HEADERS_EN: dict[str, str] = {
    "area_m2": "Area (m²)",
    "ci_high": "CI high",
    "ci_low": "CI low",
    "density_km2": "Density (per km²)",
    "length_m": "Length (m)",
    "limit_kmh": "Speed limit (km/h)",
    "mean_kmh": "Mean speed (km/h)",
    "p85_kmh": "85th percentile (km/h)",
    "p_value": "p value",
    "travel_m": "Travel (m)",
    "travel_min": "Travel (min)",
    "x": "x (m)",
    "y": "y (m)",
}


def header(column: str, lang: str) -> str:
    """Return a column's header in `lang` (``"sv"`` or ``"en"``); an unknown column keeps its name."""
    if lang == "sv":
        return _HEADERS_SV.get(column, column)
    if column in _HEADERS_EN:
        return _HEADERS_EN[column]
    if column not in _HEADERS_SV:
        return column
    words = column.replace("_pct", " (%)").replace("_", " ")
    return words[:1].upper() + words[1:]


_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(kind: str, lang: str) -> str:
    """Return a table's sheet name in `lang`: from :data:`SHEETS`, else its kind (at most 31 characters)."""
    names = SHEETS.get(kind)
    name = (names[0] if lang == "sv" else names[1]) if names else kind
    return name.translate(_FORBIDDEN)[:31]
