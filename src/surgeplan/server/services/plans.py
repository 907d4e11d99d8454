"""Plans: store a checked outcome, read it by role, compare two, check an upload.

Numbers come from the independent checker, as everywhere in surgeplan. A viewer gets
totals only; a site lead gets the rows of their own sites.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from surgeplan.checker import check
from surgeplan.checker.ledger import TIER_CHANGES, Assignment, CheckReport, LedgerEntry
from surgeplan.checker.read import parse_assignments
from surgeplan.reports.diff import diff_plans
from surgeplan.reports.exports import assignments_csv
from surgeplan.reports.impact import IMPACT_COLUMNS, impact_csv
from surgeplan.reports.view import plan_view
from surgeplan.scenario.errors import InputError
from surgeplan.scenario.model import Scenario
from surgeplan.scenario.pins import Pin
from surgeplan.server import orm
from surgeplan.server.clock import iso, now
from surgeplan.server.errors import InvalidError, NotFoundError
from surgeplan.server.policy import Actor, Can
from surgeplan.server.repository import UnitOfWork
from surgeplan.server.services.accounts import require
from surgeplan.server.services.scenarios import (
    current_version,
    decode_upload,
    filter_rows,
    issues_detail,
    scenario_of,
)
from surgeplan.server.store import Store
from surgeplan.service import PlanOutcome, ReplanOutcome, summary

NAMED_SUMMARY_KEYS = ("violations",)
"""Summary fields that can name officers (hidden from viewers)."""


def ledger_rows(report: CheckReport) -> list[dict[str, Any]]:
    """The checker's ledger as JSON rows."""
    return [_entry(e) for e in report.ledger]


def _entry(e: LedgerEntry) -> dict[str, Any]:
    return {
        "tier": e.tier,
        "rule": e.rule,
        "scope": e.scope,
        "amount": str(e.amount),
        "weight": str(e.weight),
        "penalty": str(e.penalty),
        "site_id": e.site_id,
        "person_id": e.person_id,
        "period_start": e.period_start.isoformat() if e.period_start else None,
    }


def store_outcome(
    uow: UnitOfWork,
    job: orm.Job,
    outcome: PlanOutcome,
    replanned: ReplanOutcome | None,
    actor_name: str,
    pins: Sequence[Pin] = (),
) -> orm.Plan:
    """Persist a solved, checked plan for `job` (in the caller's transaction) and audit it."""
    data = summary(outcome)
    report = outcome.report
    view = plan_view(outcome.scenario, outcome.assignments, report, pins)
    plan = uow.plans.add(
        orm.Plan(
            scenario_id=job.scenario_id,
            version_id=job.version_id,
            job_id=job.id,
            previous_plan_id=job.base_plan_id,
            status=outcome.result.status.value,
            shortfall=int(report.shortfall),
            cost_usd=str(report.cost_usd),
            summary=data,
            ledger=ledger_rows(report),
            assignments_sha256=uow.blobs.put(assignments_csv(outcome.assignments)),
            impact_sha256=uow.blobs.put(impact_csv(replanned.impact)) if replanned else None,
            view_sha256=uow.blobs.put(json.dumps(view, separators=(",", ":"))),
            created_by=job.created_by,
            created_at=now(),
        )
    )
    uow.audit.append(
        actor_name,
        "plan.create",
        f"plan:{plan.id}",
        None,
        {
            "job": job.id,
            "scenario": job.scenario_id,
            "version_id": job.version_id,
            "status": plan.status,
            "shortfall": plan.shortfall,
            "cost_usd": plan.cost_usd,
            "changes": int(report.tier_total(TIER_CHANGES)),
        },
    )
    return plan


def _plan(uow: UnitOfWork, plan_id: int) -> orm.Plan:
    plan = uow.plans.get(plan_id)
    if plan is None:
        raise NotFoundError(f"no plan {plan_id}")
    return plan


def _header(uow: UnitOfWork, plan: orm.Plan) -> dict[str, Any]:
    version = uow.scenarios.version_by_id(plan.version_id)
    scenario = uow.scenarios.get(plan.scenario_id)
    return {
        "accepted": scenario is not None and scenario.accepted_plan_id == plan.id,
        "id": plan.id,
        "scenario_id": plan.scenario_id,
        "scenario_version": version.number if version else None,
        "job_id": plan.job_id,
        "previous_plan_id": plan.previous_plan_id,
        "status": plan.status,
        "shortfall": plan.shortfall,
        "cost_usd": plan.cost_usd,
        "created_at": iso(plan.created_at),
    }


def list_plans(store: Store, actor: Actor, scenario_id: int | None) -> list[dict[str, Any]]:
    """Plans with their totals, newest first."""
    require(actor, Can.READ_SUMMARY)
    with store.read() as uow:
        return [_header(uow, p) for p in uow.plans.list(scenario_id)]


def get_plan(store: Store, actor: Actor, plan_id: int) -> dict[str, Any]:
    """A plan's header and summary; viewers and site leads get no officer-level fields."""
    require(actor, Can.READ_SUMMARY)
    with store.read() as uow:
        plan = _plan(uow, plan_id)
        data = dict(plan.summary)
        if not actor.can(Can.READ_NAMES) or actor.scoped:
            for key in NAMED_SUMMARY_KEYS:
                data.pop(key, None)
        return {**_header(uow, plan), "summary": data}


