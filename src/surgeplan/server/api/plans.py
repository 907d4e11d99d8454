"""Plans, their exports, comparison and re-planning."""

from __future__ import annotations

import csv
import io
from typing import Any, Literal

from fastapi import APIRouter, Query, Response

from surgeplan.server.api.deps import ActorDep, StoreDep
from surgeplan.server.api.files import XLSX, csv_download, download
from surgeplan.server.services import jobs, plans
from surgeplan.server.services.scenarios import table_xlsx

router = APIRouter(prefix="/api/plans", tags=["plans"])


@router.get("")
def list_plans(
    store: StoreDep, actor: ActorDep, scenario_id: int | None = Query(default=None)
) -> list[dict[str, Any]]:
    """Plans with totals, newest first."""
    return plans.list_plans(store, actor, scenario_id)


@router.get("/{plan_id}")
def get_plan(store: StoreDep, actor: ActorDep, plan_id: int) -> dict[str, Any]:
    """A plan's header and summary (coverage, shortfall, cost, explanations)."""
    return plans.get_plan(store, actor, plan_id)


@router.get("/{plan_id}/assignments", response_model=None)
def assignments(
    store: StoreDep,
    actor: ActorDep,
    plan_id: int,
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
def ledger(store: StoreDep, actor: ActorDep, plan_id: int) -> list[dict[str, Any]]:
    """The checker's objective ledger: rule, scope, amount, weight, penalty."""
    return plans.plan_ledger(store, actor, plan_id)


@router.get("/{plan_id}/impact")
def impact(store: StoreDep, actor: ActorDep, plan_id: int) -> Response:
    """impact.csv of a re-plan: one row per officer whose orders change."""
    return csv_download(plans.plan_impact(store, actor, plan_id), f"impact-p{plan_id}.csv")


@router.get("/{plan_id}/diff/{other_id}")
def diff(store: StoreDep, actor: ActorDep, plan_id: int, other_id: int) -> dict[str, Any]:
    """Plan `other_id` against plan `plan_id`: officers, sites and every objective tier."""
    return plans.compare_plans(store, actor, plan_id, other_id)


@router.post("/{plan_id}/replan", status_code=202)
def replan(
    store: StoreDep, actor: ActorDep, plan_id: int, params: jobs.ReplanParams
) -> dict[str, Any]:
    """Queue a re-plan from a date with minimal change (past frozen, changes penalised)."""
    job_id = jobs.submit_replan(store, actor, plan_id, params)
    return jobs.get_job(store, actor, job_id)
