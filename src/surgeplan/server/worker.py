"""One solve job in its own process: `python -m surgeplan.server.worker JOB_ID`.

The process reads the job and its scenario version from the database, solves with
progress written back (throttled), and commits the checked plan and the job's end in one
transaction. A cancel flag set in the database interrupts the search the same way Ctrl-C
does on the command line, so the best plan found so far is kept. If this process dies,
the job stays `running` until the server sees the process gone and marks it failed.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import traceback
from typing import Any

from surgeplan.compile import Replan
from surgeplan.engine import Progress, SolveOptions, Status
from surgeplan.scenario.pins import Pin, parse_pins
from surgeplan.server.repository import TERMINAL
from surgeplan.server.services.plans import parse_since, plan_inputs, store_outcome
from surgeplan.server.services.scenarios import PINS, scenario_of
from surgeplan.server.settings import Settings
from surgeplan.server.store import Store
from surgeplan.service import PlanOutcome, ReplanOutcome, plan, replan

WRITE_EVERY_S = 0.5
POLL_CANCEL_S = 0.5
HISTORY = 400
"""Progress points kept per job for the client's chart."""


class _Progress:
    """Writes progress to the job row at most every WRITE_EVERY_S seconds."""

    def __init__(self, store: Store, job_id: int) -> None:
        self.store, self.job_id = store, job_id
        self.history: list[dict[str, Any]] = []
        self.last = 0.0
        self.lock = threading.Lock()

    def __call__(self, event: Progress) -> None:
        point = {
            "stage": event.stage,
            "objective": event.objective,
            "bound": event.bound,
            "elapsed": round(event.elapsed, 3),
        }
        with self.lock:
            self.history.append(point)
            del self.history[:-HISTORY]
            if time.monotonic() - self.last >= WRITE_EVERY_S:
                self.flush()

    def flush(self) -> None:
        """Write the latest point and the history."""
        self.last = time.monotonic()
        latest = self.history[-1] if self.history else {}
        objective, bound = latest.get("objective"), latest.get("bound")
        gap = None
        if objective is not None and bound is not None:
            gap = 0.0 if objective == bound else 100 * (objective - bound) / max(abs(objective), 1)
        with self.store.write() as uow:
            uow.jobs.set_progress(
                self.job_id, {**latest, "gap_pct": gap, "history": list(self.history)}
            )


def _watch_cancel(store: Store, job_id: int, stop: threading.Event) -> None:
    """Poll the cancel flag; on cancel interrupt the main thread like Ctrl-C, once."""
    while not stop.wait(POLL_CANCEL_S):
        with store.read() as uow:
            job = uow.jobs.get(job_id)
            flagged = job is None or job.cancel_requested
        if flagged and not stop.is_set():
            os.kill(os.getpid(), signal.SIGINT)
            return


Solved = tuple[PlanOutcome, ReplanOutcome | None, tuple[Pin, ...]]


def _solve(store: Store, job_id: int, progress: _Progress) -> Solved:
    with store.read() as uow:
        job = uow.jobs.get(job_id)
        assert job is not None
        scenario = scenario_of(uow, job.version_id)
        pins_text = uow.scenarios.files(job.version_id).get(PINS)
        params, kind, base = dict(job.params), job.kind, job.base_plan_id
        previous = plan_inputs(uow, base)[1] if base is not None else None
    pins = parse_pins(pins_text, PINS, scenario) if pins_text else ()
    options = SolveOptions(
        time_limit=float(params.get("time_limit", 60.0)),
        workers=store.settings.solve_workers,
        seed=int(params.get("seed", 0)),
    )
    if kind == "replan" and previous is not None:
        since = parse_since(str(params["since"]), scenario)
        result = replan(
            scenario, previous, since, options, pins, params.get("max_changes"), progress
        )
        return result.outcome, result, pins
    return plan(scenario, options, progress, Replan(pins)), None, pins


def _no_plan(outcome: PlanOutcome) -> str:
    """Why a job ended without a plan, in the planner's words."""
    if outcome.conflicts:
        return "The hard rules conflict: " + " ".join(c.sentence for c in outcome.conflicts)
    if outcome.result.status is Status.INFEASIBLE:
        return "The hard rules conflict: no plan keeps them all (pins, leave, rules, budget)"
    return "no plan was found within the time limit; give the solve more time"


def run(store: Store, job_id: int) -> str:
    """Run one queued job to its end; the final status."""
    with store.write() as uow:
        if not uow.jobs.claim(job_id, os.getpid()):
            job = uow.jobs.get(job_id)
            return job.status if job else "missing"
        actor = "system"
        job = uow.jobs.get(job_id)
        if job is not None and job.created_by is not None:
            user = uow.users.get(job.created_by)
            actor = user.username if user else actor
    progress = _Progress(store, job_id)
    stop = threading.Event()
    threading.Thread(target=_watch_cancel, args=(store, job_id, stop), daemon=True).start()
    try:
        outcome, replanned, pins = _solve(store, job_id, progress)
    except KeyboardInterrupt:  # cancelled before the search started
        stop.set()
        with store.write() as uow:
            uow.end_job(job_id, "cancelled", error="cancelled before a plan was found")
        return "cancelled"
    except Exception as error:
        stop.set()
        message = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
        traceback.print_exc()
        with store.write() as uow:
            uow.end_job(job_id, "failed", error=message[:2000])
        return "failed"
    stop.set()
    if progress.history:
        progress.flush()
    with store.write() as uow:
        job = uow.jobs.get(job_id)
        assert job is not None
        if job.status in TERMINAL:
            return job.status
        if outcome.result.solution is None:
            uow.end_job(job_id, "failed", error=_no_plan(outcome)[:2000])
            return "failed"
        record = store_outcome(uow, job, outcome, replanned, actor, pins)
        status = "cancelled" if job.cancel_requested else "done"
        uow.end_job(job_id, status, plan_id=record.id)
        return status


def main(argv: list[str]) -> int:
    """Entry point of the worker process."""
    if len(argv) != 1 or not argv[0].isdigit():
        print("usage: python -m surgeplan.server.worker JOB_ID", file=sys.stderr)
        return 2
    store = Store.open(Settings(), migrate=False)
    status = run(store, int(argv[0]))
    return 0 if status in ("done", "cancelled") else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
