"""The run configuration: one TOML file describes a whole lägesbild run (``geo run CONFIG.toml``).

:func:`load_config` reads the file with :mod:`tomllib` into frozen pydantic models that forbid unknown keys;
every problem is re-raised as one :class:`~geo.errors.ConfigError` naming the file and the dotted key
(``demo.toml: sources[0].columns.lat: ...``). Relative paths are resolved against the config file's folder.
The documented example is ``data/demo/demo.toml`` (the demo world's own configuration).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from geo.config_insecurity import InsecurityConfig, resolve_insecurity_paths
from geo.config_measures import MeasuresConfig, resolve_measure_paths
from geo.config_nearrepeat import NearRepeatConfig
from geo.config_partner import PartnerConfig
from geo.config_sections import OutputConfig, RunSection
from geo.errors import ConfigError
from geo.io.options import ReaderOptions
from geo.model import PRECISIONS
from geo.rhythm.config import PeriodConfig, PriorityArea, StoreConfig
from geo.stages._base import StageSettings
from geo.stages.forecast import ForecastSettings
from geo.stages.hotspots import HotspotSettings
from geo.stages.lighting import LightingSettings
from geo.stages.maps import MapSettings
from geo.stages.patrol import PatrolSettings
from geo.stages.speed import SpeedSettings

__all__ = [
    "AreaConfig",
    "ColumnsConfig",
    "ForecastConfig",
    "HotspotsConfig",
    "LayersConfig",
    "LightingConfig",
    "MapsConfig",
    "OutputConfig",
    "PatrolConfig",
    "PeriodConfig",
    "RunConfig",
    "RunSection",
    "SourceConfig",
    "SpeedConfig",
    "StoreConfig",
    "load_config",
    "parse_config",
    "stage_settings",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AreaConfig(_Model):
    """``[area]``: the study area, a municipality (name or code) or a polygon file; exactly one."""

    municipality: str | None = None
    file: Path | None = None

    @model_validator(mode="after")
    def _one(self) -> AreaConfig:
        if (self.municipality is None) == (self.file is None):
            raise ValueError("give exactly one of 'municipality' (name or code, e.g. \"0683\") or 'file'")
        return self

    @property
    def spec(self) -> str:
        """The argument for :func:`geo.io.area.load_area`."""
        return str(self.file) if self.file is not None else str(self.municipality)


class ColumnsConfig(_Model):
    """``[sources.columns]``: the input's column for each canonical field (detected when left out)."""

    lat: str | None = None
    lon: str | None = None
    x: str | None = None
    y: str | None = None
    time: str | None = None
    time_to: str | None = None
    category: str | None = None
    id: str | None = None
    description: str | None = None
    weight: str | None = None
    precision: str | None = None
    address: str | None = None
    """Address column, placed with ``geocode`` (``"Storgatan 12B, Värnamo"``)."""


class SourceConfig(_Model):
    """``[[sources]]``: one file (or ``postgresql://`` URL) of reports and how to read it."""

    path: str
    name: str | None = None
    source: str | None = None
    """Value of ``source`` for every row (police, resident, safety_walk, ...)."""
    precision: str = "exact"
    crs: str | None = None
    """CRS of x/y columns or of a vector file without one."""
    tz: str | None = None
    encoding: str | None = None
    sep: str | None = None
    drop_duplicates: bool = False
    geocode: str | None = None
    """OpenStreetMap extract (``.osm.pbf``) whose addresses place ``columns.address``, on this machine."""
    columns: ColumnsConfig = ColumnsConfig()

    @field_validator("precision")
    @classmethod
    def _precision(cls, v: str) -> str:
        if v not in PRECISIONS:
            raise ValueError(f"must be one of {', '.join(PRECISIONS)}, got '{v}'")
        return v

    @model_validator(mode="after")
    def _xy(self) -> SourceConfig:
        if (self.columns.x or self.columns.y) and not self.crs:
            raise ValueError("columns.x/columns.y need 'crs' (e.g. \"EPSG:3006\")")
        return self

    @property
    def label(self) -> str:
        """Name shown in messages: ``name`` or the file name."""
        return self.name or Path(self.path).name

    def reader_options(self, *, tz: str | None = None) -> ReaderOptions:
        """Return the reader options for :func:`geo.io.read_reports`."""
        c = self.columns
        sep = {"\\t": "\t", "tab": "\t"}.get(self.sep or "", self.sep)
        return ReaderOptions(
            lat_col=c.lat,
            lon_col=c.lon,
            x_col=c.x,
            y_col=c.y,
            crs=self.crs,
            time_col=c.time,
            time_to_col=c.time_to,
            category_col=c.category,
            id_col=c.id,
            description_col=c.description,
            weight_col=c.weight,
            precision_col=c.precision,
            tz=self.tz or tz,
            encoding=self.encoding,
            sep=sep,
            source=self.source,
            precision=self.precision,
            drop_duplicates=self.drop_duplicates,
            address_col=c.address,
            geocode=self.geocode,
        )


