"""The ``geo`` command line: one typer app; each command lives in a module of :mod:`geo.commands`.

Every module in ``geo/commands/`` that defines ``register(app)`` adds its commands, so a new capability adds
a file and never edits this one. Errors print as one readable line (exit 1) unless ``--debug`` is given.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

import geo.commands
from geo.errors import LagesbildError

__all__ = ["app", "main"]

app = typer.Typer(
    name="geo",
    help=(
        "lagesbild — gemensam lägesbild för kommun och polis (EST): hot-spots, tider, belysning, hastighet, "
        "förslag och kartor.\n\nExample: geo ingest data/toronto_mci_2014_2017.csv.gz --out reports.parquet"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

_DEBUG = {"on": False}


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show the full traceback on errors."),
) -> None:
    """lagesbild command line."""
    _DEBUG["on"] = debug


def _register_all() -> None:
    for info in sorted(pkgutil.iter_modules(geo.commands.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"geo.commands.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_all()


def main() -> None:
    """Run the app; a :class:`~geo.errors.LagesbildError` becomes one line on stderr and exit code 1."""
    debug = "--debug" in sys.argv[1:]
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
        print(f"error: {type(exc).__name__}: {exc} (run with --debug for the traceback)".replace("\n", " "), file=sys.stderr)
        raise SystemExit(1) from None
