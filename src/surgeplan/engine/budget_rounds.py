"""Plans under a binding budget, in rounds: the whole solve again from its cheaper plan.

Where the budget binds, the shortfall stage's plans spend it badly (the constructive start
and CP-SAT's first plans take dear rotations), and the cost stage then meets the same
shortfall for far less, leaving budget unspent. Solving again from that cheaper plan lets
the shortfall stage spend what it freed. On the built-in scenario capped at $600,000,
`plan --time-limit 60` gave a shortfall of 456 in three rounds against 527 in one solve
(BENCHMARKS.md §3).

Neither the capacity floors nor CP-SAT's relaxation see what the budget denies, so the
shortfall's bound comes from the LP with the budget row (`shortfall_lp`), solved on
a thread beside the rounds.
"""

from __future__ import annotations

import time
from dataclasses import replace

from surgeplan.engine.construct import construct, constructible
from surgeplan.engine.shortfall_lp import beside
from surgeplan.engine.solve import (
    Progress,
    ProgressCallback,
    Result,
    SolveOptions,
    Status,
    solve_whole,
    stages_of,
    with_result_bound,
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
core for 5–13 s on the built-in capped at $600k–$900k, and in the sweep's 20 s solves (two
jobs of one worker on two cores) it starved them, whose cost stage then found no plan
(costs at the $600k cap against $305k without it, BENCHMARKS.md §3)."""


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
    relaxed = beside(problem, options.time_limit) if options.time_limit >= BOUND_SECONDS else None
    rounds = max(1, min(ROUNDS, int(options.time_limit // ROUND_SECONDS)))
    result: Result | None = None
    offset = 0.0
    for done in range(rounds):
        offset = time.monotonic() - start
        seconds = (deadline - time.monotonic()) / (rounds - done)
        round_options = replace(
            options, time_limit=seconds, seed=options.seed + done, shortfall_relaxation=False
        )
        shifted = None if progress is None else _shifted(progress, offset)
        plan = None if result is None else result.solution
        result = solve_whole(problem, round_options, shifted, plan, plan is not None)
        if result.interrupted or result.status is Status.OPTIMAL:
            break
    assert result is not None
    if relaxed is not None:  # no wait where Ctrl-C stopped or the shortfall is proven
        proven = result.stage_status.get(stages_of(problem)[0]) is Status.OPTIMAL
        bound = relaxed(time.monotonic() if result.interrupted or proven else deadline)
        result = with_result_bound(problem, result, "shortfall", bound)
    stage_seconds = {stage: round(s + offset, 3) for stage, s in result.stage_seconds.items()}
    return replace(result, seconds=time.monotonic() - start, stage_seconds=stage_seconds)


def _shifted(progress: ProgressCallback, offset: float) -> ProgressCallback:
    """`progress` with each event's elapsed time counted from the first round's start."""

    def report(event: Progress) -> None:
        progress(replace(event, elapsed=event.elapsed + offset))

    return report
