"""The leak checker the public-map tests rely on (geo.maps.privacy)."""

from __future__ import annotations

from geo.maps.privacy import leaked_coordinates, leaked_texts


def test_leak_checker_finds_planted_positions_in_every_common_format():
    lat, lon = 57.183214, 14.047791
    for planted in (
        "57.1832, 14.0478",
        "[14.0478,57.1832]",
        "57.1832 14.0478",
        "lat 57.1832;14.0478",
        "POINT (14.0478 57.1832)",
        '"coordinates":[14.0478,57.1832]',
    ):
        html = f"<html><script>var x = {planted};</script></html>"
        assert leaked_coordinates(html, [lat], [lon]) == ["57.1832, 14.0478"], planted
    # more decimals is another number; neighbouring vertices are not a pair
    assert leaked_coordinates("[14.047812,57.183201]", [lat], [lon]) == []
    assert leaked_coordinates("[1.5,57.1832],[14.0478,2.5]", [lat], [lon]) == []
    # the trailing-zero form: a report at 57.1800 is written 57.18 by JSON
    assert leaked_coordinates("[14.05,57.18]", [57.18001], [14.04996]) == ["57.18, 14.05"]


def test_text_checker_finds_escaped_forms():
    html = 'x = "Man slagen \\u003cvid\\u003e kiosken"; <p>Rån &amp; hot mot butik</p>'
    assert leaked_texts(html, ["Man slagen <vid> kiosken", "Rån & hot mot butik", "Inte med här alls"]) == [
        "Man slagen <vid> kiosken",
        "Rån & hot mot butik",
    ]
