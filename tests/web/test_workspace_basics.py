"""The workspace in a real browser: sign-in, home, a scenario, a solve with live progress."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from webkit import PASSWORD, shoot, sign_in


def test_a_wrong_password_is_refused_in_words(page: Page) -> None:
    page.goto("/#/login")
    page.get_by_label("User name").fill("planner")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#login-error")).to_have_text("wrong user name or password")


def test_sign_in_lists_the_built_in_scenario(page: Page) -> None:
    sign_in(page, "planner")
    expect(page.locator("#scenarios")).to_contain_text("CBP support to ICE field offices")
    expect(page.locator("#who")).to_contain_text("planner")
    shoot(page, "home")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert PASSWORD  # the fixture's password signed in above


def test_a_scenario_shows_its_demand_grid_and_tables(page: Page) -> None:
    sign_in(page, "planner")
    page.get_by_role("link", name=re.compile("CBP support")).click()
    expect(page.locator("#scenario-meta")).to_contain_text("100 officers, 10 sites")
    expect(page.locator("#demand-grid")).to_be_visible()
    shoot(page, "scenario-demand")
    page.get_by_role("tab", name="people").click()
    expect(page.locator("#table-people")).to_contain_text("BP001")
