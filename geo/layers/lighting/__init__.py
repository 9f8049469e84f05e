"""The lighting layer: where light reaches, which walkable ways are unlit, and the dark stretches between.

Lit coverage is modelled simply and openly: every working lamp lights a disc of ``radius_m`` metres (default
:data:`~geo.layers.lighting.layer.DEFAULT_RADIUS_M` = 25 m, about half the usual 40-50 m spacing of
residential street lamps mounted at 6-8 m, so that a well-lit street is covered end to end), and a way tagged
``lit=yes`` (or ``24/7``, ``automatic``, ``limited``, ...) lights a band of ``lit_way_buffer_m`` metres either
side of its centre line. Broken lamps light nothing, and their discs are cut out of the bands of ``lit=yes``
ways (the tag describes the street in normal operation; the register says what works today). A *dark
stretch* is a part of a walkable way (foot, cycle, path, pedestrian, steps, residential, service, living
street) outside that coverage.

Modules (import from them; everything here is pure, the readers are :mod:`geo.io.lamps` and
:mod:`geo.io.ways`):

- :mod:`~geo.layers.lighting.tags`: walkable ``highway`` values, ``lit=*`` classes, street labels;
- :mod:`~geo.layers.lighting.layer`: :class:`~geo.layers.lighting.layer.LightingLayer` and
  :func:`~geo.layers.lighting.layer.build_lighting`;
- :mod:`~geo.layers.lighting.stretches`: each way minus the lit pieces, merged into dark stretches.

Residents' and safety-walk reports of dark places and broken lamps are handled in :mod:`geo.plan.lighting`.
"""
