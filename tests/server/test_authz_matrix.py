"""Authorization matrix: every route of the API × every kind of caller.

The expected access below is written by hand from the role specification (it does not
read `policy.GRANTS`, so a wrong grant fails here). The matrix is driven by the routes
the live app serves: a route without an entry in `ACCESS` fails the test, so no endpoint
can be added without deciding who may call it.

Who may do what:
- anonymous: only /api/health, the sign-in endpoints and the API description.
- viewer: summaries and the tables without officer data; jobs; who am I; sign out.
- site lead: what a viewer may, plus officer data filtered to their sites (people,
  unavailable, pins, assignments, ledger) and demand proposals for their own sites.
- planner: everything except accounts and the audit log.
- admin: everything.
- the web workspace (static files mounted at /): public, it holds no data.

Routes added after the specification was written are decided by its principles (officer
data is for site leads and up, filtered to their sites; whole-roster exports and changes
to what the team works to are for planners); they are marked "inferred" below.

Every allowed request is built valid (fresh If-Match, real CSV uploads, real plans and
jobs), so "allowed" means exactly the success status, and "denied" means exactly 403
(401 for anonymous callers).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from serverkit import PASSWORD, Server, settings_for, tiny_files
from starlette.routing import Mount

from surgeplan.server import worker
from surgeplan.server.api.app import create_app
from surgeplan.server.services.scenarios import create_scenario

ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, "admin", "planner", "lead_chi", "lead_nyc", "viewer")
SIGNED_IN = frozenset({"admin", "planner", "lead_chi", "lead_nyc", "viewer"})
EVERYONE = SIGNED_IN | {ANONYMOUS}
OFFICER_DATA = frozenset({"admin", "planner", "lead_chi", "lead_nyc"})
PLANNERS = frozenset({"admin", "planner"})
ADMINS = frozenset({"admin"})
LEADS = {"lead_chi": "CHI", "lead_nyc": "NYC"}

CAMPAIGN_DAY = "2020-02-10"
NEW_PASSWORD = "a brand new passphrase 42"
PINS = "person_id,period_start,site_id\nP1,2020-02-03,CHI\nP3,2020-02-17,NYC\n"


def access(allowed: frozenset[str] | set[str], ok: int = 200) -> dict[str, int]:
    """Expected status per caller: `ok` if allowed, else 401 (anonymous) or 403."""
    return {who: ok if who in allowed else 401 if who == ANONYMOUS else 403 for who in ROLES}


# --- the world every case runs in -------------------------------------------------------


@dataclass
class World:
    """Real objects for the requests: a scenario, two plans, jobs and open proposals."""

    server: Server
    scenario: int
    spare: int
    """A second scenario, archived by the DELETE case."""
    plan: int
    replanned: int
    """A re-plan of `plan` from CAMPAIGN_DAY (so it has an impact)."""
    done_job: int
    queued_job: int
    """A queued solve (no dispatcher runs it), cancelled by the cancel case."""
    to_accept: int
    to_decline: int
    assignments: str
    """`plan`'s assignments.csv, uploaded by the check case."""

    def admin_get(self, url: str) -> Any:
        reply = self.server.client.get(url, headers=self.server.as_("admin"))
        assert reply.status_code == 200, f"setup: GET {url}: {reply.status_code} {reply.text}"
        return reply

    def if_match(self, scenario: int | None = None) -> dict[str, str]:
        """The scenario's current version, from GET /api/scenarios/{id}'s ETag."""
        reply = self.admin_get(f"/api/scenarios/{scenario or self.scenario}")
        return {"If-Match": reply.headers["etag"]}

    def table(self, name: str) -> str:
        return str(self.admin_get(f"/api/scenarios/{self.scenario}/tables/{name}").text)


def _ok(reply: Any, status: int, what: str) -> Any:
    assert reply.status_code == status, f"setup: {what}: {reply.status_code} {reply.text}"
    return reply.json() if status != 204 else None


def solve_now(server: Server, url: str, body: dict[str, Any]) -> tuple[int, int]:
    """Queue a solve or re-plan as the planner and run it in-process: (job id, plan id)."""
    job = _ok(server.client.post(url, json=body, headers=server.as_("planner")), 202, url)
    assert worker.run(server.store, job["id"]) == "done"
    view = _ok(
        server.client.get(f"/api/jobs/{job['id']}", headers=server.as_("planner")), 200, "job"
    )
    return job["id"], view["plan_id"]


