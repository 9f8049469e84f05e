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
    "insecurity": "insecurity",
    "nearrepeat": "nearrepeat",
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
        if _is_usage_error(exc):
            print(f"error: {usage_text(exc, command)}", file=sys.stderr)
            raise SystemExit(getattr(exc, "exit_code", 2)) from None
        if debug:
            raise
        print(f"error: {exc} (run with --debug for the traceback)".replace("\n", " "), file=sys.stderr)
        raise SystemExit(1) from None


def _is_usage_error(exc: BaseException) -> bool:
    """Tell a command-line usage error (click's, also typer's bundled click) from everything else."""
    return any(c.__name__ == "ClickException" for c in type(exc).__mro__)


def usage_text(exc: BaseException, command: str | None) -> str:
    """Say a command-line usage error in one line, without click's class names, with what to do.

    Parameters
    ----------
    exc
        A click usage error (``NoSuchOption``, ``MissingParameter``, ``BadParameter``, ...).
    command
        The command the user ran (for the ``--help`` hint), if known.
    """
    help_hint = f"see geo {command} --help" if command else "see geo --help"
    kind = type(exc).__name__
    if kind == "NoSuchOption":
        name = getattr(exc, "option_name", "?")
        possible = sorted(getattr(exc, "possibilities", None) or [])
        close = f"; did you mean {' or '.join(possible[:3])}?" if possible else ""
        return f"unknown option {name}{close} ({help_hint})"
    if kind == "MissingParameter":
        param = getattr(exc, "param", None)
        opts = getattr(param, "opts", None) or []
        name = opts[0] if opts and str(opts[0]).startswith("-") else (getattr(param, "name", None) or "?")
        what = "option" if str(name).startswith("-") else "argument"
        return f"missing {what} {str(name).upper() if what == 'argument' else name} ({help_hint})"
    message = " ".join(str(exc.format_message() if hasattr(exc, "format_message") else exc).split())
    if message.startswith("No such command"):
        name = message.removeprefix("No such command").strip(" .'\"")
        return f"unknown command '{name}' (see geo --help for the commands)"
    return f"{message} ({help_hint})"
