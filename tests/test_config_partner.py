"""``[partner]`` of the run TOML: the EST checklist of partner reports (default, own list, mistakes named)."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.config import load_config
from geo.config_partner import DEFAULT_CHECKLIST
from geo.errors import ConfigError

BASE = 'area = { municipality = "Värnamo" }\n[[sources]]\npath = "reports.csv"\n'


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "run.toml"
    p.write_text(BASE + text, encoding="utf-8")
    return p


def test_default_checklist_is_the_est_list(tmp_path: Path) -> None:
    cfg = load_config(_write(tmp_path, ""))
    assert cfg.partner.categories == DEFAULT_CHECKLIST
    assert [c.code for c in DEFAULT_CHECKLIST] == [
        "skadegörelse",
        "samling",
        "ordningsstörning",
        "otrygg plats",
        "narkotika",
        "evenemang",
        "rykten",
    ]


def test_own_checklist(tmp_path: Path) -> None:
    text = (
        '[[partner.categories]]\ncode = "Klotter"\nsv = "Klotter"\nen = "Graffiti"\n'
        '[[partner.categories]]\ncode = "brand"\nsv = "Anlagd brand"\nen = "Arson"\n'
    )
    cfg = load_config(_write(tmp_path, text))
    assert [(c.code, c.en) for c in cfg.partner.categories] == [("klotter", "Graffiti"), ("brand", "Arson")]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[[partner.categories]]\ncode = "a"\nsv = "A"\nen = "A"\n' * 2, "unique"),
        ('[[partner.categories]]\ncode = "a"\nsv = "A"\n', "en"),
        ("[partner]\ncategories = []\n", "at least 1"),
        ('[[partner.categories]]\ncode = "a"\nsv = "A"\nen = "A"\ncolour = "red"\n', "unknown key"),
    ],
)
def test_mistakes_name_the_key(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(_write(tmp_path, text))
    assert "partner.categories" in str(err.value) and words in str(err.value)


def test_the_service_takes_the_checklist_from_its_run_config(tmp_path: Path) -> None:
    from geo.service import ServiceSettings, create_app

    run_config = _write(
        tmp_path, '[[partner.categories]]\ncode = "brand"\nsv = "Anlagd brand"\nen = "Arson"\n'
    )
    app = create_app(
        ServiceSettings(db=str(tmp_path / "s.gpkg"), maps_dir=tmp_path / "maps", run_config=run_config)
    )
    lb = app.state.lb
    try:
        assert [c.code for c in lb.checklist] == ["brand"]
        assert "Anlagd brand" in lb.partner_html["sv"] and "Arson" in lb.partner_html["en"]
        assert "Anlagd brand" in lb.moderation_html["sv"]
    finally:
        lb.writer.close()
        lb.runs.close()
        lb.store.close()
