"""The HTML plan report: self-contained, escaped, and showing the plan's real figures."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest

from surgeplan.checker.ledger import (
    TIER_COST,
    TIER_SHORTFALL,
    Assignment,
    CheckReport,
    LedgerEntry,
    Stretch,
    Violation,
)
from surgeplan.reports.html import render_report
from surgeplan.scenario.model import (
    Base,
    Demand,
    Person,
    Rules,
    Scenario,
    Site,
    parse_grants,
)

MONDAY = date(2020, 2, 3)
EVIL = "<script>alert(1)</script>"
VOID = {"meta", "br", "link", "img", "input", "hr", "path", "rect"}


def week(k: int) -> date:
    """Start of week k (0-based) of the campaign."""
    return MONDAY + timedelta(days=7 * k)


def deployed(person: str, site: str, *weeks: int) -> list[Assignment]:
    """Assignment rows of one person at one site in the given weeks."""
    return [Assignment(person, site, week(k), week(k) + timedelta(days=6)) for k in weeks]


def stretch(person: str, site: str, first: int, periods: int, *usd: str) -> Stretch:
    """A priced same-site run; `usd` is travel, lodging, M&IE."""
    travel, lodging, mie = (Decimal(x) for x in usd)
    end = week(first + periods) - timedelta(days=1)
    return Stretch(person, site, week(first), end, periods, travel, lodging, mie)


def cost_entries(stretches: list[Stretch]) -> list[LedgerEntry]:
    """One cost-tier ledger entry per stretch and category, weight 1."""
    return [
        LedgerEntry(
            TIER_COST,
            category,
            f"person {s.person_id}, {s.site_id}, {s.start}",
            amount,
            Decimal(1),
            amount,
            site_id=s.site_id,
            person_id=s.person_id,
            period_start=s.start,
        )
        for s in stretches
        for category, amount in (
            ("travel", s.travel_usd),
            ("lodging", s.lodging_usd),
            ("mie", s.mie_usd),
        )
    ]


@pytest.fixture
def tiny() -> tuple[Scenario, list[Assignment], CheckReport, dict[str, Any]]:
    """Three weeks, two sites, four officers (one named like an attack, one never deployed).

    CHI week 0 needs 4 and gets P1, P2: 2 short (priority 2 → penalty 4); it also needs
    one `lead` and nobody there holds it: 1 short. NYC week 1 needs 1 and gets P4: met.
    Loads: P1 2 weeks, P2 1, P3 0, P4 2. Cost: 2,937.00 + 1,668.00 + 3,557.51 = 8,162.51.
    """
    scenario = Scenario(
        name=f"Surge {EVIL} <img src=x onerror=alert(2)>",
        start=MONDAY,
        end=week(3) - timedelta(days=1),
        people=(
            Person(person_id="P1", name=EVIL, base_id="B1"),
            Person(person_id="P2", name="Officer Two", base_id="B1"),
            Person(
                person_id="P3",
                name="Officer Three",
                base_id="B2",
                qualifications=parse_grants("lead"),
            ),
            Person(person_id="P4", name='Four" onmouseover="alert(3)', base_id="B2"),
        ),
        bases=(
            Base(base_id="B1", name="Base <b>One</b>", lat=31.7, lon=-106.4),
            Base(base_id="B2", name="Base Two", lat=32.6, lon=-117.0),
        ),
        sites=(
            Site(site_id="CHI", name="Chicago", lat=41.8, lon=-87.6, priority=2),
            Site(site_id="NYC", name="New York & <i>Co</i>", lat=40.7, lon=-74.0),
        ),
        demand=(
            Demand(site_id="CHI", period_start=week(0), qualification="*", required=4),
            Demand(site_id="CHI", period_start=week(0), qualification="lead", required=1),
            Demand(site_id="NYC", period_start=week(1), qualification="*", required=1),
        ),
        rules=Rules(budget_usd=Decimal("10000")),
    )
    plan = [*deployed("P1", "CHI", 0, 1), *deployed("P2", "CHI", 0), *deployed("P4", "NYC", 1, 2)]
    stretches = [
        stretch("P1", "CHI", 0, 2, "400.00", "1625.00", "912.00"),
        stretch("P2", "CHI", 0, 1, "500.00", "750.00", "418.00"),
        stretch("P4", "NYC", 1, 2, "450.50", "2119.00", "988.01"),
    ]
    ledger = [
        LedgerEntry(
            TIER_SHORTFALL,
            "cover",
            "site CHI, 2020-02-03",
            Decimal(2),
            Decimal(2),
            Decimal(4),
            site_id="CHI",
            period_start=week(0),
        ),
        LedgerEntry(
            TIER_SHORTFALL,
            "skill cover",
            "site CHI, 2020-02-03, lead",
            Decimal(1),
            Decimal(2),
            Decimal(2),
            site_id="CHI",
            period_start=week(0),
        ),
        *cost_entries(stretches),
    ]
    report = CheckReport((), tuple(ledger), tuple(stretches))
    summary = {
        "scenario": scenario.name,
        "status": "OPTIMAL",
        "objective": {"shortfall": 6, "cost_usd": "8162.51"},
        "gap_pct": 0.0,
        "solve_seconds": 0.42,
        "cost_usd": "8162.51",
    }
    return scenario, plan, report, summary


def section(html: str, anchor: str) -> str:
    """The HTML of one report section."""
    match = re.search(rf'<section id="{anchor}".*?</section>', html, flags=re.S)
    assert match, f"no section {anchor}"
    return match.group(0)


class TagBalance(HTMLParser):
    """Records every start tag and any end tag that does not close the innermost open one."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()


