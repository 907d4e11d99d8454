"""Database fixtures: every test gets a fresh, empty database, on SQLite and on PostgreSQL.

`database_url` (and `make_database_url` for tests that need more than one database) are
parametrized over the two backends, so each test using them runs twice, with ids `sqlite`
and `postgresql`. The PostgreSQL databases live on one throw-away cluster per test process
(`pg_cluster`, so one per pytest-xdist worker), started on first use and stopped at the end
of the session. Without the PostgreSQL server binaries the postgresql cases fail, never
skip: `make test` (scripts/ensure-services) installs them.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from pgcluster import PgBinariesMissingError, PgCluster, find_bindir
from surgeplan.scenario.bundle import bundle_files
from surgeplan.scenario.load import load_scenario
from surgeplan.server.api.app import create_app
from surgeplan.server.policy import Role
from surgeplan.server.services.accounts import create_user
from surgeplan.server.services.scenarios import create_scenario
from surgeplan.server.settings import Settings
from surgeplan.server.store import Store

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """A running throw-away PostgreSQL cluster, private to this test process.

    Its directory comes from `tempfile.mkdtemp()`, not `tmp_path_factory`: as root the server
    runs as the `postgres` user, which cannot enter pytest's basetemp (/tmp/pytest-of-root is
    mode 0700).
    """
    missing: PgBinariesMissingError | None = None
    try:
        bindir = find_bindir()
    except PgBinariesMissingError as exc:
        missing = exc
    if missing is not None:
        pytest.fail(str(missing), pytrace=False)
    directory = Path(tempfile.mkdtemp(prefix="surgeplan-pg-"))
    cluster = PgCluster(directory, bindir)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(params=BACKENDS, ids=BACKENDS)
def make_database_url(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[], str]]:
    """Factory of fresh, empty database URLs on this test's backend.

    sqlite: `sqlite:///{tmp_path}/surgeplan.db`, then surgeplan-2.db, surgeplan-3.db, ...
    postgresql: a new uniquely named database on `pg_cluster` per call, dropped afterwards.
    """
    if request.param == "sqlite":
        count = 0

        def sqlite_url() -> str:
            nonlocal count
            count += 1
            suffix = "" if count == 1 else f"-{count}"
            return f"sqlite:///{tmp_path}/surgeplan{suffix}.db"

        yield sqlite_url
        return

    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    created: list[str] = []

    def postgresql_url() -> str:
        name = cluster.create_database()
        created.append(name)
        return cluster.url(name)

    yield postgresql_url
    for name in created:
        cluster.drop_database(name)


@pytest.fixture
def database_url(make_database_url: Callable[[], str]) -> str:
    """URL of a fresh, empty database (SQLAlchemy form) on the `sqlite` or `postgresql` backend."""
    return make_database_url()


# --- the application, signed-in clients of every role -------------------------------------

TINY = Path(__file__).parent.parent / "fixtures" / "tiny"
PASSWORD = "correct horse battery staple"
ROLES = {
    "admin": (Role.ADMIN, ()),
    "planner": (Role.PLANNER, ()),
    "lead_chi": (Role.SITE_LEAD, ("CHI",)),
    "lead_nyc": (Role.SITE_LEAD, ("NYC",)),
    "viewer": (Role.VIEWER, ()),
}
"""One account per role; the tiny scenario's sites are CHI and NYC (see fixtures/tiny)."""


@dataclass
class Server:
    """A running app (TestClient over HTTPS), its store and a bearer header per account."""

    client: TestClient
    store: Store
    headers: dict[str, dict[str, str]]
    scenario_id: int

    def as_(self, who: str) -> dict[str, str]:
        """Authorization header of account `who` (empty for anonymous)."""
        return self.headers.get(who, {})


def settings_for(url: str, **overrides: Any) -> Settings:
    """Server settings on `url` with a test key and no built-in scenario."""
    values: dict[str, Any] = {
        "database_url": url,
        "secret_key": "test-secret-key-0123456789abcdef",
        "load_builtin": False,
        "max_solves": 1,
        "argon2_time_cost": 1,
        "argon2_memory_kib": 8192,
        **overrides,
    }
    return Settings(**values)


def tiny_files() -> dict[str, str]:
    """The tiny fixture as canonical bundle files."""
    return bundle_files(load_scenario(TINY))


def start_server(url: str, dispatch: bool = False) -> Iterator[Server]:
    """An app on `url` with the tiny scenario and one account per role."""
    app = create_app(settings_for(url), dispatch=dispatch)
    with TestClient(app, base_url="https://testserver") as client:
        store: Store = app.state.store
        scenario_id = create_scenario(store, None, tiny_files(), "tiny fixture")
        headers = {}
        for name, (role, sites) in ROLES.items():
            create_user(store, name, PASSWORD, role, sites)
            reply = client.post("/api/auth/token", data={"username": name, "password": PASSWORD})
            assert reply.status_code == 200, reply.text
            headers[name] = {"Authorization": f"Bearer {reply.json()['access_token']}"}
        yield Server(client, store, headers, scenario_id)


@pytest.fixture
def server(database_url: str) -> Iterator[Server]:
    """The API without a job dispatcher (jobs stay queued), on SQLite and PostgreSQL."""
    yield from start_server(database_url)


@pytest.fixture
def solving_server(database_url: str) -> Iterator[Server]:
    """The API with its dispatcher running solve jobs in worker processes."""
    yield from start_server(database_url, dispatch=True)
