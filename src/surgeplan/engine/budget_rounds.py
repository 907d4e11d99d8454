"""Plans under a binding budget, in rounds: the whole solve again from its cheaper plan.

Where the budget binds, the shortfall stage's plans spend it badly (the constructive start
and CP-SAT's first plans take dear rotations), and the cost stage then meets the same
shortfall for far less, leaving budget unspent. Solving again from that cheaper plan lets
the shortfall stage spend what it freed. On the built-in scenario capped at $600,000,
`plan --time-limit 60` gave a shortfall of 456 in three rounds against 527 in one solve
(BENCHMARKS.md §3).
"""

from __future__ import annotations

import time
from dataclasses import replace

from surgeplan.engine.construct import construct, constructible
from surgeplan.engine.solve import (
    Progress,
    ProgressCallback,
    Result,
    SolveOptions,
    Status,
    solve_whole,
)
from surgeplan.problem import Problem

ROUNDS = 3
"""Most solves the time limit is shared between (equally, each from the last one's plan)."""
ROUND_SECONDS = 20.0
"""Least time of one round. In the sweep's 20 s solves on one worker, rounds of a third of
that improved neither stage: the plans kept the constructive start's shortfall and its
cost at the cap, where one solve had at least lowered the cost (BENCHMARKS.md §3)."""


def budget_binds(problem: Problem) -> bool:
    """Whether the budget cuts the constructive plan short: built without the budget, it
    would cost more (instant: the sweep takes well under a second per thousand people)."""
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
    stage_seconds = {stage: round(s + offset, 3) for stage, s in result.stage_seconds.items()}
    return replace(result, seconds=time.monotonic() - start, stage_seconds=stage_seconds)


def _shifted(progress: ProgressCallback, offset: float) -> ProgressCallback:
    """`progress` with each event's elapsed time counted from the first round's start."""

    def report(event: Progress) -> None:
        progress(replace(event, elapsed=event.elapsed + offset))

    return report
