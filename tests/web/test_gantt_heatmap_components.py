"""The Gantt and coverage heat-map components in real headless Chromium, under a strict CSP.

The components are served straight from `src/surgeplan/web/static` with a harness page
(tests/web/harness/components.html) by Python's http.server on a loopback port; a
1,000-officer × 17-week plan view is generated here and served as JSON. Every page fails
its test on a console error (which includes any Content-Security-Policy violation).
Render times are measured and written to out/web-render-times.json, never asserted.
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "src" / "surgeplan" / "web" / "static"
HARNESS = Path(__file__).resolve().parent / "harness"
VENDOR = Path(__file__).resolve().parent / "vendor"
AXE = VENDOR / "axe.min.js"
OUT = ROOT / "out"
SCREENSHOTS = OUT / "screenshots"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
MOUNTS = {"/static/": STATIC, "/harness/": HARNESS, "/vendor/": VENDOR}
BIG = "/generated/view-1000.json"
BUILTIN: dict[str, Any] = json.loads((HARNESS / "view-builtin.json").read_text("utf-8"))
MINUS = "\u2212"

SURNAMES = [
    "Johnson",
    "Robinson",
    "Lewis",
    "Taylor",
    "Torres",
    "Ramirez",
    "Nguyen",
    "Hill",
    "Harris",
    "Wright",
    "Wilson",
    "Moore",
    "Garcia",
    "Hernandez",
    "King",
    "Perez",
    "Lopez",
    "Martin",
    "Clark",
    "Young",
    "Allen",
    "Scott",
    "Green",
    "Baker",
    "Adams",
]
QUALIFICATIONS = ("bortac", "emt", "sniper", "spanish", "team_lead", "mandarin")


def big_view(officers: int = 1000, weeks: int = 17, seed: int = 20200203) -> dict[str, Any]:
    """A plan view shaped like the server's, with `officers` officers over `weeks` weeks.

    Rotations are 2–6 weeks with 2–4 weeks at home between them; about one officer in ten
    has none. Coverage counts the rotations; demand is drawn around it so some cells fall
    short, each with a one-line explanation. Every 40th officer has a pin at home.
    """
    rng = random.Random(seed)
    start = date(2020, 2, 3)
    periods = [(start + timedelta(weeks=k)).isoformat() for k in range(weeks)]
    sites = [
        {
            "site_id": f"S{i:02d}",
            "name": f"Field office {i:02d}",
            "lat": 30 + i / 2,
            "lon": -120 + i,
            "priority": 1 + i % 3,
        }
        for i in range(1, 25)
    ]
    bases = [
        {"base_id": f"base_{i:02d}", "name": f"Sector {i:02d} HQ", "lat": 31.0, "lon": -110.0 + i}
        for i in range(1, 13)
    ]
    people: list[dict[str, Any]] = []
    rotations: list[dict[str, Any]] = []
    pins: list[dict[str, Any]] = []
    fairness: list[dict[str, Any]] = []
    deployed: Counter[tuple[str, str]] = Counter()
    for n in range(1, officers + 1):
        person = f"P{n:04d}"
        initials = "ABCDEFGHJKLMNPRSTW"
        people.append(
            {
                "person_id": person,
                "name": f"{rng.choice(SURNAMES)}, {rng.choice(initials)}. {rng.choice(initials)}.",
                "base_id": rng.choice(bases)["base_id"],
                "qualifications": sorted(rng.sample(QUALIFICATIONS, rng.randint(0, 3))),
            }
        )
        away: set[int] = set()
        week = rng.randint(0, 4)
        while rng.random() > 0.1:
            length = rng.randint(2, 6)
            if week + length > weeks:
                break
            site = rng.choice(sites)["site_id"]
            first = start + timedelta(weeks=week)
            rotations.append(
                {
                    "person_id": person,
                    "site_id": site,
                    "start": first.isoformat(),
                    "end": (first + timedelta(days=7 * length - 1)).isoformat(),
                    "periods": length,
                    "cost_usd": f"{2450.25 * length:.2f}",
                }
            )
            for k in range(week, week + length):
                deployed[site, periods[k]] += 1
                away.add(k)
            week += length + rng.randint(2, 4)
        fairness.append({"person_id": person, "deployed_periods": len(away)})
        home = [k for k in range(weeks) if k not in away]
        if n % 40 == 0 and home:
            pins.append({"person_id": person, "period_start": periods[home[0]], "site_id": "HOME"})
    coverage = []
    for site in sites:
        for period in periods:
            have = deployed[site["site_id"], period]
            required = max(0, have + rng.choice((-2, -1, 0, 0, 0, 1, 2, 4)))
            short = max(0, required - have)
            reason = f"{site['name']}, week of {period}: {short} short of headcount."
            coverage.append(
                {
                    "site_id": site["site_id"],
                    "period_start": period,
                    "required": required,
                    "deployed": have,
                    "short": short,
                    "shortfalls": [{"qualification": "*", "short": short, "reason": reason}]
                    if short
                    else [],
                }
            )
    return {
        "period": "week",
        "periods": periods,
        "sites": sites,
        "bases": bases,
        "coverage": coverage,
        "officers": people,
        "rotations": rotations,
        "fairness": fairness,
        "pins": pins,
        "plan": {
            "id": 0,
            "summary": {"scenario": f"Generated: {officers} officers × {weeks} weeks"},
        },
        "names_hidden": False,
    }


def _handler(generated: dict[str, bytes]) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        extensions_map = {  # noqa: RUF012 - the stdlib declares it as a plain class dict
            **SimpleHTTPRequestHandler.extensions_map,
            ".js": "text/javascript",
            ".json": "application/json",
            ".css": "text/css",
        }

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path in generated:
                self._reply(200, "application/json", generated[path])
            elif path == "/favicon.ico":
                self._reply(204, "image/x-icon", b"")
            else:
                super().do_GET()

        def _reply(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def translate_path(self, path: str) -> str:
            path = unquote(urlsplit(path).path)
            for prefix, folder in MOUNTS.items():
                if path.startswith(prefix):
                    target = (folder / path[len(prefix) :]).resolve()
                    if target.is_relative_to(folder.resolve()):
                        return str(target)
            return str(HARNESS / "missing")

        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", CSP)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test output is the report."""

    return Handler


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The static folder, the harness and the generated 1,000-officer view on loopback."""
    generated = {BIG: json.dumps(big_view()).encode()}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(generated))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def chromium(browser: Browser) -> Browser:
    """The session's Chromium (webkit.browser): one Playwright per test process."""
    return browser


