"""Plan diff: what differs between two plans of one scenario, per officer, per site and per
objective tier. Both plans are judged by the independent checker, so the tier deltas are
the contract's, whoever produced the plans."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from surgeplan.checker.ledger import TIER_COST, TIER_SHORTFALL, Assignment, CheckReport
from surgeplan.reports.impact import impact_rows
from surgeplan.scenario.model import Scenario


@dataclass(frozen=True, slots=True)
class PlanDiff:
    """Officers whose orders differ, per-site officer-periods, and tier totals of A and B."""

    officers: list[tuple[object, ...]]
    sites: list[tuple[str, int, int]]
    tiers: list[tuple[str, Decimal, Decimal]]
    violations: tuple[int, int]


def diff_plans(
    scenario: Scenario,
    a: Sequence[Assignment],
    b: Sequence[Assignment],
    report_a: CheckReport,
    report_b: CheckReport,
) -> PlanDiff:
    """Compare plan B against plan A."""
    per_site_a = Counter(x.site_id for x in a)
    per_site_b = Counter(x.site_id for x in b)
    sites = [
        (s.site_id, per_site_a[s.site_id], per_site_b[s.site_id])
        for s in scenario.sites
        if per_site_a[s.site_id] != per_site_b[s.site_id]
    ]
    tiers = [
        (
            "shortfall (weighted)",
            report_a.tier_total(TIER_SHORTFALL),
            report_b.tier_total(TIER_SHORTFALL),
        ),
        ("cost (USD)", report_a.cost_usd, report_b.cost_usd),
        ("cost tier (weighted)", report_a.tier_total(TIER_COST), report_b.tier_total(TIER_COST)),
    ]
    return PlanDiff(
        impact_rows(scenario, a, b, report_a, report_b),
        sites,
        tiers,
        (len(report_a.violations), len(report_b.violations)),
    )
