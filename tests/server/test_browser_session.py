"""Browser sessions: cookie flags, CSRF on unsafe methods, sign-out."""

from __future__ import annotations

from serverkit import PASSWORD, Server


def _login(server: Server, who: str = "planner") -> str:
    reply = server.client.post("/api/auth/login", data={"username": who, "password": PASSWORD})
    assert reply.status_code == 200, reply.text
    cookies = reply.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("surgeplan_session="))
    flags = {part.strip().lower() for part in session.split(";")}
    assert {"httponly", "secure", "samesite=strict", "path=/"} <= flags
    csrf = reply.json()["csrf_token"]
    assert csrf and csrf not in session
    return str(csrf)


def test_a_browser_session_reads_with_its_cookie_alone(server: Server) -> None:
    _login(server)
    me = server.client.get("/api/auth/me")
    assert me.json() == {"username": "planner", "role": "planner", "sites": []}


def test_unsafe_requests_need_the_csrf_header(server: Server) -> None:
    csrf = _login(server)
    url = f"/api/scenarios/{server.scenario_id}/solve"
    refused = server.client.post(url, json={"time_limit": 5})
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    wrong = server.client.post(url, json={"time_limit": 5}, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    accepted = server.client.post(url, json={"time_limit": 5}, headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 202


def test_sign_out_ends_the_session(server: Server) -> None:
    csrf = _login(server)
    old = server.client.cookies["surgeplan_session"]
    assert server.client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    server.client.cookies.clear()
    replayed = server.client.get("/api/auth/me", headers={"Cookie": f"surgeplan_session={old}"})
    assert replayed.status_code == 401


def test_a_bearer_token_stops_working_after_sign_out(server: Server) -> None:
    headers = server.as_("viewer")
    assert server.client.post("/api/auth/logout", headers=headers).status_code == 204
    assert server.client.get("/api/auth/me", headers=headers).status_code == 401