@pytest.fixture
def tab(chromium: Browser, site: str) -> Iterator[Page]:
    """A fresh 1280×800 page on the harness server; fails the test on any console error."""
    context = chromium.new_context(base_url=site, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == [], errors


def open_harness(page: Page, query: str = "") -> None:
    """Load the harness page and wait until it has mounted its components."""
    page.goto(f"/harness/components.html{query}")
    # A locator, not wait_for_function: polling a string expression needs eval, which the
    # page's CSP rightly refuses.
    page.locator("html[data-ready='true']").wait_for(state="attached")


def next_frame(page: Page) -> None:
    """Let virtual rows render (they follow scrolling on the next animation frame)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")


RENDERED_ROWS = """() => [...document.querySelectorAll('#gantt .sp-gantt__body .sp-gantt__row')]
  .sort((a, b) => a.dataset.index - b.dataset.index)
  .map(row => ({
    index: Number(row.dataset.index),
    person: row.dataset.person,
    base: row.dataset.base,
    cells: row.querySelectorAll('[role=gridcell]').length,
    bars: [...row.querySelectorAll('.sp-gantt__bar')].map(b => [b.dataset.site, b.dataset.start,
      Number(b.dataset.span)]),
  }))"""


def rotations_by_person(view: dict[str, Any]) -> dict[str, list[list[Any]]]:
    """Each officer's rotations as [site, start, periods], in date order."""
    found: dict[str, list[list[Any]]] = defaultdict(list)
    for r in view["rotations"]:
        found[r["person_id"]].append([r["site_id"], r["start"], r["periods"]])
    return {person: sorted(rows, key=lambda r: r[1]) for person, rows in found.items()}


def assert_rows_match_data(rows: list[dict[str, Any]], view: dict[str, Any]) -> None:
    """Every rendered row shows exactly its officer's rotations, one bar each."""
    expected = rotations_by_person(view)
    periods = len(view["periods"])
    assert rows
    for row in rows:
        assert row["cells"] == periods, row
        assert row["bars"] == expected.get(row["person"], []), row["person"]
    shown = {row["person"] for row in rows}
    assert sum(len(row["bars"]) for row in rows) == sum(len(expected.get(p, [])) for p in shown)


# ---------------------------------------------------------------------------- Gantt


def test_each_rendered_row_shows_one_bar_per_rotation(tab: Page) -> None:
    """A virtual row per officer: rendered rows carry exactly their rotations as bars."""
    open_harness(tab, "?show=gantt")
    grid = tab.locator("#gantt [role=grid]")
    assert grid.get_attribute("aria-rowcount") == str(len(BUILTIN["officers"]) + 1)
    assert tab.locator("#gantt [role=columnheader]").count() == len(BUILTIN["periods"]) + 1
    rows = tab.evaluate(RENDERED_ROWS)
    assert 0 < len(rows) < len(BUILTIN["officers"])  # virtualised, not all 100 rows
    assert [row["person"] for row in rows] == [
        o["person_id"] for o in BUILTIN["officers"][: len(rows)]
    ]
    assert_rows_match_data(rows, BUILTIN)

    grid.evaluate("g => { g.scrollTop = g.scrollHeight; }")
    next_frame(tab)
    rows = tab.evaluate(RENDERED_ROWS)
    assert rows[-1]["person"] == BUILTIN["officers"][-1]["person_id"]
    assert_rows_match_data(rows, BUILTIN)
    grid.evaluate("g => { g.scrollTop = g.scrollHeight / 3; }")
    next_frame(tab)
    in_dom_order = tab.evaluate(
        "() => [...document.querySelectorAll('#gantt .sp-gantt__body .sp-gantt__row')]"
        ".map(row => Number(row.dataset.index))"
    )
    assert in_dom_order == sorted(in_dom_order)  # reading order follows the rows
    assert_rows_match_data(tab.evaluate(RENDERED_ROWS), BUILTIN)
    idle = {o["person_id"] for o in BUILTIN["officers"]} - set(rotations_by_person(BUILTIN))
    assert idle, "the sample has officers without rotations"
    first_idle = next(o["person_id"] for o in BUILTIN["officers"] if o["person_id"] in idle)
    tab.fill("#filter-search", first_idle)
    rows = tab.evaluate(RENDERED_ROWS)
    assert [(r["person"], r["bars"], r["cells"]) for r in rows] == [(first_idle, [], 17)]


def _expected(field: str, value: str) -> list[str]:
    officers = BUILTIN["officers"]
    if field == "base":
        return [o["person_id"] for o in officers if o["base_id"] == value]
    if field == "qualification":
        return [o["person_id"] for o in officers if value in o["qualifications"]]
    if field == "site":
        at = {r["person_id"] for r in BUILTIN["rotations"] if r["site_id"] == value}
        return [o["person_id"] for o in officers if o["person_id"] in at]
    needle = value.lower()
    return [
        o["person_id"]
        for o in officers
        if needle in o["name"].lower() or needle in o["person_id"].lower()
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("base", "usbp_san_diego"),
        ("qualification", "sniper"),
        ("site", "BOS"),
        ("search", "JOHNSON"),
        ("search", "bp04"),
    ],
)
def test_a_filter_keeps_exactly_the_matching_officers(tab: Page, field: str, value: str) -> None:
    """Base, qualification, site and search (name or id, any case) each filter the rows."""
    open_harness(tab, "?show=gantt")
    expected = _expected(field, value)
    assert 0 < len(expected) < len(BUILTIN["officers"])
    if field == "search":
        tab.fill("#filter-search", value)
    else:
        tab.select_option(f"#filter-{field}", value)
    root = tab.locator("#gantt .sp-gantt")
    assert root.get_attribute("data-row-count") == str(len(expected))
    assert tab.locator("#gantt [role=grid]").get_attribute("aria-rowcount") == str(
        len(expected) + 1
    )
    rows = tab.evaluate(RENDERED_ROWS)
    assert [r["person"] for r in rows] == expected[: len(rows)]
    assert_rows_match_data(rows, BUILTIN)
    if field == "site":
        assert all(any(bar[0] == value for bar in r["bars"]) for r in rows)
    assert f"Showing {len(expected)} of 100 officers" in tab.inner_text("#gantt .sp-gantt__status")

    tab.evaluate("() => spHarness.gantt.setFilter({})")
    assert root.get_attribute("data-row-count") == "100"


