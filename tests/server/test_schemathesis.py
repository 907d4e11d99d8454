"""Property-based API testing with schemathesis: no operation answers a server error.

The schema is the app's own /api/openapi.json, fetched once at import without starting
the app (describing the API needs no database; `from_asgi` would start the lifespan, and
so open a database, during collection). Each generated request goes to the ASGI app
in-process (`call_and_validate(app=...)`: schemathesis starts the app's lifespan on the
first request and ends it with the test), as the admin so requests reach past the role
checks, on SQLite only, checking `not_a_server_error`.

Each operation gets its own copy of one prepared database (the tiny scenario, a solved
plan and its re-plan, a queued job, open proposals, pins), so an operation that signs the
admin out or archives the scenario cannot spoil the others. Path ids and If-Match are
drawn from the real objects half of the time (schemathesis dictionaries), so generated
requests reach the code behind the 404s; the other half are generated freely. Requests
are valid and invalid (`mode = all`), MAX_EXAMPLES per operation plus schemathesis'
coverage cases, from a fixed seed and without shrinking, so a run is repeatable and
bounded in time.

No operation is excluded. GET /api/jobs/{job_id}/events is a Server-Sent Events stream
that only ends when its job does (a queued job never ends here: no dispatcher runs), so
streams are cut after their first event (`max-stream-events`) and a request timeout
bounds any other wait.

What schemathesis found is also pinned below as plain tests on both backends, so the
failures are the same on every run and name every affected route.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from schemathesis.checks import not_a_server_error
from serverkit import Server, settings_for, start_server

from surgeplan.server import worker
from surgeplan.server.api.app import create_app

# The ids the prepared database holds (checked when it is built).
SCENARIO, PLAN, REPLAN = 1, 1, 2
DONE_JOBS, QUEUED_JOB = (1, 2), 3
PROPOSALS = (1, 2)
VERSION = 2
"""The scenario's version once the pins are set."""
MAX_EXAMPLES = 20


def _openapi() -> dict[str, object]:
    """The app's /api/openapi.json (describing the API needs no database, so no lifespan)."""
    app = create_app(settings_for("sqlite:///unused.db"), dispatch=False)
    reply = TestClient(app, base_url="https://testserver").get("/api/openapi.json")
    assert reply.status_code == 200, reply.text
    document: dict[str, object] = reply.json()
    return document


def _real(name: str) -> dict[str, object]:
    return {"dictionary": name, "probability": 0.5}


CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20200203,
        "generation": {"mode": "all"},
        "max-stream-events": 1,
        "request-timeout": 10,
        "dictionaries": {
            "scenarios": {"values": [SCENARIO]},
            "plans": {"values": [PLAN, REPLAN]},
            "jobs": {"values": [*DONE_JOBS, QUEUED_JOB]},
            "proposals": {"values": list(PROPOSALS)},
            "versions": {"values": [f'"{VERSION}"', str(VERSION), f'W/"{VERSION}"']},
        },
        "parameters": {
            "path.scenario_id": _real("scenarios"),
            "path.plan_id": _real("plans"),
            "path.other_id": _real("plans"),
            "path.job_id": _real("jobs"),
            "path.proposal_id": _real("proposals"),
            "header.If-Match": _real("versions"),
        },
    }
)
OPENAPI = _openapi()
schema = schemathesis.openapi.from_dict(OPENAPI, config=CONFIG)


@dataclass(frozen=True)
class Prepared:
    """A database file with the objects above, and the admin's bearer header for it."""

    path: Path
    headers: dict[str, str]


