"""Categories a resident or staff member can report, with Swedish and English labels."""

from __future__ import annotations

__all__ = ["CATEGORIES", "SOURCES"]

CATEGORIES: dict[str, tuple[str, str, str]] = {
    "mörkt": ("Mörkt – dålig belysning", "Dark – poor lighting", "belysning"),
    "stökigt": ("Stökigt – bråk, fylla, störningar", "Rowdy – fights, drunkenness, disturbance", "ordning"),
    "hög hastighet": ("Hög hastighet – fortkörning", "Speeding traffic", "trafik"),
    "trafikfara": ("Farlig trafikmiljö – korsning, övergångsställe", "Dangerous traffic spot", "trafik"),
    "skadegörelse": ("Skadegörelse eller klotter", "Vandalism or graffiti", "miljö"),
    "nedskräpning": ("Nedskräpning, trasigt, eftersatt", "Litter, broken, neglected", "miljö"),
    "narkotika": ("Misstänkt narkotikahandel", "Suspected drug dealing", "ordning"),
    "otrygg plats": ("Otrygg plats – ödsligt, skymd sikt", "Feels unsafe – deserted, hidden", "trygghet"),
    "annat": ("Annat", "Other", "trygghet"),
}
"""Category code -> (Swedish label, English label, group). The code is what is stored in ``category``."""

SOURCES: tuple[str, ...] = ("resident", "safety_walk", "staff", "police", "open311", "partner")
"""Allowed ``source`` values of a submission (``resident`` when left out; ``open311`` for GeoReport;
``partner`` for an organisation's checklist report)."""