def test_filters_combine_and_an_empty_result_says_so(tab: Page) -> None:
    """Filters are ANDed; no match shows a message instead of an empty grid."""
    open_harness(tab, "?show=gantt")
    tab.select_option("#filter-qualification", "spanish")
    tab.select_option("#filter-site", "NYC")
    expected = [p for p in _expected("qualification", "spanish") if p in _expected("site", "NYC")]
    assert tab.get_attribute("#gantt .sp-gantt", "data-row-count") == str(len(expected))
    tab.fill("#filter-search", "no such officer")
    assert tab.get_attribute("#gantt .sp-gantt", "data-row-count") == "0"
    assert tab.locator("#gantt .sp-gantt__empty").is_visible()
    assert tab.locator("#gantt [role=grid]").is_hidden()


def test_clicking_a_bar_reports_officer_period_and_site(tab: Page) -> None:
    """A click on a bar (at its third week) and on an empty cell calls onCell with the data."""
    open_harness(tab, "?show=gantt")
    rotation = next(r for r in BUILTIN["rotations"] if r["periods"] >= 3)
    start = BUILTIN["periods"].index(rotation["start"])
    bar = tab.locator(
        f"#gantt .sp-gantt__row[data-person='{rotation['person_id']}'] "
        f".sp-gantt__bar[data-start='{rotation['start']}']"
    )
    box = bar.bounding_box()
    assert box is not None
    week = box["width"] / rotation["periods"]
    bar.click(position={"x": week * 2.5, "y": box["height"] / 2})
    event = tab.evaluate("() => spHarness.events.at(-1)")
    assert event == {
        "type": "cell",
        "person_id": rotation["person_id"],
        "period_start": BUILTIN["periods"][start + 2],
        "site_id": rotation["site_id"],
        "pinned": False,
    }
    officer = next(o for o in BUILTIN["officers"] if o["person_id"] == rotation["person_id"])
    assert officer["name"] in tab.inner_text("#selection")

    busy = {
        BUILTIN["periods"].index(r["start"]) + k
        for r in BUILTIN["rotations"]
        if r["person_id"] == rotation["person_id"]
        for k in range(r["periods"])
    }
    home = next(k for k in range(len(BUILTIN["periods"])) if k not in busy)
    tab.click(
        f"#gantt .sp-gantt__row[data-person='{rotation['person_id']}'] "
        f".sp-gantt__cell[data-col='{home}']"
    )
    event = tab.evaluate("() => spHarness.events.at(-1)")
    assert event["period_start"] == BUILTIN["periods"][home]
    assert event["site_id"] is None