def _prepare(server: Server) -> None:
    client, sid = server.client, server.scenario_id
    planner, admin = server.as_("planner"), server.as_("admin")
    assert sid == SCENARIO
    solve = client.post(f"/api/scenarios/{sid}/solve", json={"time_limit": 5}, headers=planner)
    assert solve.json()["id"] == DONE_JOBS[0]
    assert worker.run(server.store, DONE_JOBS[0]) == "done"
    body = {"since": "2020-02-10", "time_limit": 5}
    replan = client.post(f"/api/plans/{PLAN}/replan", json=body, headers=planner)
    assert replan.json()["id"] == DONE_JOBS[1]
    assert worker.run(server.store, DONE_JOBS[1]) == "done"
    plans = client.get("/api/plans", headers=planner).json()
    assert sorted(p["id"] for p in plans) == [PLAN, REPLAN]
    queued = client.post(f"/api/scenarios/{sid}/solve", json={}, headers=planner)
    assert queued.json()["id"] == QUEUED_JOB
    for lead, site in (("lead_chi", "CHI"), ("lead_nyc", "NYC")):
        proposal = {"site_id": site, "rows": [{"period_start": "2020-02-10", "required": 1}]}
        made = client.post(
            f"/api/scenarios/{sid}/proposals", json=proposal, headers=server.as_(lead)
        )
        assert made.status_code == 201, made.text
    pins = "person_id,period_start,site_id\nP1,2020-02-03,CHI\nP3,2020-02-17,NYC\n"
    saved = client.post(
        f"/api/scenarios/{sid}/pins",
        files={"file": ("pins.csv", pins.encode())},
        headers={**admin, "If-Match": '"1"'},
    )
    assert saved.json() == {"version": VERSION}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    path = tmp_path_factory.mktemp("schemathesis") / "prepared.db"
    headers: dict[str, str] = {}
    for server in start_server(f"sqlite:///{path}"):  # runs to the end: the app shuts down
        _prepare(server)
        headers = server.as_("admin")
    return Prepared(path, headers)


@pytest.fixture
def app(prepared: Prepared, tmp_path: Path) -> FastAPI:
    """An app on a fresh copy of the prepared database.

    schemathesis starts its lifespan on the first request and ends it when the test ends.
    """
    copy = tmp_path / "surgeplan.db"
    with closing(sqlite3.connect(prepared.path)) as source, closing(sqlite3.connect(copy)) as to:
        source.backup(to)
    return create_app(settings_for(f"sqlite:///{copy}"), dispatch=False)


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    # no shrinking: a failure already shows the request (as curl) and the traceback
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
def test_no_operation_answers_a_server_error(
    case: schemathesis.Case, app: FastAPI, prepared: Prepared
) -> None:
    case.call_and_validate(app=app, headers=prepared.headers, checks=[not_a_server_error])


# --- what schemathesis found, pinned so that it fails the same way every run --------------

ID_VALUES = (2**31, 2**63)
"""Past a 32-bit INTEGER column (PostgreSQL) and past any 64-bit one (SQLite, BIGINT)."""
VALID = {"scenario_id": 1, "plan_id": 1, "other_id": 1, "job_id": 1, "proposal_id": 1}
VALID_TEXT = {"table": "sites", "kind": "site", "key": "CHI"}


def _integer(schema: dict[str, Any]) -> bool:
    options = schema.get("anyOf", [schema])
    return any(option.get("type") == "integer" for option in options)


def out_of_range_requests() -> Iterator[tuple[str, str, dict[str, int]]]:
    """(method, url, query) with one integer parameter out of range, the others valid, for
    every operation that needs no request body."""
    paths: dict[str, dict[str, Any]] = OPENAPI["paths"]  # type: ignore[assignment]
    for path, operations in paths.items():
        for method, operation in operations.items():
            if operation.get("requestBody", {}).get("required"):
                continue  # covered by the schemathesis run
            parameters = [p for p in operation.get("parameters", []) if p["in"] != "header"]
            for parameter in parameters:
                if not _integer(parameter["schema"]):
                    continue
                for value in ID_VALUES:
                    values: dict[str, Any] = {**VALID, **VALID_TEXT}
                    query = {}
                    if parameter["in"] == "path":
                        values[parameter["name"]] = value
                    else:
                        query[parameter["name"]] = value
                    yield method.upper(), path.format(**values), query


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [""])[0]


def test_ids_out_of_range_are_client_errors_not_server_errors(server: Server) -> None:
    headers = {**server.as_("admin"), "If-Match": '"1"'}
    requests = list(out_of_range_requests())
    assert len(requests) >= 40
    failures = []
    for method, url, query in requests:
        try:
            reply = server.client.request(method, url, params=query, headers=headers)
        except Exception as error:
            failures.append(f"{method} {url} {query}: {type(error).__name__}: {_first_line(error)}")
            continue
        if reply.status_code >= 500:
            failures.append(f"{method} {url} {query}: {reply.status_code}")
    assert not failures, "\n".join(failures)


def test_events_of_an_unknown_job_are_a_404(server: Server) -> None:
    """The job is looked up before the stream starts, so a missing one is a plain 404."""
    reply = server.client.get("/api/jobs/999999/events", headers=server.as_("admin"))
    assert reply.status_code == 404
    assert reply.json()["detail"] == "no job 999999"
