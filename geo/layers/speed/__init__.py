"""The traffic-speed layer: measured speeds per road segment and time window, against the speed limit.

The inputs are read by :mod:`geo.io.segments` (road segments with limits) and :mod:`geo.io.measurements`
(single passes or per-hour aggregates); this package works on their frames:

* :mod:`.matching` gives each measurement its segment (by id, or the nearest segment within ``tolerance_m``
  metres that runs in the measurement's direction);
* :mod:`.statistics` summarises speeds per segment and window (weekday group × hour band): passes, shares over
  the limit and over the limit + 10 km/h, mean and 85th percentile, speeders per observed hour;
* :mod:`.layer` attaches traffic-related reports and builds the :class:`~geo.layers.speed.layer.SpeedLayer`
  the enforcement plan (:mod:`geo.plan.enforcement`) and the map use.
"""
