"""The API's front door: sign-in, scenarios, tables, versions and optimistic locking."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook, load_workbook
from serverkit import PASSWORD, Server, tiny_files


def test_anonymous_requests_get_401_with_a_bearer_challenge(server: Server) -> None:
    reply = server.client.get("/api/scenarios")
    assert reply.status_code == 401
    assert reply.headers["www-authenticate"] == "Bearer"


def test_token_answers_the_oauth2_shape_and_opens_the_api(server: Server) -> None:
    reply = server.client.post(
        "/api/auth/token", data={"username": "planner", "password": PASSWORD}
    )
    body = reply.json()
    assert body["token_type"] == "bearer" and len(body["access_token"]) > 30
    listed = server.client.get(
        "/api/scenarios", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert [s["name"] for s in listed.json()] == ["Tiny surge"]


def test_wrong_password_is_refused_and_repeated_failures_are_rate_limited(
    server: Server,
) -> None:
    statuses = [
        server.client.post(
            "/api/auth/token", data={"username": "planner", "password": "wrong password!!"}
        ).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    # even the right password waits out the window
    right = server.client.post(
        "/api/auth/token", data={"username": "planner", "password": PASSWORD}
    )
    assert right.status_code == 429


def test_table_download_as_csv_and_xlsx_carries_the_contract_columns(server: Server) -> None:
    base = f"/api/scenarios/{server.scenario_id}/tables/sites"
    csv_reply = server.client.get(base, headers=server.as_("planner"))
    assert csv_reply.text.splitlines()[0] == "site_id,name,lat,lon,priority"
    assert csv_reply.headers["etag"] == '"1"'
    xlsx = server.client.get(base + "?format=xlsx", headers=server.as_("planner"))
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["site_id", "name", "lat", "lon", "priority"]
    assert rows[1][:2] == ["CHI", "Chicago"]


def _upload(server: Server, table: str, name: str, data: bytes, version: int) -> object:
    return server.client.post(
        f"/api/scenarios/{server.scenario_id}/tables/{table}",
        headers={**server.as_("planner"), "If-Match": f'"{version}"'},
        files={"file": (name, data)},
    )


def test_an_upload_makes_a_new_version_and_the_old_one_stays_readable(server: Server) -> None:
    table = f"/api/scenarios/{server.scenario_id}/tables/demand"
    before = server.client.get(table, headers=server.as_("planner")).text
    lines = before.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("CHI,2020-02-03,*,"))
    lines[first] = "CHI,2020-02-03,*,3"
    edited = "\n".join(lines) + "\n"
    reply = _upload(server, "demand", "demand.csv", edited.encode(), 1)
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"version": 2}
    now = server.client.get(table, headers=server.as_("planner")).text
    assert "CHI,2020-02-03,*,3" in now.splitlines()
    old = server.client.get(table + "?version=1", headers=server.as_("planner")).text
    assert old == before
    versions = server.client.get(
        f"/api/scenarios/{server.scenario_id}/versions", headers=server.as_("planner")
    ).json()
    assert [(v["number"], v["created_by"]) for v in versions] == [(1, "system"), (2, "planner")]


def test_demand_no_one_can_fill_is_saved_and_the_scenario_warns_with_its_line(
    server: Server,
) -> None:
    """A misspelt qualification is legal (the row stays short), so the upload is saved;
    the scenario's header then names the row and the fix, as `surgeplan validate` does."""
    header = f"/api/scenarios/{server.scenario_id}"
    assert server.client.get(header, headers=server.as_("planner")).json()["warnings"] == []
    table = server.client.get(header + "/tables/demand", headers=server.as_("planner")).text
    edited = table + "NYC,2020-02-17,laed,1\n"
    line = len(edited.splitlines())
    reply = _upload(server, "demand", "demand.csv", edited.encode(), 1)
    assert reply.status_code == 200, reply.text
    (warning,) = server.client.get(header, headers=server.as_("viewer")).json()["warnings"]
    assert warning.startswith(f"demand.csv:{line}: qualification: no one in people holds 'laed'")


def test_a_malformed_csv_gets_422_with_line_and_field_and_writes_nothing(server: Server) -> None:
    bad = b"site_id,period_start,qualification,required\nCHI,2020-02-03,*,2\nXXX,2020-02-03,*,1\n"
    reply = _upload(server, "demand", "my-demand.csv", bad, 1)
    assert reply.status_code == 422
    errors = reply.json()["errors"]
    assert errors[0]["file"] == "my-demand.csv"
    assert errors[0]["line"] == 3 and errors[0]["field"] == "site_id"
    assert "XXX" in errors[0]["message"]
    header = server.client.get(
        f"/api/scenarios/{server.scenario_id}", headers=server.as_("planner")
    )
    assert header.json()["version"] == 1


def test_a_stale_edit_gets_409_saying_what_changed(server: Server) -> None:
    table = f"/api/scenarios/{server.scenario_id}/tables/sites"
    text = server.client.get(table, headers=server.as_("planner")).text
    assert (
        _upload(
            server, "sites", "sites.csv", text.replace("Chicago", "Chicago IL").encode(), 1
        ).status_code
        == 200
    )
    stale = _upload(server, "sites", "sites.csv", text.replace("New York", "NYC").encode(), 1)
    assert stale.status_code == 409
    details = stale.json()["errors"]
    assert details["current_version"] == 2 and details["your_version"] == 1
    assert details["changed_files"] == ["sites.csv"]


