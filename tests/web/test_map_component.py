"""The plan map component (web/static/js/components/map.js) in real headless Chromium.

The static files and a small harness page (tests/web/harness/map.html) are served by
Python's http.server from a background thread, with a strict Content-Security-Policy, so
the component is also checked to need no inline script or style. The 1280×800 screenshot
goes to out/screenshots/map.png for review.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import http.server
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "src" / "surgeplan" / "web" / "static"
HARNESS = Path(__file__).parent / "harness"
TEST_VENDOR = Path(__file__).parent / "vendor"
SCREENSHOTS = ROOT / "out" / "screenshots"
SAMPLE = json.loads((HARNESS / "view-builtin.json").read_text())
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'"

# Reads what the map drew inside `root` (an element holding one .sp-map).
STATS_JS = """(root) => {
  const svg = root.querySelector('.sp-map__svg');
  const box = (e) => { const r = e.getBoundingClientRect();
                       return [r.left, r.top, r.right, r.bottom]; };
  return {
    role: svg.getAttribute('role'),
    label: svg.getAttribute('aria-label'),
    svgBox: box(svg),
    bases: [...svg.querySelectorAll('.sp-map__base')].map((e) => ({
      id: e.dataset.baseId, box: box(e), title: e.querySelector('title')?.textContent })),
    sites: [...svg.querySelectorAll('.sp-map__site')].map((e) => ({
      id: e.dataset.siteId, box: box(e), title: e.querySelector('title')?.textContent,
      highlight: e.classList.contains('sp-map__site--highlight') })),
    flows: [...svg.querySelectorAll('.sp-map__flow')].map((e) => ({
      base: e.dataset.baseId, site: e.dataset.siteId, officers: Number(e.dataset.officers),
      width: parseFloat(getComputedStyle(e).strokeWidth),
      title: e.querySelector('title')?.textContent,
      highlight: e.classList.contains('sp-map__flow--highlight') })),
    labels: [...svg.querySelectorAll('.sp-map__label')].map((e) => ({
      text: e.textContent, box: box(e) })),
    insets: Object.fromEntries([...svg.querySelectorAll('[data-inset]')].map((e) =>
      [e.dataset.inset, box(e)])),
    caption: root.querySelector('table caption')?.textContent,
    headers: [...root.querySelectorAll('table thead th')].map((e) => e.textContent),
    rows: [...root.querySelectorAll('table tbody tr')].map((tr) =>
      [...tr.children].map((c) => c.textContent)),
    legend: root.querySelector('.sp-map__legend')?.textContent,
  };
}"""

RENDER_JS = f"""([view, options]) => {{
  const stats = {STATS_JS};
  const host = document.createElement('section');
  host.setAttribute('aria-label', 'Extra map');
  document.querySelector('main').append(host);
  window.renderMap(host, view, options);
  const result = stats(host);
  host.remove();
  return result;
}}"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    """static/ at /, the harness at /harness/, axe-core at /test-vendor/; strict CSP."""

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        for prefix, folder in (("/harness/", HARNESS), ("/test-vendor/", TEST_VENDOR)):
            if path.startswith(prefix):
                return str(folder / path.removeprefix(prefix))
        return str(STATIC / path.lstrip("/"))

    def do_GET(self) -> None:
        if self.path == "/favicon.ico":
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    handler = functools.partial(_Handler, directory=str(STATIC))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def chromium(browser: Any) -> Any:
    """The session's Chromium (webkit.browser): one Playwright per test process."""
    return browser


