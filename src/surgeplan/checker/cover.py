"""Unmet demand (objective tier 1): headcount and skill shortfall, × site priority.

A person counts toward qualification q in a period only if some grant of q is valid on
each day of it; two grants of one name are a union of intervals, so the check is made
day by day rather than trusting any single interval.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from surgeplan.checker.ledger import TIER_SHORTFALL, LedgerEntry
from surgeplan.checker.periods import days, period_end
from surgeplan.checker.plan import Plan
from surgeplan.scenario.model import ANY_QUALIFICATION, Demand, Person, Scenario


def valid_on(person: Person, qualification: str, day: date) -> bool:
    """True if one of the person's grants of `qualification` covers `day`."""
    return any(
        g.name == qualification
        and (g.valid_from is None or g.valid_from <= day)
        and (g.valid_to is None or day <= g.valid_to)
        for g in person.qualifications
    )


def qualified(person: Person, qualification: str, first: date, last: date) -> bool:
    """True if `qualification` is valid on every day from `first` to `last`."""
    return all(valid_on(person, qualification, day) for day in days(first, last))


def counted(scenario: Scenario, plan: Plan, row: Demand) -> int:
    """People at the row's site in its period who count toward its qualification."""
    if row.period_start not in plan.starts:
        return 0
    index = plan.starts.index(row.period_start)
    present = set(plan.present(row.site_id, index))
    if row.qualification == ANY_QUALIFICATION:
        return len(present)
    last = period_end(scenario, row.period_start)
    return sum(
        1
        for p in scenario.people
        if p.person_id in present and qualified(p, row.qualification, row.period_start, last)
    )


def shortfall_entries(scenario: Scenario, plan: Plan) -> tuple[LedgerEntry, ...]:
    """One entry per demand row left short, weighted by site priority × weights.shortfall."""
    priority = {s.site_id: s.priority for s in scenario.sites}
    entries: list[LedgerEntry] = []
    for row in sorted(scenario.demand, key=lambda d: (d.period_start, d.site_id, d.qualification)):
        short = max(0, row.required - counted(scenario, plan, row))
        if short == 0:
            continue
        weight = Decimal(priority[row.site_id] * scenario.weights.shortfall)
        anyone = row.qualification == ANY_QUALIFICATION
        scope = f"site {row.site_id}, {row.period_start}"
        entries.append(
            LedgerEntry(
                TIER_SHORTFALL,
                "cover" if anyone else "skill cover",
                scope if anyone else f"{scope}, {row.qualification}",
                Decimal(short),
                weight,
                Decimal(short) * weight,
                site_id=row.site_id,
                period_start=row.period_start,
            )
        )
    return tuple(entries)