def test_an_edit_without_if_match_is_refused(server: Server) -> None:
    reply = server.client.post(
        f"/api/scenarios/{server.scenario_id}/tables/sites",
        headers=server.as_("planner"),
        files={"file": ("sites.csv", b"site_id,name,lat,lon\n")},
    )
    assert reply.status_code == 422
    assert "If-Match" in reply.json()["detail"]


def _workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_upload_replaces_a_table(server: Server) -> None:
    rows: list[list[object]] = [
        ["site_id", "name", "lat", "lon", "priority"],
        ["CHI", "Chicago", 41.8, -87.6, 3],
        ["NYC", "New York", 40.7, -74.0, 1],
    ]
    reply = _upload(server, "sites", "sites.xlsx", _workbook(rows), 1)
    assert reply.status_code == 200, reply.text
    text = server.client.get(
        f"/api/scenarios/{server.scenario_id}/tables/sites", headers=server.as_("planner")
    ).text
    assert "CHI,Chicago,41.8,-87.6,3" in text.splitlines()


def test_a_malformed_xlsx_gets_422_with_row_and_column_and_writes_nothing(
    server: Server,
) -> None:
    bad_value = [["site_id", "name", "lat", "lon", "priority"], ["CHI", "Chicago", "north", 1, 1]]
    reply = _upload(server, "sites", "sites.xlsx", _workbook(bad_value), 1)
    assert reply.status_code == 422
    first = reply.json()["errors"][0]
    assert (first["file"], first["line"], first["field"]) == ("sites.xlsx", 2, "lat")
    formula = [["site_id", "name", "lat", "lon", "priority"], ["CHI", "=A1", 1, 1, 1]]
    reply = _upload(server, "sites", "sites.xlsx", _workbook(formula), 1)
    assert reply.status_code == 422
    first = reply.json()["errors"][0]
    assert (first["line"], first["column"]) == (2, 2)
    assert "formula" in first["message"]
    broken = _upload(server, "sites", "sites.xlsx", b"PK\x03\x04 not really a workbook", 1)
    assert broken.status_code == 422
    assert "xlsx" in broken.json()["detail"]
    header = server.client.get(
        f"/api/scenarios/{server.scenario_id}", headers=server.as_("planner")
    )
    assert header.json()["version"] == 1


def test_an_oversized_upload_is_refused_before_it_is_read(server: Server) -> None:
    huge = b"PK\x03\x04" + bytes(20_000_001)
    for name in ("sites.xlsx", "sites.csv"):
        reply = _upload(server, "sites", name, huge, 1)
        assert reply.status_code == 422
        assert "larger than 20 MB" in reply.json()["detail"]


def test_a_bundle_with_bad_pins_is_refused_naming_pins_csv(server: Server) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        for name, text in tiny_files().items():
            out.writestr(name, text)
        out.writestr("pins.csv", "person_id,period_start,site_id\nP9,2020-02-03,CHI\n")
    reply = server.client.post(
        "/api/scenarios",
        headers=server.as_("planner"),
        files={"file": ("bundle.zip", archive.getvalue())},
    )
    assert reply.status_code == 422
    first = reply.json()["errors"][0]
    assert (first["file"], first["line"], first["field"]) == ("pins.csv", 2, "person_id")
    listed = server.client.get("/api/scenarios", headers=server.as_("planner")).json()
    assert len(listed) == 1  # nothing written


def test_requests_table_starts_empty_then_uploads_into_the_bundle(server: Server) -> None:
    """The v1.1 requests table is served like the others: header only while the scenario
    has none; an upload makes a version whose scenario.yaml references requests.csv and
    whose header counts the rows; a viewer may not read it (it names officers); an
    unknown officer is a 422 naming line and field, with nothing written."""
    table = f"/api/scenarios/{server.scenario_id}/tables/requests"
    empty = server.client.get(table, headers=server.as_("planner"))
    assert empty.text == "person_id,period_start,site_id,kind,weight\n"
    bad = b"person_id,period_start,site_id,kind,weight\nP9,2020-02-03,CHI,on,1\n"
    refused = _upload(server, "requests", "requests.csv", bad, 1)
    assert refused.status_code == 422
    assert "requests.csv:2" in refused.text
    wish = b"person_id,period_start,site_id,kind,weight\nP1,2020-02-10,*,off,3\n"
    reply = _upload(server, "requests", "requests.csv", wish, 1)
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"version": 2}
    now = server.client.get(table, headers=server.as_("planner")).text
    assert now.splitlines() == [
        "person_id,period_start,site_id,kind,weight",
        "P1,2020-02-10,*,off,3",
    ]
    header = server.client.get(
        f"/api/scenarios/{server.scenario_id}", headers=server.as_("planner")
    ).json()
    assert header["counts"]["requests"] == 1
    bundle = server.client.get(
        f"/api/scenarios/{server.scenario_id}/bundle", headers=server.as_("planner")
    )
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        assert "requests: requests.csv" in archive.read("scenario.yaml").decode()
    assert server.client.get(table, headers=server.as_("viewer")).status_code == 403
