"""Fixtures of the service tests: the real ``geo serve`` process on a free loopback port, over GeoPackage and
over a real PostgreSQL + PostGIS cluster started for the session (``make test`` installs the packages).

Under ``CI`` a missing PostgreSQL/PostGIS or Chromium fails the tests instead of skipping them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from geo.service.auth import hash_token, new_token
from geo.service.storage import open_store

ROOT = Path(__file__).resolve().parents[2]
GEO = str(Path(sys.executable).with_name("geo"))

# A place in central Värnamo and one in Bor (both inside the municipality), WGS84
VARNAMO = (57.1860, 14.0400)
BOR = (57.1130, 14.1700)


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A ``geo serve`` subprocess; start, kill (SIGKILL) and restart on the same port and database."""

    def __init__(self, db: str, workdir: Path, *args: str) -> None:
        self.db = db
        self.workdir = workdir
        self.args = args
        self.port = free_port()
        self.maps_dir = workdir / "maps"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = workdir / "serve.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout_s: float = 90.0) -> Server:
        cmd = [
            GEO,
            "serve",
            "--db",
            self.db,
            "--port",
            str(self.port),
            "--maps-dir",
            str(self.maps_dir),
            *self.args,
        ]
        with open(self.log, "ab") as log:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(cmd, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"geo serve exited with {self.proc.returncode}: {self.log.read_text()[-3000:]}"
                )
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"geo serve did not answer within {timeout_s} s: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=20)


def add_user(db: str, name: str, role: str) -> str:
    """Add a user directly in the store (as ``geo users add`` does) and return its token."""
    store = open_store(db)
    token = new_token()
    store.add_user(name, role=role, token_hash=hash_token(token))
    store.close()
    return token


def _need(what: str, err: Exception) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required under CI but unavailable: {err}")
    pytest.skip(f"{what} unavailable: {err}")


@pytest.fixture(scope="session")
def postgres() -> Iterator[object]:
    """A throwaway PostgreSQL + PostGIS cluster for the whole session."""
    from geo.service.tempdb import PostgresUnavailable, TempPostgres

    try:
        pg = TempPostgres().start()
    except (PostgresUnavailable, OSError, subprocess.SubprocessError) as err:
        _need("PostgreSQL with PostGIS", err)
        return
    try:
        yield pg
    finally:
        pg.stop()


BACKENDS = ["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)]


def make_db(kind: str, tmp: Path, request: pytest.FixtureRequest) -> str:
    """A fresh database of `kind`: a new GeoPackage file or a new PostGIS database."""
    if kind == "gpkg":
        return str(tmp / "lagesbild.gpkg")
    pg = request.getfixturevalue("postgres")
    return pg.new_database()  # type: ignore[attr-defined]


class Deployment:
    """A running server with its database and tokens."""

    def __init__(self, kind: str, server: Server, staff: str, viewer: str, db: str = "") -> None:
        self.kind = kind
        self.db = db
        self.server = server
        self.staff = staff
        self.viewer = viewer

    @property
    def url(self) -> str:
        return self.server.url

    def client(self, token: str | None = None, *, local_address: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        transport = httpx.HTTPTransport(local_address=local_address) if local_address else None
        return httpx.Client(base_url=self.url, headers=headers, timeout=60, transport=transport)


@pytest.fixture(scope="session", params=BACKENDS)
def deployment(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    """The main server (no rate limit) over GeoPackage or PostGIS, shared by the API, flow and page tests."""
    kind = request.param
    tmp = tmp_path_factory.mktemp(f"svc-{kind}")
    db = make_db(kind, tmp, request)
    staff = add_user(db, "staff-user", "staff")
    viewer = add_user(db, "viewer-user", "viewer")
    server = Server(db, tmp, "--rate-limit", "0").start()
    try:
        yield Deployment(kind, server, staff, viewer, db=str(db))
    finally:
        server.stop()
