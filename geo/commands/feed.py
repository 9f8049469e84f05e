"""``geo feed fetch``: keep an archive of the Police events feed (its API returns only the latest 500)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geo import i18n
from geo.commands._common import check_lang, console, lang_option

__all__ = ["feed_fetch", "register"]

feed_app = typer.Typer(
    name="feed",
    help="The Police events feed: keep an archive of it (the API returns only its latest 500 events).\n\n"
    "Example: geo feed fetch --out polisen.jsonl",
    no_args_is_help=True,
)


@feed_app.command("fetch")
def feed_fetch(
    out: Annotated[
        Path, typer.Option("--out", help="The archive (JSON Lines, one event a line); created when missing.")
    ],
    url: Annotated[
        str | None,
        typer.Option("--url", help="Feed URL (default: the official events API, polisen.se/api/events)."),
    ] = None,
    timeout_s: Annotated[float, typer.Option("--timeout", help="Seconds to wait for the answer.")] = 30.0,
    lang: str = lang_option(),
) -> None:
    """Fetch the events feed and append every event not yet in the archive (by event id).

    Earlier events are always kept; the archive is replaced atomically, so an interrupted run never leaves
    half a file. Safe from cron (a lock keeps two runs apart and calls at least 10 s apart; the Police ask
    for at most 60 calls an hour). The last line printed is the number of new events. geo ingest and geo run
    read the archive like the events JSON.

    Example: geo feed fetch --out polisen.jsonl   (cron: */15 * * * *)
    """
    from geo.errors import InputError
    from geo.io.feed import POLISEN_EVENTS_URL, fetch_to_archive

    if out.suffix.lower() != ".jsonl":
        raise InputError(f"--out must end in .jsonl, got '{out.name}'")
    check_lang(lang)
    result = fetch_to_archive(out, url=url or POLISEN_EVENTS_URL, timeout_s=timeout_s)
    fetched = i18n.gettext(
        "Hämtade %(fetched)s händelser; %(new)s nya; %(total)s i arkivet %(out)s",
        lang,
        fetched=i18n.number(result.fetched, lang),
        new=i18n.number(result.new, lang),
        total=i18n.number(result.total, lang),
        out=str(out),
    )
    console.print(fetched)
    print(result.new)


def register(app: typer.Typer) -> None:
    """Add ``geo feed`` to the app."""
    app.add_typer(feed_app, name="feed")
