"""Every console line of a command in the one language of ``--lang``: no Swedish line with English beside."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geo.cli import app
from tests._helpers import DEMO_POLICE_ARGS

pytestmark = pytest.mark.slow  # each case reads the demo police file and finds hot-spots

SWEDISH = ("Rader lästa", "godkända", "Avvisningstabell", "Tidszon", "Skrev ", "kolumner", " till /")
ENGLISH = ("Rows read", "accepted", "Rejects", "Time zone", "Wrote ", "columns", " to /")
"""Words of each language's lines (the spinner's "Läser rapporter ..." is not shown off a terminal)."""
MIXED = re.compile(r" / (?:reading|rejects|rows read|accepted|rejected|warnings|time zone|wrote|to|cells)\b")


def _said(args: list[str], lang: str) -> str:
    res = CliRunner().invoke(app, [*args, "--lang", lang])
    assert res.exit_code == 0, res.output
    return " ".join(res.output.split())


@pytest.mark.parametrize(("lang", "own", "other"), [("sv", SWEDISH, ENGLISH), ("en", ENGLISH, SWEDISH)])
def test_hotspots_speaks_one_language(
    tmp_path: Path, lang: str, own: tuple[str, ...], other: tuple[str, ...]
) -> None:
    out = tmp_path / "hotspots.geojson"
    args = ["hotspots", *DEMO_POLICE_ARGS, "--method", "dbscan", "--eps", "60", "--min-samples", "20"]
    said = _said([*args, "--out", str(out)], lang)
    assert out.exists()
    assert not MIXED.search(said), said
    for word in own:
        assert word in said, (word, said)
    for word in other:
        assert word not in said, (word, said)


def test_demo_generate_speaks_english(tmp_path: Path) -> None:
    said = _said(["demo", "generate", "--noise", "0", "--out", str(tmp_path / "world")], "en")
    assert "Demo world (synthetic demo data) with seed 683 in" in said
    assert "Demovärld" not in said and " / " not in said


def test_lang_is_checked() -> None:
    res = CliRunner().invoke(app, ["demo", "generate", "--out", "x", "--lang", "de"])
    assert res.exit_code != 0
    assert "--lang must be sv or en" in str(res.output) + str(res.exception)
