"""Service functions shared by every interface: plan, check, write. No rules live here.

A plan is always passed through the independent checker before anyone sees it, and the
engine's claimed objective must equal the checker's: a disagreement is a bug and stops
the run rather than publishing numbers nobody can trust.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from surgeplan.checker import check
from surgeplan.checker.ledger import (
    TIER_CHANGES,
    TIER_FAIRNESS,
    TIER_REQUESTS,
    TIER_SHORTFALL,
    Assignment,
    CheckReport,
)
from surgeplan.compile import Replan, compile_replan, decode, encode
from surgeplan.conflict_words import CONFLICT_SECONDS, ConflictText, describe
from surgeplan.engine import ProgressCallback, Result, SolveOptions, Status, solve
from surgeplan.engine.conflicts import conflicts
from surgeplan.explain import Explanation, explain, explanations_csv
from surgeplan.reports.exports import assignments_csv, json_text, rotations_csv, write_atomic
from surgeplan.reports.html import render_report
from surgeplan.reports.impact import impact_csv, impact_rows
from surgeplan.scenario.model import Scenario
from surgeplan.scenario.pins import Pin, freeze_before

BUILTIN = Path(__file__).parent / "data" / "default"
NO_REPLAN = Replan()


class EngineDisagreementError(RuntimeError):
    """The engine's objective differs from the independent checker's: a bug to report."""


@dataclass(frozen=True, slots=True)
class PlanOutcome:
    """A solved and checked plan."""

    scenario: Scenario
    result: Result
    assignments: tuple[Assignment, ...]
    report: CheckReport
    options: SolveOptions
    conflicts: tuple[ConflictText, ...] = ()
    """When the hard rules conflict (status INFEASIBLE): the conflicting sets, in words."""


def usd(cents: int) -> Decimal:
    """Cents as a dollar amount with two decimals."""
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def plan(
    scenario: Scenario,
    options: SolveOptions,
    progress: ProgressCallback | None = None,
    replan: Replan = NO_REPLAN,
    start_from: tuple[Assignment, ...] | None = None,
    conflict_seconds: float = CONFLICT_SECONDS,
    kept_before: date | None = None,
) -> PlanOutcome:
    """Compile, solve, decode and check a scenario (with pins and a previous plan, if any).

    `start_from` is a plan that breaks no hard rule of `scenario` (the plan of a stricter
    variant): the search starts there and never returns worse. When the hard rules
    conflict, up to `conflict_seconds` more find the smallest conflicting sets
    (`conflict_words`; pins before `kept_before` are said to keep the plan in force).
    """
    problem = compile_replan(scenario, replan)
    first = encode(scenario, start_from) if start_from is not None else None
    result = solve(problem, options, progress, first)
    found: tuple[ConflictText, ...] = ()
    if result.status is Status.INFEASIBLE and conflict_seconds > 0:
        found = describe(scenario, replan, conflicts(problem, conflict_seconds), kept_before)
    assignments = decode(scenario, result.solution) if result.solution else ()
    report = check(scenario, assignments, replan.pins, replan.previous)
    if result.objective is not None:
        claimed = (
            Decimal(result.objective.shortfall),
            usd(result.objective.cost),
            Decimal(result.objective.fairness),
            Decimal(result.objective.requests),
            Decimal(result.objective.changes),
        )
        verified = (
            report.shortfall,
            report.cost_usd,
            report.tier_total(TIER_FAIRNESS),
            report.tier_total(TIER_REQUESTS),
            report.tier_total(TIER_CHANGES),
        )
        if claimed != verified:
            raise EngineDisagreementError(
                f"engine claims shortfall {claimed[0]}, cost ${claimed[1]}, fairness "
                f"{claimed[2]}, requests {claimed[3]}, changes {claimed[4]} but the checker "
                f"finds shortfall {verified[0]}, cost ${verified[1]}, fairness {verified[2]}, "
                f"requests {verified[3]}, changes {verified[4]}"
            )
    return PlanOutcome(scenario, result, assignments, report, options, found)


def shortfall_by_site(scenario: Scenario, report: CheckReport) -> dict[str, dict[str, int]]:
    """Per site: officers missing (headcount and skills) and their priority-weighted sum."""
    out = {s.site_id: {"officers": 0, "weighted": 0} for s in scenario.sites}
    for entry in report.ledger:
        if entry.tier == TIER_SHORTFALL and entry.site_id in out:
            out[entry.site_id]["officers"] += int(entry.amount)
            out[entry.site_id]["weighted"] += int(entry.penalty)
    return out


def coverage_by_site(
    scenario: Scenario, assignments: tuple[Assignment, ...]
) -> dict[str, dict[str, int]]:
    """Per site: officer-periods demanded (headcount rows) and deployed."""
    out = {s.site_id: {"required": 0, "deployed": 0} for s in scenario.sites}
    for d in scenario.demand:
        if d.qualification == "*":
            out[d.site_id]["required"] += d.required
    for a in assignments:
        out[a.site_id]["deployed"] += 1
    return out


def soft_tiers(scenario: Scenario, report: CheckReport) -> dict[str, int]:
    """The contract-v1.1 tiers that are on: fairness (weight > 0), requests (any given);
    a v1 scenario's summary stays as it was."""
    tiers = {}
    if scenario.weights.fairness > 0:
        tiers["fairness"] = int(report.tier_total(TIER_FAIRNESS))
    if scenario.requests:
        tiers["requests"] = int(report.tier_total(TIER_REQUESTS))
    return tiers


