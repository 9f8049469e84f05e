"""The pages' Jinja2 environment, here for the maps' modules: it lives in :mod:`geo.templating`."""

from __future__ import annotations

from geo.templating import environment, render

__all__ = ["environment", "render"]
