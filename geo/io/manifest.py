"""The manifest (``run.json``) every output folder gets: each file's kind, stage, settings and source run.

``geo map --results DIR`` and every later reader of a folder go by the manifest, never by guessing a file's
kind from its columns. Writers of stage results (:mod:`geo.io.outputs`) return :class:`OutputFile` entries;
the command or the pipeline collects them into one :class:`Manifest` and writes it last.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from geo.errors import InputError
from geo.io.export import write_text

__all__ = ["MANIFEST_NAME", "Manifest", "OutputFile", "new_run_id", "read_manifest", "write_manifest"]

MANIFEST_NAME = "run.json"
MANIFEST_VERSION = 2


@dataclass(frozen=True)
class OutputFile:
    """One written file.

    Attributes
    ----------
    kind
        What the file holds, e.g. ``patrol_plan``, ``patrol_naive``, ``hotspots``, ``lighting_proposals``,
        ``map``; unique within a folder, and the key readers look up.
    path
        The file, relative to the output folder when written into it.
    stage
        The stage that made it (``hotspots``, ``lighting``, ``patrol``, ...).
    layer
        GeoPackage layer name, when the kind is one layer of a GeoPackage.
    """

    kind: str
    path: str
    stage: str
    layer: str | None = None


def new_run_id() -> str:
    """Return a new run id (a UUID4 hex string)."""
    return uuid.uuid4().hex


@dataclass
class Manifest:
    """The contents of ``run.json``.

    Attributes
    ----------
    run_id
        This run's id.
    files
        Every file written, with its kind and stage.
    settings
        Stage -> the settings it ran with (``model_dump(mode="json")``).
    info
        Anything else worth keeping: title, period, area, demo flag, timings, notes, config path.
    created_at
        ISO 8601 time the manifest was written (UTC).
    """

    run_id: str = field(default_factory=new_run_id)
    files: list[OutputFile] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    created_at: str = ""

    def add(self, files: list[OutputFile], *, stage: str | None = None, settings: Any = None) -> None:
        """Add a stage's files (a later file of the same kind replaces the earlier one) and its settings."""
        kinds = {f.kind for f in files}
        self.files = [f for f in self.files if f.kind not in kinds] + list(files)
        if stage is not None and settings is not None:
            dump = getattr(settings, "model_dump", None)
            self.settings[stage] = dump(mode="json") if dump is not None else settings

    def path_of(self, kind: str) -> OutputFile | None:
        """Return the file of `kind`, or ``None``."""
        return next((f for f in self.files if f.kind == kind), None)

    @property
    def kinds(self) -> list[str]:
        """The kinds of the files, in the order written."""
        return [f.kind for f in self.files]


def write_manifest(manifest: Manifest, out_dir: str | Path) -> Path:
    """Write `manifest` as ``out_dir/run.json`` (atomically); file paths are stored relative to `out_dir`."""
    out = Path(out_dir)
    files = []
    for f in manifest.files:
        p = Path(f.path)
        try:
            rel = p.resolve().relative_to(out.resolve()) if p.is_absolute() else p
        except ValueError:
            rel = p
        files.append({**asdict(f), "path": rel.as_posix()})
    manifest.created_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    doc = {
        "manifest_version": MANIFEST_VERSION,
        "run_id": manifest.run_id,
        "created_at": manifest.created_at,
        "files": files,
        "settings": manifest.settings,
        **manifest.info,
    }
    return write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n", out / MANIFEST_NAME)


def read_manifest(folder: str | Path) -> Manifest:
    """Read ``folder/run.json``; file paths come back absolute.

    Raises
    ------
    InputError
        When the folder has no manifest, or it is not one lagesbild wrote.
    """
    path = Path(folder) / MANIFEST_NAME
    if not path.exists():
        raise InputError(
            f"no {MANIFEST_NAME} here: give a folder written by `geo run` or a `geo` command",
            path=str(folder),
        )
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        files = [
            OutputFile(
                kind=str(f["kind"]),
                path=str((path.parent / f["path"]).resolve()),
                stage=str(f.get("stage", "")),
                layer=f.get("layer"),
            )
            for f in doc.get("files", [])
        ]
    except (json.JSONDecodeError, KeyError, TypeError) as err:
        raise InputError(f"not a lagesbild manifest ({err})", path=str(path)) from err
    info = {
        k: v
        for k, v in doc.items()
        if k not in {"manifest_version", "run_id", "created_at", "files", "settings"}
    }
    return Manifest(
        run_id=str(doc.get("run_id", "")),
        files=files,
        settings=dict(doc.get("settings", {})),
        info=info,
        created_at=str(doc.get("created_at", "")),
    )
