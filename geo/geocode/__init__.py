"""Addresses to positions, on the machine: a gazetteer of address points and named streets.

:class:`~geo.geocode.gazetteer.Gazetteer` matches an address (``"Storg. 12B, 331 30 Värnamo"``) to an
address point (precision ``address``) or, when only the street is known, to a point on the street
(precision ``street``); :meth:`~geo.geocode.gazetteer.Gazetteer.search` offers addresses as a user types.
Building one from an OpenStreetMap extract is :func:`geo.io.addresses.read_gazetteer`. Nothing is sent
anywhere.
"""

from geo.geocode.gazetteer import Gazetteer, Match, parse_address, street_key

__all__ = ["Gazetteer", "Match", "parse_address", "street_key"]
