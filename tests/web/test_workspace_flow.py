"""A planner's day in the workspace, in a real browser, end to end: import a bundle, edit
demand, solve and watch it finish, read a shortfall's explanation, pin, re-plan, compare,
export every format; then each role sees what it may and nothing else."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import httpx2
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from webkit import PASSWORD, Workspace, shoot, sign_in

TINY = Path(__file__).parent.parent / "fixtures" / "tiny"


def _bundle(tmp_path: Path) -> Path:
    archive = tmp_path / "tiny.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for file in sorted(TINY.iterdir()):
            out.write(file, file.name)
    return archive


def _api(workspace: Workspace, who: str) -> httpx2.Client:
    client = httpx2.Client(base_url=workspace.url, timeout=30)
    token = client.post("/api/auth/token", data={"username": who, "password": PASSWORD})
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    return client


def _wait_for_plan(page: Page) -> str:
    link = page.locator("#open-plan")
    expect(link).to_be_visible(timeout=90_000)
    expect(page.locator("[data-fact=status]")).to_have_text("done")
    return str(link.get_attribute("href"))


def _download(page: Page, locator: str) -> bytes:
    with page.expect_download() as info:
        page.locator(locator).click()
    return Path(info.value.path()).read_bytes()


def test_a_planner_imports_edits_solves_explains_pins_replans_compares_and_exports(
    page: Page, workspace: Workspace, tmp_path: Path
) -> None:
    sign_in(page, "planner")
    page.locator("#bundle-file").set_input_files(str(_bundle(tmp_path)))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Tiny surge")).to_be_visible()
    scenario_id = page.url.rsplit("/", 1)[-1]

    # edit a demand cell: Chicago asks for 4 officers in the first week; the roster has 3,
    # so a shortfall with a reason appears
    cell = page.get_by_label("CHI officers week of 2020-02-03")
    cell.fill("4")
    page.get_by_role("button", name="Save demand").click()
    expect(page.locator("#status")).to_contain_text("Demand saved")
    expect(page.locator("#scenario-meta")).to_contain_text("Version 2")
    api = _api(workspace, "planner")
    demand = api.get(f"/api/scenarios/{scenario_id}/tables/demand").text
    assert "CHI,2020-02-03,*,4" in demand.splitlines()

    # solve and watch the progress finish
    page.locator("#time-limit").fill("10")
    page.get_by_role("button", name="Solve", exact=True).click()
    plan_link = _wait_for_plan(page)
    shoot(page, "solve-progress")
    page.locator("#open-plan").click()
    expect(page.locator("#gantt [role=grid]")).to_be_visible()
    shoot(page, "plan-gantt")
    plan_id = plan_link.rsplit("/", 1)[-1]

    # open the shortfall's explanation from the heat map
    page.get_by_role("tab", name="Coverage").click()
    short_cell = page.locator("#heatmap td[data-site='CHI'][data-period='2020-02-03'] button")
    short_cell.click()
    expect(page.locator("#explanation")).to_contain_text("short")
    shoot(page, "plan-coverage")
    page.get_by_role("tab", name="Map").click()
    expect(page.locator("#map svg.sp-map__svg")).to_be_visible()
    shoot(page, "plan-map")
    page.get_by_role("tab", name="Costs").click()
    expect(page.locator("#cost-by-site")).to_be_visible()
    shoot(page, "plan-costs")
    page.get_by_role("tab", name="Fairness").click()
    expect(page.locator("#fairness-histogram")).to_be_visible()
    shoot(page, "plan-fairness")

    # pin a cell from the Gantt
    page.get_by_role("tab", name="Gantt").click()
    view = api.get(f"/api/plans/{plan_id}/view").json()
    rotation = view["rotations"][0]
    bar = page.locator(
        f"#gantt .sp-gantt__row[data-person='{rotation['person_id']}'] "
        f".sp-gantt__bar[data-start='{rotation['start']}']"
    )
    bar.click(position={"x": 5, "y": 5})
    page.locator("#pin-here").click()
    expect(page.locator("#status")).to_contain_text("Pinned")
    pins = api.get(f"/api/scenarios/{scenario_id}/pins").text
    assert f"{rotation['person_id']},{rotation['start']},{rotation['site_id']}" in pins

    # mark another officer unavailable from the last week (a new version of the leave table)
    other = next(o for o in view["officers"] if o["person_id"] != rotation["person_id"])
    row = page.locator(f"#gantt .sp-gantt__row[data-person='{other['person_id']}']")
    row.locator("[role=gridcell]").last.click(force=True)
    page.locator("#mark-unavailable").click()
    expect(page.locator("#status")).to_contain_text(f"{other['person_id']} is unavailable")
    leave = api.get(f"/api/scenarios/{scenario_id}/tables/unavailable").text
    assert f"{other['person_id']},2020-02-17,2020-02-23" in leave.splitlines()

    # re-plan with minimal change, see the impact, compare
    page.locator("#replan-since").select_option("2020-02-10")
    page.locator("#replan-seconds").fill("10")
    page.get_by_role("button", name="Re-plan", exact=True).click()
    new_link = _wait_for_plan(page)
    page.locator("#open-plan").click()
    expect(page.locator("#impact")).to_be_visible()
    shoot(page, "replan-impact")
    page.get_by_role("button", name="Accept this plan").click()
    expect(page.locator("#accepted")).to_be_visible()
    page.get_by_role("link", name="Compare side by side").click()
    expect(page.locator(".compare-tiers")).to_contain_text("cost (USD)")
    shoot(page, "compare")
    new_plan = new_link.rsplit("/", 1)[-1]

    # export each format and read what was downloaded
    page.goto(f"/#/plans/{new_plan}")
    page.get_by_role("tab", name="Exports").click()
    rows = list(csv.reader(io.StringIO(_download(page, "text=Assignments (CSV)").decode())))
    assert rows[0] == ["person_id", "site_id", "period_start", "period_end"] and len(rows) > 1
    book = load_workbook(io.BytesIO(_download(page, "text=Assignments (XLSX)")))
    assert [c.value for c in book.worksheets[0][1]] == rows[0]
    rotations = _download(page, "text=Rotations (CSV)").decode()
    assert rotations.startswith("person_id,") and "travel" in rotations.splitlines()[0]
    assert load_workbook(io.BytesIO(_download(page, "text=Rotations (XLSX)"))).worksheets
    report = _download(page, "text=Report (HTML)").decode()
    assert "<html" in report and "Tiny surge" in report
    officer_ics = _download(page, "#ics-officer-link").decode()
    site_ics = _download(page, "#ics-site-link").decode()
    for ics in (officer_ics, site_ics):
        assert ics.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in ics
    shoot(page, "plan-exports")


def test_each_role_sees_what_it_may_and_nothing_else(page: Page, workspace: Workspace) -> None:
    planner = _api(workspace, "planner")
    builtin = planner.get("/api/scenarios").json()[-1]["id"]
    job = planner.post(f"/api/scenarios/{builtin}/solve", json={"time_limit": 10}).json()
    for _ in range(300):
        state = planner.get(f"/api/jobs/{job['id']}").json()
        if state["status"] in ("done", "failed", "cancelled"):
            break
        page.wait_for_timeout(200)
    assert state["status"] == "done", state
    plan_id = state["plan_id"]
    view = planner.get(f"/api/plans/{plan_id}/view").json()

    # a viewer: the plan in aggregate, no names, no officer tables, no editing
    sign_in(page, "viewer")
    page.goto(f"/#/plans/{plan_id}")
    expect(page.locator("#names-hidden")).to_be_visible()
    expect(page.locator("#replan-form")).to_have_count(0)
    page.get_by_role("tab", name="Coverage").click()
    expect(page.locator("#heatmap table")).to_be_visible()
    body = page.locator("main").inner_text()
    assert not any(o["name"] in body for o in view["officers"])
    shoot(page, "viewer-plan")
    page.goto(f"/#/scenarios/{builtin}")
    expect(page.locator("#demand-grid")).to_be_visible()
    expect(page.get_by_role("tab", name="people")).to_have_count(0)
    expect(page.locator("#solve-form")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()

    # a site lead of Chicago: only the officers deployed there, read-only
    sign_in(page, "lead")
    page.goto(f"/#/plans/{plan_id}")
    expect(page.locator("#gantt [role=grid]")).to_be_visible()
    at_chicago = {r["person_id"] for r in view["rotations"] if r["site_id"] == "CHI"}
    rows = page.locator("#gantt .sp-gantt__row[data-person]")
    shown = {rows.nth(i).get_attribute("data-person") for i in range(rows.count())}
    assert shown and shown <= at_chicago
    expect(page.locator("#replan-form")).to_have_count(0)
    shoot(page, "site-lead-plan")
