"""The audit log: every change recorded with before/after, append-only, tamper-evident."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from serverkit import Server
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from surgeplan.server.services.audit import audit_report


def _entries(server: Server) -> list[dict[str, object]]:
    reply = server.client.get("/api/audit?limit=1000", headers=server.as_("admin"))
    assert reply.status_code == 200
    return list(reversed(reply.json()))


def test_changes_are_recorded_with_who_what_and_before_after(server: Server) -> None:
    header = server.client.get(
        f"/api/scenarios/{server.scenario_id}", headers=server.as_("planner")
    )
    rules = server.client.get(
        f"/api/scenarios/{server.scenario_id}/rules", headers=server.as_("planner")
    ).json()
    reply = server.client.put(
        f"/api/scenarios/{server.scenario_id}/rules",
        headers={**server.as_("planner"), "If-Match": header.headers["etag"]},
        json={**rules, "rest_min": 0},
    )
    assert reply.status_code == 200, reply.text
    entry = _entries(server)[-1]
    assert entry["actor"] == "planner"
    assert entry["action"] == "rules.update"
    assert entry["target"] == f"scenario:{server.scenario_id}"
    assert entry["before"] == {"version": 1}
    change = entry["after"]["files"]["scenario.yaml"]  # type: ignore[index]
    assert "  rest_min: 0" in change["added"] and "  rest_min: 1" in change["removed"]
    actions = [e["action"] for e in _entries(server)]
    assert actions[:1] == ["scenario.create"] and actions.count("user.create") == 5


def test_the_database_refuses_to_update_or_delete_audit_entries(server: Server) -> None:
    for statement in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), server.store.engine.begin() as db:
            db.execute(text(statement))
    assert audit_report(server.store)["ok"]


def _tamper(server: Server, statement: str) -> None:
    """Drop the guard as an attacker with database access would, then alter the log."""
    with server.store.engine.begin() as db:
        if db.dialect.name == "postgresql":
            db.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))
        else:
            db.execute(text("DROP TRIGGER audit_log_no_update"))
            db.execute(text("DROP TRIGGER audit_log_no_delete"))
        db.execute(text(statement))


@pytest.mark.parametrize(
    ("statement", "found"),
    [
        ("UPDATE audit_log SET actor = 'mallory' WHERE id = 2", "entry 2: its content"),
        ("DELETE FROM audit_log WHERE id = 3", "entries are missing"),
        (
            "DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)",
            "removed from the end",
        ),
    ],
    ids=["edit", "delete-middle", "delete-last"],
)
def test_verify_detects_tampering(server: Server, statement: str, found: str) -> None:
    assert server.client.get("/api/audit/verify", headers=server.as_("admin")).json()["ok"]
    _tamper(server, statement)
    report = server.client.get("/api/audit/verify", headers=server.as_("admin")).json()
    assert not report["ok"]
    assert any(found in p for p in report["problems"]), report["problems"]


def test_the_audit_verify_command_exits_1_on_a_damaged_log(server: Server) -> None:
    env = {
        **os.environ,
        "SURGEPLAN_DATABASE_URL": server.store.settings.database_url,
        "SURGEPLAN_SECRET_KEY": server.store.settings.secret_key,
    }
    command = [sys.executable, "-m", "surgeplan", "audit", "verify"]
    intact = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert intact.returncode == 0, intact.stderr
    assert "intact" in intact.stdout
    _tamper(server, "UPDATE audit_log SET after = NULL WHERE id = 1")
    damaged = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert damaged.returncode == 1
    assert "entry 1" in damaged.stderr