FOCUSED = """() => {
  const cell = document.activeElement;
  const row = cell.closest('.sp-gantt__row');
  return {role: cell.getAttribute('role'), col: Number(cell.dataset.col),
          row: Number(row.dataset.index), person: row.dataset.person,
          outline: getComputedStyle(cell).outlineStyle,
          stops: document.querySelectorAll('#gantt [role=grid] [tabindex="0"]').length};
}"""


def test_keyboard_moves_the_roving_focus_and_enter_activates(tab: Page) -> None:
    """Arrows, Home/End, PageUp/PageDown move one tab stop through the grid; Enter/Space act."""
    open_harness(tab, "?show=gantt")
    tab.focus("#filter-search")
    tab.keyboard.press("Tab")
    focused = tab.evaluate(FOCUSED)
    assert (focused["role"], focused["row"], focused["col"], focused["stops"]) == (
        "gridcell",
        0,
        0,
        1,
    )
    assert focused["person"] == BUILTIN["officers"][0]["person_id"]
    assert focused["outline"] != "none"  # a visible focus ring
    moves = [
        ("ArrowRight", 0, 1),
        ("ArrowRight", 0, 2),
        ("ArrowDown", 1, 2),
        ("ArrowLeft", 1, 1),
        ("ArrowUp", 0, 1),
        ("ArrowUp", 0, 1),  # stays on the first row
        ("PageDown", 10, 1),
        ("PageDown", 20, 1),
        ("PageUp", 10, 1),
        ("End", 10, 16),
        ("Home", 10, 0),
        ("Control+End", 99, 16),  # far beyond the rendered rows at the start
        ("Control+Home", 0, 0),
        ("Control+End", 99, 16),
    ]
    for key, row, col in moves:
        tab.keyboard.press(key)
        focused = tab.evaluate(FOCUSED)
        assert (focused["row"], focused["col"], focused["stops"]) == (row, col, 1), key
    assert focused["person"] == BUILTIN["officers"][-1]["person_id"]

    tab.keyboard.press("Enter")
    last = BUILTIN["periods"][-1]
    site_at_end = next(
        (
            r["site_id"]
            for r in BUILTIN["rotations"]
            if r["person_id"] == focused["person"] and r["start"] <= last <= r["end"]
        ),
        None,
    )
    assert tab.evaluate("() => spHarness.events.at(-1)") == {
        "type": "cell",
        "person_id": focused["person"],
        "period_start": last,
        "site_id": site_at_end,
        "pinned": False,
    }
    tab.keyboard.press("ArrowLeft")
    tab.keyboard.press("Space")
    assert tab.evaluate("() => spHarness.events.length") == 2
    assert tab.evaluate("() => spHarness.events.at(-1).period_start") == BUILTIN["periods"][-2]


