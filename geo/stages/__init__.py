"""The engine's stages: one function per stage, frames and one settings object in, a typed result out.

Each module holds one stage: its settings class (the single source of its parameters and defaults; the TOML
section, the command-line options and the service are checked against it), its result class and the stage
function itself. Stages never open files (that is :mod:`geo.io`) and never print (progress goes through a
callback). See ``docs/architecture.md``.

========================  ===========================  ==========================  ========================
module                    function                     settings                    result
========================  ===========================  ==========================  ========================
:mod:`.hotspots`          ``hotspots_stage``           ``HotspotSettings``         ``HotspotResult``
:mod:`.lighting`          ``lighting_stage``           ``LightingSettings``        ``LightingResult``
:mod:`.patrol`            ``patrol_stage``             ``PatrolSettings``          ``PatrolResult``
:mod:`.speed`             ``speed_stage``              ``SpeedSettings``           ``SpeedResult``
:mod:`.forecast`          ``forecast_stage``           ``ForecastSettings``        ``ForecastResult``
:mod:`.maps`              ``map_stage``                ``MapSettings``             ``MapResult``
========================  ===========================  ==========================  ========================
"""