def build_world(server: Server) -> World:
    client, sid = server.client, server.scenario_id
    done_job, plan = solve_now(server, f"/api/scenarios/{sid}/solve", {"time_limit": 5})
    _, replanned = solve_now(
        server, f"/api/plans/{plan}/replan", {"since": CAMPAIGN_DAY, "time_limit": 5}
    )
    queued = _ok(
        client.post(f"/api/scenarios/{sid}/solve", json={}, headers=server.as_("planner")),
        202,
        "queue a solve",
    )
    proposals = {}
    for lead, site in LEADS.items():
        body = {"site_id": site, "rows": [{"period_start": CAMPAIGN_DAY, "required": 1}]}
        reply = client.post(f"/api/scenarios/{sid}/proposals", json=body, headers=server.as_(lead))
        proposals[site] = _ok(reply, 201, f"{lead} proposes")["id"]
    world = World(
        server=server,
        scenario=sid,
        spare=create_scenario(server.store, None, tiny_files(), "spare, to archive"),
        plan=plan,
        replanned=replanned,
        done_job=done_job,
        queued_job=queued["id"],
        to_accept=proposals["CHI"],
        to_decline=proposals["NYC"],
        assignments="",
    )
    world.assignments = world.admin_get(f"/api/plans/{plan}/assignments").text
    pins = client.post(
        f"/api/scenarios/{sid}/pins",
        files={"file": ("pins.csv", PINS.encode())},
        headers={**server.as_("admin"), **world.if_match()},
    )
    _ok(pins, 200, "set pins")
    return world


# --- the expectation table ----------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """A concrete request: URL plus HTTP-client keyword arguments (json, data, files, headers)."""

    url: str
    kwargs: dict[str, Any] = field(default_factory=dict)


READ, WRITE, ARCHIVE, LAST = range(4)
"""Phases: reads first, then edits (each re-reads If-Match), then archiving, then sign-out."""


@dataclass(frozen=True)
class Case:
    label: str
    expect: Mapping[str, int]
    call: Callable[[World, str], Call]
    phase: int = READ


def _get(url: str) -> Callable[[World, str], Call]:
    """A GET of `url` formatted with the world (e.g. "/api/plans/{w.plan}")."""
    return lambda w, _: Call(url.format(w=w))


def _edit_table(table: str) -> Callable[[World, str], Call]:
    def call(w: World, _: str) -> Call:
        text = w.table(table)
        return Call(
            f"/api/scenarios/{w.scenario}/tables/{table}",
            {"files": {"file": (f"{table}.csv", text.encode())}, "headers": w.if_match()},
        )

    return call


def _put_rules(w: World, _: str) -> Call:
    rules = w.admin_get(f"/api/scenarios/{w.scenario}/rules").json()
    return Call(f"/api/scenarios/{w.scenario}/rules", {"json": rules, "headers": w.if_match()})


def _put_pins(w: World, _: str) -> Call:
    text = w.admin_get(f"/api/scenarios/{w.scenario}/pins").text
    return Call(
        f"/api/scenarios/{w.scenario}/pins",
        {"files": {"file": ("pins.csv", text.encode())}, "headers": w.if_match()},
    )


def _import(_: World, __: str) -> Call:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in tiny_files().items():
            archive.writestr(name, text)
    return Call("/api/scenarios", {"files": {"file": ("tiny.zip", buffer.getvalue())}})


def _archive(w: World, _: str) -> Call:
    return Call(f"/api/scenarios/{w.spare}", {"headers": w.if_match(w.spare)})


def _propose(site: str) -> Callable[[World, str], Call]:
    def call(w: World, who: str) -> Call:
        rows = [{"period_start": "2020-02-17", "qualification": "*", "required": 2}]
        body = {"site_id": site, "rows": rows, "note": f"by {who}"}
        return Call(f"/api/scenarios/{w.scenario}/proposals", {"json": body})

    return call


def _sign_in(endpoint: str, right: bool) -> Callable[[World, str], Call]:
    def call(_: World, who: str) -> Call:
        username = who if who in SIGNED_IN else "viewer"
        password = PASSWORD if right else "not the password at all"
        return Call(f"/api/auth/{endpoint}", {"data": {"username": username, "password": password}})

    return call


