"""Reading reports and layers: the only package that touches files, databases or the network.

:func:`read_reports` is the one entry point for reports. It dispatches by suffix: CSV (also ``.csv.gz`` and
``.txt``), GeoJSON, GeoPackage, Shapefile, FlatGeobuf, GeoParquet, and the Swedish Police events JSON; a
``postgresql://`` URL reads from PostGIS (see :mod:`geo.io.postgis`). Files already in the canonical model
(written by ``geo ingest``) are read back as they are and re-validated.

Modules by concern:

- reports: :mod:`~geo.io.reports` (:func:`read_reports`), :mod:`~geo.io.sources` (one source by its kind:
  :mod:`~geo.io.tabular` CSV, :mod:`~geo.io.polisen` Police JSON, :mod:`~geo.io.postgis`, vector files,
  :mod:`~geo.io.canonical` frames already in the model), :mod:`~geo.io.merge` (several sources as one);
- mapping a raw table to the model: :mod:`~geo.io.mapping` (the steps in order), :mod:`~geo.io.columns`
  (column detection), :mod:`~geo.io.coords` (positions), :mod:`~geo.io.times` and :mod:`~geo.io.values`
  (value parsing), :mod:`~geo.io.rejects` (the account of every row);
- layers: :mod:`~geo.io.layers` (streets and other vector layers), :mod:`~geo.io.osm` (OpenStreetMap PBF),
  :mod:`~geo.io.area` (study areas); writing: :mod:`~geo.io.export`, :mod:`~geo.io.outputs`.
"""

from __future__ import annotations

from geo.io.merge import ReadResult, merge_results
from geo.io.options import ReaderOptions
from geo.io.reports import read_reports

__all__ = ["ReadResult", "ReaderOptions", "merge_results", "read_reports"]