def test_pinned_cells_carry_a_lock_and_say_pinned(tab: Page) -> None:
    """Pins (at a site or at home) show a lock glyph, are announced, and reach onCell."""
    open_harness(tab, "?show=gantt")
    view = {
        **BUILTIN,
        "pins": [
            {"person_id": "BP002", "period_start": "2020-02-10", "site_id": "NYC"},
            {"person_id": "BP001", "period_start": "2020-02-03", "site_id": "HOME"},
        ],
    }
    tab.evaluate("view => spHarness.mountGantt(view)", view)
    assert tab.locator("#gantt .sp-gantt__row[data-person='BP002'] .sp-gantt__lock").count() == 1
    assert tab.locator("#gantt .sp-gantt__row[data-person='BP001'] .sp-gantt__lock").count() == 1
    assert tab.locator("#gantt .sp-gantt__body .sp-gantt__lock").count() == 2
    label = tab.get_attribute(
        "#gantt .sp-gantt__row[data-person='BP002'] .sp-gantt__cell[data-col='1']", "aria-label"
    )
    assert label == "Week of 10 Feb 2020: New York (NYC), pinned to New York (NYC)"
    tab.click("#gantt .sp-gantt__row[data-person='BP001'] .sp-gantt__cell[data-col='0']")
    assert tab.evaluate("() => spHarness.events.at(-1)") == {
        "type": "cell",
        "person_id": "BP001",
        "period_start": "2020-02-03",
        "site_id": None,
        "pinned": True,
    }


