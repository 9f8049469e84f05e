"""The ``geo`` command line: one typer app; each command lives in a module of :mod:`geo.commands`.

Every module in ``geo/commands/`` that defines ``register(app)`` adds its commands, so a new capability adds
a file (and a line in ``_MODULE_OF``, which lets ``geo CMD`` import only the module it needs). Errors print
as one readable line (exit 1) unless ``--debug`` is given.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

import geo.commands
from geo.errors import LagesbildError

__all__ = ["build_app", "main"]  # `app` (every command) is built on access, see __getattr__

_HELP = (
    "lagesbild — gemensam lägesbild för kommun och polis (EST): hot-spots, tider, belysning, hastighet, "
    "förslag och kartor.\n\nExample: geo ingest data/toronto_mci_2014_2017.csv.gz --out reports.parquet"
)

_MODULE_OF = {
    "ingest": "ingest",
    "hotspots": "hotspots",
    "lighting": "lighting",
    "patrol": "patrol",
    "speed": "speed",
    "map": "map",
    "run": "run",
    "demo": "run",
    "serve": "serve",
    "users": "serve",
    "forecast": "forecast",
    "backtest": "forecast",
    "evaluate": "evaluate",
    "history": "history",
    "feed": "feed",
}
"""Which command module defines each command, so running one command imports only its module."""


def _root(
    debug: bool = typer.Option(False, "--debug", help="Show the full traceback on errors."),
) -> None:
    """Run the lagesbild command line."""


def build_app(command: str | None = None) -> typer.Typer:
    """Build the ``geo`` app with every command, or only with the module that defines `command`.

    Parameters
    ----------
    command
        A command name (``hotspots``); ``None`` registers every module in :mod:`geo.commands`.
    """
    app = typer.Typer(
        name="geo", help=_HELP, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode="rich"
    )
    app.callback()(_root)
    if command in _MODULE_OF:
        names = [_MODULE_OF[command]]
    else:
        names = sorted(
            i.name for i in pkgutil.iter_modules(geo.commands.__path__) if not i.name.startswith("_")
        )
    for name in names:
        register = getattr(importlib.import_module(f"geo.commands.{name}"), "register", None)
        if register is not None:
            register(app)
    return app


def __getattr__(name: str) -> typer.Typer:
    # ``from geo.cli import app`` gives the app with every command (tests, documentation tools)
    if name == "app":
        return build_app()
    raise AttributeError(name)


def main() -> None:
    """Run the app; a :class:`~geo.errors.LagesbildError` becomes one line on stderr and exit code 1."""
    debug = "--debug" in sys.argv[1:]
    command = next((a for a in sys.argv[1:] if not a.startswith("-")), None)
    app = build_app(command)
    try:
        app(standalone_mode=False)
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except typer.Abort:
        print("Avbrutet / aborted", file=sys.stderr)
        raise SystemExit(130) from None
    except (LagesbildError, FileNotFoundError, PermissionError) as exc:
        if debug:
            raise
        print(f"error: {exc}".replace("\n", " "), file=sys.stderr)
        raise SystemExit(1) from None
    except Exception as exc:  # click usage errors and the unexpected
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            raise SystemExit(exc.exit_code) from None
        if debug:
            raise
        print(
            f"error: {type(exc).__name__}: {exc} (run with --debug for the traceback)".replace("\n", " "),
            file=sys.stderr,
        )
        raise SystemExit(1) from None
