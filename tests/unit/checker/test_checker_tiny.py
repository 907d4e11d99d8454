"""End to end: the tiny fixture bundle, a hand-written assignments.csv, the full report."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from surgeplan.checker import TIER_COST, TIER_SHORTFALL, check, read_assignments
from surgeplan.scenario.load import load_scenario

TINY = Path(__file__).resolve().parents[2] / "fixtures" / "tiny"

# weeks: 02-03, 02-10, 02-17.  P1 (B1, lead) at CHI two weeks; P3 (B2, lead until 02-12)
# at CHI week 1, home week 2, NYC week 3; P2 (B1) at NYC week 3.
PLAN = """person_id,site_id,period_start,period_end
P1,CHI,2020-02-03,2020-02-09
P1,CHI,2020-02-10,2020-02-16
P3,CHI,2020-02-03,2020-02-09
P3,NYC,2020-02-17,2020-02-23
P2,NYC,2020-02-17,2020-02-23
"""


def test_tiny_bundle_feasible_plan(tmp_path: Path) -> None:
    """A feasible plan for the tiny bundle: one week of NYC demand unmet, costs to the cent."""
    scenario = load_scenario(TINY)
    path = tmp_path / "assignments.csv"
    path.write_text(PLAN, encoding="utf-8")
    report = check(scenario, read_assignments(path, scenario))
    assert report.violations == ()
    # CHI 02-03: * 2 (P1, P3) and lead 1 (P1; P3's lead runs to 02-12, covers 02-03..02-09)
    # NYC 02-10: * 1, nobody there: short 1 × priority 1;  NYC 02-17: * 2 (P2, P3)
    shortfall = [e for e in report.ledger if e.tier == TIER_SHORTFALL]
    assert [(e.rule, e.scope, e.penalty) for e in shortfall] == [
        ("cover", "site NYC, 2020-02-10", Decimal(1)),
    ]
    # P1 CHI 2 weeks: 400 + 13×125 + (12×76 + 2×57) = 400 + 1625 + 1026 = 3051.00
    # P3 CHI 1 week:  500 + 6×125 + (5×76 + 2×57)  = 500 + 750 + 494   = 1744.00
    # P3 NYC 1 week:  520 + 6×163 + 494            = 520 + 978 + 494   = 1992.00
    # P2 NYC 1 week:  450.50 + 978 + 494                               = 1922.50
    assert [(s.person_id, s.site_id, s.cost_usd) for s in report.stretches] == [
        ("P1", "CHI", Decimal("3051.00")),
        ("P2", "NYC", Decimal("1922.50")),
        ("P3", "CHI", Decimal("1744.00")),
        ("P3", "NYC", Decimal("1992.00")),
    ]
    assert report.cost_usd == Decimal("8709.50")
    assert report.tier_total(TIER_COST) == Decimal("8709.50")  # weights.cost defaults to 1


def test_tiny_bundle_plan_with_violations(tmp_path: Path) -> None:
    """P2 at NYC in the week of their leave, and P3 without rest, break two rules."""
    scenario = load_scenario(TINY)
    path = tmp_path / "assignments.csv"
    path.write_text(
        PLAN + "P2,NYC,2020-02-10,2020-02-16\nP3,CHI,2020-02-10,2020-02-16\n", encoding="utf-8"
    )
    report = check(scenario, read_assignments(path, scenario))
    # P2: leave on 2020-02-12; P3: CHI weeks 1-2 then NYC week 3 is one 3-week rotation
    # (rotation_max 2) that changes site (same_site_only defaults to true)
    assert [(v.rule, v.scope) for v in report.violations] == [
        ("unavailable", "person P2, 2020-02-10"),
        ("rotation_max", "person P3, 2020-02-03 to 2020-02-23"),
        ("same_site_only", "person P3, 2020-02-03 to 2020-02-23"),
    ]
    assert not report.feasible