def test_hidden_names_show_a_message_and_the_heat_map_still_works(tab: Page) -> None:
    """For viewers (names hidden) the Gantt says so; the aggregate heat map renders in full."""
    open_harness(tab, "?mount=0")
    view = {**BUILTIN, "officers": [], "rotations": [], "fairness": [], "pins": []}
    view["names_hidden"] = True
    tab.evaluate("view => { spHarness.mountGantt(view); spHarness.mountHeatmap(view); }", view)
    assert tab.inner_text("#gantt").strip() == "Officer names are hidden for your role"
    assert tab.locator("#gantt [role=grid]").count() == 0
    assert tab.locator("#heatmap td[data-period]").count() == len(BUILTIN["coverage"])


# ---------------------------------------------------------------------------- heat map

HEAT_CELLS = """() => [...document.querySelectorAll('#heatmap tbody td[data-period]')].map(td => ({
  site: td.dataset.site, period: td.dataset.period,
  value: td.querySelector('.sp-heatmap__value').textContent,
  short: td.querySelector('.sp-heatmap__short')?.textContent ?? null,
  marked: td.classList.contains('is-short'),
  button: td.querySelector('button') !== null,
  bin: [...td.classList].find(c => /--b\\d$/.test(c)) ?? 'none',
}))"""


def _bin(cell: dict[str, Any]) -> str:
    if not cell["required"]:
        return "none"
    ratio = cell["deployed"] / cell["required"]
    index = next(i for i, low in enumerate((1, 0.75, 0.5, 0.25, float("-inf"))) if ratio >= low)
    return f"sp-heatmap__cell--b{index}"


def test_heat_map_cells_show_deployed_over_required_and_mark_shortfalls(tab: Page) -> None:
    """Every cell reads deployed/required from the data; short cells are marked and totalled."""
    open_harness(tab, "?show=heatmap")
    table = tab.locator("#heatmap table[role=grid]")
    assert table.locator("caption").inner_text().startswith("Coverage by site and week")
    assert table.locator("thead th[scope=col]").count() == len(BUILTIN["periods"]) + 2
    assert table.locator("tbody th[scope=row]").count() == len(BUILTIN["sites"])
    cells = {(c["site"], c["period"]): c for c in tab.evaluate(HEAT_CELLS)}
    assert len(cells) == len(BUILTIN["coverage"])
    for data in BUILTIN["coverage"]:
        cell = cells[data["site_id"], data["period_start"]]
        assert cell["value"] == f"{data['deployed']}/{data['required']}"
        assert cell["marked"] == (data["short"] > 0)
        assert cell["short"] == (f"{MINUS}{data['short']}" if data["short"] else None)
        assert cell["button"] == bool(data["shortfalls"])
        assert cell["bin"] == _bin(data)
    totals = dict(
        tab.evaluate(
            """() => [...document.querySelectorAll('#heatmap tbody tr')].map(tr =>
                 [tr.dataset.site, tr.querySelector('.sp-heatmap__total').textContent])"""
        )
    )
    for s in BUILTIN["sites"]:
        short = sum(c["short"] for c in BUILTIN["coverage"] if c["site_id"] == s["site_id"])
        assert totals[s["site_id"]] == (f"{MINUS}{short}" if short else "0")
    assert tab.locator("#heatmap .sp-heatmap__legend li").count() == 8