def _new_user(_: World, who: str) -> Call:
    body = {"username": f"made-by-{who}", "password": NEW_PASSWORD, "role": "viewer"}
    return Call("/api/users", {"json": body})


def _post(url: str, body: dict[str, Any] | None = None) -> Callable[[World, str], Call]:
    return lambda w, _: Call(url.format(w=w), {"json": body} if body is not None else {})


def _check(w: World, _: str) -> Call:
    upload = {"file": ("assignments.csv", w.assignments.encode())}
    return Call(f"/api/scenarios/{w.scenario}/check", {"files": upload})


SCENARIO = "/api/scenarios/{w.scenario}"
PLAN = "/api/plans/{w.plan}"
PUBLIC_TABLES = ("bases", "sites", "demand", "per_diem", "travel")
OFFICER_TABLES = ("people", "unavailable", "requests")
WRONG_CREDENTIALS = dict.fromkeys(ROLES, 401)
RIGHT_CREDENTIALS = dict.fromkeys(ROLES, 200)

ACCESS: dict[tuple[str, str], list[Case]] = {
    # --- public ---
    ("GET", "/api/health"): [Case("liveness", access(EVERYONE), _get("/api/health"))],
    ("GET", "/api/openapi.json"): [Case("schema", access(EVERYONE), _get("/api/openapi.json"))],
    ("GET", "/api/docs"): [Case("swagger ui", access(EVERYONE), _get("/api/docs"))],
    # inferred: the web workspace's static files (HTML, JS, CSS; every datum comes from the API)
    ("MOUNT", "/"): [Case("web workspace", access(EVERYONE), _get("/"))],
    # Swagger UI's static OAuth2 redirect helper page (no data).
    ("GET", "/api/docs/oauth2-redirect"): [
        Case("swagger oauth2 redirect", access(EVERYONE), _get("/api/docs/oauth2-redirect"))
    ],
    ("POST", "/api/auth/token"): [
        Case("wrong password", WRONG_CREDENTIALS, _sign_in("token", right=False)),
        Case("right password", RIGHT_CREDENTIALS, _sign_in("token", right=True)),
    ],
    ("POST", "/api/auth/login"): [
        Case("wrong password", WRONG_CREDENTIALS, _sign_in("login", right=False)),
        Case("right password", RIGHT_CREDENTIALS, _sign_in("login", right=True)),
    ],
    # --- any signed-in user ---
    ("GET", "/api/auth/me"): [Case("who am I", access(SIGNED_IN), _get("/api/auth/me"))],
    ("POST", "/api/auth/logout"): [
        Case("sign out", access(SIGNED_IN, 204), _post("/api/auth/logout"), LAST)
    ],
    ("GET", "/api/scenarios"): [Case("list", access(SIGNED_IN), _get("/api/scenarios"))],
    ("GET", "/api/scenarios/{scenario_id}"): [Case("header", access(SIGNED_IN), _get(SCENARIO))],
    ("GET", "/api/scenarios/{scenario_id}/versions"): [
        Case("versions", access(SIGNED_IN), _get(SCENARIO + "/versions"))
    ],
    ("GET", "/api/scenarios/{scenario_id}/rules"): [
        Case("rules", access(SIGNED_IN), _get(SCENARIO + "/rules"))
    ],
    ("GET", "/api/scenarios/{scenario_id}/tables/{table}"): [
        *(Case(t, access(SIGNED_IN), _get(SCENARIO + f"/tables/{t}")) for t in PUBLIC_TABLES),
        *(Case(t, access(OFFICER_DATA), _get(SCENARIO + f"/tables/{t}")) for t in OFFICER_TABLES),
    ],
    ("GET", "/api/plans"): [Case("list", access(SIGNED_IN), _get("/api/plans"))],
    ("GET", "/api/plans/{plan_id}"): [Case("summary", access(SIGNED_IN), _get(PLAN))],
    # inferred: aggregates for every reader, officer parts cut by role (checked below)
    ("GET", "/api/plans/{plan_id}/view"): [
        Case("workspace view", access(SIGNED_IN), _get(PLAN + "/view"))
    ],
    ("GET", "/api/jobs"): [Case("list", access(SIGNED_IN), _get("/api/jobs"))],
    ("GET", "/api/jobs/{job_id}"): [
        Case("status", access(SIGNED_IN), _get("/api/jobs/{w.done_job}"))
    ],
    ("GET", "/api/jobs/{job_id}/events"): [
        Case("events of a finished job", access(SIGNED_IN), _get("/api/jobs/{w.done_job}/events"))
    ],
    # --- officer data, filtered for site leads ---
    ("GET", "/api/scenarios/{scenario_id}/pins"): [
        Case("pins", access(OFFICER_DATA), _get(SCENARIO + "/pins"))
    ],
    ("GET", "/api/plans/{plan_id}/assignments"): [
        Case("csv", access(OFFICER_DATA), _get(PLAN + "/assignments")),
        Case("json", access(OFFICER_DATA), _get(PLAN + "/assignments?format=json")),
    ],
    ("GET", "/api/plans/{plan_id}/ledger"): [
        Case("ledger", access(OFFICER_DATA), _get(PLAN + "/ledger"))
    ],
    # inferred: rotations and calendars are assignments by another name, filtered to a
    # lead's sites: another site's calendar comes empty (checked below), another site's
    # officer is not found
    ("GET", "/api/plans/{plan_id}/rotations"): [
        Case("csv", access(OFFICER_DATA), _get(PLAN + "/rotations")),
        Case("xlsx", access(OFFICER_DATA), _get(PLAN + "/rotations?format=xlsx")),
    ],
    ("GET", "/api/plans/{plan_id}/calendar/{kind}/{key}"): [
        Case("site CHI", access(OFFICER_DATA), _get(PLAN + "/calendar/site/CHI")),
        Case(
            "officer P3 (at NYC)",
            {**access(OFFICER_DATA), "lead_chi": 404},
            _get(PLAN + "/calendar/officer/P3"),
        ),
    ],
    ("GET", "/api/scenarios/{scenario_id}/proposals"): [
        Case("list", access(OFFICER_DATA), _get(SCENARIO + "/proposals"))
    ],
    ("POST", "/api/scenarios/{scenario_id}/proposals"): [
        Case("for CHI", access({"admin", "planner", "lead_chi"}, 201), _propose("CHI"), WRITE),
        Case("for NYC", access({"admin", "planner", "lead_nyc"}, 201), _propose("NYC"), WRITE),
    ],
    # --- planners ---
    ("GET", "/api/scenarios/{scenario_id}/bundle"): [
        Case("export", access(PLANNERS), _get(SCENARIO + "/bundle"))
    ],
    # inferred: the full HTML report lists every officer, like the bundle export
    ("GET", "/api/plans/{plan_id}/report"): [
        Case("html report", access(PLANNERS), _get(PLAN + "/report"))
    ],
    ("GET", "/api/plans/{plan_id}/impact"): [
        Case("impact", access(PLANNERS), _get("/api/plans/{w.replanned}/impact"))
    ],
    ("GET", "/api/plans/{plan_id}/diff/{other_id}"): [
        Case("diff", access(PLANNERS), _get(PLAN + "/diff/{w.replanned}"))
    ],
    ("POST", "/api/scenarios/{scenario_id}/check"): [
        Case("check an upload", access(PLANNERS), _check)
    ],
    ("POST", "/api/scenarios/{scenario_id}/solve"): [
        Case("queue", access(PLANNERS, 202), _post(SCENARIO + "/solve", {"time_limit": 5}), WRITE)
    ],
    ("POST", "/api/plans/{plan_id}/replan"): [
        Case(
            "queue",
            access(PLANNERS, 202),
            _post(PLAN + "/replan", {"since": CAMPAIGN_DAY, "time_limit": 5}),
            WRITE,
        )
    ],
    # inferred: choosing the plan the team works to is a planner's decision
    ("POST", "/api/plans/{plan_id}/accept"): [
        Case("accept a plan", access(PLANNERS), _post("/api/plans/{w.replanned}/accept"), WRITE)
    ],
    ("POST", "/api/jobs/{job_id}/cancel"): [
        Case("a queued job", access(PLANNERS), _post("/api/jobs/{w.queued_job}/cancel"), WRITE)
    ],
    ("POST", "/api/proposals/{proposal_id}/accept"): [
        Case("accept", access(PLANNERS), _post("/api/proposals/{w.to_accept}/accept"), WRITE)
    ],
    ("POST", "/api/proposals/{proposal_id}/decline"): [
        Case("decline", access(PLANNERS), _post("/api/proposals/{w.to_decline}/decline"), WRITE)
    ],
    ("POST", "/api/scenarios"): [Case("import", access(PLANNERS, 201), _import, WRITE)],
    ("POST", "/api/scenarios/{scenario_id}/tables/{table}"): [
        Case(t, access(PLANNERS), _edit_table(t), WRITE) for t in PUBLIC_TABLES + OFFICER_TABLES
    ],
    ("PUT", "/api/scenarios/{scenario_id}/rules"): [
        Case("replace", access(PLANNERS), _put_rules, WRITE)
    ],
    ("POST", "/api/scenarios/{scenario_id}/pins"): [
        Case("replace", access(PLANNERS), _put_pins, WRITE)
    ],
    ("DELETE", "/api/scenarios/{scenario_id}"): [
        Case("archive", access(PLANNERS, 204), _archive, ARCHIVE)
    ],
    # --- admins ---
    ("GET", "/api/users"): [Case("list", access(ADMINS), _get("/api/users"))],
    ("POST", "/api/users"): [Case("create", access(ADMINS, 201), _new_user, WRITE)],
    ("GET", "/api/audit"): [Case("read", access(ADMINS), _get("/api/audit?limit=50"))],
    ("GET", "/api/audit/verify"): [Case("verify", access(ADMINS), _get("/api/audit/verify"))],
}


