"""Solve jobs end to end: worker processes, progress, SSE, cancel, re-plan, stored plans."""

from __future__ import annotations

import json
import time
from typing import Any

from serverkit import Server

from surgeplan.checker import check
from surgeplan.checker.read import parse_assignments
from surgeplan.scenario.bundle import bundle_files, load_bundle_files
from surgeplan.scenario.load import load_scenario
from surgeplan.server.services.scenarios import create_scenario
from surgeplan.service import BUILTIN

TERMINAL = {"done", "failed", "cancelled"}


def _wait(server: Server, job_id: int, timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = server.client.get(f"/api/jobs/{job_id}", headers=server.as_("planner")).json()
        if job["status"] in TERMINAL:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not end within {timeout} s: {job}")


def _solve(server: Server, **params: Any) -> dict[str, Any]:
    reply = server.client.post(
        f"/api/scenarios/{server.scenario_id}/solve", headers=server.as_("planner"), json=params
    )
    assert reply.status_code == 202, reply.text
    assert reply.json()["status"] == "queued"
    return reply.json()


def test_a_solve_job_runs_in_a_worker_and_stores_a_checked_plan(solving_server: Server) -> None:
    server = solving_server
    job = _wait(server, _solve(server, time_limit=10)["id"])
    assert job["status"] == "done", job["error"]
    plan = server.client.get(f"/api/plans/{job['plan_id']}", headers=server.as_("planner")).json()
    assert plan["status"] == "OPTIMAL"
    assert plan["summary"]["checked"] is True
    # the stored plan is what the independent checker says, recomputed here from the files
    text = server.client.get(
        f"/api/plans/{job['plan_id']}/assignments", headers=server.as_("planner")
    ).text
    with server.store.read() as uow:
        files = uow.scenarios.files(uow.scenarios.version(server.scenario_id, 1).id)
    scenario = load_bundle_files(files)
    report = check(scenario, parse_assignments(text, "assignments.csv", scenario))
    assert report.feasible
    assert plan["cost_usd"] == str(report.cost_usd) == "8875.50"
    assert plan["shortfall"] == int(report.shortfall) == 0
    ledger = server.client.get(
        f"/api/plans/{job['plan_id']}/ledger", headers=server.as_("planner")
    ).json()
    assert {row["tier"] for row in ledger} >= {"cost"}


def test_progress_streams_as_server_sent_events_until_the_job_ends(
    solving_server: Server,
) -> None:
    server = solving_server
    job_id = _solve(server, time_limit=10)["id"]
    events = []
    with server.client.stream(
        "GET", f"/api/jobs/{job_id}/events", headers=server.as_("viewer")
    ) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if line.startswith("data: "):
                events.append(json.loads(line.removeprefix("data: ")))
    statuses = [e["status"] for e in events]
    assert statuses[-1] == "done"
    assert statuses[0] in ("queued", "running")
    assert all(e["id"] == job_id for e in events)


def test_cancelling_a_queued_job_means_it_never_runs(server: Server) -> None:
    job_id = _solve(server)["id"]
    reply = server.client.post(f"/api/jobs/{job_id}/cancel", headers=server.as_("planner"))
    assert reply.json()["status"] == "cancelled"
    again = server.client.post(f"/api/jobs/{job_id}/cancel", headers=server.as_("planner"))
    assert again.status_code == 409


def test_cancelling_a_running_solve_keeps_the_best_plan_so_far(solving_server: Server) -> None:
    server = solving_server
    # a scenario big enough to run for a while: the built-in one
    big = create_scenario(server.store, None, bundle_files(load_scenario(BUILTIN)), "built-in")
    reply = server.client.post(
        f"/api/scenarios/{big}/solve", headers=server.as_("planner"), json={"time_limit": 120}
    )
    job_id = reply.json()["id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = server.client.get(f"/api/jobs/{job_id}", headers=server.as_("planner")).json()
        if job["progress"].get("objective") is not None:
            break
        time.sleep(0.2)
    assert job["status"] == "running", job
    server.client.post(f"/api/jobs/{job_id}/cancel", headers=server.as_("planner"))
    job = _wait(server, job_id, timeout=60)
    assert job["status"] == "cancelled"
    assert job["plan_id"] is not None, job["error"]
    plan = server.client.get(f"/api/plans/{job['plan_id']}", headers=server.as_("planner")).json()
    assert plan["summary"]["interrupted"] is True
    assert plan["summary"]["checked"] is True


def test_a_replan_moves_few_officers_and_previews_the_impact(solving_server: Server) -> None:
    server = solving_server
    first = _wait(server, _solve(server, time_limit=10)["id"])
    header = server.client.get(
        f"/api/scenarios/{server.scenario_id}", headers=server.as_("planner")
    )
    people = server.client.get(
        f"/api/scenarios/{server.scenario_id}/tables/unavailable", headers=server.as_("planner")
    ).text
    assignments = server.client.get(
        f"/api/plans/{first['plan_id']}/assignments", headers=server.as_("planner")
    ).text
    moved = next(
        line.split(",")[0]
        for line in assignments.splitlines()[1:]
        if line.split(",")[2] >= "2020-02-10"
    )
    leave = people + f"{moved},2020-02-10,2020-02-23\n"
    upload = server.client.post(
        f"/api/scenarios/{server.scenario_id}/tables/unavailable",
        headers={**server.as_("planner"), "If-Match": header.headers["etag"]},
        files={"file": ("unavailable.csv", leave.encode())},
    )
    assert upload.status_code == 200, upload.text
    reply = server.client.post(
        f"/api/plans/{first['plan_id']}/replan",
        headers=server.as_("planner"),
        json={"since": "2020-02-10", "time_limit": 10},
    )
    assert reply.status_code == 202, reply.text
    job = _wait(server, reply.json()["id"])
    assert job["status"] == "done", job["error"]
    new = server.client.get(
        f"/api/plans/{job['plan_id']}/assignments", headers=server.as_("planner")
    ).text
    assert not any(
        line.startswith(f"{moved},") and line.split(",")[2] >= "2020-02-10"
        for line in new.splitlines()
    )
    # the past is frozen
    past = {line for line in assignments.splitlines()[1:] if line.split(",")[2] < "2020-02-10"}
    assert past <= set(new.splitlines())
    impact = server.client.get(
        f"/api/plans/{job['plan_id']}/impact", headers=server.as_("planner")
    ).text
    assert moved in {line.split(",")[0] for line in impact.splitlines()[1:]}
    diff = server.client.get(
        f"/api/plans/{first['plan_id']}/diff/{job['plan_id']}", headers=server.as_("planner")
    ).json()
    assert moved in {o["person_id"] for o in diff["officers"]}


def test_a_job_whose_pins_conflict_fails_with_the_conflict_in_words(
    solving_server: Server,
) -> None:
    server = solving_server
    header = server.client.get(
        f"/api/scenarios/{server.scenario_id}", headers=server.as_("planner")
    )
    # tiny: rotation_max 2, so three pinned weeks in a row at Chicago cannot be kept
    pins = "person_id,period_start,site_id\n" + "".join(
        f"P1,{day},CHI\n" for day in ("2020-02-03", "2020-02-10", "2020-02-17")
    )
    reply = server.client.post(
        f"/api/scenarios/{server.scenario_id}/pins",
        headers={**server.as_("planner"), "If-Match": header.headers["etag"]},
        files={"file": ("pins.csv", pins.encode())},
    )
    assert reply.status_code == 200, reply.text
    job = _wait(server, _solve(server, time_limit=10)["id"])
    assert job["status"] == "failed"
    assert job["error"].startswith("The hard rules conflict:")
    assert "P1" in job["error"] and "rotation_max" in job["error"]
