"""Throw-away PostgreSQL clusters for the test suite.

One `PgCluster` is a private server: its own data directory, a free TCP port on 127.0.0.1,
its Unix socket inside its own directory, trust authentication, and durability switched off
(fsync, synchronous_commit, full_page_writes) because the data dies with the test run. Each
pytest-xdist worker starts its own, so workers never share a directory, a port or a database.

The server binaries come from the Debian packages (/usr/lib/postgresql/<version>/bin, the
newest version wins); `scripts/ensure-services` installs them. initdb and postgres refuse to
run as root, so when we are root they run as the `postgres` system user (created by the Debian
package) through `runuser`, or as a `surgeplan-pg` system user created on the spot if that is
missing. That user must be able to reach the cluster directory: pytest's own basetemp
(/tmp/pytest-of-root, mode 0700) is out of reach, a `tempfile.mkdtemp()` directory is not.

    cluster = PgCluster(Path(tempfile.mkdtemp()))
    cluster.start()
    name = cluster.create_database()
    engine = sqlalchemy.create_engine(cluster.url(name))
    ...
    cluster.stop()
"""

from __future__ import annotations

import atexit
import os
import pwd
import re
import socket
import subprocess
import uuid
from pathlib import Path
from types import TracebackType
from typing import NoReturn

import psycopg
from psycopg import sql
from psycopg.rows import TupleRow

PG_ROOT = Path("/usr/lib/postgresql")
"""Where the Debian packages put one `<version>/bin` per installed server version."""

SUPERUSER = "postgres"
"""Database superuser made by initdb (`-U`), whatever OS user runs the server."""

FALLBACK_OS_USER = "surgeplan-pg"
"""System user created to run the server as when we are root and `postgres` does not exist."""

INSTALL_HINT = "run `make test` (or scripts/ensure-services) to install them"

HOST = "127.0.0.1"

START_ATTEMPTS = 5
"""Tries with a fresh port when another process took the port between picking and binding."""

_SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")


class PgBinariesMissingError(RuntimeError):
    """No PostgreSQL server binaries are installed."""


class PgClusterError(RuntimeError):
    """A cluster command failed; the message carries its output and the server log tail."""


