"""``/maps/{name}``: public maps for everyone, internal maps for staff; names cannot leave the folder."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse

from geo.service.auth import OptionalUser, Principal
from geo.service.csp import map_file_csp
from geo.service.runs import is_public_map

__all__ = ["router", "safe_map_path"]

router = APIRouter(tags=["maps"])

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}\.html$")
_SEGMENT = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,120}"
_RUN_FILE = re.compile(rf"^runs/(run-[A-Za-z0-9-]{{1,60}})/((?:{_SEGMENT}/){{0,3}}{_SEGMENT})$")
_MEDIA = {
    ".html": "text/html; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".geojson": "application/geo+json",
    ".ics": "text/calendar; charset=utf-8",
    ".pdf": "application/pdf",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


def safe_map_path(maps_dir: Path, name: str) -> Path:
    """Resolve a map name inside `maps_dir`; 400 for any name that is not a plain ``*.html`` file name.

    Rejects separators, ``..``, absolute paths, encoded tricks and symlinks leading out of the folder.
    """
    if not _NAME.fullmatch(name) or ".." in name:
        raise HTTPException(status_code=400, detail="invalid map name / ogiltigt kartnamn")
    root = maps_dir.resolve()
    path = (root / name).resolve()
    if path.parent != root:
        raise HTTPException(status_code=400, detail="invalid map name / ogiltigt kartnamn")
    return path


@router.get("/maps", summary="Maps the caller may open")
async def list_maps(request: Request, user: OptionalUser) -> list[dict[str, str | bool]]:
    """Names of the maps in the maps folder, public ones for everyone, all for staff."""
    maps_dir: Path = request.app.state.lb.settings.maps_dir
    internal = user is not None and user.can("maps:internal")
    names = (
        sorted(p.name for p in maps_dir.glob("*.html") if _NAME.fullmatch(p.name))
        if maps_dir.exists()
        else []
    )
    return [
        {"name": n, "public": is_public_map(n), "url": f"/maps/{n}"}
        for n in names
        if internal or is_public_map(n)
    ]


@router.get(
    "/maps/{name:path}",
    summary="A map (public for everyone, internal for staff)",
    responses={400: {}, 401: {}, 403: {}, 404: {}},
)
async def get_map(name: str, request: Request, user: OptionalUser) -> FileResponse:
    """Serve a map file from the maps folder, or (staff) a file of a run as linked by ``/api/runs/{id}``."""
    lb = request.app.state.lb
    if name.startswith("runs/"):
        return _run_file(lb.settings.maps_dir, name, user)
    path = safe_map_path(lb.settings.maps_dir, name)
    if not is_public_map(path.name):
        if user is None:
            raise HTTPException(
                status_code=401,
                detail="internal map: a staff token is needed",
                headers={"WWW-Authenticate": 'Bearer realm="lagesbild"'},
            )
        if not user.can("maps:internal"):
            raise HTTPException(status_code=403, detail=f"role '{user.user.role}' may not open internal maps")
    if not path.is_file():
        raise HTTPException(status_code=404, detail=f"no map '{path.name}' (yet); start a run first")
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-cache",
        "Referrer-Policy": "no-referrer",
    }
    if not is_public_map(path.name):
        headers["Cache-Control"] = "private, no-store"
    headers["Content-Security-Policy"] = map_file_csp(path)
    return FileResponse(path, media_type="text/html; charset=utf-8", headers=headers)


def _run_file(maps_dir: Path, name: str, user: Principal | None) -> FileResponse:
    """Serve a file in ``runs/<run_id>/`` to callers who may see runs and internal maps."""
    m = _RUN_FILE.fullmatch(name)
    if m is None or ".." in name:
        raise HTTPException(status_code=400, detail="invalid run file name / ogiltigt filnamn")
    if user is None:
        raise HTTPException(
            status_code=401,
            detail="run outputs: a staff token is needed",
            headers={"WWW-Authenticate": 'Bearer realm="lagesbild"'},
        )
    if not (user.can("runs:read") and user.can("maps:internal")):
        raise HTTPException(status_code=403, detail=f"role '{user.user.role}' may not open run outputs")
    root = (maps_dir / "runs" / m.group(1)).resolve()
    path = (root / m.group(2)).resolve()
    if not path.is_relative_to(root):
        raise HTTPException(status_code=400, detail="invalid run file name / ogiltigt filnamn")
    if not path.is_file():
        raise HTTPException(status_code=404, detail=f"no file '{m.group(2)}' in run '{m.group(1)}'")
    media = _MEDIA.get(path.suffix.lower(), "application/octet-stream")
    headers = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}
    if media.startswith("text/html"):
        headers["Content-Security-Policy"] = map_file_csp(path)
    else:
        headers["Content-Disposition"] = f'attachment; filename="{path.name}"'
    return FileResponse(path, media_type=media, headers=headers)
