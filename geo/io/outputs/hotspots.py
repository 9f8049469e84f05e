"""Writing the hot-spot stage's result: one GeoJSON (WGS84) or GeoPackage (metric CRS) file the user names.

With method ``segments`` the hot-spots are street segments (lines) and a GeoPackage also holds every
segment with reports (layer ``street_segments``: ``segment_id``, ``name``, ``length_m``, ``n_reports``,
``per_100m``, ``rank``).

The file holds the hot-spots (layer ``hotspots``) or, for method ``gistar``, every Gi* cell with its
``count``, ``z``, ``p``, ``p_fdr``, ``class``, ``neighbours`` and the ``hotspot_id`` it belongs to (layer
``gistar``): the contract of ``geo hotspots --out``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geo.errors import InputError
from geo.io.export import atomic_path, write_frame
from geo.io.manifest import OutputFile
from geo.stages.hotspots import HotspotResult

__all__ = ["OUT_SUFFIXES", "write_hotspots"]

OUT_SUFFIXES: tuple[str, ...] = (".geojson", ".json", ".gpkg")
"""File suffixes :func:`write_hotspots` writes."""


def _write(frame: gpd.GeoDataFrame, out: Path, *, layer: str) -> None:
    """GeoPackage in the metric CRS; GeoJSON in WGS84 with JSON-text columns kept as text (as in memory)."""
    frame = frame.copy()
    frame.attrs = {}
    if out.suffix.lower() == ".gpkg":
        write_frame(frame, out, layer=layer)
        return
    with atomic_path(out) as tmp:
        frame.to_crs("EPSG:4326").to_file(
            tmp,
            driver="GeoJSON",
            engine="pyogrio",
            layer=out.stem,
            layer_options={"AUTODETECT_JSON_STRINGS": "NO"},
        )


def write_hotspots(
    result: HotspotResult, out_path: str | Path, *, layer: str | None = None
) -> list[OutputFile]:
    """Write the hot-spots, or for method ``gistar`` the Gi* cells, to `out_path` (atomically).

    Parameters
    ----------
    result
        From :func:`geo.stages.hotspots.hotspots_stage`.
    out_path
        ``.geojson``/``.json`` (WGS84, JSON-text columns such as ``profile`` kept as text) or ``.gpkg``
        (the reports' metric CRS; into an existing package the layer is added or replaced).
    layer
        ``"hotspots"`` or ``"gistar"``; default ``"gistar"`` for method ``gistar``, else ``"hotspots"``.

    Returns
    -------
    files
        One entry, of kind `layer` (the GeoPackage layer named too).

    Raises
    ------
    InputError
        For another suffix, or ``gistar`` without Gi* cells in `result`.
    """
    out = Path(out_path)
    if out.suffix.lower() not in OUT_SUFFIXES:
        raise InputError(f"output must end in .geojson or .gpkg, got '{out.name}'", path=str(out))
    layer = layer or ("gistar" if result.settings.method == "gistar" else "hotspots")
    frame = result.gistar if layer == "gistar" else result.hotspots
    if frame is None:
        raise InputError("no Gi* cells in the result to write (settings.overview is off)", path=str(out))
    _write(frame, out, layer=layer)
    gpkg = out.suffix.lower() == ".gpkg"
    files = [OutputFile(kind=layer, path=str(out), stage="hotspots", layer=layer if gpkg else None)]
    if gpkg and result.segments is not None:  # hot streets: every segment with reports, beside the top ones
        write_frame(result.segments, out, layer="street_segments")
        files.append(OutputFile("street_segments", str(out), "hotspots", layer="street_segments"))
    return files
