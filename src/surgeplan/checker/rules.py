"""Hard rules of contract v1 about people and bases, recomputed from the plan grid.

Each function returns the violations of one rule family in planner words; `check()`
lists them in the order of `HARD_RULES`.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from surgeplan.checker.ledger import Violation
from surgeplan.checker.periods import period_end, span, when
from surgeplan.checker.plan import Plan, Run
from surgeplan.scenario.model import Scenario, Unavailable

HARD_RULES = (
    "one-activity",
    "unavailable",
    "rotation_min",
    "rotation_max",
    "rest_min",
    "deployed_max",
    "same_site_only",
    "max_away",
    "budget",
    "pin",
)


def _at(person_id: str, start: date) -> str:
    return f"person {person_id}, {start}"


def _between(scenario: Scenario, plan: Plan, person_id: str, run: Run) -> str:
    """Scope of a run of periods: 'person P1, 2020-02-03 to 2020-02-16'."""
    last = period_end(scenario, plan.starts[run.last])
    return f"person {person_id}, {plan.starts[run.first]} to {last}"


def one_activity(scenario: Scenario, plan: Plan) -> tuple[Violation, ...]:
    """A person is listed more than once in a period (two sites, or one row twice)."""
    found = []
    for person_id, row in plan.listed.items():
        for start, listing in zip(plan.starts, row, strict=True):
            if len(listing) > 1:
                found.append(
                    Violation(
                        "one-activity",
                        _at(person_id, start),
                        f"{person_id} is listed {len(listing)} times in {when(scenario, start)} "
                        f"({', '.join(listing)}); a person is at one site or home per "
                        f"{scenario.period}: keep one row",
                    )
                )
    return tuple(found)


def unavailable(scenario: Scenario, plan: Plan) -> tuple[Violation, ...]:
    """A person is deployed in a period that touches one of their unavailable intervals."""
    leave: dict[str, list[Unavailable]] = {}
    for interval in scenario.unavailable:
        leave.setdefault(interval.person_id, []).append(interval)
    found = []
    for person_id, row in plan.listed.items():
        intervals = leave.get(person_id, [])
        for start, listing in zip(plan.starts, row, strict=True):
            last = period_end(scenario, start)
            clashes = [u for u in intervals if u.start <= last and start <= u.end]
            if listing and clashes:
                dates = ", ".join(f"{u.start} to {u.end}" for u in clashes)
                found.append(
                    Violation(
                        "unavailable",
                        _at(person_id, start),
                        f"{person_id} is deployed to {', '.join(sorted(set(listing)))} in "
                        f"{when(scenario, start)} but is unavailable {dates}; "
                        "send someone else or move the leave",
                    )
                )
    return tuple(found)


def rotation_length(scenario: Scenario, plan: Plan) -> tuple[Violation, ...]:
    """Rotations shorter than rotation_min or longer than rotation_max (cut ones too)."""
    low, high = scenario.rules.rotation_min, scenario.rules.rotation_max
    found = []
    for person_id in plan.listed:
        for run in plan.rotations(person_id):
            scope = _between(scenario, plan, person_id, run)
            cut = _cut(plan, run)
            if run.length < low:
                found.append(
                    Violation(
                        "rotation_min",
                        scope,
                        f"{person_id}'s rotation lasts {span(scenario, run.length)}{cut}; "
                        f"rotations last at least {span(scenario, low)}",
                    )
                )
            if high is not None and run.length > high:
                found.append(
                    Violation(
                        "rotation_max",
                        scope,
                        f"{person_id}'s rotation lasts {span(scenario, run.length)}{cut}; "
                        f"rotations last at most {span(scenario, high)}",
                    )
                )
    return tuple(sorted(found, key=lambda v: HARD_RULES.index(v.rule)))


def _cut(plan: Plan, run: Run) -> str:
    """Why a rotation may look short: the campaign's start or end cuts it (still checked)."""
    if run.first == 0 and run.last == len(plan.starts) - 1:
        return " (the whole campaign)"
    if run.first == 0:
        return " (from the campaign's start)"
    if run.last == len(plan.starts) - 1:
        return " (up to the campaign's end)"
    return ""


def rest(scenario: Scenario, plan: Plan) -> tuple[Violation, ...]:
    """Home gaps between two rotations shorter than rest_min (not before or after all)."""
    need = scenario.rules.rest_min
    found = []
    for person_id in plan.listed:
        rotations = plan.rotations(person_id)
        for before, after in pairwise(rotations):
            gap = Run(before.last + 1, after.first - 1)
            if gap.length < need:
                found.append(
                    Violation(
                        "rest_min",
                        _between(scenario, plan, person_id, gap),
                        f"{person_id} is home for only {span(scenario, gap.length)} between "
                        f"rotations; rest at home lasts at least {span(scenario, need)}",
                    )
                )
    return tuple(found)


def deployed_max(scenario: Scenario, plan: Plan) -> tuple[Violation, ...]:
    """People deployed more periods in the campaign than deployed_max."""
    cap = scenario.rules.deployed_max
    if cap is None:
        return ()
    found = []
    for person_id in plan.listed:
        total = sum(plan.deployed(person_id))
        if total > cap:
            found.append(
                Violation(
                    "deployed_max",
                    f"person {person_id}",
                    f"{person_id} is deployed {span(scenario, total)} in the campaign; "
                    f"the most allowed is {span(scenario, cap)}",
                )
            )
    return tuple(found)


def same_site(scenario: Scenario, plan: Plan) -> tuple[Violation, ...]:
    """With same_site_only, a rotation that visits more than one site."""
    if not scenario.rules.same_site_only:
        return ()
    found = []
    for person_id in plan.listed:
        row = plan.listed[person_id]
        for run in plan.rotations(person_id):
            listed = (s for index in range(run.first, run.last + 1) for s in row[index])
            visited = list(dict.fromkeys(listed))  # distinct sites, in order of visit
            if len(visited) > 1:
                found.append(
                    Violation(
                        "same_site_only",
                        _between(scenario, plan, person_id, run),
                        f"{person_id}'s rotation goes to {' then '.join(visited)} without a "
                        "home period between; a rotation stays at one site (same_site_only)",
                    )
                )
    return tuple(found)


def max_away(scenario: Scenario, plan: Plan) -> tuple[Violation, ...]:
    """Bases with more of their people deployed in one period than max_away."""
    found = []
    for base in scenario.bases:
        if base.max_away is None:
            continue
        members = [p.person_id for p in scenario.people if p.base_id == base.base_id]
        for index, start in enumerate(plan.starts):
            away = [p for p in members if plan.listed[p][index]]
            if len(away) > base.max_away:
                found.append(
                    Violation(
                        "max_away",
                        f"base {base.base_id}, {start}",
                        f"{len(away)} people of base {base.base_id} are deployed in "
                        f"{when(scenario, start)} ({', '.join(away)}); the base can release "
                        f"at most {base.max_away}",
                    )
                )
    return tuple(found)


def person_rules(scenario: Scenario, plan: Plan) -> tuple[Violation, ...]:
    """Every plan-shape rule, in the order of HARD_RULES (budget is priced elsewhere)."""
    return (
        *one_activity(scenario, plan),
        *unavailable(scenario, plan),
        *rotation_length(scenario, plan),
        *rest(scenario, plan),
        *deployed_max(scenario, plan),
        *same_site(scenario, plan),
        *max_away(scenario, plan),
    )
