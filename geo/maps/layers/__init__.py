"""The map's layers by domain; each ``add_*`` function draws one layer with its legend and popups.

Each takes a map and a prepared frame and returns the map. The frames come from
:func:`geo.maps.prepare.prepare_layers` (which also makes them public-safe) or straight from the analysis
modules; every function checks the columns it needs and names the missing ones.

==========================  =====================================================================
module                      layers
==========================  =====================================================================
:mod:`.reports`             study area, report grid, clustered report points
:mod:`.hotspots`            hot-spot areas
:mod:`.overview`            density contours, Gi* cells
:mod:`.lighting`            lit coverage, dark stretches and places, lamp proposals, quick fixes
:mod:`.speed`               speed segments, enforcement plan
:mod:`.patrol`              patrol plan (visits and routes)
:mod:`.forecast`            forecast risk cells
:mod:`.feed`                the Police events feed's trend panel
==========================  =====================================================================
"""
