"""``geo users`` and ``geo serve`` argument handling (in-process through the typer app)."""

from __future__ import annotations

import subprocess

import pytest
from typer.testing import CliRunner

from geo.cli import app
from geo.errors import InputError
from geo.service.auth import hash_token
from geo.service.storage import open_store
from tests.service.conftest import GEO


def test_users_add_prints_token_last(tmp_path) -> None:  # noqa: ANN001
    db = str(tmp_path / "svc.gpkg")
    out = subprocess.run(
        [GEO, "users", "add", "anna", "--db", db, "--role", "viewer"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    token = out.stdout.strip().splitlines()[-1]
    assert token.startswith("lb_") and len(token) > 40
    store = open_store(db)
    user = store.user_for_token(hash_token(token))
    assert user is not None and user.name == "anna" and user.role == "viewer"
    store.close()
    assert token not in (tmp_path / "svc.gpkg").read_bytes().decode("latin-1")  # only the hash is stored
    runner = CliRunner()
    listed = runner.invoke(app, ["users", "list", "--db", db])
    assert "anna" in listed.output and token not in listed.output
    partner = runner.invoke(
        app, ["users", "add", "bo", "--db", db, "--role", "partner", "--org", "Bostads AB"]
    )
    assert partner.exit_code == 0 and "Bostads AB" in partner.output
    assert "Bostads AB" in runner.invoke(app, ["users", "list", "--db", db]).output
    removed = runner.invoke(app, ["users", "remove", "anna", "--db", db])
    assert removed.exit_code == 0
    store = open_store(db)
    assert store.user_for_token(hash_token(token)) is None
    store.close()


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["users", "add", "x", "--db", "reports.csv"], ".gpkg"),
        (["users", "add", "x", "--db", "{db}", "--role", "god"], "--role"),
        (["users", "add", "x", "--db", "{db}", "--role", "partner"], "--org"),
        (["serve", "--db", "{db}", "--area", "Atlantis"], "unknown study area"),
    ],
)
def test_bad_arguments(tmp_path, args: list[str], match: str) -> None:  # noqa: ANN001
    args = [a.replace("{db}", str(tmp_path / "s.gpkg")) for a in args]
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0
    assert isinstance(result.exception, InputError) and match in str(result.exception)


def test_help_has_example() -> None:
    for cmd in (["serve", "--help"], ["users", "add", "--help"]):
        result = CliRunner().invoke(app, cmd)
        assert result.exit_code == 0 and "Example: geo" in result.output


def test_extra_source_cannot_be_the_store(tmp_path) -> None:  # noqa: ANN001
    db = str(tmp_path / "s.gpkg")
    result = CliRunner().invoke(app, ["serve", "--db", db, "--extra-source", db])
    assert isinstance(result.exception, InputError) and "own --db" in str(result.exception)
