"""Near-repeat analysis: the Knox test per space band × time band, and alerts for the latest incidents.

:func:`~geo.nearrepeat.knox.knox_test` counts pairs of incidents close in space and time against the
counts expected when the times are permuted (Monte-Carlo p-values); :func:`~geo.nearrepeat.alerts.risk_zone`
reads the raised zone (radius and days) off the table, and :func:`~geo.nearrepeat.alerts.near_repeat_alerts`
turns recent incidents into alerts with a Swedish and an English text a neighbourhood-watch contact can send.
"""

from __future__ import annotations

from geo.nearrepeat.alerts import ALERT_COLUMNS, RiskZone, alert_zones, near_repeat_alerts, risk_zone
from geo.nearrepeat.knox import KNOX_COLUMNS, knox_test

__all__ = [
    "ALERT_COLUMNS",
    "KNOX_COLUMNS",
    "RiskZone",
    "alert_zones",
    "knox_test",
    "near_repeat_alerts",
    "risk_zone",
]