def test_document_loads_nothing_from_outside(tiny: Any) -> None:
    """The page references no external resource: no http(s) src/href, @import, url() or script."""
    html = render_report(*tiny)
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//)""", html, flags=re.I)
    for needle in ("@import", "url(", "<link", "<script", "<iframe", "<object"):
        assert needle not in html.lower()
    assert "Content-Security-Policy" in html


def test_untrusted_text_is_escaped_everywhere(tiny: Any) -> None:
    """Names that look like markup appear only escaped, so no injected tag or attribute exists."""
    html = render_report(*tiny)
    assert EVIL not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html
    assert "<b>One" not in html
    assert "<i>Co" not in html
    assert 'onmouseover="' not in html
    assert "Four&quot; onmouseover=&quot;alert(3)" in html
    parser = TagBalance()
    parser.feed(html)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    assert {"script", "img", "b", "i"}.isdisjoint(parser.tags)


def test_every_svg_is_well_formed_and_labelled(tiny: Any) -> None:
    """Each inline SVG parses as XML and carries role=img, an aria-label and a <title>."""
    html = render_report(*tiny)
    svgs = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    assert len(svgs) >= 5  # Gantt axis and body, heat map, cost bars, histogram
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.get("role") == "img"
        assert root.get("aria-label")
        assert root[0].tag == "title"


def test_page_is_accessible_in_structure(tiny: Any) -> None:
    """lang, <title>, one h1 then h2 sections, and column headers on every table."""
    html = render_report(*tiny)
    assert '<html lang="en">' in html
    assert re.search(r"<title>Surge &lt;script&gt;.*</title>", html)
    assert html.count("<h1>") == 1
    assert html.count("<h2 ") >= 5
    assert html.count("<table>") == html.count("<thead>") > 0


def test_gantt_has_a_row_per_deployed_officer(tiny: Any) -> None:
    """Every deployed officer's id labels a Gantt row; the idle one is only in the summary line."""
    gantt = section(render_report(*tiny), "rotations")
    for pid in ("P1", "P2", "P4"):
        assert f'<tspan class="id">{pid}</tspan>' in gantt
    assert '<tspan class="id">P3</tspan>' not in gantt
    assert "1 officer of 4 never deployed" in gantt
    assert "Officer Three (P3)" in gantt
    # P1's two weeks at CHI are one bar, not two
    assert "Chicago (CHI), 3 Feb 2020 – 16 Feb 2020, 2 weeks" in gantt


def test_heatmap_marks_the_known_shortfall_cells(tiny: Any) -> None:
    """CHI week 0 (2 of 4) and its `lead` row are outlined as short; NYC week 1 is met."""
    heat = section(render_report(*tiny), "coverage")
    short = re.findall(r'<rect [^>]*class="cell short"[^>]*><title>([^<]*)</title>', heat)
    assert short == [
        "Chicago (CHI), week of 3 Feb 2020: 2 deployed of 4 required — 2 short",
        "lead at Chicago (CHI), week of 3 Feb 2020: at least 1 required — 1 short",
    ]
    assert ">2/4</text>" in heat
    assert ">−2</text>" in heat
    assert ">−1</text>" in heat
    assert (
        "New York &amp; &lt;i&gt;Co&lt;/i&gt; (NYC), week of 10 Feb 2020: 1 deployed of "
        "1 required — met" in heat
    )


def test_cost_table_shows_the_exact_total(tiny: Any) -> None:
    """The cost table's footer is the exact Decimal sum of the stretches, per category too."""
    scenario, plan, report, summary = tiny
    costs = section(render_report(scenario, plan, report, summary), "cost")
    assert report.cost_usd == Decimal("8162.51")
    assert '<strong class="grand">$8,162.51</strong>' in costs
    foot = re.search(r"<tfoot>(.*?)</tfoot>", costs, flags=re.S)
    assert foot
    assert list(re.findall(r"\$[\d,]+\.\d\d", foot.group(1))) == [
        "$1,350.50",
        "$4,494.00",
        "$2,318.01",
        "$8,162.51",
    ]
    assert '<td class="n"><strong>$4,605.00</strong></td>' in costs  # CHI
    assert "Budget cap $10,000.00: this plan uses 81.6 % of it." in costs


def test_histogram_counts_officers_per_load_including_zero(tiny: Any) -> None:
    """One officer with 0 weeks, one with 1, two with 2."""
    load = section(render_report(*tiny), "load")
    tips = re.findall(r"<title>(\d+ officers? deployed \d+ weeks?)</title>", load)
    assert tips == [
        "1 officer deployed 0 weeks",
        "1 officer deployed 1 week",
        "2 officers deployed 2 weeks",
    ]


