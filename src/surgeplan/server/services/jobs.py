"""Solve jobs: queue, read, cancel, stream. Solving itself happens in `server.worker`.

A job records the scenario version it will solve, so later edits never change what a
queued or running job computes.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from surgeplan.server import orm
from surgeplan.server.clock import iso, now
from surgeplan.server.errors import ConflictError, NotFoundError
from surgeplan.server.policy import Actor, Can
from surgeplan.server.repository import TERMINAL, UnitOfWork
from surgeplan.server.services.accounts import require
from surgeplan.server.services.plans import parse_since
from surgeplan.server.services.scenarios import scenario_of
from surgeplan.server.store import Store

MAX_TIME_LIMIT = 3600.0


class SolveParams(BaseModel):
    """What a planner may choose for a solve."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    time_limit: float = Field(default=60.0, gt=0, le=MAX_TIME_LIMIT)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


class ReplanParams(SolveParams):
    """A re-plan from a date, optionally with a cap on changed officer-periods."""

    since: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="first period to re-plan")
    max_changes: int | None = Field(default=None, ge=0)


def _queue(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    row: orm.Scenario,
    params: dict[str, Any],
    base: int | None,
) -> orm.Job:
    version = uow.scenarios.version(row.id, row.version)
    assert version is not None
    job = uow.jobs.add(
        orm.Job(
            kind=kind,
            scenario_id=row.id,
            version_id=version.id,
            base_plan_id=base,
            params=params,
            status="queued",
            progress={},
            cancel_requested=False,
            created_by=actor.id,
            created_at=now(),
        )
    )
    uow.audit.append(
        actor.username,
        f"job.{kind}",
        f"job:{job.id}",
        None,
        {"scenario": row.id, "version": row.version, "base_plan": base, "params": params},
    )
    return job


def _scenario_row(uow: UnitOfWork, scenario_id: int) -> orm.Scenario:
    row = uow.scenarios.get(scenario_id)
    if row is None or row.archived:
        raise NotFoundError(f"no scenario {scenario_id}")
    return row


def submit_solve(store: Store, actor: Actor, scenario_id: int, params: SolveParams) -> int:
    """Queue a solve of the scenario's current version; the job id."""
    require(actor, Can.SOLVE)
    with store.write() as uow:
        row = _scenario_row(uow, scenario_id)
        return _queue(uow, actor, "solve", row, params.model_dump(), None).id


def submit_replan(store: Store, actor: Actor, plan_id: int, params: ReplanParams) -> int:
    """Queue a re-plan of a plan's scenario (current version) from a date; the job id."""
    require(actor, Can.SOLVE)
    with store.write() as uow:
        plan = uow.plans.get(plan_id)
        if plan is None:
            raise NotFoundError(f"no plan {plan_id}")
        row = _scenario_row(uow, plan.scenario_id)
        current = uow.scenarios.version(row.id, row.version)
        assert current is not None
        parse_since(params.since, scenario_of(uow, current.id))
        return _queue(uow, actor, "replan", row, params.model_dump(), plan_id).id


def job_view(job: orm.Job) -> dict[str, Any]:
    """A job as clients see it (progress numbers only; never officer data)."""
    return {
        "id": job.id,
        "kind": job.kind,
        "scenario_id": job.scenario_id,
        "base_plan_id": job.base_plan_id,
        "params": job.params,
        "status": job.status,
        "progress": job.progress,
        "cancel_requested": job.cancel_requested,
        "plan_id": job.plan_id,
        "error": job.error,
        "created_at": iso(job.created_at),
        "started_at": iso(job.started_at) if job.started_at else None,
        "finished_at": iso(job.finished_at) if job.finished_at else None,
    }


def get_job(store: Store, actor: Actor, job_id: int) -> dict[str, Any]:
    """A job's status and progress."""
    require(actor, Can.READ_SUMMARY)
    with store.read() as uow:
        job = uow.jobs.get(job_id)
        if job is None:
            raise NotFoundError(f"no job {job_id}")
        return job_view(job)


def list_jobs(store: Store, actor: Actor, scenario_id: int | None) -> list[dict[str, Any]]:
    """Recent jobs, newest first."""
    require(actor, Can.READ_SUMMARY)
    with store.read() as uow:
        return [job_view(j) for j in uow.jobs.list(scenario_id)]


def cancel_job(store: Store, actor: Actor, job_id: int) -> dict[str, Any]:
    """Cancel: a queued job never starts; a running one stops and keeps its best plan."""
    require(actor, Can.SOLVE)
    with store.write() as uow:
        job = uow.jobs.get(job_id)
        if job is None:
            raise NotFoundError(f"no job {job_id}")
        if job.status in TERMINAL:
            raise ConflictError(f"job {job_id} has already ended ({job.status})", job_view(job))
        job.cancel_requested = True
        if job.status == "queued":
            job.status, job.finished_at = "cancelled", now()
        uow.audit.append(
            actor.username, "job.cancel", f"job:{job.id}", None, {"status": job.status}
        )
        return job_view(job)
