"""Command-line options made from a stage's settings class, so a default lives in one place.

A command declares one option per settings field with :func:`option` (default ``None`` on the command line;
the help text and the default shown come from the settings field) and builds the settings with
:func:`build_settings`, which leaves out what was not given, so the settings class supplies every default.
``tests/commands/test_settings.py`` checks that each stage command offers every settings field.

Example
-------
>>> from geo.stages.lighting import LightingSettings
>>> def lighting(radius_m: float | None = option(LightingSettings, "radius_m", "--radius-m")): ...
>>> settings = build_settings(LightingSettings, radius_m=None)  # the class default
"""

from __future__ import annotations

from typing import Any, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from rich.markup import escape

from geo.errors import ConfigError

__all__ = ["build_settings", "option", "setting_help"]

S = TypeVar("S", bound=BaseModel)


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def setting_help(cls: type[BaseModel], name: str) -> str:
    """Return the help text of settings field `name`: its description and its default."""
    field = cls.model_fields[name]
    default = field.get_default(call_default_factory=True)
    if isinstance(default, list | tuple):
        shown = ",".join(str(v) for v in default) or "none"
    elif default is None:
        shown = "automatic"
    else:
        shown = str(default)
    text = (field.description or name).rstrip(".")
    return escape(f"{text}. [default: {shown}]")  # typer renders help as rich markup


def option(cls: type[BaseModel], name: str, *flags: str, **kwargs: Any) -> Any:
    """Return a typer option for settings field `name`, ``None`` unless given on the command line.

    Parameters
    ----------
    cls
        The stage's settings class.
    name
        The field.
    flags
        Option names; default ``--field-name``.
    kwargs
        Passed to :func:`typer.Option` (``min``, ``max``, ``metavar``, ...).
    """
    if name not in cls.model_fields:
        raise KeyError(f"{cls.__name__} has no field '{name}'")
    return typer.Option(
        None, *(flags or (_flag(name),)), help=setting_help(cls, name), show_default=False, **kwargs
    )


def _flag_in_use(cls: type[BaseModel], name: str) -> str:
    """Return the flag the running command offers for field `name` (``--visit-minutes``), else ``--name``."""
    from typer._click.globals import get_current_context  # typer carries its own copy of click

    ctx = get_current_context(silent=True)
    if ctx is not None and name in cls.model_fields:
        wanted = setting_help(cls, name)
        for param in ctx.command.params:
            opts = getattr(param, "opts", None)
            if getattr(param, "help", None) == wanted and opts:
                return str(opts[0])
    return _flag(name)


def build_settings(cls: type[S], /, **values: Any) -> S:
    """Build settings from command-line values, leaving out those not given (``None``).

    Raises
    ------
    ConfigError
        Naming the option as the user typed it (``--radius``) and what is wrong, in one line.
    """
    given = {k: v for k, v in values.items() if v is not None}
    try:
        return cls(**given)
    except ValidationError as err:
        problems = []
        for e in err.errors():
            key = str(e["loc"][0]) if e["loc"] else ""
            msg = e["msg"].removeprefix("Value error, ")
            problems.append(f"{_flag_in_use(cls, key)}: {msg}, got {e.get('input')!r}" if key else msg)
        raise ConfigError("; ".join(problems)) from err
