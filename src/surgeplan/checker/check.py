"""Check a plan against its scenario: hard-rule violations and the objective ledger.

This is the independent recomputation of DESIGN.md §3: it imports only the scenario
(names, dates, money) and its own modules, never the engine, so that a plan from any
tool — ours included — is judged by the contract alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from surgeplan.checker.changes import change_entries, pin_violations
from surgeplan.checker.costs import cost_entries, stretches
from surgeplan.checker.cover import shortfall_entries
from surgeplan.checker.fairness import fairness_entries
from surgeplan.checker.ledger import Assignment, CheckReport, Stretch, Violation
from surgeplan.checker.plan import plan_of
from surgeplan.checker.rules import person_rules
from surgeplan.checker.wishes import request_entries
from surgeplan.scenario.model import Scenario
from surgeplan.scenario.pins import Pin


def check(
    scenario: Scenario,
    assignments: Sequence[Assignment],
    pins: Sequence[Pin] = (),
    previous: Sequence[Assignment] | None = None,
    change_weight: int = 1,
) -> CheckReport:
    """Recompute every v1 hard rule and the shortfall, cost, fairness and request tiers
    of a plan; with `pins`, the pinned cells; with a `previous` plan, the change tier.
    The ledger lists the tiers in their order (DESIGN.md §4).

    Raises
    ------
    InputError
        If an assignment names a person, site or period the scenario does not have.
    """
    plan = plan_of(scenario, assignments)
    priced = stretches(scenario, plan)
    violations = (
        *person_rules(scenario, plan),
        *budget(scenario, priced),
        *pin_violations(assignments, pins),
    )
    ledger = (
        *shortfall_entries(scenario, plan),
        *cost_entries(scenario, priced),
        *fairness_entries(scenario, plan),
        *request_entries(scenario, plan),
    )
    if previous is not None:
        ledger += tuple(change_entries(assignments, previous, change_weight))
    return CheckReport(violations, ledger, priced)


def budget(scenario: Scenario, priced: Sequence[Stretch]) -> tuple[Violation, ...]:
    """Total cost above rules.budget_usd (a hard cap in v1, compared exactly)."""
    cap = scenario.rules.budget_usd
    total = sum((s.cost_usd for s in priced), Decimal(0))
    if cap is None or total <= cap:
        return ()
    return (
        Violation(
            "budget",
            "campaign",
            f"the plan costs ${total:,.2f}, ${total - cap:,.2f} over the budget of "
            f"${cap:,.2f}; deploy fewer people or shorter rotations",
        ),
    )
