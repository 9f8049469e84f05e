"""The engine's rules, checked on the source (docs/architecture.md): sizes and who may import what."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GEO = Path(__file__).resolve().parents[1] / "geo"
MODULES = sorted(GEO.rglob("*.py"))
MAX_LINES = 400


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _rel(path: Path) -> str:
    return path.relative_to(GEO.parent).as_posix()


def test_modules_are_small():
    big = {_rel(p): n for p in MODULES if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not big, f"modules over {MAX_LINES} lines: {big}"


def test_typer_and_rich_only_in_the_command_line():
    faces = {"geo/cli.py", "geo/__main__.py"}
    offenders = {
        _rel(p): sorted(n for n in _imports(p) if n.split(".")[0] in {"typer", "rich", "click"})
        for p in MODULES
        if not _rel(p).startswith("geo/commands/") and _rel(p) not in faces
    }
    assert not {k: v for k, v in offenders.items() if v}


@pytest.mark.parametrize(
    "package",
    [
        *("hotspots", "layers", "plan", "forecast", "maps", "stages", "demo", "measures"),
        *("insecurity", "nearrepeat"),
    ],
)
def test_computation_never_touches_files(package):
    offenders = {
        _rel(p): sorted(n for n in _imports(p) if n == "geo.io" or n.startswith("geo.io."))
        for p in (GEO / package).rglob("*.py")
    }
    assert not {k: v for k, v in offenders.items() if v}


def test_library_never_imports_the_faces():
    faces = ("geo.commands", "geo.cli")
    offenders = {
        _rel(p): sorted(n for n in _imports(p) if n.startswith(faces))
        for p in MODULES
        if not _rel(p).startswith("geo/commands/") and _rel(p) not in {"geo/cli.py", "geo/__main__.py"}
    }
    assert not {k: v for k, v in offenders.items() if v}
