"""Solve jobs: status, cancel, and live progress as Server-Sent Events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from fastapi.sse import EventSourceResponse, ServerSentEvent

from surgeplan.server.api.deps import ActorDep, Key, OptionalKey, StoreDep
from surgeplan.server.repository import TERMINAL
from surgeplan.server.services import jobs

router = APIRouter(prefix="/api/jobs", tags=["jobs"])
POLL_S = 0.5
KEEPALIVE_S = 15.0


@router.get("")
def list_jobs(
    store: StoreDep, actor: ActorDep, scenario_id: OptionalKey = None
) -> list[dict[str, Any]]:
    """Recent jobs, newest first."""
    return jobs.list_jobs(store, actor, scenario_id)


@router.get("/{job_id}")
def get_job(store: StoreDep, actor: ActorDep, job_id: Key) -> dict[str, Any]:
    """Status, progress (incumbent, bound, gap, history) and the resulting plan id."""
    return jobs.get_job(store, actor, job_id)


@router.post("/{job_id}/cancel")
def cancel(store: StoreDep, actor: ActorDep, job_id: Key) -> dict[str, Any]:
    """Cancel; a running solve stops and keeps the best plan found so far."""
    return jobs.cancel_job(store, actor, job_id)


def _existing(store: StoreDep, actor: ActorDep, job_id: Key) -> dict[str, Any]:
    """The job, looked up before the stream starts (so an unknown job is a plain 404)."""
    return jobs.get_job(store, actor, job_id)


@router.get("/{job_id}/events", response_class=EventSourceResponse)
async def events(
    store: StoreDep,
    actor: ActorDep,
    job_id: Key,
    first: Annotated[dict[str, Any], Depends(_existing)],
) -> AsyncIterator[ServerSentEvent]:
    """`job` events whenever the job changes, ending with its final state."""
    last: dict[str, Any] | None = None
    idle = 0.0
    while True:
        view = await run_in_threadpool(jobs.get_job, store, actor, job_id)
        if view != last:
            last, idle = view, 0.0
            yield ServerSentEvent(data=view, event="job", id=str(job_id))
            if view["status"] in TERMINAL:
                return
        elif idle >= KEEPALIVE_S:
            idle = 0.0
            yield ServerSentEvent(comment="keep-alive")
        await asyncio.sleep(POLL_S)
        idle += POLL_S