def test_heat_map_selection_by_click_keyboard_and_controller(tab: Page) -> None:
    """A marked cell selects on click and Enter (onSelect with its data); select() highlights."""
    open_harness(tab, "?show=heatmap")
    explained = [c for c in BUILTIN["coverage"] if c["shortfalls"]]
    first = explained[0]

    def cell(c: dict[str, Any]) -> str:
        return f"#heatmap td[data-site='{c['site_id']}'][data-period='{c['period_start']}']"

    tab.click(f"{cell(first)} button")
    assert tab.evaluate("() => spHarness.events.at(-1)") == {
        "type": "select",
        "site_id": first["site_id"],
        "period_start": first["period_start"],
        "coverage": first,
    }
    assert tab.get_attribute(cell(first), "aria-selected") == "true"
    assert first["shortfalls"][0]["reason"] in tab.inner_text("#selection")

    index = BUILTIN["periods"].index(first["period_start"])
    right = next(
        c
        for c in BUILTIN["coverage"]
        if c["site_id"] == first["site_id"] and c["period_start"] == BUILTIN["periods"][index + 1]
    )
    tab.keyboard.press("ArrowRight")
    focused = tab.evaluate("() => document.activeElement.closest('td').dataset.period")
    assert focused == right["period_start"]
    if right["shortfalls"]:
        tab.keyboard.press("Enter")
        assert tab.evaluate("() => spHarness.events.at(-1).period_start") == right["period_start"]
    met = next(c for c in BUILTIN["coverage"] if not c["shortfalls"])
    tab.focus(cell(met))
    count = tab.evaluate("() => spHarness.events.length")
    tab.keyboard.press("Enter")
    assert tab.evaluate("() => spHarness.events.length") == count  # nothing to explain there
    assert tab.evaluate("() => document.querySelectorAll('#heatmap [tabindex=\"0\"]').length") == 1

    last = explained[-1]
    assert tab.evaluate(
        "([s, p]) => spHarness.heatmap.select(s, p)", [last["site_id"], last["period_start"]]
    )
    assert tab.get_attribute(cell(last), "aria-selected") == "true"
    assert tab.locator("#heatmap [aria-selected=true]").count() == 1
    assert tab.evaluate("() => spHarness.heatmap.select('NOPE', '2020-02-03')") is False


# ---------------------------------------------------------------------------- look, size, speed


