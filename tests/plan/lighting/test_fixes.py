"""Quick fixes: broken and part-night lamps with dark-time evidence, and residents' broken-lamp reports."""

from __future__ import annotations

from pathlib import Path

from geo.layers.lighting.layer import build_lighting
from geo.plan.lighting.fixes import quick_fixes
from tests.layers.lighting.street import reports_along, street_and_lamps


def test_quick_fixes_broken_and_part_night_lamps(tmp_path: Path) -> None:
    street, lamps = street_and_lamps()
    layer = build_lighting(lamps, street, radius_m=25.0)
    reports = reports_along(
        tmp_path,
        [
            (200, "2024-12-03 21:00", "rån"),
            (205, "2024-12-04 22:00", "misshandel"),  # dark, at the broken lamp
            (200, "2024-06-03 12:00", "stöld"),  # daylight: not evidence
            (320, "2024-12-05 02:30", "misshandel"),  # part-night lamp, while it is off
            (322, "2024-12-05 20:00", "misshandel"),  # part-night lamp, while it is on: not evidence
            (40, "2024-10-01 10:00", "trasig belysning"),  # resident reports a broken lamp at an ok lamp
        ],
    )
    fixes = quick_fixes(reports, layer)
    by_id = fixes.set_index("lamp_id")
    assert by_id.loc["L5", "status"] == "broken" and by_id.loc["L5", "dark_reports"] == 2
    assert by_id.loc["L8", "status"] == "part_night" and by_id.loc["L8", "dark_reports"] == 1
    assert "halvnatt" in by_id.loc["L8", "reason"].lower() or "Halvnatt" in by_id.loc["L8", "reason"]
    assert by_id.loc["L1", "broken_reports"] == 1 and by_id.loc["L1", "status"] == "ok"
    assert fixes.iloc[0]["lamp_id"] == "L5" and list(fixes["rank"]) == list(range(1, len(fixes) + 1))
