"""The workspace in a real browser: sign-in, home, a scenario, a solve with live progress."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from playwright.sync_api import Page, expect
from webkit import PASSWORD, shoot, sign_in

TINY = Path(__file__).parent.parent / "fixtures" / "tiny"


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
    expect(page.get_by_label("rotation min")).to_have_value("2")
    expect(page.get_by_label("rest min")).to_have_value("2")
    expect(page.locator("#rules-form")).not_to_contain_text("object")
    page.get_by_label("rest min").fill("two")
    page.get_by_role("button", name="Save rules").click()
    expect(page.get_by_label("rest min")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#status")).to_contain_text("not a whole number")
    expect(page.locator("#scenario-meta")).to_contain_text("Version 1")
    shoot(page, "scenario-demand")
    page.get_by_role("tab", name="people").click()
    expect(page.get_by_label("person_id of row 1", exact=True)).to_have_value("BP001")


def test_a_roster_edit_with_a_bad_cell_is_marked_at_that_cell_and_a_good_one_saves(
    page: Page,
) -> None:
    sign_in(page, "planner")
    page.get_by_role("link", name=re.compile("CBP support")).click()
    page.get_by_role("tab", name="sites").click()
    latitude = page.get_by_label("lat of row 1", exact=True)
    latitude.fill("north")
    latitude.dispatch_event("change")
    page.get_by_role("button", name="Save sites").click()
    expect(page.get_by_label("lat of row 1", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#table-sites .cell-error").first).to_be_visible()
    expect(page.locator("#status")).to_contain_text("sites.csv:2 lat")
    fixed = page.get_by_label("lat of row 1", exact=True)
    fixed.fill("41.9")
    fixed.dispatch_event("change")
    page.get_by_role("button", name="Save sites").click()
    expect(page.locator("#status")).to_contain_text("sites saved")
    expect(page.locator("#scenario-meta")).to_contain_text("Version 2")
    page.get_by_role("tab", name="sites").click()
    expect(page.get_by_label("lat of row 1", exact=True)).to_have_value("41.9")


def test_an_imported_scenario_warns_of_demand_no_one_can_fill_with_its_line(
    page: Page, tmp_path: Path
) -> None:
    """A bundle whose demand asks for a qualification no one holds imports (it is legal),
    and its page names the row and the fix above the Solve form."""
    archive = tmp_path / "typo.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for file in sorted(TINY.iterdir()):
            text = file.read_text(encoding="utf-8")
            if file.name == "scenario.yaml":
                text = text.replace("name: Tiny surge", "name: Tiny surge with a typo")
            if file.name == "demand.csv":
                text += "NYC,2020-02-17,laed,1\n"
            out.writestr(file.name, text)
    sign_in(page, "planner")
    page.locator("#bundle-file").set_input_files(str(archive))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Tiny surge with a typo")).to_be_visible()
    warnings = page.get_by_role("region", name="Check before solving")
    expect(warnings).to_contain_text("demand.csv:6: qualification: no one in people holds 'laed'")
    expect(warnings).to_contain_text("check the spelling (held: emt, lead)")


def test_a_gap_not_proven_zero_never_reads_zero(page: Page) -> None:
    """The gap text of the job's progress and the plan's summary, from the page's own
    module: one decimal, but a gap under half a tenth of a percent reads <0.1 %."""
    page.goto("/#/login")
    texts = page.evaluate(
        """async () => {
            const dom = await import("/js/dom.js");
            return [0, 0.0025, 0.05, 17.09, null].map(dom.gap);
        }"""
    )
    assert texts == ["0.0 %", "<0.1 %", "0.1 %", "17.1 %", "—"]
