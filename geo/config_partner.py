"""``[partner]`` of a run's TOML: the EST checklist partners report against (``/rapportera/partner``).

Kept apart from :mod:`geo.config` (which imports it). The service reads the section from its
``--run-config``; without one, or without the section, the checklist is :data:`DEFAULT_CHECKLIST`.
"""

from __future__ import annotations

import unicodedata

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["DEFAULT_CHECKLIST", "ChecklistItem", "PartnerConfig"]


class ChecklistItem(BaseModel):
    """One checklist category: the ``code`` stored as the report's category, Swedish and English labels."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(min_length=1, max_length=64, description="Stored as the report's category.")
    sv: str = Field(min_length=1, max_length=120, description="Swedish label on the page.")
    en: str = Field(min_length=1, max_length=120, description="English label on the page.")

    @field_validator("code")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return unicodedata.normalize("NFC", value).strip().casefold()


DEFAULT_CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem(code="skadegörelse", sv="Skadegörelse", en="Vandalism"),
    ChecklistItem(
        code="samling",
        sv="Otrygghetsskapande samling av personer",
        en="Gathering of people that creates insecurity",
    ),
    ChecklistItem(code="ordningsstörning", sv="Ordningsstörning", en="Public disorder"),
    ChecklistItem(code="otrygg plats", sv="Otrygg plats", en="Unsafe place"),
    ChecklistItem(code="narkotika", sv="Narkotika", en="Drugs"),
    ChecklistItem(code="evenemang", sv="Kommande evenemang", en="Coming event"),
    ChecklistItem(code="rykten", sv="Rykten i sociala medier", en="Rumours on social media"),
)
"""The EST checklist of weekly partner reports (the default of ``[partner] categories``)."""


class PartnerConfig(BaseModel):
    """``[partner]``: the checklist categories of partner reports.

    Example::

        [[partner.categories]]
        code = "skadegörelse"
        sv = "Skadegörelse"
        en = "Vandalism"
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    categories: tuple[ChecklistItem, ...] = Field(default=DEFAULT_CHECKLIST, min_length=1)

    @field_validator("categories")
    @classmethod
    def _unique(cls, value: tuple[ChecklistItem, ...]) -> tuple[ChecklistItem, ...]:
        codes = [c.code for c in value]
        doubles = sorted({c for c in codes if codes.count(c) > 1})
        if doubles:
            raise ValueError(f"category codes must be unique, repeated: {', '.join(doubles)}")
        return value