class MapPage:
    """A browser page on the harness that records console errors."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.errors: list[str] = []
        self.context = browser.new_context(
            base_url=base_url, viewport={"width": 1280, "height": 800}
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, query: str = "", width: int = 1280, height: int = 800) -> dict[str, Any]:
        self.page.set_viewport_size({"width": width, "height": height})
        self.page.goto(f"/harness/map.html{query}")
        self.page.wait_for_selector("html[data-ready='true']")
        return self.stats()

    def stats(self) -> dict[str, Any]:
        return self.page.evaluate(f"({STATS_JS})(document.getElementById('map'))")

    def render(self, view: Any, options: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.page.evaluate(RENDER_JS, [view, options or {}])


@pytest.fixture
def map_page(chromium: Any, site_url: str) -> Iterator[MapPage]:
    page = MapPage(chromium, site_url)
    yield page
    page.context.close()
    assert page.errors == [], page.errors


def _drawn_flows(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in view["flows"] if f["officers"] > 0]


def _overlaps(a: list[float], b: list[float], slack: float = 0.5) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack


def _inside(inner: list[float], outer: list[float], slack: float = 1.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def _assert_labels_legible(stats: dict[str, Any]) -> None:
    labels = stats["labels"]
    for i, a in enumerate(labels):
        assert _inside(a["box"], stats["svgBox"], slack=2), a
        for b in labels[i + 1 :]:
            assert not _overlaps(a["box"], b["box"]), (a, b)


def test_sample_plan_at_desktop_size(map_page: MapPage) -> None:
    stats = map_page.open()

    assert stats["role"] == "img"
    assert len(stats["bases"]) == len(SAMPLE["bases"]) == 14
    assert len(stats["sites"]) == len(SAMPLE["sites"]) == 10
    assert {b["id"] for b in stats["bases"]} == {b["base_id"] for b in SAMPLE["bases"]}
    assert {s["id"] for s in stats["sites"]} == {s["site_id"] for s in SAMPLE["sites"]}
    drawn = _drawn_flows(SAMPLE)
    assert len(stats["flows"]) == len(drawn)
    assert sorted((f["base"], f["site"], f["officers"]) for f in stats["flows"]) == sorted(
        (f["base_id"], f["site_id"], f["officers"]) for f in drawn
    )

    # Width tells officers: the widest route is the largest, and never a thinner one for more.
    widest = max(stats["flows"], key=lambda f: f["width"])
    assert widest["officers"] == max(f["officers"] for f in drawn)
    for a in stats["flows"]:
        for b in stats["flows"]:
            if a["officers"] > b["officers"]:
                assert a["width"] >= b["width"], (a, b)
    assert widest["width"] > 3 * min(f["width"] for f in stats["flows"])

    # The summary states the totals.
    officers = sum(f["officers"] for f in SAMPLE["flows"])
    weeks = sum(f["officer_periods"] for f in SAMPLE["flows"])
    label = stats["label"]
    assert label.startswith("Map: 14 home bases send officers to 10 deployment sites")
    assert f"along {len(drawn)} routes" in label
    assert f"{officers} officers in all" in label
    assert f"{weeks} officer-weeks" in label

    # One table row per flow, with headers and a caption.
    assert stats["headers"] == ["Home base", "Deployment site", "Officers", "Officer-weeks"]
    assert "Routes from home bases to deployment sites" in stats["caption"]
    assert len(stats["rows"]) == len(SAMPLE["flows"])
    names = {b["base_id"]: b["name"] for b in SAMPLE["bases"]}
    assert sorted((r[0], int(r[2]), int(r[3])) for r in stats["rows"]) == sorted(
        (names[f["base_id"]], f["officers"], f["officer_periods"]) for f in SAMPLE["flows"]
    )

    # Every mark has a tooltip; every site a legible label; the legend shows reference widths.
    assert all(m["title"] for m in stats["bases"] + stats["sites"] + stats["flows"])
    assert sorted(x["text"] for x in stats["labels"]) == sorted(s["name"] for s in SAMPLE["sites"])
    _assert_labels_legible(stats)
    assert re.search(r"Officers per route:\s*1\s*4\s*7$", stats["legend"]), stats["legend"]
    # Co-located bases (three in El Paso) are drawn side by side, not on top of each other.
    for i, a in enumerate(stats["bases"]):
        for b in stats["bases"][i + 1 :]:
            assert not _overlaps(a["box"], b["box"], slack=0.1), (a["id"], b["id"])

    page = map_page.page
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "map.png"))

    # The table is there for screen readers, and on screen once asked for.
    table = page.locator(".sp-map__table-wrap")
    assert table.bounding_box()["width"] <= 1  # type: ignore[index]
    toggle = page.get_by_role("button", name="Show as table")
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert table.bounding_box()["width"] > 600  # type: ignore[index]
    assert page.get_by_role("table").get_by_role("row").count() == len(SAMPLE["flows"]) + 2


def test_tablet_width(map_page: MapPage) -> None:
    stats = map_page.open(width=768, height=1024)
    assert len(stats["flows"]) == len(_drawn_flows(SAMPLE))
    assert stats["svgBox"][2] - stats["svgBox"][0] <= 768
    assert map_page.page.evaluate("document.documentElement.scrollWidth") <= 768
    _assert_labels_legible(stats)
    sizes = map_page.page.evaluate(
        "[...document.querySelectorAll('.sp-map__label')]"
        ".map((e) => e.getBoundingClientRect().height)"
    )
    assert min(sizes) >= 11  # about 13 px text, whatever the map's scale


def test_highlight_site(map_page: MapPage) -> None:
    stats = map_page.open("?highlight=CHI")
    to_chicago = [f for f in _drawn_flows(SAMPLE) if f["site_id"] == "CHI"]
    highlighted = [f for f in stats["flows"] if f["highlight"]]
    assert sorted(f["base"] for f in highlighted) == sorted(f["base_id"] for f in to_chicago)
    assert len(stats["flows"]) == len(_drawn_flows(SAMPLE))
    assert [s["id"] for s in stats["sites"] if s["highlight"]] == ["CHI"]
    officers = sum(f["officers"] for f in to_chicago)
    expected = f"Highlighted: Chicago, {officers} officers from {len(to_chicago)} bases."
    assert expected in stats["label"]
    assert "Routes to Chicago" in stats["legend"]
    # Highlighted routes are drawn on top and stand out by strength, not colour alone.
    opacity = map_page.page.evaluate(
        "[...document.querySelectorAll('.sp-map__svg .sp-map__flow')]"
        ".map((e) => Number(getComputedStyle(e).strokeOpacity))"
    )
    assert all(o >= 0.8 for o in opacity[-len(to_chicago) :])
    assert all(o <= 0.2 for o in opacity[: -len(to_chicago)])
    # An unknown site is ignored rather than an error.
    unknown = map_page.render(SAMPLE, {"highlightSite": "XXX"})
    assert not any(f["highlight"] for f in unknown["flows"])


def test_empty_hidden_and_odd_plans(map_page: MapPage) -> None:
    map_page.open()

    empty = map_page.render({**SAMPLE, "flows": []})
    assert empty["flows"] == [] and empty["rows"] == []
    assert len(empty["bases"]) == 14 and len(empty["sites"]) == 10
    assert empty["label"] == "Map: 14 home bases and 10 deployment sites; no officers deployed."
    assert "Officers per route" not in empty["legend"]

    # A viewer's view: officer-level parts emptied; here names are gone too.
    hidden = copy.deepcopy(SAMPLE)
    hidden.update(names_hidden=True, officers=[], rotations=[], fairness=[], pins=[])
    for place in hidden["sites"] + hidden["bases"]:
        place["name"] = None
    stats = map_page.render(hidden)
    assert len(stats["flows"]) == len(_drawn_flows(SAMPLE))
    ids = sorted(s["site_id"] for s in SAMPLE["sites"])
    assert sorted(x["text"] for x in stats["labels"]) == ids

    for nothing in (None, {}, {"sites": None, "bases": "x", "flows": [None, 3]}):
        stats = map_page.render(nothing)
        assert stats["bases"] == stats["sites"] == stats["flows"] == stats["rows"] == []
        assert stats["label"] == "Map: 0 home bases and 0 deployment sites; no officers deployed."


def test_alaska_hawaii_puerto_rico_and_beyond(map_page: MapPage) -> None:
    map_page.open()
    view = {
        "period": "week",
        "bases": [
            {"base_id": "anc", "name": "Anchorage", "lat": 61.2181, "lon": -149.9003},
            {"base_id": "hnl", "name": "Honolulu", "lat": 21.3069, "lon": -157.8583},
            {"base_id": "sju", "name": "San Juan", "lat": 18.4655, "lon": -66.1057},
            {"base_id": "stt", "name": "St. Thomas", "lat": 18.3419, "lon": -64.9307},
            {"base_id": "gum", "name": "Hagåtña, Guam", "lat": 13.4757, "lon": 144.7489},
            {"base_id": "nowhere", "name": "No position"},
        ],
        "sites": [
            {"site_id": "SEA", "name": "Seattle", "lat": 47.6062, "lon": -122.3321, "priority": 1},
            {"site_id": "MIA", "name": "Miami", "lat": 25.7617, "lon": -80.1918, "priority": 2},
        ],
        "flows": [
            {"base_id": "anc", "site_id": "SEA", "officers": 4, "officer_periods": 8},
            {"base_id": "hnl", "site_id": "SEA", "officers": 2, "officer_periods": 6},
            {"base_id": "sju", "site_id": "MIA", "officers": 5, "officer_periods": 10},
            {"base_id": "stt", "site_id": "MIA", "officers": 0, "officer_periods": 0},
            {"base_id": "gum", "site_id": "SEA", "officers": 1, "officer_periods": 2},
            {"base_id": "anc", "site_id": "GONE", "officers": 3, "officer_periods": 3},
        ],
    }
    stats = map_page.render(view)
    by_id = {b["id"]: b["box"] for b in stats["bases"]}
    assert set(by_id) == {"anc", "hnl", "sju", "stt"}  # Guam and no-position are not drawn
    assert _inside(by_id["anc"], stats["insets"]["AK"])
    assert _inside(by_id["hnl"], stats["insets"]["HI"])
    assert _inside(by_id["sju"], stats["insets"]["PR"])
    assert _inside(by_id["stt"], stats["insets"]["PR"])
    # Only routes with officers whose both ends are on the map are drawn; all are in the table.
    assert sorted(f["base"] for f in stats["flows"]) == ["anc", "hnl", "sju"]
    assert len(stats["rows"]) == len(view["flows"])
    assert stats["label"].endswith(" 2 places not drawn: no position on this map.")


def test_no_serious_accessibility_violations(map_page: MapPage) -> None:
    map_page.open("?highlight=NYC")
    page = map_page.page
    page.add_script_tag(url="/test-vendor/axe.min.js")
    run_axe = """async () => (await axe.run(document, {resultTypes: ['violations']}))
      .violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                                nodes: v.nodes.map((n) => n.target.join(' '))}))"""
    for shown in (False, True):
        if shown:
            page.get_by_role("button", name="Show as table").click()
        violations = page.evaluate(run_axe)
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert serious == [], serious


def test_vendored_files_match_their_checksums() -> None:
    for folder in (STATIC / "vendor", TEST_VENDOR):
        listed = (folder / "SHA256SUMS").read_text().split("\n")
        for line in filter(None, listed):
            digest, name = line.split(maxsplit=1)
            path = folder / name.lstrip("*")
            assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, path
