"""Is a page in one language only? The words a reader sees, and a check against marker words of each language.

Shared by the page tests (the weekly summary, the patrol plan, the evaluation and the county overview).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["assert_one_language", "visible_words"]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def visible_words(page: str, *, texts_keys: tuple[str, ...] = ("texts", "search_texts")) -> set[str]:
    """Lower-case words a reader sees: the text (no tags, style, script or embedded image), the labels
    (aria-label, title, placeholder, alt) and a service page's script texts (`texts_keys` of its ``lb-config``
    JSON). An element marked in another language than the page's (the link to it) is left out, as a screen
    reader would switch voice for it.
    """
    shown: list[str] = []
    config = re.search(r'<script id="lb-config" type="application/json">(.*?)</script>', page, re.S)
    if config is not None:
        cfg = json.loads(config[1])
        shown += [s for k in texts_keys for s in _strings(cfg.get(k))]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    body = re.sub(r'src="data:[^"]*"', " ", body)
    lang = re.search(r'<html lang="(\w+)"', page)
    if lang is not None:
        body = re.sub(rf'<(\w+)[^>]*\blang="(?!{lang[1]}")\w+"[^>]*>.*?</\1>', " ", body, flags=re.S)
    shown += re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', body)
    shown.append(re.sub(r"<[^>]+>", " ", body))
    return set(re.findall(r"[a-zåäöé]+", " ".join(shown).lower()))


def assert_one_language(page: str, own: Iterable[str], other: Iterable[str]) -> None:
    """Fail unless `page` shows at least half of its language's marker words `own` and none of `other`."""
    words = visible_words(page)
    own, other = set(own), set(other)
    assert len(words & own) >= len(own) // 2, f"the page is not in its language: {sorted(own - words)}"
    assert not words & other, f"words of the other language: {sorted(words & other)}"
