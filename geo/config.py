"""The run configuration: one TOML file describes a whole lägesbild run (``geo run CONFIG.toml``).

:func:`load_config` reads the file with :mod:`tomllib` into frozen pydantic models that forbid unknown keys;
every problem is re-raised as one :class:`~geo.errors.ConfigError` naming the file and the dotted key
(``demo.toml: sources[0].columns.lat: ...``). Relative paths are resolved against the config file's folder.
The documented example is ``data/demo/demo.toml`` (the demo world's own configuration).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from geo.errors import ConfigError
from geo.io.options import ReaderOptions
from geo.model import PRECISIONS

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
    "load_config",
    "parse_config",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RunSection(_Model):
    """``[run]``: what the run is called and how it speaks."""

    title: str = "Lägesbild"
    demo: bool = False
    """Label every output "syntetiska demodata"."""
    lang: Literal["sv", "en"] = "sv"
    crs: str | None = None
    """Metric CRS (``EPSG:3006``); chosen from the data when not given."""
    tz: str | None = None
    """IANA zone of naive local times; chosen from the data's location when not given."""


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


class PeriodConfig(_Model):
    """``[period]``: first and last day analysed (both included); open when left out."""

    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _order(self) -> PeriodConfig:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self


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


class HotspotsConfig(_Model):
    """``[hotspots]``: keyword arguments of :func:`geo.hotspots.find_hotspots`, plus which reports count."""

    enabled: bool = True
    method: Literal["dbscan", "hdbscan", "kde", "gistar"] = "dbscan"
    eps_m: float | None = Field(default=None, gt=0)
    min_samples: int | None = Field(default=None, ge=1)
    bandwidth_m: float | None = Field(default=None, gt=0)
    share: float = Field(default=0.5, gt=0, lt=1)
    cell_m: float | None = Field(default=None, gt=0)
    band_m: float | None = Field(default=None, gt=0)
    alpha: float = Field(default=0.05, gt=0, lt=1)
    sources: list[str] = Field(default_factory=list)
    """Only reports from these sources (empty: all)."""
    categories: list[str] = Field(default_factory=list)
    """Only these categories (empty: all)."""

    def method_kwargs(self) -> dict[str, Any]:
        """Return the keyword arguments for ``find_hotspots`` that were set (``None``: automatic)."""
        keys = ("method", "eps_m", "min_samples", "bandwidth_m", "share", "cell_m", "band_m", "alpha")
        return {k: getattr(self, k) for k in keys if getattr(self, k) is not None}


class LightingConfig(_Model):
    """``[lighting]``: lighting layer and lamp proposals."""

    enabled: bool = True
    budget: int = Field(default=10, ge=0)
    radius_m: float = Field(default=30.0, gt=0)


_SHIFT = re.compile(r"^([01]\d|2[0-3])-([01]\d|2[0-4])$")
_WEEK = re.compile(r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$")


class PatrolConfig(_Model):
    """``[patrol]``: the patrol plan for one week."""

    enabled: bool = True
    week: str | None = None
    """ISO week ``YYYY-Www``; default: the week after the period."""
    shifts: list[str] = Field(default_factory=lambda: ["15-23", "23-07"])
    visits_per_shift: int = Field(default=6, ge=1)
    visit_min: int = Field(default=15, ge=1)
    history_days: int = Field(default=365, ge=1)

    @field_validator("week")
    @classmethod
    def _week(cls, v: str | None) -> str | None:
        if v is not None and not _WEEK.match(v):
            raise ValueError(f"must be an ISO week like 2026-W45, got '{v}'")
        return v

    @field_validator("shifts")
    @classmethod
    def _shifts(cls, v: list[str]) -> list[str]:
        for s in v:
            if not _SHIFT.match(s):
                raise ValueError(f"each shift must be HH-HH (e.g. \"23-07\"), got '{s}'")
        return v


class SpeedConfig(_Model):
    """``[speed]``: speed layer and enforcement plan (needs ``layers.speed`` and ``layers.streets``)."""

    enabled: bool = True
    checks: int = Field(default=10, ge=1)
    """Speed checks to plan."""
    check_min: int = Field(default=60, ge=1)
    """Length of one check in minutes."""
    margin_kmh: float = Field(default=10.0, ge=0)
    """Speeds above limit + margin count as serious."""
    band_hours: int = Field(default=2, ge=1, le=24)
    """Width of the hour bands speeds are summarised in."""
    tolerance_m: float = Field(default=30.0, gt=0)
    """Largest distance from a measurement to the segment it is matched to."""


class ForecastConfig(_Model):
    """``[forecast]``: risk for the days after the period (runs when the forecast stage is installed)."""

    enabled: bool = True
    horizon_days: int = Field(default=7, ge=1)
    method: str | None = None
    """Forecast method; default: the stage's recommended one."""
    cell_m: float = Field(default=150.0, gt=0)


class MapsConfig(_Model):
    """``[maps]``: the lägesbild maps."""

    enabled: bool = True
    public: bool = True
    k: int = Field(default=5, ge=1)
    tiles: str = "osm"


class OutputConfig(_Model):
    """``[output]``: where everything goes."""

    dir: Path = Path("maps")
    strict: bool = False
    """Any rejected row is an error and nothing is written."""


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
            {**s, "path": fix(s.get("path"))} if isinstance(s, dict) else s for s in out["sources"]
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
