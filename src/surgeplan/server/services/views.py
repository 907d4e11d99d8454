"""What the web workspace draws for a plan: one JSON document per plan, cut by role.

Built once per plan (plans never change) from the stored files and the independent
checker's report; officer-level parts are removed for viewers and limited to their own
sites for site leads. Aggregates (coverage, flows, costs) are for everyone who may read
summaries.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from functools import lru_cache
from typing import Any

from surgeplan.checker import check
from surgeplan.checker.ledger import TIER_SHORTFALL
from surgeplan.explain import explain
from surgeplan.scenario.model import ANY_QUALIFICATION
from surgeplan.server.policy import Actor, Can
from surgeplan.server.services.plans import get_plan, plan_inputs
from surgeplan.server.services.scenarios import PINS
from surgeplan.server.store import Store

NAMED = ("officers", "rotations", "fairness", "pins")
"""Parts that name officers."""


@lru_cache(maxsize=16)
def _build(store: Store, plan_id: int) -> dict[str, Any]:
    with store.read() as uow:
        scenario, assignments = plan_inputs(uow, plan_id)
        plan = uow.plans.get(plan_id)
        assert plan is not None
        pins_text = uow.scenarios.files(plan.version_id).get(PINS, "")
    report = check(scenario, assignments)
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
    pins = [
        dict(zip(("person_id", "period_start", "site_id"), line.split(","), strict=False))
        for line in pins_text.splitlines()[1:]
        if line.strip()
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
        "pins": pins,
    }


def plan_view(store: Store, actor: Actor, plan_id: int) -> dict[str, Any]:
    """The plan's view for this actor: aggregates for all, officers as the role allows."""
    header = get_plan(store, actor, plan_id)
    view = {**_build(store, plan_id), "plan": header, "names_hidden": False}
    if not actor.can(Can.READ_NAMES):
        return {**view, **{key: [] for key in NAMED}, "names_hidden": True}
    if actor.scoped:
        rotations = [r for r in view["rotations"] if actor.sees_site(r["site_id"])]
        people = {r["person_id"] for r in rotations}
        view["rotations"] = rotations
        view["officers"] = [o for o in view["officers"] if o["person_id"] in people]
        view["fairness"] = [f for f in view["fairness"] if f["person_id"] in people]
        view["pins"] = [p for p in view["pins"] if actor.sees_site(p.get("site_id", ""))]
    return view
