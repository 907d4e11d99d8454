"""Fairness (objective tier 4): the spread of deployed periods across eligible officers.

An officer is eligible if at least one period of the campaign is free of their
unavailable intervals (a period is unavailable if any of its days lies in one, dates
inclusive). The spread is the most minus the fewest periods any eligible officer is
deployed (a period counts once even if the person is listed at two sites), 0 with fewer
than two eligible officers. With weights.fairness 0 (the default) the tier is off and
has no entry; otherwise it is exactly one entry, also when the spread is 0.
"""

from __future__ import annotations

from decimal import Decimal

from surgeplan.checker.ledger import TIER_FAIRNESS, LedgerEntry
from surgeplan.checker.periods import period_end
from surgeplan.checker.plan import Plan
from surgeplan.scenario.model import Scenario

SHOWN_PEOPLE = 3


def eligible(scenario: Scenario, plan: Plan) -> tuple[str, ...]:
    """People (scenario order) available in at least one period of the campaign."""
    out = []
    for p in scenario.people:
        leave = [u for u in scenario.unavailable if u.person_id == p.person_id]
        if any(
            not any(u.start <= period_end(scenario, start) and start <= u.end for u in leave)
            for start in plan.starts
        ):
            out.append(p.person_id)
    return tuple(out)


def _who(people: list[str]) -> str:
    """The first few ids of a list: 'P1, P2, P3 and 2 more'."""
    shown = ", ".join(people[:SHOWN_PEOPLE])
    more = len(people) - SHOWN_PEOPLE
    return f"{shown} and {more} more" if more > 0 else shown


def fairness_entries(scenario: Scenario, plan: Plan) -> tuple[LedgerEntry, ...]:
    """The fairness entry: amount = spread, weight = weights.fairness; none when off."""
    weight = scenario.weights.fairness
    if weight == 0:
        return ()
    unit = f"{scenario.period}s"
    load = {p: sum(plan.deployed(p)) for p in eligible(scenario, plan)}
    if len(load) < 2:
        spread = 0
        scope = (
            f"deployed {unit} per eligible officer: {len(load)} eligible officer"
            f"{'' if len(load) == 1 else 's'}, no spread"
        )
    else:
        high, low = max(load.values()), min(load.values())
        spread = high - low
        most = _who([p for p, n in load.items() if n == high])
        scope = f"deployed {unit} per eligible officer: max {high} ({most}) − min {low}"
    return (
        LedgerEntry(
            TIER_FAIRNESS,
            "fairness",
            scope,
            Decimal(spread),
            Decimal(weight),
            Decimal(spread * weight),
        ),
    )
