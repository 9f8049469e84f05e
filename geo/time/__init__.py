"""Time in one place: parsing times, local dates to timestamps, time-of-week profiles, shifts and ISO weeks.

Import from the submodules (``geo.time.parse``, ``geo.time.profile``, ``geo.time.weeks``).
"""
