"""``geo serve`` (the HTTP service) and ``geo users`` (staff tokens)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from geo import i18n
from geo.commands._common import check_lang, console, lang_option
from geo.errors import InputError

if TYPE_CHECKING:
    from geo.service.storage import Store

__all__ = ["register", "serve"]

users_app = typer.Typer(
    name="users",
    help="Staff users of the service and their bearer tokens (stored hashed).\n\n"
    "Example: geo users add anna --db lagesbild.gpkg",
    no_args_is_help=True,
)


def serve(
    db: Annotated[
        str, typer.Option("--db", help="GeoPackage file (created if missing) or postgresql:// URL.")
    ] = "lagesbild.gpkg",
    area: Annotated[
        str, typer.Option("--area", help="Study area: municipality name or code, or a polygon file.")
    ] = "Värnamo",
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    maps_dir: Annotated[
        Path, typer.Option("--maps-dir", help="Folder of the served maps and run outputs.")
    ] = Path("maps"),
    rate_limit: Annotated[
        int, typer.Option("--rate-limit", help="Submissions per client and minute (0 = no limit).")
    ] = 20,
    retention_days: Annotated[
        float, typer.Option("--retention-days", help="Delete residents' free text after this many days.")
    ] = 90.0,
    retention_sweep_min: Annotated[
        float, typer.Option("--retention-sweep-min", help="Minutes between retention sweeps.")
    ] = 60.0,
    max_body_bytes: Annotated[
        int, typer.Option("--max-body-bytes", help="Largest request body (413 beyond).")
    ] = 16_384,
    max_text_chars: Annotated[
        int, typer.Option("--max-text-chars", help="Longest description accepted.")
    ] = 2_000,
    k: Annotated[int, typer.Option("--k", help="Smallest count shown publicly (k-suppression).")] = 5,
    extra_source: Annotated[
        list[str] | None,
        typer.Option("--extra-source", help="Further report files/URLs every run reads."),
    ] = None,
    run_config: Annotated[
        Path | None, typer.Option("--run-config", help="geo run TOML whose settings runs use.")
    ] = None,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option("--trusted-proxy", help="Proxy address whose X-Forwarded-For is used."),
    ] = None,
    geocode: Annotated[
        Path | None,
        typer.Option(
            "--geocode",
            help="OpenStreetMap extract (.osm.pbf) for the report page's address search, read once, offline "
            "(default: the first geocode of --run-config's sources; without either: no address search).",
        ),
    ] = None,
    search_rate_limit: Annotated[
        int,
        typer.Option("--search-rate-limit", help="Address searches per client and minute (0: no limit)."),
    ] = 120,
    feed_archive: Annotated[
        Path | None,
        typer.Option("--feed-archive", help="Keep the Police events archive (.jsonl) on a schedule."),
    ] = None,
    feed_url: Annotated[
        str, typer.Option("--feed-url", help="Events feed for --feed-archive.")
    ] = "https://polisen.se/api/events",
    feed_interval_min: Annotated[
        float, typer.Option("--feed-interval-min", help="Minutes between feed fetches (at least 10).")
    ] = 30.0,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn log level.")] = "warning",
    access_log: Annotated[
        bool, typer.Option("--access-log", help="Log every request (client addresses included).")
    ] = False,
    lang: Annotated[str, lang_option(annotated=True)] = "sv",
) -> None:
    """Run the lagesbild service: report intake, staff API, maps, runs, Open311 and the report page.

    OpenAPI at /docs. Staff tokens: geo users add NAME --db ...

    Example: geo serve --db lagesbild.gpkg --area Värnamo --port 8000
    """
    import uvicorn

    from geo.service import ServiceSettings, create_app

    settings = ServiceSettings(
        db=db,
        area=area,
        maps_dir=maps_dir,
        rate_limit_per_min=rate_limit,
        retention_days=retention_days,
        retention_sweep_min=retention_sweep_min,
        max_body_bytes=max_body_bytes,
        max_text_chars=max_text_chars,
        k=k,
        run_extra_sources=tuple(extra_source or ()),
        run_config=run_config,
        trusted_proxies=tuple(trusted_proxy or ()),
        geocode=geocode,
        search_rate_limit_per_min=search_rate_limit,
        feed_archive=feed_archive,
        feed_url=feed_url,
        feed_interval_min=feed_interval_min,
    )
    check_lang(lang)
    app = create_app(settings)
    store = app.state.lb.store
    started = i18n.gettext(
        "lagesbild: %(area)s, lagring %(store)s (EPSG:%(epsg)s), %(n)s rapporter",
        lang,
        area=app.state.lb.area.name,
        store=_shown(store.url),
        epsg=store.crs_epsg,
        n=i18n.number(store.count_reports(), lang),
    )
    console.print(started)
    if (search := app.state.lb.addresses) is not None:
        n_addresses = i18n.number(len(search), lang)
        searched = i18n.gettext(
            "Adressökning: %(n)s adresser från %(source)s", lang, n=n_addresses, source=str(search.source)
        )
        console.print(searched)
    page = i18n.gettext("Rapportsida: %(url)s", lang, url=f"http://{host}:{port}/report")
    console.print(f"{page} · API: http://{host}:{port}/docs")
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=access_log,
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=10,
    )


def _shown(url: str) -> str:
    if url.startswith("postgresql"):
        from geo.service.storage.postgis import redact_url

        return redact_url(url)
    return url


def _open(db: str, area: str) -> Store:
    from geo.service import ServiceSettings
    from geo.service.app import open_service_store

    store, _, _ = open_service_store(ServiceSettings(db=db, area=area))
    return store


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="User name (e.g. a person or a system)."),
    db: str = typer.Option(..., "--db", help="GeoPackage file or postgresql:// URL of the service."),
    role: str = typer.Option(
        "staff",
        "--role",
        help="partner (reports for an organisation), moderator (reviews reports), staff (everything) or "
        "viewer (maps, hot-spots, runs).",
    ),
    org: str | None = typer.Option(
        None, "--org", help="The partner's organisation (stored with its reports; needed for partner)."
    ),
    area: str = typer.Option("Värnamo", "--area", help="Study area (only for creating a new store)."),
    lang: str = lang_option(),
) -> None:
    """Add a user (or give an existing one a new token); prints the token as the last line.

    The token is shown once and stored only as a hash. A partner opens its personal link
    /rapportera/partner#token=TOKEN.

    Example: geo users add fastighetsbolaget --db lagesbild.gpkg --role partner --org "Bostads AB"
    """
    from geo.service.auth import ROLES, hash_token, new_token

    check_lang(lang)
    if role not in ROLES:
        raise InputError(f"--role must be one of {', '.join(ROLES)}, got '{role}'")
    if not name.strip() or len(name) > 100:
        raise InputError("user name must be 1-100 characters")
    org = org.strip() if org else None
    if role == "partner" and not org:
        raise InputError("a partner needs --org NAME (the organisation its reports come from)")
    if org is not None and len(org) > 200:
        raise InputError("--org must be at most 200 characters")
    store = _open(db, area)
    token = new_token()
    store.add_user(name.strip(), role=role, token_hash=hash_token(token), org=org)
    store.close()
    shown = f"{role}, {org}" if org else role
    saved = i18n.gettext(
        "Användare '%(name)s' (%(role)s) sparad. Token (visas bara nu):", lang, name=name, role=shown
    )
    console.print(saved)
    if role == "partner":
        link = "/rapportera/partner#token=<token>"
        console.print(i18n.gettext("Personlig länk: %(link)s", lang, link=link))
    print(token)


@users_app.command("list")
def users_list(
    db: str = typer.Option(..., "--db", help="GeoPackage file or postgresql:// URL of the service."),
) -> None:
    """List users and roles (never tokens).

    Example: geo users list --db lagesbild.gpkg
    """
    store = _open(db, "Värnamo")
    for u in store.list_users():
        console.print(f"{u.name}\t{u.role}\t{u.org or ''}\t{u.created_at:%Y-%m-%d %H:%M}")
    store.close()


@users_app.command("remove")
def users_remove(
    name: str = typer.Argument(..., help="User to remove; its token stops working at once."),
    db: str = typer.Option(..., "--db", help="GeoPackage file or postgresql:// URL of the service."),
    lang: str = lang_option(),
) -> None:
    """Remove a user (revoke the token).

    Example: geo users remove anna --db lagesbild.gpkg
    """
    check_lang(lang)
    store = _open(db, "Värnamo")
    found = store.remove_user(name)
    store.close()
    if not found:
        raise InputError(f"no user '{name}'")
    console.print(i18n.gettext("Borttagen: %(name)s", lang, name=name))


def register(app: typer.Typer) -> None:
    """Add ``geo serve`` and ``geo users`` to the app."""
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
