"""Every stage command offers every field of its stage's settings, with the help text the field gives.

So a parameter has one home (the settings class) and the command line cannot drift from `geo run`.
"""

from __future__ import annotations

import pytest
from typer.main import get_command

from geo.cli import build_app
from geo.commands._settings import setting_help
from geo.stages.backtest import BacktestSettings
from geo.stages.evaluate import EvaluateSettings
from geo.stages.forecast import ForecastSettings
from geo.stages.hotspots import HotspotSettings
from geo.stages.insecurity import InsecuritySettings
from geo.stages.lighting import LightingSettings
from geo.stages.maps import MapSettings
from geo.stages.nearrepeat import NearRepeatSettings
from geo.stages.patrol import PatrolSettings
from geo.stages.speed import SpeedSettings

NOT_ON_THE_COMMAND_LINE = {
    # geo hotspots filters reports with --only-source/--category (several filters, not only these two)
    ("hotspots", "sources"),
    ("hotspots", "categories"),
    # the map's density/Gi* overview: geo map and geo run draw it, geo hotspots writes hot-spots only
    ("hotspots", "density_min_bandwidth_m"),
    ("hotspots", "overview"),
    # geo forecast draws no map layer; the top cells are for geo run's map
    ("forecast", "top"),
    # geo run writes the public map beside the internal one; geo map --public draws one public map
    ("map", "public"),
    # geo run's public map; geo insecurity draws no map
    ("insecurity", "public"),
}


@pytest.mark.parametrize(
    ("command", "settings"),
    [
        ("hotspots", HotspotSettings),
        ("lighting", LightingSettings),
        ("patrol", PatrolSettings),
        ("speed", SpeedSettings),
        ("forecast", ForecastSettings),
        ("backtest", BacktestSettings),
        ("map", MapSettings),
        ("evaluate", EvaluateSettings),
        ("insecurity", InsecuritySettings),
        ("nearrepeat", NearRepeatSettings),
    ],
)
def test_command_offers_every_setting(command, settings):
    params = get_command(build_app(command)).commands[command].params
    helps = {getattr(p, "help", None) for p in params}
    missing = {
        name
        for name in settings.model_fields
        if setting_help(settings, name) not in helps and (command, name) not in NOT_ON_THE_COMMAND_LINE
    }
    assert not missing, f"geo {command} lacks options for {sorted(missing)}"
    defaults = {
        p.name: p.default
        for p in params
        if getattr(p, "help", None) in {setting_help(settings, n) for n in settings.model_fields}
    }
    assert all(d is None for d in defaults.values()), defaults  # the settings class supplies every default
