"""Plans, their exports, comparison and re-planning."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Response

from surgeplan.server.api.deps import ActorDep, Key, OptionalKey, StoreDep
from surgeplan.server.api.files import XLSX, csv_download, download
from surgeplan.server.services import exports, jobs, plans, views
from surgeplan.server.services.scenarios import table_xlsx

router = APIRouter(prefix="/api/plans", tags=["plans"])


@router.get("")
def list_plans(
    store: StoreDep, actor: ActorDep, scenario_id: OptionalKey = None
) -> list[dict[str, Any]]:
    """Plans with totals, newest first."""
    return plans.list_plans(store, actor, scenario_id)


@router.get("/{plan_id}")
def get_plan(store: StoreDep, actor: ActorDep, plan_id: Key) -> dict[str, Any]:
    """A plan's header and summary (coverage, shortfall, cost, explanations)."""
    return plans.get_plan(store, actor, plan_id)


@router.get("/{plan_id}/assignments", response_model=None)
def assignments(
    store: StoreDep,
    actor: ActorDep,
    plan_id: Key,
    format: Literal["csv", "xlsx", "json"] = "csv",
) -> Response | list[dict[str, str]]:
    """assignments.csv (contract columns) as CSV, XLSX or JSON rows."""
    text = plans.plan_assignments(store, actor, plan_id)
    if format == "json":
        return list(csv.DictReader(io.StringIO(text)))
    if format == "xlsx":
        return download(table_xlsx("assignments", text), f"assignments-p{plan_id}.xlsx", XLSX)
    return csv_download(text, f"assignments-p{plan_id}.csv")


@router.get("/{plan_id}/ledger")
def ledger(store: StoreDep, actor: ActorDep, plan_id: Key) -> list[dict[str, Any]]:
    """The checker's objective ledger: rule, scope, amount, weight, penalty."""
    return plans.plan_ledger(store, actor, plan_id)


@router.get("/{plan_id}/impact")
def impact(store: StoreDep, actor: ActorDep, plan_id: Key) -> Response:
    """impact.csv of a re-plan: one row per officer whose orders change."""
    return csv_download(plans.plan_impact(store, actor, plan_id), f"impact-p{plan_id}.csv")


@router.get("/{plan_id}/diff/{other_id}")
def diff(store: StoreDep, actor: ActorDep, plan_id: Key, other_id: Key) -> dict[str, Any]:
    """Plan `other_id` against plan `plan_id`: officers, sites and every objective tier."""
    return plans.compare_plans(store, actor, plan_id, other_id)


@router.post("/{plan_id}/replan", status_code=202)
def replan(
    store: StoreDep, actor: ActorDep, plan_id: Key, params: jobs.ReplanParams
) -> dict[str, Any]:
    """Queue a re-plan from a date with minimal change (past frozen, changes penalised)."""
    job_id = jobs.submit_replan(store, actor, plan_id, params)
    return jobs.get_job(store, actor, job_id)


@router.get("/{plan_id}/view")
def view(store: StoreDep, actor: ActorDep, plan_id: Key) -> dict[str, Any]:
    """Everything the workspace draws (Gantt, heat map, map, costs, fairness), cut by role."""
    return views.plan_view(store, actor, plan_id)


@router.post("/{plan_id}/accept")
def accept(store: StoreDep, actor: ActorDep, plan_id: Key) -> dict[str, Any]:
    """Accept a plan (e.g. a re-plan after reviewing its impact) as the one to work to."""
    return plans.accept_plan(store, actor, plan_id)


@router.get("/{plan_id}/rotations")
def rotations(
    store: StoreDep,
    actor: ActorDep,
    plan_id: Key,
    format: Literal["csv", "xlsx"] = "csv",
) -> Response:
    """rotations.csv: each rotation with its travel, lodging and M&IE cost."""
    text = exports.plan_rotations(store, actor, plan_id)
    if format == "xlsx":
        return download(table_xlsx("rotations", text), f"rotations-p{plan_id}.xlsx", XLSX)
    return csv_download(text, f"rotations-p{plan_id}.csv")


@router.get("/{plan_id}/report")
def report(store: StoreDep, actor: ActorDep, plan_id: Key) -> Response:
    """The self-contained HTML report of the plan."""
    html = exports.plan_report(store, actor, plan_id)
    return download(html, f"report-p{plan_id}.html", "text/html; charset=utf-8")


@router.get("/{plan_id}/calendar/{kind}/{key}")
def calendar(
    store: StoreDep,
    actor: ActorDep,
    plan_id: Key,
    kind: Annotated[str, Path(pattern="^(officer|site)$")],
    key: Annotated[str, Path(max_length=64)],
) -> Response:
    """An iCalendar file of one officer's or one site's rotations."""
    text = exports.plan_calendar(store, actor, plan_id, kind, key)
    return download(text, f"{kind}-{key}-p{plan_id}.ics", "text/calendar; charset=utf-8")
