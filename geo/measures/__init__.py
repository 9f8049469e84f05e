"""Measures (åtgärder): the register's model and the before/after evaluation of each measure.

:mod:`geo.measures.model` (the frame), :mod:`geo.measures.hours` (when a measure acts),
:mod:`geo.measures.stats` (rate ratio, WDD, WDQ), :mod:`geo.measures.evaluate` (counts, windows, verdicts),
:mod:`geo.measures.texts` (the verdict in words).
"""