def summary(outcome: PlanOutcome, reasons: Sequence[Explanation] = ()) -> dict[str, Any]:
    """The contents of summary.json (numbers are the checker's; `reasons` explain shortfalls)."""
    result, report = outcome.result, outcome.report
    by_category: dict[str, Decimal] = defaultdict(Decimal)
    by_site: dict[str, Decimal] = defaultdict(Decimal)
    for s in report.stretches:
        by_category["travel"] += s.travel_usd
        by_category["lodging"] += s.lodging_usd
        by_category["mie"] += s.mie_usd
        by_site[s.site_id] += s.cost_usd
    return {
        "scenario": outcome.scenario.name,
        "status": result.status.value,
        "interrupted": result.interrupted,
        "checked": report.feasible,
        "violations": [f"{v.rule}: {v.scope}: {v.message}" for v in report.violations],
        "objective": {
            "shortfall": int(report.shortfall),
            "cost_usd": str(report.cost_usd),
            **soft_tiers(outcome.scenario, report),
            "changes": int(report.tier_total(TIER_CHANGES)),
        },
        "bound": {"shortfall": result.bound.shortfall, "cost_usd": str(usd(result.bound.cost))},
        "gap_pct": {"shortfall": result.gap_pct("shortfall"), "cost": result.gap_pct("cost")},
        "stage_status": {k: v.value for k, v in result.stage_status.items()},
        "stage_seconds": result.stage_seconds,
        "solve_seconds": round(result.seconds, 3),
        "options": {
            "time_limit": outcome.options.time_limit,
            "workers": outcome.options.workers,
            "seed": outcome.options.seed,
        },
        "shortfall_by_site": shortfall_by_site(outcome.scenario, report),
        "coverage_by_site": coverage_by_site(outcome.scenario, outcome.assignments),
        "cost_usd": str(report.cost_usd),
        "cost_by_category": {k: str(v) for k, v in by_category.items()},
        "cost_by_site": {k: str(v) for k, v in sorted(by_site.items())},
        "explanations": [e.reason for e in explain(outcome.scenario, outcome.assignments, report)],
        "deployed_officers": len({a.person_id for a in outcome.assignments}),
        "officer_periods": len(outcome.assignments),
    }