class LayersConfig(_Model):
    """``[layers]``: map layers beside the reports (GeoJSON/GeoPackage/CSV or an OSM ``.pbf``)."""

    streets: Path | None = None
    lamps: Path | None = None
    speed: list[Path] = Field(default_factory=list)
    """Speed measurements: individual passes or per-hour aggregates (one file or a list)."""

    @field_validator("speed", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return [v] if isinstance(v, str | Path) else v


S = TypeVar("S", bound=StageSettings)


def stage_settings(section: StageSettings, cls: type[S]) -> S:
    """Return the stage settings of a config section (the section without its ``enabled`` key).

    Example: ``stage_settings(config.lighting, LightingSettings)``.
    """
    return cls(**section.model_dump(exclude={"enabled"}))


class HotspotsConfig(HotspotSettings):
    """``[hotspots]``: :class:`~geo.stages.hotspots.HotspotSettings`, and whether the stage runs."""

    enabled: bool = True


class LightingConfig(LightingSettings):
    """``[lighting]``: :class:`~geo.stages.lighting.LightingSettings`, and whether the stage runs."""

    enabled: bool = True


class PatrolConfig(PatrolSettings):
    """``[patrol]``: :class:`~geo.stages.patrol.PatrolSettings`, and whether the stage runs."""

    enabled: bool = True


class SpeedConfig(SpeedSettings):
    """``[speed]``: :class:`~geo.stages.speed.SpeedSettings`; needs layers.speed and layers.streets."""

    enabled: bool = True


class ForecastConfig(ForecastSettings):
    """``[forecast]``: :class:`~geo.stages.forecast.ForecastSettings`, and whether the stage runs."""

    enabled: bool = True


class MapsConfig(MapSettings):
    """``[maps]``: :class:`~geo.stages.maps.MapSettings`, and whether the stage runs."""

    enabled: bool = True


class RunConfig(_Model):
    """A whole lägesbild run, as read from one TOML file.

    Attributes
    ----------
    path
        The file it was read from (``None`` when built in code).
    run, area, period, sources, layers, hotspots, lighting, patrol, speed, maps, output
        One attribute per TOML table.
    """

    path: Path | None = None
    run: RunSection = RunSection()
    area: AreaConfig | None = None
    """Study area; without it every position is kept (outside Sweden give a polygon ``file``)."""
    period: PeriodConfig = PeriodConfig()
    sources: list[SourceConfig] = Field(min_length=1)
    layers: LayersConfig = LayersConfig()
    hotspots: HotspotsConfig = HotspotsConfig()
    lighting: LightingConfig = LightingConfig()
    patrol: PatrolConfig = PatrolConfig()
    speed: SpeedConfig = SpeedConfig()
    forecast: ForecastConfig = ForecastConfig()
    maps: MapsConfig = MapsConfig()
    measures: MeasuresConfig = MeasuresConfig()
    insecurity: InsecurityConfig = InsecurityConfig()
    nearrepeat: NearRepeatConfig = NearRepeatConfig()
    partner: PartnerConfig = PartnerConfig()
    """The EST checklist of partner reports in the service (``/rapportera/partner``)."""
    store: StoreConfig = StoreConfig()
    areas: list[PriorityArea] = Field(default_factory=list)
    """Priority areas: figures per area in every run (``areas.csv``) and in the run store."""
    output: OutputConfig = OutputConfig()


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _resolve(data: dict[str, Any], base: Path) -> dict[str, Any]:
    """Make relative file paths absolute against `base` (URLs and absolute paths stay)."""

    def fix(p: Any) -> Any:
        if not isinstance(p, str) or "://" in p:
            return p
        q = Path(p).expanduser()
        return str(q if q.is_absolute() else (base / q).resolve())

    out = dict(data)
    if isinstance(out.get("sources"), list):
        out["sources"] = [
            {**s, **{k: fix(s[k]) for k in ("path", "geocode") if k in s}} if isinstance(s, dict) else s
            for s in out["sources"]
        ]
    layers = out.get("layers")
    if isinstance(layers, dict):
        layers = dict(layers)
        for key in ("streets", "lamps"):
            if key in layers:
                layers[key] = fix(layers[key])
        if isinstance(layers.get("speed"), list):
            layers["speed"] = [fix(p) for p in layers["speed"]]
        elif "speed" in layers:
            layers["speed"] = fix(layers["speed"])
        out["layers"] = layers
    resolve_measure_paths(out, fix)
    resolve_insecurity_paths(out, fix)
    if isinstance(out.get("areas"), list):
        out["areas"] = [{**a, "file": fix(a.get("file"))} if isinstance(a, dict) else a for a in out["areas"]]
    store = out.get("store")
    if isinstance(store, dict) and "path" in store:
        out["store"] = {**store, "path": fix(store["path"])}
    area = out.get("area")
    if isinstance(area, dict) and "file" in area:
        out["area"] = {**area, "file": fix(area["file"])}
    output = out.get("output")
    if isinstance(output, dict) and "dir" in output:
        out["output"] = {**output, "dir": fix(output["dir"])}
    elif not isinstance(output, dict) or "dir" not in output:
        out["output"] = {
            **(output if isinstance(output, dict) else {}),
            "dir": str((base / "maps").resolve()),
        }
    return out


def parse_config(data: dict[str, Any], *, path: str | Path | None = None) -> RunConfig:
    """Validate a config given as a dict (as read from TOML).

    Parameters
    ----------
    data
        The TOML tables.
    path
        The file it came from: named in errors; relative paths are resolved against its folder (else the
        current folder).

    Raises
    ------
    ConfigError
        Naming the file and the dotted key of every problem.
    """
    where = str(path) if path is not None else "config"
    base = Path(path).resolve().parent if path is not None else Path.cwd()
    if "path" in data:
        raise ConfigError(f"{where}: path: unknown key (the file's own path is set by the reader)")
    try:
        return RunConfig.model_validate(
            {**_resolve(data, base), "path": Path(path) if path is not None else None}
        )
    except ValidationError as err:
        problems = []
        for e in err.errors():
            key = _dotted(tuple(e["loc"]))
            msg = e["msg"].removeprefix("Value error, ")
            if e["type"] == "extra_forbidden":
                msg = "unknown key (check the spelling; see data/demo/demo.toml for every key)"
            elif e["type"] == "missing":
                msg = "missing (required)"
            else:
                msg = (
                    f"{msg}, got {e.get('input')!r}"
                    if "got" not in msg and e.get("input") is not None
                    else msg
                )
            problems.append(f"{key}: {msg}")
        raise ConfigError(f"{where}: " + "; ".join(problems)) from err


def load_config(path: str | Path) -> RunConfig:
    """Read and check a run configuration file.

    Parameters
    ----------
    path
        A TOML file (see ``data/demo/demo.toml`` for every key, documented).

    Returns
    -------
    config
        The frozen configuration, file paths absolute.

    Raises
    ------
    ConfigError
        When the file is missing, is not valid TOML, or has an unknown, missing or invalid key; the message
        names the file and the dotted key (``demo.toml: hotspots.eps_m: Input should be greater than 0``).
    """
    p = Path(path)
    if not p.exists():
        raise ConfigError(f"{p}: config file not found")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{p}: not valid TOML: {err}") from err
    except UnicodeDecodeError as err:
        raise ConfigError(f"{p}: not UTF-8 text: {err}") from err
    return parse_config(data, path=p)
