"""A throwaway PostgreSQL + PostGIS cluster on a free loopback port, for tests and benchmarks.

It uses the server binaries Debian's ``postgresql`` package installs (``/usr/lib/postgresql/<v>/bin``) and
needs the ``postgis`` extension files. ``initdb`` refuses to run as root, so when the process is root the
cluster is created and run as the ``postgres`` system user (made by the Debian package) in a folder under
the system temp directory that this user owns. Nothing is written outside that folder, and
:meth:`TempPostgres.stop` removes it.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from types import TracebackType

__all__ = ["PostgresUnavailable", "TempPostgres", "find_pg_bin"]


class PostgresUnavailable(RuntimeError):
    """PostgreSQL server binaries or the PostGIS extension are not installed."""


def find_pg_bin() -> Path:
    """Find the newest PostgreSQL server ``bin`` folder with the PostGIS extension installed.

    Raises
    ------
    PostgresUnavailable
        With the command to install what is missing.
    """
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    if not found:
        raise PostgresUnavailable("PostgreSQL server not installed; run: sudo bash scripts/setup-system.sh")
    for initdb in reversed(found):
        version = Path(initdb).parts[4]
        if Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists():
            return Path(initdb).parent
    raise PostgresUnavailable(
        "the PostGIS extension is not installed (no postgis.control); run: sudo bash scripts/setup-system.sh"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TempPostgres:
    """Start a private PostgreSQL cluster with PostGIS; use as a context manager.

    Parameters
    ----------
    startup_timeout_s
        Seconds to wait for the server to accept connections.

    Attributes
    ----------
    port
        The loopback port it listens on.
    base
        Its folder (data, socket and log).
    """

    def __init__(self, *, startup_timeout_s: float = 60.0) -> None:
        self.bin = find_pg_bin()
        self.base = Path(tempfile.mkdtemp(prefix="lagesbild-pg-"))
        self.port = _free_port()
        self._timeout_s = startup_timeout_s
        self._as: dict[str, int] = {}
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError as err:
                raise PostgresUnavailable("running as root needs the 'postgres' system user") from err
            self._as = {"user": pw.pw_uid, "group": pw.pw_gid}
            os.chown(self.base, pw.pw_uid, pw.pw_gid)
        self._started = False

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {
            "PATH": f"{self.bin}:/usr/bin:/bin",
            "LC_ALL": "C.UTF-8",
            "LANG": "C.UTF-8",
            "HOME": str(self.base),
        }
        return subprocess.run(
            list(args),
            check=check,
            capture_output=True,
            text=True,
            env=env,
            timeout=self._timeout_s,
            cwd=self.base,
            user=self._as.get("user"),
            group=self._as.get("group"),
        )

    def start(self) -> TempPostgres:
        """Create the cluster, start it and create the template database with PostGIS."""
        data = self.base / "data"
        try:
            self._run(
                str(self.bin / "initdb"),
                "-D",
                str(data),
                "-U",
                "lagesbild",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--locale=C.UTF-8",
            )
            opts = (
                f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=on "
                "-c synchronous_commit=on -c max_connections=200 -c shared_buffers=64MB"
            )
            self._run(
                str(self.bin / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                opts,
                "-l",
                str(self.base / "log"),
                "-w",
                "-t",
                str(int(self._timeout_s)),
                "start",
            )
        except subprocess.CalledProcessError as err:
            log = (
                (self.base / "log").read_text(errors="replace")[-2000:]
                if (self.base / "log").exists()
                else ""
            )
            self.stop()
            raise PostgresUnavailable(
                f"could not start PostgreSQL: {err.stderr or err.stdout} {log}"
            ) from err
        self._started = True
        import psycopg

        deadline = time.monotonic() + self._timeout_s
        while True:
            try:
                with psycopg.connect(self.url("postgres"), autocommit=True, connect_timeout=5) as con:
                    con.execute("CREATE DATABASE lagesbild_template")
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        with psycopg.connect(self.url("lagesbild_template"), autocommit=True) as con:
            con.execute("CREATE EXTENSION postgis")
        return self

    def url(self, dbname: str = "lagesbild") -> str:
        """Return the connection URL of a database in this cluster (user ``lagesbild``, trust on loopback)."""
        return f"postgresql://lagesbild@127.0.0.1:{self.port}/{dbname}"

    def new_database(self, name: str | None = None) -> str:
        """Create a fresh database with PostGIS (from the template) and return its URL."""
        import psycopg

        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}" TEMPLATE lagesbild_template')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server (immediate: the cluster is thrown away) and remove its folder."""
        if self._started:
            self._run(
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.base / "data"),
                "-m",
                "immediate",
                "-w",
                "stop",
                check=False,
            )
            self._started = False
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> TempPostgres:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
