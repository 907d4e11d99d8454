"""A real workspace for browser tests: `surgeplan serve` in a subprocess on a fresh SQLite
database, one account per role, and Debian's Chromium driven by Playwright (never a
downloaded browser). Screenshots go to out/screenshots/ for review."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from chromium import chromium
from serving import serving
from surgeplan.server.policy import Role
from surgeplan.server.services.accounts import create_user
from surgeplan.server.settings import Settings
from surgeplan.server.store import Store

ROOT = Path(__file__).parent.parent.parent
SCREENSHOTS = ROOT / "out" / "screenshots"
PASSWORD = "correct horse battery staple"
ACCOUNTS = {
    "admin": (Role.ADMIN, ()),
    "planner": (Role.PLANNER, ()),
    "lead": (Role.SITE_LEAD, ("CHI",)),
    "viewer": (Role.VIEWER, ()),
}


@dataclass(frozen=True)
class Workspace:
    """A running server: its URL and database settings."""

    url: str
    settings: Settings


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """`surgeplan serve` with the built-in scenario and one account per role."""
    folder = tmp_path_factory.mktemp("workspace")
    env = {
        **os.environ,
        "SURGEPLAN_DATABASE_URL": f"sqlite:///{folder}/surgeplan.db",
        "SURGEPLAN_SECRET_KEY": "browser-test-secret-0123456789",
        "SURGEPLAN_ARGON2_TIME_COST": "1",
        "SURGEPLAN_ARGON2_MEMORY_KIB": "8192",
        "SURGEPLAN_MAX_SOLVES": "1",
    }
    settings = Settings(
        database_url=env["SURGEPLAN_DATABASE_URL"],
        secret_key=env["SURGEPLAN_SECRET_KEY"],
        argon2_time_cost=1,
        argon2_memory_kib=8192,
    )
    store = Store.open(settings)
    for name, (role, sites) in ACCOUNTS.items():
        create_user(store, name, PASSWORD, role, sites)
    store.engine.dispose()
    try:
        with serving(env, folder / "server.log") as (url, _):
            yield Workspace(url, settings)
    finally:
        _kill_workers(settings)


def _kill_workers(settings: Settings) -> None:
    """Solve workers run in their own sessions: stop any still running."""
    store = Store.open(settings, migrate=False)
    with store.read() as uow:
        pids = [j.worker_pid for j in uow.jobs.with_status("running") if j.worker_pid]
    store.engine.dispose()
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser, workspace: Workspace) -> Iterator[Page]:
    """A fresh 1280×800 browser context on the workspace; fails on console errors."""
    context = browser.new_context(
        base_url=workspace.url, viewport={"width": 1280, "height": 800}, accept_downloads=True
    )
    page = context.new_page()
    errors: list[str] = []
    elsewhere: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: None if r.url.startswith((workspace.url, "data:")) else elsewhere.append(r.url),
    )
    yield page
    context.close()
    answered = ("status of 401", "status of 403", "status of 409", "status of 422")
    unexpected = [e for e in errors if not any(code in e for code in answered)]
    assert unexpected == [], unexpected
    assert elsewhere == [], f"the workspace must work offline; it asked for {elsewhere}"


def sign_in(page: Page, who: str) -> None:
    """Sign in through the form and wait for the home page."""
    page.goto("/#/login")
    page.get_by_label("User name").fill(who)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Scenarios & plans").wait_for()


def shoot(page: Page, name: str) -> None:
    """A full-page screenshot for review."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
