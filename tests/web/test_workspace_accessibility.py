"""Accessibility and layout of every main view in the real workspace: axe-core finds no
serious or critical violation, and at tablet width no page scrolls sideways."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from playwright.sync_api import Browser, Page
from webkit import PASSWORD, Workspace, sign_in

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
RUN_AXE = """async () => (await axe.run(document, {resultTypes: ['violations']}))
  .violations.filter((v) => ['serious', 'critical'].includes(v.impact))
  .map((v) => ({id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' '))}))"""


@pytest.fixture(scope="module")
def plans(workspace: Workspace) -> tuple[int, int, int]:
    """The built-in scenario solved, then re-planned: (scenario, plan, re-plan)."""
    client = httpx2.Client(base_url=workspace.url, timeout=30)
    token = client.post("/api/auth/token", data={"username": "planner", "password": PASSWORD})
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    scenario = client.get("/api/scenarios").json()[-1]["id"]

    def finish(job: dict[str, object]) -> int:
        for _ in range(600):
            state = client.get(f"/api/jobs/{job['id']}").json()
            if state["status"] in ("done", "failed", "cancelled"):
                assert state["plan_id"], (state["status"], state["error"])
                return int(state["plan_id"])
            time.sleep(0.2)
        raise AssertionError(job)

    first = finish(client.post(f"/api/scenarios/{scenario}/solve", json={"time_limit": 5}).json())
    again = client.post(f"/api/plans/{first}/replan", json={"since": "2020-03-02", "time_limit": 5})
    return scenario, first, finish(again.json())


@pytest.fixture(params=[(1280, 800), (768, 1024)], ids=["desktop", "tablet"])
def audited(
    request: pytest.FixtureRequest, browser: Browser, workspace: Workspace
) -> Iterator[Page]:
    """A context that may inject axe-core (the workspace's CSP forbids inline scripts)."""
    width, height = request.param
    context = browser.new_context(
        base_url=workspace.url, viewport={"width": width, "height": height}, bypass_csp=True
    )
    yield context.new_page()
    context.close()


def _check(page: Page, where: str) -> None:
    page.wait_for_load_state("networkidle")
    page.add_script_tag(content=AXE)
    assert page.evaluate(RUN_AXE) == [], where
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{where} scrolls sideways by {overflow} px"


def test_main_views_have_no_serious_accessibility_violations(
    audited: Page, plans: tuple[int, int, int]
) -> None:
    scenario, plan, replan = plans
    page = audited
    page.goto("/#/login")
    page.get_by_label("User name").wait_for()
    _check(page, "sign-in")
    sign_in(page, "planner")
    _check(page, "home")
    page.goto(f"/#/scenarios/{scenario}")
    page.locator("#demand-grid").wait_for()
    _check(page, "scenario")
    page.goto(f"/#/plans/{replan}")
    page.locator("#impact").wait_for()
    for tab in ("Gantt", "Coverage", "Map", "Costs", "Fairness", "Exports"):
        page.get_by_role("tab", name=tab).click()
        _check(page, f"plan {tab}")
    page.goto(f"/#/compare/{plan}/{replan}")
    page.locator(".compare-tiers").wait_for()
    _check(page, "compare")


def test_the_skip_link_and_tabs_work_from_the_keyboard(
    page: Page, plans: tuple[int, int, int]
) -> None:
    _, plan, _ = plans
    sign_in(page, "planner")
    page.goto(f"/#/plans/{plan}")
    page.reload()
    page.locator("#gantt [role=grid]").wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.get_by_role("tab", name="Coverage").focus()
    page.keyboard.press("Enter")
    page.locator("#heatmap table").wait_for()
    assert page.get_by_role("tab", name="Coverage").get_attribute("aria-selected") == "true"
