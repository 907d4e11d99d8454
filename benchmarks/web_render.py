"""Time to first render of the workspace's Gantt and heat map on a large plan.

Starts a real `surgeplan serve` (temporary SQLite), imports a generated scenario
(default 1,000 officers × 10 sites × 17 weeks), solves it briefly, then drives Debian's
Chromium with Playwright: sign in, open the plan, and time from navigation until the
Gantt's rows are visible, and from a click on the Coverage tab until the heat map is.
"Cold" includes the server building the plan's view (check and explanations); "warm" is
a second visit, view cached. Prints a markdown table.

    .venv/bin/python benchmarks/web_render.py [--officers 1000 --weeks 17 --repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx2
from playwright.sync_api import Page

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from api_load import PASSWORD, USER, _bundle_zip, _server

from chromium import chromium
from serving import free_port


def _plan(url: str, officers: int, sites: int, weeks: int, folder: Path, seconds: float) -> int:
    client = httpx2.Client(base_url=url, timeout=120)
    token = client.post("/api/auth/token", data={"username": USER, "password": PASSWORD})
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    archive = _bundle_zip(officers, sites, weeks, folder)
    made = client.post("/api/scenarios", files={"file": ("bundle.zip", archive)}).json()
    job = client.post(f"/api/scenarios/{made['id']}/solve", json={"time_limit": seconds}).json()
    while True:
        state = client.get(f"/api/jobs/{job['id']}").json()
        if state["status"] in ("done", "failed", "cancelled"):
            break
        time.sleep(0.5)
    if not state["plan_id"]:
        raise SystemExit(f"the solve ended without a plan: {state}")
    return int(state["plan_id"])


def _visit(page: Page, plan_id: int) -> tuple[float, float]:
    page.goto("/#/")
    page.get_by_role("heading", name="Scenarios & plans").wait_for()
    start = time.perf_counter()
    page.goto(f"/#/plans/{plan_id}")
    page.locator("#gantt .sp-gantt__row[data-person]").first.wait_for()
    gantt = time.perf_counter() - start
    start = time.perf_counter()
    page.get_by_role("tab", name="Coverage").click()
    page.locator("#heatmap table").wait_for()
    heatmap = time.perf_counter() - start
    return gantt, heatmap


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--officers", type=int, default=1000)
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--weeks", type=int, default=17)
    parser.add_argument("--solve-seconds", type=float, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with _server(f"sqlite:///{folder}/s.db", port, folder / "server.log"):
            plan_id = _plan(
                url, args.officers, args.sites, args.weeks, folder / "bundle", args.solve_seconds
            )
            with chromium() as browser:
                page = browser.new_page(base_url=url, viewport={"width": 1280, "height": 800})
                page.goto("/#/login")
                page.get_by_label("User name").fill(USER)
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.get_by_role("heading", name="Scenarios & plans").wait_for()
                cold = _visit(page, plan_id)
                warm = [_visit(page, plan_id) for _ in range(args.repeat)]
    print(f"{args.officers} officers × {args.weeks} weeks, {args.sites} sites, 1280×800\n")
    print("| view | cold (s) | warm median (s) |")
    print("|---|---|---|")
    for i, name in enumerate(("Gantt (navigation → rows visible)", "heat map (tab → table)")):
        print(f"| {name} | {cold[i]:.2f} | {statistics.median(w[i] for w in warm):.2f} |")


if __name__ == "__main__":
    main()
