"""Relaxation advice: what would it take to meet more demand, each option re-solved.

Every candidate relaxes one rule by one step (or adds one officer) in a copy of the
scenario, and is solved and checked like any plan, in parallel processes within the
time given to each. Nothing is estimated: the shortfall and cost of every line are the
checker's figures for a real plan. Every candidate starts from the baseline's plan, which a
relaxation keeps valid, so no option reads worse than doing nothing; with time-limited
solves the gains are those found in the time given, a lower bound on what is possible.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from surgeplan.checker.ledger import Assignment
from surgeplan.compile import compile_scenario
from surgeplan.engine import SolveOptions
from surgeplan.engine.bounds import shortfall_bound
from surgeplan.executor import Executor
from surgeplan.reports.exports import csv_text
from surgeplan.scenario.model import Person, Scenario
from surgeplan.service import plan

ADVICE_COLUMNS = ("rank", "change", "shortfall_before", "shortfall_after", "cost_delta_usd")


@dataclass(frozen=True, slots=True)
class Option:
    """One evaluated change."""

    change: str
    shortfall: Decimal
    cost_usd: Decimal
    floor: int = 0
    """The variant's capacity floor: no plan of it can be short by less (engine/bounds)."""


def candidates(scenario: Scenario) -> list[tuple[str, Scenario]]:
    """One-step relaxations of the rules, and one more officer of the cheapest kind."""
    rules = scenario.rules
    steps: list[tuple[str, dict[str, object]]] = []
    if rules.rotation_max is not None:
        steps.append(
            (
                f"rotation_max {rules.rotation_max} → {rules.rotation_max + 1}",
                {"rotation_max": rules.rotation_max + 1},
            )
        )
    if rules.rest_min > 0:
        steps.append(
            (f"rest_min {rules.rest_min} → {rules.rest_min - 1}", {"rest_min": rules.rest_min - 1})
        )
    if rules.deployed_max is not None:
        steps.append(
            (
                f"deployed_max {rules.deployed_max} → {rules.deployed_max + 1}",
                {"deployed_max": rules.deployed_max + 1},
            )
        )
    if rules.rotation_min > 1:
        steps.append(
            (
                f"rotation_min {rules.rotation_min} → {rules.rotation_min - 1}",
                {"rotation_min": rules.rotation_min - 1},
            )
        )
    if rules.budget_usd is not None:
        more = (rules.budget_usd * Decimal("1.1")).quantize(Decimal("0.01"))
        steps.append((f"budget ${rules.budget_usd:,} → ${more:,}", {"budget_usd": more}))
    out = [
        (label, scenario.model_copy(update={"rules": rules.model_copy(update=change)}))
        for label, change in steps
    ]
    for index, base in enumerate(scenario.bases):
        if base.max_away is not None:
            bases = list(scenario.bases)
            bases[index] = base.model_copy(update={"max_away": base.max_away + 1})
            out.append(
                (
                    f"{base.name}: max_away {base.max_away} → {base.max_away + 1}",
                    scenario.model_copy(update={"bases": tuple(bases)}),
                )
            )
    extra = _cheapest_officer(scenario)
    if extra is not None:
        added = extra.model_copy(update={"person_id": "ADDED1", "name": "Added officer"})
        out.append(
            (
                f"one more officer like {extra.person_id} ({extra.base_id})",
                scenario.model_copy(update={"people": (*scenario.people, added)}),
            )
        )
    return out


def _cheapest_officer(scenario: Scenario) -> Person | None:
    """The most qualified officer of the base with the lowest mean fare (first if no fares)."""
    if not scenario.people:
        return None
    fares: dict[str, list[Decimal]] = {}
    for fare in scenario.travel or ():
        fares.setdefault(fare.base_id, []).append(fare.round_trip_usd)

    def key(person: Person) -> tuple[Decimal, int]:
        own = fares.get(person.base_id, [])
        mean = sum(own, Decimal(0)) / max(len(own), 1)
        return mean, -len(person.qualifications)

    return min(scenario.people, key=key)


def _floor(scenario: Scenario) -> int:
    return shortfall_bound(compile_scenario(scenario))


def _solve(task: tuple[Scenario, SolveOptions, tuple[Assignment, ...]]) -> tuple[Decimal, Decimal]:
    scenario, options, start = task
    outcome = plan(scenario, options, start_from=start)
    return outcome.report.shortfall, outcome.report.cost_usd


def advise(
    scenario: Scenario,
    options: SolveOptions,
    executor: Executor,
    on_done: Callable[[str], None] | None = None,
    baseline_options: SolveOptions | None = None,
) -> tuple[Option, list[Option]]:
    """The baseline (here, with `baseline_options`, default `options`), then every
    candidate started from the baseline's plan (a relaxation keeps it valid, so no option
    reads worse than doing nothing) on `executor`. Ties in the shortfall found are broken
    by each variant's capacity floor.

    Give the baseline more time than a candidate: a candidate starts where the baseline
    ended, so what the baseline leaves unfound is noise in every line of the advice."""
    baseline = plan(scenario, baseline_options or options)
    base = Option(
        "no change", baseline.report.shortfall, baseline.report.cost_usd, _floor(scenario)
    )
    if on_done is not None:
        on_done("no change")
    variants = candidates(scenario)
    results: dict[str, tuple[Decimal, Decimal]] = {}
    tasks = [(variant, options, baseline.assignments) for _, variant in variants]
    for index, found in executor.run(_solve, tasks):
        label = variants[index][0]
        results[label] = found
        if on_done is not None:
            on_done(label)
    options_found = [Option(label, *results[label], _floor(variant)) for label, variant in variants]
    options_found.sort(key=lambda o: (o.shortfall, o.floor, o.cost_usd))
    return base, options_found


def advice_csv(base: Option, found: list[Option]) -> str:
    """advice.csv: rank,change,shortfall_before,shortfall_after,cost_delta_usd."""
    return csv_text(
        ADVICE_COLUMNS,
        (
            (rank, o.change, base.shortfall, o.shortfall, o.cost_usd - base.cost_usd)
            for rank, o in enumerate(found, start=1)
        ),
    )
