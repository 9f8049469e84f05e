"""Command options built from settings: help from the field, defaults only from the settings class."""

from __future__ import annotations

import pytest

from geo.commands._settings import build_settings, option, setting_help
from geo.errors import ConfigError
from geo.stages.lighting import LightingSettings


def test_help_names_meaning_and_default():
    text = setting_help(LightingSettings, "radius_m")
    assert "metres" in text
    assert f"[default: {LightingSettings().radius_m}]" in text


def test_option_defaults_to_none_so_the_class_decides():
    opt = option(LightingSettings, "radius_m", "--radius")
    assert opt.default is None
    assert opt.param_decls == ("--radius",)
    assert build_settings(LightingSettings, radius_m=None) == LightingSettings()
    assert build_settings(LightingSettings, radius_m=40.0).radius_m == 40.0


def test_unknown_field_is_refused():
    with pytest.raises(KeyError, match="no field"):
        option(LightingSettings, "radius")


def test_bad_value_names_the_option():
    with pytest.raises(ConfigError, match="--radius-m"):
        build_settings(LightingSettings, radius_m=-1.0)
