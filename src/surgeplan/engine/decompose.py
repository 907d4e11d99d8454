"""Large problems by parts: a large-neighbourhood search over groups of people.

A thousand people at thirty sites over half a year is too large for one CP-SAT model to
build and search in a minute on two cores. Here the constructive plan is improved part by
part: a few dozen people are freed, everyone else is held, and the freed people's
sub-problem (demand net of the held people, group caps and budget net of them, the freed
people's requests) is solved whole. A part's plan replaces the old one only if the whole
plan's tiers improve (a part's fairness spread is over its own people only), so every
incumbent breaks no hard rule. Parts alternate between random people, one home base, and the people
around a site that is short. The shortfall bound reported is the capacity floor of
`bounds`; no cost bound is proven (reported as 0).
"""

from __future__ import annotations

import random
import time
from dataclasses import replace

from surgeplan.engine.bounds import shortfall_bound
from surgeplan.engine.construct import construct
from surgeplan.engine.solve import (
    Progress,
    ProgressCallback,
    Result,
    SolveOptions,
    Status,
    solve_whole,
)
from surgeplan.problem import Cover, Group, Problem
from surgeplan.solution import HOME, Objective, Solution

PART_CELLS = 12_000
"""Person × activity × period cells of one part (tuned on 1,000 × 30 × 26, BENCHMARKS.md)."""
PART_SECONDS = 4.0


def _held_counts(problem: Problem, solution: Solution, held: set[int]) -> list[int]:
    """Per cover, how many held people fill it."""
    grid = solution.activity
    return [
        sum(
            1
            for p in held
            if grid[p][c.period] == c.activity and problem.can_fill(p, c.period, c.skill)
        )
        for c in problem.covers
    ]


def restrict(problem: Problem, solution: Solution, free: list[int]) -> Problem:
    """The sub-problem of the `free` people, everyone else held as in `solution`."""
    held = set(range(len(problem.people))) - set(free)
    filled = _held_counts(problem, solution, held)
    covers = tuple(
        Cover(c.period, c.activity, c.skill, c.required - n, c.weight)
        for c, n in zip(problem.covers, filled, strict=True)
        if c.required > n
    )
    grid = solution.activity
    groups = []
    for g, group in enumerate(problem.groups):
        if group.max_away is None and not group.caps:
            groups.append(group)
            continue
        away = [
            sum(1 for p in held if problem.people[p].group == g and grid[p][t] != HOME)
            for t in range(problem.num_periods)
        ]
        caps = tuple(max(0, (group.cap(t) or 0) - away[t]) for t in range(problem.num_periods))
        groups.append(Group(group.name, group.max_away, caps))
    budget = problem.budget
    if budget is not None:
        budget -= sum(
            problem.stretch_cost(s.person, s.activity, s.first, s.last)
            for s in solution.stretches()
            if s.person in held
        )
    index = {p: i for i, p in enumerate(free)}
    requests = tuple(
        replace(r, person=index[r.person]) for r in problem.requests if r.person in index
    )
    return replace(
        problem,
        people=tuple(problem.people[p] for p in free),
        covers=covers,
        groups=tuple(groups),
        budget=budget,
        requests=requests,
    )


def _neighbourhood(
    problem: Problem, solution: Solution, rng: random.Random, size: int, round_: int
) -> list[int]:
    """People to free: random, one home base, or those around a short site."""
    everyone = list(range(len(problem.people)))
    kind = round_ % 3
    chosen: list[int] = []
    if kind == 1:
        group = rng.randrange(len(problem.groups))
        chosen = [p for p in everyone if problem.people[p].group == group]
        rng.shuffle(chosen)
    elif kind == 2:
        filled = _held_counts(problem, solution, set(everyone))
        short = [c for c, n in zip(problem.covers, filled, strict=True) if c.required > n]
        if short:
            cover = rng.choice(short)
            window = range(max(0, cover.period - 3), cover.period + 4)
            chosen = [
                p
                for p in everyone
                if any(
                    t < problem.num_periods and solution.activity[p][t] in (cover.activity, HOME)
                    for t in window
                )
                and problem.can_fill(p, cover.period, cover.skill)
            ]
            rng.shuffle(chosen)
    chosen = chosen[: size // 2 if kind else size]
    rest = [p for p in everyone if p not in set(chosen)]
    chosen += rng.sample(rest, min(len(rest), size - len(chosen)))
    return sorted(chosen)


def solve_by_parts(
    problem: Problem,
    options: SolveOptions,
    progress: ProgressCallback | None = None,
    start_from: Solution | None = None,
) -> Result:
    """Improve a plan part by part until the time limit: `start_from` (a plan that breaks
    no rule of `problem`, e.g. a stricter variant's) or else the constructive plan."""
    start = time.monotonic()
    solution = start_from if start_from is not None else construct(problem)
    objective = solution.evaluate(problem)
    size = max(8, PART_CELLS // (len(problem.activities) * problem.num_periods))
    rng = random.Random(options.seed)
    round_, interrupted = 0, False
    part_options = replace(options, formulation="periods")
    while not interrupted:
        remaining = options.time_limit - (time.monotonic() - start)
        if remaining < 1:
            break
        free = _neighbourhood(problem, solution, rng, size, round_)
        round_ += 1
        try:
            sub = restrict(problem, solution, free)
            current = Solution(tuple(solution.activity[p] for p in free))
            result = solve_whole(
                sub,
                replace(part_options, time_limit=min(remaining, PART_SECONDS)),
                hint=current,
                hint_is_feasible=True,
            )
        except KeyboardInterrupt:
            break
        interrupted = result.interrupted
        if result.solution is None or result.objective is None:
            continue
        if result.objective.as_tuple() >= current.evaluate(sub).as_tuple():
            continue
        rows = list(solution.activity)
        for index, p in enumerate(free):
            rows[p] = result.solution.activity[index]
        candidate = Solution(tuple(rows))
        value = candidate.evaluate(problem)
        if value.as_tuple() < objective.as_tuple():  # the part's fairness is its own
            solution, objective = candidate, value
            if progress is not None:
                progress(Progress("parts", objective.shortfall, 0, time.monotonic() - start))
    return Result(
        Status.FEASIBLE,
        solution,
        objective,
        Objective(shortfall_bound(problem), 0),
        time.monotonic() - start,
        interrupted,
        {"parts": Status.FEASIBLE},
    )
