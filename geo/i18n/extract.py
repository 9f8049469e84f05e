"""The catalogue's messages, found in the source: every ``gettext``/``ngettext``/``N_``/``_`` call in ``geo``.

``python -m geo.i18n.extract`` merges them into the English catalogue (keeping every translation) and lists
the messages still untranslated; the catalogue test fails while any is.
"""

from __future__ import annotations

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
    return pot


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
