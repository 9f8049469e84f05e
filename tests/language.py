"""Is a page in one language only? The words a reader sees, and a check against marker words of each language.

Shared by the page tests (the weekly summary, the patrol plan, the evaluation and the county overview).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["assert_one_language", "visible_words"]


def visible_words(page: str) -> list[str]:
    """The page's text as a reader sees it: no tags, no style, no embedded image; lower case words."""
    body = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    body = re.sub(r'src="data:[^"]*"', " ", body)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.findall(r"[a-zåäöé]+", body.lower())


def assert_one_language(page: str, own: Iterable[str], other: Iterable[str]) -> None:
    """Fail unless `page` shows at least half of its language's marker words `own` and none of `other`."""
    words = set(visible_words(page))
    own, other = set(own), set(other)
    assert len(words & own) >= len(own) // 2, f"the page is not in its language: {sorted(own - words)}"
    assert not words & other, f"words of the other language: {sorted(words & other)}"