def served_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves, including those of included routers;
    ("MOUNT", path) for a mounted app (e.g. static files), which answers any method."""
    served = set()
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, Mount):
            served.add(("MOUNT", route.path or "/"))
            continue
        methods = set(route.methods or ())
        assert methods, f"a route of unknown kind: {route.original_route!r}"
        if "GET" in methods:
            methods.discard("HEAD")  # Starlette answers HEAD on every GET route by itself
        served |= {(method, str(route.path)) for method in methods}
    return served


def test_the_table_decides_every_route_and_only_real_ones() -> None:
    app = create_app(settings_for("sqlite:///unused.db"), dispatch=False)
    served = served_routes(app)
    assert not served - ACCESS.keys(), "routes without an access decision in ACCESS"
    assert not ACCESS.keys() - served, "ACCESS entries for routes the app does not serve"
    # the enumeration sees every documented operation (it must not go quiet)
    documented = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    api_routes = {
        (method, str(route.path))
        for route in iter_route_contexts(app.routes)
        if isinstance(route.original_route, APIRoute)
        for method in route.methods or ()
    }
    assert documented == api_routes
    assert len(documented) >= 38


@pytest.mark.parametrize("who", ROLES)
def test_authorization_matrix(server: Server, who: str) -> None:
    world = build_world(server)
    served = served_routes(server.client.app)  # type: ignore[arg-type]
    undecided = sorted(served - ACCESS.keys())
    assert not undecided, f"no access decision for {undecided}: add them to ACCESS"
    plan = [(key, case) for key in ACCESS if key in served for case in ACCESS[key]]
    plan.sort(key=lambda item: item[1].phase)
    failures = []
    for (method, _), case in plan:
        call = case.call(world, who)
        kwargs = dict(call.kwargs)
        headers = {**server.as_(who), **kwargs.pop("headers", {})}
        verb = "GET" if method == "MOUNT" else method
        try:
            reply = server.client.request(verb, call.url, headers=headers, **kwargs)
        except Exception as error:  # a server error the client re-raised
            failures.append(f"{verb} {call.url} [{case.label}] as {who}: raised {error!r}")
            continue
        finally:
            server.client.cookies.clear()  # a browser sign-in must not carry over
        expected = case.expect[who]
        if reply.status_code != expected:
            failures.append(
                f"{method} {call.url} [{case.label}] as {who}: expected {expected}, "
                f"got {reply.status_code} {reply.text[:300]}"
            )
    if who in SIGNED_IN:  # the sign-out case ran last: the token is dead now
        after = server.client.get("/api/auth/me", headers=server.as_(who))
        if after.status_code != 401:
            failures.append(f"after POST /api/auth/logout, {who}'s token still works")
    assert not failures, "\n".join(failures)


# --- what a site lead and a viewer see ----------------------------------------------------


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_site_leads_see_only_their_sites_and_viewers_no_officer_names(server: Server) -> None:
    world = build_world(server)
    client, sid = server.client, server.scenario_id

    def get(who: str, url: str) -> Any:
        reply = client.get(url, headers=server.as_(who))
        assert reply.status_code == 200, f"GET {url} as {who}: {reply.status_code} {reply.text}"
        return reply

    everything = _rows(get("planner", f"/api/plans/{world.plan}/assignments").text)
    latest = _rows(get("planner", f"/api/plans/{world.replanned}/assignments").text)
    full_ledger = get("planner", f"/api/plans/{world.plan}/ledger").json()
    roster = _rows(get("planner", f"/api/scenarios/{sid}/tables/people").text)
    leave = _rows(get("planner", f"/api/scenarios/{sid}/tables/unavailable").text)
    all_pins = _rows(get("planner", f"/api/scenarios/{sid}/pins").text)
    all_rotations = _rows(get("planner", f"/api/plans/{world.plan}/rotations").text)
    assert {r["site_id"] for r in everything} == {"CHI", "NYC"}
    assert {r["site_id"] for r in full_ledger} >= {"CHI", "NYC"}
    assert {r["site_id"] for r in all_pins} == {"CHI", "NYC"}

    people_by_lead = {}
    for lead, site in LEADS.items():
        other = "NYC" if site == "CHI" else "CHI"
        mine = _rows(get(lead, f"/api/plans/{world.plan}/assignments").text)
        assert mine, f"{lead} sees no assignments at {site}"
        assert all(r["site_id"] == site for r in mine), f"{lead} sees {other} assignments"
        assert mine == [r for r in everything if r["site_id"] == site]
        as_json = get(lead, f"/api/plans/{world.plan}/assignments?format=json").json()
        assert as_json == mine

        ledger = get(lead, f"/api/plans/{world.plan}/ledger").json()
        assert ledger, f"{lead} sees no ledger rows at {site}"
        assert all(r["site_id"] == site for r in ledger), f"{lead} sees {other} ledger rows"
        assert ledger == [r for r in full_ledger if r["site_id"] == site]

        deployed_here = {r["person_id"] for r in latest if r["site_id"] == site}
        people = _rows(get(lead, f"/api/scenarios/{sid}/tables/people").text)
        assert {r["person_id"] for r in people} == deployed_here
        assert people == [r for r in roster if r["person_id"] in deployed_here]
        unavailable = _rows(get(lead, f"/api/scenarios/{sid}/tables/unavailable").text)
        assert unavailable == [r for r in leave if r["person_id"] in deployed_here]
        people_by_lead[lead] = {r["person_id"] for r in people}

        rotations = _rows(get(lead, f"/api/plans/{world.plan}/rotations").text)
        assert rotations and all(r["site_id"] == site for r in rotations)
        assert rotations == [r for r in all_rotations if r["site_id"] == site]
        view = get(lead, f"/api/plans/{world.plan}/view").json()
        assert not view["names_hidden"]
        assert view["rotations"] and {r["site_id"] for r in view["rotations"]} == {site}
        assert {o["person_id"] for o in view["officers"]} == {r["person_id"] for r in mine}

        pins = _rows(get(lead, f"/api/scenarios/{sid}/pins").text)
        assert pins == [r for r in all_pins if r["site_id"] == site]

        for of_site, shown in ((site, True), (other, False)):
            ics = get(lead, f"/api/plans/{world.plan}/calendar/site/{of_site}").text
            assert ("BEGIN:VEVENT" in ics) is shown, f"{lead}'s calendar of {of_site}"

        proposals = get(lead, f"/api/scenarios/{sid}/proposals").json()
        assert proposals and {p["site_id"] for p in proposals} == {site}
    assert people_by_lead["lead_chi"] != people_by_lead["lead_nyc"]
    assert len(roster) > max(len(p) for p in people_by_lead.values())

    assert "violations" in get("planner", f"/api/plans/{world.plan}").json()["summary"]
    summary = get("viewer", f"/api/plans/{world.plan}").json()["summary"]
    assert "violations" not in summary
    view = get("viewer", f"/api/plans/{world.plan}/view").json()
    assert view["names_hidden"]
    assert [view[part] for part in ("officers", "rotations", "fairness", "pins")] == [[]] * 4
    assert "violations" not in view["plan"]["summary"]
