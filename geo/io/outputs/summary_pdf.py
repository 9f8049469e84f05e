"""The summary page as a PDF: Chromium's own print (through playwright), one A4 landscape page.

Chromium is what the coordinator prints with, so its print is the PDF. Where no Chromium (or no playwright)
is installed, nothing is written and the caller gets one sentence saying so.
"""

from __future__ import annotations

from pathlib import Path

from geo import i18n
from geo.io.export import atomic_path
from geo.maps.browser import chromium_path, launch

__all__ = ["print_pdf", "summary_pdf"]


def print_pdf(html: str | Path, pdf: str | Path, *, timeout_s: float = 60.0) -> Path:
    """Print the page `html` to `pdf` in headless Chromium, A4 landscape with its own print stylesheet.

    Parameters
    ----------
    html
        A self-contained page (no network is needed: the summary embeds its image).
    pdf
        The PDF to write (atomically).
    timeout_s
        Longest wait for the page to load.

    Raises
    ------
    RuntimeError
        If Chromium or playwright is missing.
    """
    url = Path(html).resolve().as_uri()
    with launch() as browser, atomic_path(pdf) as tmp:
        page = browser.new_page()
        page.goto(url, wait_until="load", timeout=timeout_s * 1000)
        page.pdf(path=str(tmp), format="A4", landscape=True, print_background=True)
    return Path(pdf)


def summary_pdf(html: str | Path, pdf: str | Path, *, lang: str = "sv") -> tuple[Path | None, str | None]:
    """Write the summary's PDF if a browser can print it.

    Returns
    -------
    written, note
        The PDF's path and ``None``; or ``None`` and one sentence (in `lang`) on why there is no PDF.
    """
    if chromium_path() is None:
        return None, i18n.gettext(
            "ingen PDF av sammanfattningen: Chromium saknas (apt-get install chromium); "
            "skriv ut %(page)s från webbläsaren",
            lang,
            page=Path(html).name,
        )
    try:
        return print_pdf(html, pdf), None
    except Exception as err:  # noqa: BLE001 - a missing PDF must never stop the run
        first = (str(err).strip().splitlines() or [type(err).__name__])[0]
        return None, i18n.gettext(
            "ingen PDF av sammanfattningen: webbläsaren kunde inte skriva ut (%(reason)s); "
            "skriv ut %(page)s från webbläsaren",
            lang,
            reason=first,
            page=Path(html).name,
        )
