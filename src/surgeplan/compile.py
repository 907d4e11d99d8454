"""Compile a scenario (names, dates, dollars) into a Problem (indices, cents), and back.

The only place where the calendar meets the solver: periods become indices, per diem
tables become per-period cost arrays, qualification intervals become per-period skill
sets. `decode` turns a solution back into contract-form assignments.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from surgeplan.checker.ledger import Assignment
from surgeplan.problem import (
    ANY_ACTIVITY,
    ANYONE,
    HOME,
    Activity,
    Costs,
    Cover,
    Group,
    Person,
    PinnedCell,
    Problem,
    Request,
    RunLimits,
)
from surgeplan.scenario.model import ANY_QUALIFICATION, ANY_SITE, Scenario
from surgeplan.scenario.pins import Pin
from surgeplan.solution import Solution


def cents(amount: Decimal) -> int:
    """Whole cents of an amount already validated to two decimals."""
    return int(amount * 100)


def three_quarters(cents_per_day: int) -> int:
    """75% of a day's M&IE, rounded half up to the cent (README: 'Money')."""
    return (3 * cents_per_day + 2) // 4


@dataclass(frozen=True, slots=True)
class Calendar:
    """Periods of a campaign as dates."""

    starts: tuple[date, ...]
    days: int

    def days_of(self, period: int) -> Iterator[date]:
        """Every day of a period."""
        first = self.starts[period]
        return (first + timedelta(days=k) for k in range(self.days))

    def last_day(self, period: int) -> date:
        """Last day of a period (inclusive)."""
        return self.starts[period] + timedelta(days=self.days - 1)


def calendar_of(scenario: Scenario) -> Calendar:
    """The campaign's periods."""
    return Calendar(scenario.period_starts(), scenario.period_days)


def _costs(scenario: Scenario, cal: Calendar) -> Costs | None:
    if scenario.per_diem is None and scenario.travel is None:
        return None
    sites = [s.site_id for s in scenario.sites]
    rates = {
        (r.site_id, r.month): (cents(r.lodging_usd), cents(r.mie_usd))
        for r in scenario.per_diem or ()
    }
    fares = {(f.base_id, f.site_id): cents(f.round_trip_usd) for f in scenario.travel or ()}
    T = len(cal.starts)

    def rate(site: str, day: date) -> tuple[int, int]:
        return rates.get((site, day.strftime("%Y-%m")), (0, 0))

    period, first, last, single = [], [], [], []
    for site in sites:
        period.append(tuple(sum(sum(rate(site, day)) for day in cal.days_of(t)) for t in range(T)))
        first.append(
            tuple(
                three_quarters(rate(site, cal.starts[t])[1]) - rate(site, cal.starts[t])[1]
                for t in range(T)
            )
        )
        ends = [rate(site, cal.last_day(t)) for t in range(T)]
        last.append(tuple(three_quarters(mie) - mie - lodging for lodging, mie in ends))
        single.append(tuple(mie - three_quarters(mie) for _, mie in ends))
    return Costs(
        fare=tuple(tuple(fares.get((b.base_id, s), 0) for s in sites) for b in scenario.bases),
        period=tuple(period),
        first=tuple(first),
        last=tuple(last),
        single=tuple(single) if cal.days == 1 else None,
    )


