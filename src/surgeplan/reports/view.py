"""The workspace's picture of a plan as one JSON document (all of it; the server cuts it
by role). Computed once when a plan is stored, from the checker's report, so opening a
large plan in the browser costs a read, not a re-check."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from surgeplan.checker.ledger import TIER_SHORTFALL, Assignment, CheckReport
from surgeplan.explain import explain
from surgeplan.scenario.model import ANY_QUALIFICATION, Scenario
from surgeplan.scenario.pins import Pin


def plan_view(
    scenario: Scenario,
    assignments: Sequence[Assignment],
    report: CheckReport,
    pins: Sequence[Pin] = (),
) -> dict[str, Any]:
    """Coverage, flows, costs, officers, rotations, fairness and pins of a checked plan."""
    starts = scenario.period_starts()
    deployed: Counter[tuple[str, str]] = Counter(
        (a.site_id, a.period_start.isoformat()) for a in assignments
    )
    required: dict[tuple[str, str], int] = {}
    for d in scenario.demand:
        if d.qualification == ANY_QUALIFICATION:
            required[(d.site_id, d.period_start.isoformat())] = d.required
    reasons: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for x in explain(scenario, assignments, report):
        reasons[(x.site_id, x.period_start.isoformat())].append(
            {"qualification": x.qualification, "short": x.short, "reason": x.reason}
        )
    short: Counter[tuple[str, str]] = Counter()
    for entry in report.ledger:
        if entry.tier == TIER_SHORTFALL and entry.site_id and entry.period_start:
            short[(entry.site_id, entry.period_start.isoformat())] += int(entry.amount)
    coverage = [
        {
            "site_id": s.site_id,
            "period_start": t.isoformat(),
            "required": required.get((s.site_id, t.isoformat()), 0),
            "deployed": deployed[(s.site_id, t.isoformat())],
            "short": short[(s.site_id, t.isoformat())],
            "shortfalls": reasons.get((s.site_id, t.isoformat()), []),
        }
        for s in scenario.sites
        for t in starts
    ]
    base_of = {p.person_id: p.base_id for p in scenario.people}
    flows: dict[tuple[str, str], dict[str, Any]] = {}
    for stretch in report.stretches:
        key = (base_of[stretch.person_id], stretch.site_id)
        flow = flows.setdefault(key, {"officers": set(), "officer_periods": 0})
        flow["officers"].add(stretch.person_id)
        flow["officer_periods"] += stretch.periods
    by_site: dict[str, Decimal] = defaultdict(Decimal)
    by_category: dict[str, Decimal] = defaultdict(Decimal)
    for stretch in report.stretches:
        by_site[stretch.site_id] += stretch.cost_usd
        by_category["travel"] += stretch.travel_usd
        by_category["lodging"] += stretch.lodging_usd
        by_category["mie"] += stretch.mie_usd
    per_person = Counter(a.person_id for a in assignments)
    pin_rows = [
        {"person_id": p.person_id, "period_start": p.period_start.isoformat(), "site_id": p.site_id}
        for p in pins
    ]
    return {
        "period": scenario.period,
        "periods": [t.isoformat() for t in starts],
        "sites": [
            {
                "site_id": s.site_id,
                "name": s.name,
                "lat": s.lat,
                "lon": s.lon,
                "priority": s.priority,
            }
            for s in scenario.sites
        ],
        "bases": [
            {"base_id": b.base_id, "name": b.name, "lat": b.lat, "lon": b.lon}
            for b in scenario.bases
        ],
        "coverage": coverage,
        "flows": [
            {
                "base_id": base,
                "site_id": site,
                "officers": len(flow["officers"]),
                "officer_periods": flow["officer_periods"],
            }
            for (base, site), flow in sorted(flows.items())
        ],
        "costs": {
            "total_usd": str(report.cost_usd),
            "by_site": {k: str(v) for k, v in sorted(by_site.items())},
            "by_category": {k: str(v) for k, v in by_category.items()},
        },
        "deployed_histogram": sorted(
            Counter(per_person.get(p.person_id, 0) for p in scenario.people).items()
        ),
        "officers": [
            {
                "person_id": p.person_id,
                "name": p.name,
                "base_id": p.base_id,
                "qualifications": sorted({g.name for g in p.qualifications}),
            }
            for p in scenario.people
        ],
        "rotations": [
            {
                "person_id": s.person_id,
                "site_id": s.site_id,
                "start": s.start.isoformat(),
                "end": s.end.isoformat(),
                "periods": s.periods,
                "cost_usd": str(s.cost_usd),
            }
            for s in report.stretches
        ],
        "fairness": [
            {"person_id": p.person_id, "deployed_periods": per_person.get(p.person_id, 0)}
            for p in scenario.people
        ],
        "pins": pin_rows,
    }
