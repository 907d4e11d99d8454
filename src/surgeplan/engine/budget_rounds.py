"""Plans under a binding budget, in rounds: the whole solve again from its cheaper plan.

Where the budget binds, the shortfall stage's plans spend it badly (the constructive start
and CP-SAT's first plans take dear rotations), and the cost stage then meets the same
shortfall for far less, leaving budget unspent. Solving again from that cheaper plan lets
the shortfall stage spend what it freed. On the built-in scenario capped at $600,000,
`plan --time-limit 60` gave a shortfall of 456 in three rounds against 527 in one solve
(BENCHMARKS.md §3).

Neither the capacity floors nor CP-SAT's relaxation see what the budget denies, so the
shortfall's bound comes from the rotation LP with the budget row (`lp_bound`), solved on a
thread beside the rounds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace

from surgeplan.engine.construct import construct, constructible
from surgeplan.engine.lp_bound import shortfall_under_budget
from surgeplan.engine.solve import (
    Progress,
    ProgressCallback,
    Result,
    SolveOptions,
    Status,
    every_stage_proven,
    solve_whole,
    stages_of,
    with_tier_bound,
)
from surgeplan.problem import Problem

ROUNDS = 3
"""Most solves the time limit is shared between (equally, each from the last one's plan)."""
ROUND_SECONDS = 20.0
"""Least time of one round. In the sweep's 20 s solves on one worker, rounds of a third of
that improved neither stage: the plans kept the constructive start's shortfall and its
cost at the cap, where one solve had at least lowered the cost (BENCHMARKS.md §3)."""

BOUND_SECONDS = 40.0
"""Least time limit at which the budget's shortfall LP runs beside the rounds: it holds a
core for 9–11 s on the built-in, and in the sweep's 20 s solves (two jobs of one worker on
two cores) it starved them, whose cost stage then found no plan (costs at the $600k cap
against $305k without it, BENCHMARKS.md §3)."""


def budget_binds(problem: Problem) -> bool:
    """Whether the budget cuts the constructive plan short: built without the budget, it
    would cost more (0.04 s on the built-in scenario)."""
    if problem.budget is None or problem.costs is None or not constructible(problem):
        return False
    unbounded = replace(problem, budget=None)
    return construct(unbounded).evaluate(problem).cost > problem.budget


def solve_in_rounds(
    problem: Problem, options: SolveOptions, progress: ProgressCallback | None = None
) -> Result:
    """`solve_whole` in up to ROUNDS rounds of at least ROUND_SECONDS, each from the
    previous one's plan (which it never returns worse) with the next seed, until the time
    limit, a proven optimum or Ctrl-C. Progress and stage times count from the start."""
    start = time.monotonic()
    deadline = start + options.time_limit
    relaxed = (
        _beside(shortfall_under_budget, problem, options.time_limit)
        if options.time_limit >= BOUND_SECONDS
        else None
    )
    rounds = max(1, min(ROUNDS, int(options.time_limit // ROUND_SECONDS)))
    result: Result | None = None
    offset = 0.0
    for done in range(rounds):
        offset = time.monotonic() - start
        seconds = (deadline - time.monotonic()) / (rounds - done)
        round_options = replace(options, time_limit=seconds, seed=options.seed + done)
        shifted = None if progress is None else _shifted(progress, offset)
        plan = None if result is None else result.solution
        result = solve_whole(problem, round_options, shifted, plan, plan is not None)
        if result.interrupted or result.status is Status.OPTIMAL:
            break
    assert result is not None
    if relaxed is not None:  # no wait where Ctrl-C stopped or the shortfall is proven
        proven = result.stage_status.get(stages_of(problem)[0]) is Status.OPTIMAL
        bound = relaxed(time.monotonic() if result.interrupted or proven else deadline)
        result = _with_shortfall_bound(problem, result, bound)
    stage_seconds = {stage: round(s + offset, 3) for stage, s in result.stage_seconds.items()}
    return replace(result, seconds=time.monotonic() - start, stage_seconds=stage_seconds)


def _beside(
    bound: Callable[[Problem, float], int | None], problem: Problem, seconds: float
) -> Callable[[float], int | None]:
    """Start `bound(problem, seconds)` on a thread (HiGHS releases the GIL, so CP-SAT keeps
    both cores but for the LP's share) and return a wait for its answer until a given
    `time.monotonic()`. The thread is a daemon: after Ctrl-C nothing waits for it (HiGHS
    stops at its own time limit, the solve's)."""
    answer: list[int | None] = []
    thread = threading.Thread(target=lambda: answer.append(bound(problem, seconds)), daemon=True)
    thread.start()

    def wait(until: float) -> int | None:
        thread.join(max(0.0, until - time.monotonic()))
        return answer[0] if answer else None

    return wait


def _with_shortfall_bound(problem: Problem, result: Result, relaxed: int | None) -> Result:
    """The LP's shortfall bound where it beats the solve's (`with_tier_bound`), and the
    whole solve OPTIMAL if every stage then is."""
    if relaxed is None or result.objective is None:
        return result
    bound, stage_status = with_tier_bound(
        "shortfall", relaxed, result.objective, result.bound, result.stage_status
    )
    proven = every_stage_proven(problem, stage_status)
    return replace(
        result,
        bound=bound,
        stage_status=stage_status,
        status=Status.OPTIMAL if proven else result.status,
    )


def _shifted(progress: ProgressCallback, offset: float) -> ProgressCallback:
    """`progress` with each event's elapsed time counted from the first round's start."""

    def report(event: Progress) -> None:
        progress(replace(event, elapsed=event.elapsed + offset))

    return report
