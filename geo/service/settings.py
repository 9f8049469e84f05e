"""Settings of one service instance, passed explicitly to :func:`geo.service.create_app`."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ServiceSettings"]


class ServiceSettings(BaseModel):
    """How one service instance runs (``geo serve`` options map one to one onto these).

    Attributes
    ----------
    db
        Storage: a ``.gpkg`` file (embedded default) or a ``postgresql://`` URL.
    area
        Study area (municipality name or code, or a polygon file); submissions outside it are refused.
    maps_dir
        Folder of the maps served under ``/maps/{name}``; runs write their outputs below it.
    rate_limit_per_min
        Submissions per client and minute (public clients, by address); 0 turns the limit off.
    retention_days
        Free text older than this many days (by when it was received) is deleted; 0 deletes it at the next
        sweep.
    retention_sweep_min
        Minutes between retention sweeps (one also runs at start).
    max_body_bytes
        Largest request body accepted (413 beyond).
    max_text_chars
        Longest description accepted (422 beyond).
    k
        Smallest count shown publicly (hot-spots and categories with fewer reports are suppressed).
    future_slack_min
        Minutes a reported time may lie ahead of the server clock (clock skew of phones).
    run_extra_sources
        Further report files or URLs every run reads beside the stored reports (e.g. police exports).
    run_config
        A ``geo run`` TOML configuration whose settings runs use (its sources are replaced by the store).
    trusted_proxies
        Addresses of reverse proxies whose ``X-Forwarded-For`` names the client.
    geocode
        An OpenStreetMap extract (``.osm.pbf``) whose addresses inside the study area the report page offers
        in its address search (read once at start, on this machine); ``None``: the first ``geocode`` of
        `run_config`'s sources, else no address search.
    search_rate_limit_per_min
        Address searches per client and minute (counted apart from submissions); 0 turns the limit off.
    feed_archive, feed_url, feed_interval_min
        Keep an archive of the Police events feed (``.jsonl``, as ``geo feed fetch``): fetched from
        `feed_url` at start and every `feed_interval_min` minutes (at least 10); ``None``: no schedule.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    db: str = "lagesbild.gpkg"
    area: str = "Värnamo"
    maps_dir: Path = Path("maps")
    rate_limit_per_min: int = Field(default=20, ge=0)
    retention_days: float = Field(default=90.0, ge=0)
    retention_sweep_min: float = Field(default=60.0, gt=0)
    max_body_bytes: int = Field(default=16_384, gt=0)
    max_text_chars: int = Field(default=2_000, gt=0)
    k: int = Field(default=5, ge=1)
    future_slack_min: float = Field(default=10.0, ge=0)
    run_extra_sources: tuple[str, ...] = ()
    run_config: Path | None = None
    trusted_proxies: tuple[str, ...] = ()
    geocode: Path | None = None
    search_rate_limit_per_min: int = Field(default=120, ge=0)
    feed_archive: Path | None = None
    feed_url: str = "https://polisen.se/api/events"
    feed_interval_min: float = Field(default=30.0, ge=10.0)
