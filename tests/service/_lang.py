"""What a reader of a service page sees, as words: for the tests that find no text of the other language."""

from __future__ import annotations

import json
import re
from typing import Any


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def visible_words(page: str, *, texts_keys: tuple[str, ...] = ("texts", "search_texts")) -> set[str]:
    """Lower-case words of the page's text, its labels (aria-label, title, placeholder, alt) and its script's
    texts (``texts_keys`` of the ``lb-config`` JSON); an element marked in another language (the link to
    it) is left out, as a screen reader would switch voice for it."""
    lang = re.search(r'<html lang="(\w+)"', page)
    assert lang is not None
    config = re.search(r'<script id="lb-config" type="application/json">(.*?)</script>', page, re.S)
    shown: list[str] = []
    if config is not None:
        cfg = json.loads(config[1])
        shown += [s for k in texts_keys for s in _strings(cfg.get(k))]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    body = re.sub(rf'<(\w+)[^>]*\blang="(?!{lang[1]}")\w+"[^>]*>.*?</\1>', " ", body, flags=re.S)
    shown += re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', body)
    shown.append(re.sub(r"<[^>]+>", " ", body))
    return set(re.findall(r"[a-zåäöé]+", " ".join(shown).lower()))