def plan_assignments(store: Store, actor: Actor, plan_id: int) -> str:
    """assignments.csv of a plan (a site lead's own sites only)."""
    require(actor, Can.READ_NAMES)
    with store.read() as uow:
        text = uow.blobs.get(_plan(uow, plan_id).assignments_sha256)
    return filter_rows(text, actor.sites, "site_id") if actor.scoped else text


def plan_ledger(store: Store, actor: Actor, plan_id: int) -> list[dict[str, Any]]:
    """The objective ledger (a site lead's own sites only)."""
    require(actor, Can.READ_NAMES)
    with store.read() as uow:
        rows = _plan(uow, plan_id).ledger
    return [r for r in rows if actor.sees_site(r.get("site_id") or "")] if actor.scoped else rows


def plan_impact(store: Store, actor: Actor, plan_id: int) -> str:
    """impact.csv of a re-plan (header only for a plan from scratch)."""
    require(actor, Can.SOLVE)
    with store.read() as uow:
        plan = _plan(uow, plan_id)
        if plan.impact_sha256 is None:
            return ",".join(IMPACT_COLUMNS) + "\n"
        return uow.blobs.get(plan.impact_sha256)


def _loaded(uow: UnitOfWork, plan: orm.Plan) -> tuple[Scenario, tuple[Assignment, ...]]:
    scenario = scenario_of(uow, plan.version_id)
    text = uow.blobs.get(plan.assignments_sha256)
    return scenario, parse_assignments(text, "assignments.csv", scenario)


def plan_inputs(uow: UnitOfWork, plan_id: int) -> tuple[Scenario, tuple[Assignment, ...]]:
    """A stored plan's scenario and assignments (for re-planning from it)."""
    return _loaded(uow, _plan(uow, plan_id))


def compare_plans(store: Store, actor: Actor, a_id: int, b_id: int) -> dict[str, Any]:
    """Plan B against plan A, both judged under B's scenario version."""
    require(actor, Can.SOLVE)
    with store.read() as uow:
        a, b = _plan(uow, a_id), _plan(uow, b_id)
        if a.scenario_id != b.scenario_id:
            raise InvalidError(f"plans {a_id} and {b_id} belong to different scenarios")
        scenario, plan_b = _loaded(uow, b)
        plan_a = parse_assignments(uow.blobs.get(a.assignments_sha256), "a.csv", scenario)
    diff = diff_plans(scenario, plan_a, plan_b, check(scenario, plan_a), check(scenario, plan_b))
    return {
        "a": a_id,
        "b": b_id,
        "officers": [
            dict(zip(IMPACT_COLUMNS, (str(v) for v in row), strict=True)) for row in diff.officers
        ],
        "sites": [{"site_id": s, "a": x, "b": y} for s, x, y in diff.sites],
        "tiers": [{"tier": t, "a": str(x), "b": str(y)} for t, x, y in diff.tiers],
        "violations": {"a": diff.violations[0], "b": diff.violations[1]},
    }


def check_upload(
    store: Store, actor: Actor, scenario_id: int, filename: str, data: bytes
) -> dict[str, Any]:
    """Check an uploaded assignments.csv against the scenario's current version."""
    require(actor, Can.SOLVE)
    text = decode_upload(filename, data)
    with store.read() as uow:
        _, version = current_version(uow, scenario_id)
        scenario = scenario_of(uow, version.id)
    try:
        plan = parse_assignments(text, filename, scenario)
    except InputError as error:
        raise InvalidError(str(error.issues[0]), issues_detail(error)) from None
    report = check(scenario, plan)
    return {
        "feasible": report.feasible,
        "violations": [
            {"rule": v.rule, "scope": v.scope, "message": v.message} for v in report.violations
        ],
        "shortfall": int(report.shortfall),
        "cost_usd": str(report.cost_usd),
        "ledger": ledger_rows(report),
    }


def parse_since(text: str, scenario: Scenario) -> date:
    """A re-plan date: ISO, within the campaign."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidError(f"from {text!r} is not a date; write YYYY-MM-DD") from None
    if not scenario.start <= day <= scenario.end:
        raise InvalidError(
            f"from {day} is outside the campaign ({scenario.start} to {scenario.end})"
        )
    return day


def accept_plan(store: Store, actor: Actor, plan_id: int) -> dict[str, Any]:
    """Make a plan the one the team works to (after reviewing its impact); audited."""
    require(actor, Can.SOLVE)
    with store.write() as uow:
        plan = _plan(uow, plan_id)
        scenario = uow.scenarios.get(plan.scenario_id)
        assert scenario is not None
        before = scenario.accepted_plan_id
        scenario.accepted_plan_id = plan.id
        uow.audit.append(
            actor.username,
            "plan.accept",
            f"scenario:{scenario.id}",
            {"accepted_plan": before},
            {"accepted_plan": plan.id},
        )
        return _header(uow, plan)
