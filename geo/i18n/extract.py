"""The catalogue's messages, found in the source: every ``gettext``/``ngettext``/``N_``/``_`` call in ``geo``.

``python -m geo.i18n.extract`` merges them into the English catalogue (keeping every translation) and lists
the messages still untranslated; the catalogue test fails while any is.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from geo.i18n import DOMAIN, LOCALE_DIR

__all__ = ["extract", "merge", "untranslated"]

GEO = Path(__file__).resolve().parents[1]
KEYWORDS = {"gettext": None, "ngettext": (1, 2), "_": None, "N_": None, "lazy_gettext": None}
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true"}}


def extract() -> Catalog:
    """Return every message the package's Python modules and templates ask to translate."""
    pot = Catalog(domain=DOMAIN)
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(GEO), METHODS, OPTIONS, keywords=KEYWORDS
    ):
        ids = message if isinstance(message, tuple) else (message,)
        if not ids or not ids[0]:
            continue
        flags = ("python-format",) if "%(" in ids[0] else ()
        pot.add(message, locations=[(filename, lineno)], flags=flags)
    for filename, lineno, message in _in_fstrings(GEO):
        flags = ("python-format",) if "%(" in message[0] else ()
        pot.add(message if len(message) > 1 else message[0], locations=[(filename, lineno)], flags=flags)
    return pot


def _in_fstrings(root: Path) -> Iterator[tuple[str, int, tuple[str, ...]]]:
    """Yield the messages of calls inside f-strings, which Babel's extractor misses on Python 3.11.

    Yields the file (relative to `root`), the line and the message id(s) (two for ``ngettext``).
    """
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                if not isinstance(call, ast.Call) or not isinstance(call.func, (ast.Name, ast.Attribute)):
                    continue
                name = call.func.id if isinstance(call.func, ast.Name) else call.func.attr
                n_ids = 2 if name == "ngettext" else 1
                if name not in KEYWORDS or len(call.args) < n_ids:
                    continue
                ids = call.args[:n_ids]
                if all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in ids):
                    yield str(path.relative_to(root)), call.lineno, tuple(str(a.value) for a in ids)  # type: ignore[attr-defined]


def untranslated(catalog: Catalog) -> list[str]:
    """Return the message ids of `catalog` without a (complete) translation."""
    out: list[str] = []
    for m in catalog:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if not all(strings):
            out.append(str(m.id[0] if isinstance(m.id, (tuple, list)) else m.id))
    return out


def merge(lang: str = "en") -> list[str]:
    """Merge the source's messages into `lang`'s catalogue file; return the untranslated ids."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    catalog.update(extract(), no_fuzzy_matching=True)
    catalog.fuzzy = False
    with path.open("wb") as f:
        write_po(f, catalog, width=110, no_location=True, ignore_obsolete=True)
    return untranslated(catalog)


if __name__ == "__main__":
    missing = merge()
    print(f"{len(missing)} untranslated" + "".join(f"\n  {m}" for m in missing))