def test_ledger_lists_tiers_and_shortfall_entries(tiny: Any) -> None:
    """Tier totals, each shortfall entry with its weight and penalty, cost entries summed."""
    ledger = section(render_report(*tiny), "ledger")
    assert re.search(
        r'<th scope="row">shortfall</th><td class="n">2</td><td class="n">6</td>', ledger
    )
    assert "site CHI, 2020-02-03, lead" in ledger
    assert "<details><summary>All 9 entries</summary>" in ledger
    assert re.search(
        r"lodging</td><td>Chicago \(CHI\)</td><td class=\"n\">2</td>"
        r"<td class=\"n\">\$2,375\.00</td>",
        ledger,
    )


def test_header_and_violations_banner(tiny: Any) -> None:
    """Header shows status, gap, time, shortfall, cost; violations raise an escaped alert."""
    scenario, plan, report, summary = tiny
    clean = render_report(scenario, plan, report, summary)
    assert 'role="alert"' not in clean
    for text in ("OPTIMAL", "0.00 %", "0.4 s", "$8,162.51", "no violations"):
        assert text in clean
    broken = CheckReport(
        (Violation("unavailable", "person P1", f"P1 {EVIL} is on leave"),),
        report.ledger,
        report.stretches,
    )
    html = render_report(scenario, plan, broken, {**summary, "objective": {"shortfall": 5}})
    assert 'role="alert"' in html
    assert "The checker found 1 hard-rule violation<" in html
    assert "P1 &lt;script&gt;" in html
    assert "solver claimed 5" in html


def test_summary_keys_are_all_optional(tiny: Any) -> None:
    """An empty summary, and one with unexpected shapes, still render."""
    scenario, plan, report, _ = tiny
    assert "<h1>" in render_report(scenario, plan, report, {})
    odd = {
        "status": None,
        "gap_pct": {"shortfall": None, "cost": 1.5},
        "solve_seconds": "n/a",
        "bound": {"shortfall": 3},
        "extra": [1, EVIL],
    }
    html = render_report(scenario, plan, report, odd)
    assert "cost: 1.50 %" in html
    assert "n/a" in html
    assert EVIL not in html


def test_empty_plan_renders(tiny: Any) -> None:
    """No assignments, no stretches, empty ledger: the page says so instead of failing."""
    scenario, _, _, summary = tiny
    html = render_report(scenario, [], CheckReport((), ()), summary)
    assert "No officer is deployed in this plan." in html
    assert "4 officers deployed 0 weeks" in html


def synthetic(officers: int, weeks: int = 17, sites: int = 10) -> tuple[Any, ...]:
    """A big plan: rotations of 4 weeks with 2 weeks' rest, staggered across sites."""
    site_ids = [f"S{i:02d}" for i in range(sites)]
    people = tuple(
        Person(person_id=f"OF{i:04d}", name=f"Officer Number {i}", base_id=f"B{i % 8}")
        for i in range(officers)
    )
    scenario = Scenario(
        name="Synthetic",
        start=MONDAY,
        end=week(weeks) - timedelta(days=1),
        people=people,
        bases=tuple(Base(base_id=f"B{b}", name=f"Base {b}", lat=30, lon=-100) for b in range(8)),
        sites=tuple(Site(site_id=s, name=f"City {s}", lat=40, lon=-80) for s in site_ids),
        demand=tuple(
            Demand(site_id=s, period_start=week(k), qualification=q, required=r)
            for s in site_ids
            for k in range(weeks)
            for q, r in (("*", officers // sites), ("lead", 2))
        ),
    )
    plan: list[Assignment] = []
    stretches: list[Stretch] = []
    for i, p in enumerate(people):
        if i % 10 == 9:
            continue
        k = i % 6
        while k < weeks:
            length = min(4, weeks - k)
            site = site_ids[(i + k) % sites]
            plan += deployed(p.person_id, site, *range(k, k + length))
            stretches.append(stretch(p.person_id, site, k, length, "412.37", "3001.00", "1020.75"))
            k += length + 2
    ledger = [
        LedgerEntry(
            TIER_SHORTFALL,
            "skill cover",
            f"site {s}, {week(k)}, lead",
            Decimal(1),
            Decimal(1),
            Decimal(1),
            site_id=s,
            period_start=week(k),
        )
        for s in site_ids
        for k in range(weeks)
    ]
    report = CheckReport((), (*ledger, *cost_entries(stretches)), tuple(stretches))
    return scenario, plan, report, {"status": "FEASIBLE"}


def test_large_plan_stays_small() -> None:
    """300 officers × 17 weeks renders well under 2 MB, with one bar per rotation."""
    scenario, plan, report, summary = synthetic(300)
    html = render_report(scenario, plan, report, summary)
    assert len(html.encode()) < 2_000_000
    gantt = section(html, "rotations")
    assert gantt.count('rx="3"') == len(report.stretches)
    total = sum((s.cost_usd for s in report.stretches), Decimal(0))
    assert f'<strong class="grand">${total:,.2f}</strong>' in html