def compile_scenario(scenario: Scenario) -> Problem:
    """Resolve names to indices and money to cents; the scenario must be validated."""
    cal = calendar_of(scenario)
    T = len(cal.starts)
    period_of = {start: t for t, start in enumerate(cal.starts)}
    site_index = {s.site_id: a for a, s in enumerate(scenario.sites)}
    base_index = {b.base_id: g for g, b in enumerate(scenario.bases)}
    skills = tuple(sorted({d.qualification for d in scenario.demand} - {ANY_QUALIFICATION}))
    rules = scenario.rules
    limits = RunLimits(rules.rotation_min, rules.rotation_max, rules.rest_min, rules.deployed_max)
    leave = scenario.leave_periods()
    people = tuple(
        Person(
            name=p.person_id,
            group=base_index[p.base_id],
            unavailable=leave.get(p.person_id, frozenset()),
            skills=tuple(
                frozenset(
                    k for k, q in enumerate(skills) if p.holds(q, cal.starts[t], cal.last_day(t))
                )
                for t in range(T)
            ),
            limits=limits,
        )
        for p in scenario.people
    )
    priority = {s.site_id: s.priority for s in scenario.sites}
    covers = tuple(
        Cover(
            period=period_of[d.period_start],
            activity=site_index[d.site_id],
            skill=ANYONE if d.qualification == ANY_QUALIFICATION else skills.index(d.qualification),
            required=d.required,
            weight=priority[d.site_id] * scenario.weights.shortfall,
        )
        for d in scenario.demand
        if d.required > 0
    )
    person_index = {p.person_id: i for i, p in enumerate(scenario.people)}
    requests = tuple(
        Request(
            person=person_index[r.person_id],
            period=period_of[r.period_start],
            activity=ANY_ACTIVITY if r.site_id == ANY_SITE else site_index[r.site_id],
            on=r.kind == "on",
            weight=r.weight * scenario.weights.requests,
        )
        for r in scenario.requests
    )
    return Problem(
        num_periods=T,
        people=people,
        activities=tuple(Activity(s.site_id) for s in scenario.sites),
        groups=tuple(Group(b.base_id, b.max_away) for b in scenario.bases),
        skills=skills,
        covers=covers,
        costs=_costs(scenario, cal),
        same_activity_runs=rules.same_site_only,
        budget=None if rules.budget_usd is None else cents(rules.budget_usd),
        cost_weight=scenario.weights.cost,
        period_labels=tuple(d.isoformat() for d in cal.starts),
        requests=requests,
        fairness_weight=scenario.weights.fairness,
    )


@dataclass(frozen=True, slots=True)
class Replan:
    """What a re-plan adds to a scenario: pinned cells, the previous plan, a change cap."""

    pins: tuple[Pin, ...] = ()
    previous: tuple[Assignment, ...] | None = None
    max_changes: int | None = None


def compile_replan(scenario: Scenario, replan: Replan) -> Problem:
    """The scenario's problem with pins, the previous plan and the change cap added."""
    problem = compile_scenario(scenario)
    person = {p.person_id: i for i, p in enumerate(scenario.people)}
    site = {s.site_id: a for a, s in enumerate(scenario.sites)}
    period = {d: t for t, d in enumerate(scenario.period_starts())}
    pins = tuple(
        PinnedCell(person[p.person_id], period[p.period_start], HOME if p.home else site[p.site_id])
        for p in replan.pins
    )
    previous = None
    if replan.previous is not None:
        previous = encode(scenario, replan.previous).activity
    return replace(problem, pins=pins, previous=previous, max_changes=replan.max_changes)


def decode(scenario: Scenario, solution: Solution) -> tuple[Assignment, ...]:
    """Contract-form assignments (one per person and deployed period) of a solution."""
    cal = calendar_of(scenario)
    return tuple(
        Assignment(
            person_id=scenario.people[p].person_id,
            site_id=scenario.sites[a].site_id,
            period_start=cal.starts[t],
            period_end=cal.last_day(t),
        )
        for p, row in enumerate(solution.activity)
        for t, a in enumerate(row)
        if a >= 0
    )


def encode(scenario: Scenario, assignments: tuple[Assignment, ...]) -> Solution:
    """The solution matrix of contract-form assignments (the inverse of `decode`).

    Used for warm starts and pins; a person-period given twice keeps the last row.
    """
    starts = {d: t for t, d in enumerate(scenario.period_starts())}
    person = {p.person_id: i for i, p in enumerate(scenario.people)}
    site = {s.site_id: a for a, s in enumerate(scenario.sites)}
    grid = [[-1] * len(starts) for _ in scenario.people]
    for row in assignments:
        grid[person[row.person_id]][starts[row.period_start]] = site[row.site_id]
    return Solution(tuple(tuple(r) for r in grid))