def write_plan(
    outcome: PlanOutcome, out: Path, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Write assignments.csv, rotations.csv, summary.json (plus `extra` keys),
    explanations.csv and report.html."""
    reasons = explain(outcome.scenario, outcome.assignments, outcome.report)
    data = {**summary(outcome, reasons), **(extra or {})}
    write_atomic(out / "assignments.csv", assignments_csv(outcome.assignments))
    write_atomic(out / "rotations.csv", rotations_csv(outcome.scenario, outcome.report.stretches))
    write_atomic(out / "summary.json", json_text(data))
    write_atomic(out / "explanations.csv", explanations_csv(reasons))
    write_atomic(
        out / "report.html",
        render_report(outcome.scenario, outcome.assignments, outcome.report, data),
    )
    return data


@dataclass(frozen=True, slots=True)
class Moves:
    """How far a plan departs from the plan in force, by the checker's count."""

    officers: int
    """Officers whose assignments differ (they get new orders)."""
    person_periods: int
    shortfall: Decimal
    cost_usd: Decimal

    def as_dict(self) -> dict[str, Any]:
        """The summary.json form."""
        return {
            "officers_with_new_orders": self.officers,
            "person_periods_changed": self.person_periods,
            "shortfall": int(self.shortfall),
            "cost_usd": str(self.cost_usd),
        }


def moves(previous: tuple[Assignment, ...], outcome: PlanOutcome, against: CheckReport) -> Moves:
    """`outcome`'s departure from `previous`; `against` is its plan checked with `previous`
    as the plan in force (changes counted as the checker's tier 6)."""
    changed = {(a.person_id, a.period_start, a.site_id) for a in previous} ^ {
        (a.person_id, a.period_start, a.site_id) for a in outcome.assignments
    }
    return Moves(
        len({person for person, _, _ in changed}),
        int(against.tier_total(TIER_CHANGES)),
        outcome.report.shortfall,
        outcome.report.cost_usd,
    )


@dataclass(frozen=True, slots=True)
class ReplanOutcome:
    """A re-plan, the previous plan it departs from, and its per-officer impact.

    `fresh` (when asked for) is how far a plan of the changed scenario made from scratch,
    in the same time, would have departed: the measure of what minimal change saves.
    """

    outcome: PlanOutcome
    previous: tuple[Assignment, ...]
    impact: list[tuple[object, ...]]
    moved: Moves
    fresh: Moves | None = None


def replan(
    scenario: Scenario,
    previous: tuple[Assignment, ...],
    since: date,
    options: SolveOptions,
    pins: tuple[Pin, ...] = (),
    max_changes: int | None = None,
    progress: ProgressCallback | None = None,
    compare_fresh: bool = False,
) -> ReplanOutcome:
    """Re-plan from `since`: the past frozen as in `previous`, the rest changed least.

    With `compare_fresh`, the changed scenario is also planned from scratch with the same
    options, to measure how many officers the re-plan spared new orders."""
    frozen = freeze_before(
        scenario, [(a.person_id, a.site_id, a.period_start) for a in previous], since
    )
    taken = {(p.person_id, p.period_start) for p in frozen}
    own = tuple(p for p in pins if (p.person_id, p.period_start) not in taken)
    outcome = plan(
        scenario,
        options,
        progress,
        Replan(frozen + own, previous, max_changes),
        kept_before=since,
    )
    rows = impact_rows(
        scenario, previous, outcome.assignments, check(scenario, previous), outcome.report
    )
    fresh = None
    if compare_fresh:
        scratch = plan(scenario, options)
        fresh = moves(previous, scratch, check(scenario, scratch.assignments, (), previous))
    moved = moves(previous, outcome, outcome.report)  # checked with `previous` by `plan`
    return ReplanOutcome(outcome, previous, rows, moved, fresh)


def write_replan(result: ReplanOutcome, out: Path) -> dict[str, Any]:
    """The plan files (summary.json says how far it moved, and a fresh plan would have)
    plus impact.csv."""
    extra = {"moved": result.moved.as_dict()}
    if result.fresh is not None:
        extra["fresh_plan_moved"] = result.fresh.as_dict()
    data = write_plan(result.outcome, out, extra)
    write_atomic(out / "impact.csv", impact_csv(result.impact))
    return data