def find_bindir(root: Path = PG_ROOT) -> Path:
    """Return the bin directory of the newest PostgreSQL server version installed under root."""
    versions: list[tuple[tuple[int, ...], Path]] = []
    for bindir in root.glob("*/bin"):
        if not re.fullmatch(r"\d+(\.\d+)*", bindir.parent.name):
            continue
        if all((bindir / name).is_file() for name in _SERVER_BINARIES):
            key = tuple(int(part) for part in bindir.parent.name.split("."))
            versions.append((key, bindir))
    if not versions:
        raise PgBinariesMissingError(
            f"PostgreSQL server binaries (initdb, pg_ctl, postgres) not found under "
            f"{root}/*/bin; {INSTALL_HINT}"
        )
    return max(versions)[1]


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago (bind to port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def server_os_user() -> str | None:
    """Return the OS user to run initdb/postgres as, or None to run them as ourselves.

    Only root needs another user. Prefers `postgres`; creates the `surgeplan-pg` system user
    if neither exists (tolerating another xdist worker creating it at the same moment).
    """
    if os.geteuid() != 0:
        return None
    for name in ("postgres", FALLBACK_OS_USER):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    result = subprocess.run(
        [
            "useradd",
            "--system",
            "--no-create-home",
            "--home-dir",
            "/nonexistent",
            "--shell",
            "/usr/sbin/nologin",
            FALLBACK_OS_USER,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        pwd.getpwnam(FALLBACK_OS_USER)
    except KeyError:
        raise PgClusterError(
            f"cannot create system user {FALLBACK_OS_USER} to run PostgreSQL as: "
            f"{result.stderr.strip()}"
        ) from None
    return FALLBACK_OS_USER


class PgCluster:
    """A private PostgreSQL server in `directory`, from `start()` until `stop()`.

    Layout: `directory/data` (the cluster), `directory/postgres.log` (server log) and the
    Unix socket `directory/.s.PGSQL.<port>`. The directory is created if needed and handed
    to the server's OS user; it must not already hold a cluster.
    """

    def __init__(self, directory: Path, bindir: Path | None = None) -> None:
        """Prepare (but do not start) a cluster; bindir defaults to `find_bindir()`."""
        self.directory = directory.resolve()
        self.bindir = bindir if bindir is not None else find_bindir()
        self.data_dir = self.directory / "data"
        self.log_file = self.directory / "postgres.log"
        self.os_user = server_os_user()
        self._port: int | None = None

    @property
    def port(self) -> int:
        """TCP port the running server listens on."""
        if self._port is None:
            raise PgClusterError("cluster is not running; call start() first")
        return self._port

    @property
    def running(self) -> bool:
        """Whether start() succeeded and stop() has not been called since."""
        return self._port is not None

    def start(self) -> None:
        """initdb the cluster, start the server and wait until it accepts connections."""
        if self.running:
            return
        self._prepare_directory()
        self._initdb()
        for attempt in range(1, START_ATTEMPTS + 1):
            port = free_port()
            result = self._run(
                "pg_ctl",
                "start",
                "--wait",
                "--timeout=60",
                f"--pgdata={self.data_dir}",
                f"--log={self.log_file}",
                f"--options=-p {port}",
            )
            if result.returncode == 0:
                self._port = port
                atexit.register(self.stop)
                return
            # A server that did come up (a timed-out wait) must not outlive us.
            self._run("pg_ctl", "stop", "--mode=immediate", f"--pgdata={self.data_dir}")
            if attempt == START_ATTEMPTS or "already in use" not in self._log_tail():
                self._fail("pg_ctl start", result)

    def stop(self) -> None:
        """Stop the server (fast shutdown: disconnect clients, no waiting). Idempotent."""
        if not self.running:
            return
        atexit.unregister(self.stop)
        result = self._run("pg_ctl", "stop", "--wait", "--mode=fast", f"--pgdata={self.data_dir}")
        self._port = None
        if result.returncode != 0:
            self._fail("pg_ctl stop", result)

    def url(self, dbname: str = "postgres") -> str:
        """SQLAlchemy URL of database `dbname` (psycopg 3 driver, superuser, no password)."""
        return f"postgresql+psycopg://{SUPERUSER}@{HOST}:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres") -> psycopg.Connection[TupleRow]:
        """Open an autocommit psycopg connection to `dbname` as the superuser."""
        return psycopg.connect(
            host=HOST, port=self.port, user=SUPERUSER, dbname=dbname, autocommit=True
        )

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database (a unique name unless given) and return its name."""
        name = name if name is not None else f"surgeplan_{uuid.uuid4().hex[:16]}"
        with self.connect() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database if it exists, disconnecting whoever is still connected to it."""
        with self.connect() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def __enter__(self) -> PgCluster:
        """Start the cluster."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the cluster."""
        self.stop()

    def _prepare_directory(self) -> None:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if self.os_user is not None:
            entry = pwd.getpwnam(self.os_user)
            os.chown(self.directory, entry.pw_uid, entry.pw_gid)

    def _initdb(self) -> None:
        result = self._run(
            "initdb",
            f"--pgdata={self.data_dir}",
            f"--username={SUPERUSER}",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        )
        if result.returncode != 0:
            self._fail("initdb", result)
        socket_dir = str(self.directory).replace("'", "''")
        settings = (
            "\n# surgeplan test cluster: private, throw-away, no durability\n"
            f"listen_addresses = '{HOST}'\n"
            f"unix_socket_directories = '{socket_dir}'\n"
            "fsync = off\n"
            "synchronous_commit = off\n"
            "full_page_writes = off\n"
        )
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(settings)

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a server binary as the server's OS user, from the cluster directory.

        PG* variables are dropped so a caller's PGDATA/PGPORT cannot redirect the command.
        """
        command = [str(self.bindir / program), *args]
        if self.os_user is not None:
            command = ["runuser", "-u", self.os_user, "--", *command]
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        return subprocess.run(
            command,
            cwd=self.directory,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    def _log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _fail(self, what: str, result: subprocess.CompletedProcess[str]) -> NoReturn:
        message = [f"{what} failed (exit {result.returncode}) for cluster {self.directory}"]
        output = (result.stdout + result.stderr).strip()
        if output:
            message.append(output)
        log = self._log_tail()
        if log:
            message.append(f"server log {self.log_file}:\n{log}")
        if "Permission denied" in output and self.os_user is not None:
            message.append(
                f"OS user {self.os_user} must be able to traverse every parent of {self.directory}"
            )
        raise PgClusterError("\n".join(message))