def test_screenshots_at_desktop_and_tablet_sizes(tab: Page) -> None:
    """1280×800 screenshots for review; at 768 px the page itself never scrolls sideways."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    open_harness(tab, "?show=gantt")
    tab.click("#gantt .sp-gantt__row[data-person='BP002'] .sp-gantt__bar")
    tab.screenshot(path=str(SCREENSHOTS / "gantt.png"))
    open_harness(tab, "?show=heatmap")
    tab.click("#heatmap td.has-explanation button")
    tab.screenshot(path=str(SCREENSHOTS / "heatmap.png"))

    tab.set_viewport_size({"width": 768, "height": 1024})
    for show in ("gantt", "heatmap"):
        open_harness(tab, f"?show={show}")
        assert tab.evaluate("() => document.documentElement.scrollWidth") <= 768
        tab.screenshot(path=str(SCREENSHOTS / f"{show}-tablet.png"))
    labels = tab.locator("#heatmap tbody th").first.bounding_box()
    assert labels is not None and labels["x"] >= 0


MEASURE = """async (url) => {
  const view = await spHarness.load(url);
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const time = async (render) => {
    const t0 = performance.now();
    const controller = render();
    const call = performance.now() - t0;
    await frame();
    return {controller, call_ms: call, first_frame_ms: performance.now() - t0};
  };
  const gantt = document.getElementById('gantt');
  const heatmap = document.getElementById('heatmap');
  const out = {gantt: [], heatmap: [], filter: []};
  for (let run = 0; run < 6; run += 1) {
    const g = await time(() => spHarness.renderGantt(gantt, view, {}));
    out.gantt.push([g.call_ms, g.first_frame_ms]);
    const h = await time(() => spHarness.renderHeatmap(heatmap, view, {}));
    out.heatmap.push([h.call_ms, h.first_frame_ms]);
    const t0 = performance.now();
    g.controller.setFilter({qualification: 'sniper', search: 'a'});
    await frame();
    out.filter.push(performance.now() - t0);
    g.controller.setFilter({});
    if (run < 5) { g.controller.destroy(); h.controller.destroy(); }
  }
  out.gantt_nodes = gantt.querySelectorAll('*').length;
  out.heatmap_nodes = heatmap.querySelectorAll('*').length;
  out.user_agent = navigator.userAgent;
  return out;
}"""


def test_first_render_time_at_1000_officers_by_17_weeks(tab: Page) -> None:
    """Time to first render of both components on 1,000 officers × 17 weeks (recorded only)."""
    open_harness(tab, "?mount=0")
    view = big_view()
    runs = tab.evaluate(MEASURE, BIG)
    rows = tab.evaluate(RENDERED_ROWS)
    assert 0 < len(rows) < 100  # virtualised: a window of rows, not 1,000
    assert_rows_match_data(rows, view)
    assert tab.locator("#heatmap tbody td[data-period]").count() == len(view["coverage"])

    def summary(samples: list[list[float]]) -> dict[str, float]:
        return {
            "first_render_call_ms": round(samples[0][0], 1),
            "first_render_to_frame_ms": round(samples[0][1], 1),
            "warm_median_call_ms": round(statistics.median(s[0] for s in samples[1:]), 1),
            "warm_median_to_frame_ms": round(statistics.median(s[1] for s in samples[1:]), 1),
        }

    record = {
        "what": "performance.now() around renderGantt/renderHeatmap, then to the first "
        "requestAnimationFrame (+ setTimeout 0, i.e. after that frame); first = cold, "
        "warm = median of 5 re-renders",
        "officers": len(view["officers"]),
        "periods": len(view["periods"]),
        "rotations": len(view["rotations"]),
        "sites": len(view["sites"]),
        "gantt": summary(runs["gantt"]),
        "heatmap": summary(runs["heatmap"]),
        "gantt_set_filter_to_frame_ms_median": round(statistics.median(runs["filter"]), 1),
        "gantt_dom_elements": runs["gantt_nodes"],
        "heatmap_dom_elements": runs["heatmap_nodes"],
        "viewport": "1280x800",
        "browser": runs["user_agent"],
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}",
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "web-render-times.json").write_text(json.dumps(record, indent=2) + "\n", "utf-8")
    print(json.dumps(record, indent=2))


# ---------------------------------------------------------------------------- accessibility

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def _select_in_both(page: Page) -> None:
    page.click("#gantt .sp-gantt__bar")
    page.click("#heatmap td.has-explanation button")


@pytest.mark.parametrize(
    ("query", "interact"),
    [("", _select_in_both), (f"?view={BIG}&show=gantt", None)],
    ids=["both-with-selections", "gantt-1000-officers"],
)
def test_axe_finds_no_serious_or_critical_violations(
    tab: Page, query: str, interact: Callable[[Page], None] | None
) -> None:
    """axe-core (vendored, run from 'self' under the CSP) on the harness with both components."""
    assert AXE.exists(), f"vendor axe-core to {AXE.relative_to(ROOT)}"
    open_harness(tab, query)
    if interact:
        interact(tab)
    tab.add_script_tag(url="/vendor/axe.min.js")
    violations = tab.evaluate(AXE_RUN)
    for v in violations:
        print(f"axe {v['impact']}: {v['id']} ({v['help']}) at {v['targets']}")
    serious = [v for v in violations if v["impact"] in {"serious", "critical"}]
    assert serious == [], serious
