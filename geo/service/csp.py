"""Content-Security-Policy of the HTML the service serves (maps and pages), built from the page itself.

The maps are single files with Leaflet and the map's own code embedded as inline ``<script>`` elements (no
CDN request: see :mod:`geo.maps.registry`), so the scripts must be inline. Instead of ``'unsafe-inline'``
the policy lists the SHA-256 hash of each inline script the file holds: those run, nothing else does. An
event-handler attribute (``<img onerror=...>``) that a hostile text might smuggle into a tooltip is not
covered by any hash, so the browser refuses to run it, and so is any script a text injected later.

Styles keep ``'unsafe-inline'``: Leaflet positions every marker, tile and popup with ``style`` attributes,
which hashes cannot allow (CSS cannot run script in current browsers). Images: the page itself, ``data:``
URIs (Leaflet's icons are embedded that way) and the tile servers the map's tile layers name. No
connections, frames, forms, plugins or base URL are allowed.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from pathlib import Path

__all__ = ["html_csp", "map_file_csp"]

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_TILE_HOST = re.compile(r"""["'](https?://[^/"'\s]+)/[^"'\s]*\{z\}""")


def _script_hashes(html: str) -> list[str]:
    hashes = []
    for attrs, body in _SCRIPT.findall(html):
        if "src=" in attrs.lower():
            continue  # an external script: never allowed (none is needed)
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return sorted(set(hashes))


def _tile_sources(html: str) -> list[str]:
    hosts = set()
    for origin in _TILE_HOST.findall(html):
        hosts.add(re.sub(r"//\{s\}\.", "//*.", origin))
    return sorted(h for h in hosts if "{" not in h)


@functools.lru_cache(maxsize=8)
def html_csp(html: str, *, connect_self: bool = False, form_self: bool = False) -> str:
    """Build the Content-Security-Policy of one HTML page: its inline scripts (by hash), its tile servers.

    Parameters
    ----------
    html
        The page as served.
    connect_self
        Allow ``fetch`` to the service itself (the report page posts reports).
    form_self
        Allow forms to submit to the service itself.
    """
    scripts = " ".join(_script_hashes(html)) or "'none'"
    images = " ".join(["'self'", "data:", *_tile_sources(html)])
    connect = "'self'" if connect_self else "'none'"
    forms = "'self'" if form_self else "'none'"
    return (
        f"default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; img-src {images}; "
        f"font-src data:; connect-src {connect}; base-uri 'none'; form-action {forms}; "
        "frame-ancestors 'none'; object-src 'none'"
    )


@functools.lru_cache(maxsize=64)
def _file_csp(path: str, mtime_ns: int, size: int) -> str:
    return html_csp(Path(path).read_text(encoding="utf-8", errors="replace"))


def map_file_csp(path: Path) -> str:
    """:func:`html_csp` of a map file (cached while the file is unchanged)."""
    st = path.stat()
    return _file_csp(str(path), st.st_mtime_ns, st.st_size)
