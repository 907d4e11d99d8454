"""Large problems by parts: a large-neighbourhood search over groups of people.

A thousand people at thirty sites over half a year is too large for one CP-SAT model to
build and search in a minute on two cores. Here the constructive plan is improved part by
part: a few dozen people are freed, everyone else is held, and the freed people's
sub-problem (demand net of the held people, group caps and budget net of them, the freed
people's requests) is solved whole. A part's plan replaces the old one only if the whole
plan's tiers improve (a part's fairness spread is over its own people only), so every
incumbent breaks no hard rule. Where they apply, best responses (`best_response`: each
person's whole schedule re-planned alone, in about a second for a thousand people) polish
the start: at 1,000 × 30 × 26 they take the constructive plan from 5,439 to 4,339 in
1.4 s, which 600 s of parts alone had reached (4,328). Bursts of iterated best responses
(`best_response.iterate`) then alternate with the parts, which make the moves that need
several people at once. Parts alternate between random people, one home base, and the
people around a site that is short. While the shortfall falls, a part searches it alone;
after STALL_PARTS parts in a row that leave it, parts search every tier. The shortfall
bound reported is the capacity floor of `bounds` until the shortfall LP (`shortfall_lp`,
started beside the parts from the polished start) lands, then the better of the two; no
cost bound is proven (reported as 0).

Re-plans go the same way (`replan_by_parts`): a sub-problem also carries its people's pins
and previous rows, and the change cap net of the held people's changes. The start is the
previous plan with only the rows that break a rule of the new problem (`broken_people`,
found in index space) re-solved (`repair`), each repaired part verified on its sub-problem.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace

from surgeplan.engine import best_response
from surgeplan.engine.bounds import shortfall_bound
from surgeplan.engine.construct import construct
from surgeplan.engine.solve import (
    Progress,
    ProgressCallback,
    Result,
    SolveOptions,
    Status,
    keeps_every_rule,
    shortfall_relaxation,
    solve_whole,
)
from surgeplan.problem import Cover, Group, Problem
from surgeplan.solution import HOME, Objective, Solution

PART_CELLS = 12_000
"""Person × activity × period cells of one part (tuned on 1,000 × 30 × 26, BENCHMARKS.md)."""
PART_SECONDS = 4.0
ITERATE_SECONDS = 10.0
"""Iterated best responses (`best_response.iterate`) before each part, where they apply:
alone they reach 4,293 at 1,000 × 30 × 26 in 60 s on one core, where parts and sweeps
reached 4,326 (BENCHMARKS.md §1)."""
STALL_PARTS = 5
"""Parts in a row that may leave the shortfall where it is before parts search every tier
again. Until then a part searches its shortfall alone: with the cost stage, 4 s parts at
1,000 × 30 × 26 spent a third of their time on a stage that found no plan (60 s: 5,101
against 4,969–5,027 without it, BENCHMARKS.md §1)."""


def part_size(problem: Problem) -> int:
    """People freed in one part: about PART_CELLS cells, at least eight."""
    return max(8, PART_CELLS // (len(problem.activities) * problem.num_periods))


def _held_counts(problem: Problem, solution: Solution, held: set[int]) -> list[int]:
    """Per cover, how many held people fill it."""
    counts = solution.filled(problem, held)
    return [counts.get((c.period, c.activity, c.skill), 0) for c in problem.covers]


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
    pins = tuple(
        replace(pin, person=index[pin.person]) for pin in problem.pins if pin.person in index
    )
    previous = problem.previous
    max_changes = problem.max_changes
    if previous is not None:
        if max_changes is not None:
            max_changes -= problem.change_weight * sum(
                old != new for p in held for new, old in zip(grid[p], previous[p], strict=True)
            )
        previous = tuple(previous[p] for p in free)
    return replace(
        problem,
        people=tuple(problem.people[p] for p in free),
        covers=covers,
        groups=tuple(groups),
        budget=budget,
        requests=requests,
        pins=pins,
        previous=previous,
        max_changes=max_changes,
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
    size: int | None = None,
    polish: bool = True,
) -> Result:
    """Improve a plan part by part until the time limit: `start_from` (a plan that breaks
    no rule of `problem`, e.g. a stricter variant's) or else the constructive plan, with
    best responses between parts where they apply and `polish` is on (off: the parts
    alone, to measure or test them)."""
    start = time.monotonic()
    deadline = start + options.time_limit
    rng = random.Random(options.seed)
    polish = polish and best_response.applies(problem)
    solution = start_from if start_from is not None else construct(problem)
    objective = solution.evaluate(problem)
    floor = shortfall_bound(problem)
    search = best_response.Search(problem, solution) if polish else None
    if search is not None:  # one search for every burst: it only recounts what parts change
        search.settle(deadline, rng)
        solution = search.solution()
        polished = solution.evaluate(problem)
        if polished != objective:
            objective = polished
            _report(progress, objective, floor, start)
    seconds = deadline - time.monotonic()  # the LP has the second core: all the time
    relaxed = shortfall_relaxation(problem, options, solution, objective, seconds)
    size = size or part_size(problem)
    round_, interrupted, stalled = 0, False, 0
    part_options = replace(
        options, formulation="periods", cost_relaxation=False, shortfall_relaxation=False
    )
    while not interrupted:
        if relaxed is not None and (lp := relaxed(time.monotonic())) is not None:
            relaxed, floor = None, max(floor, lp)  # a look, no wait: the LP runs beside
            _report(progress, objective, floor, start)
        if search is not None:  # a burst of iterated best responses before each part
            burst = min(deadline, time.monotonic() + ITERATE_SECONDS)
            try:
                search.adopt(solution)
                search.iterate(burst, rng)
            except KeyboardInterrupt:
                break
            candidate = search.solution()
            value = candidate.evaluate(problem)
            if value.as_tuple() < objective.as_tuple():
                stalled = 0 if value.shortfall < objective.shortfall else stalled
                solution, objective = candidate, value
                _report(progress, objective, floor, start)
        remaining = options.time_limit - (time.monotonic() - start)
        if remaining < 1:
            break
        free = _neighbourhood(problem, solution, rng, size, round_)
        round_ += 1
        try:
            sub = restrict(problem, solution, free)
            current = Solution(tuple(solution.activity[p] for p in free))
            first_tier_only = stalled < STALL_PARTS and objective.shortfall > floor
            result = solve_whole(
                sub,
                replace(
                    part_options,
                    time_limit=min(remaining, PART_SECONDS),
                    first_tier_only=first_tier_only,
                ),
                hint=current,
                hint_is_feasible=True,
            )
        except KeyboardInterrupt:
            break
        interrupted = result.interrupted
        stalled += 1
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
            if value.shortfall < objective.shortfall:
                stalled = 0
            solution, objective = candidate, value
            _report(progress, objective, floor, start)
    if relaxed is not None and (lp := relaxed(time.monotonic())) is not None:
        floor = max(floor, lp)
    return Result(
        Status.FEASIBLE,
        solution,
        objective,
        Objective(floor, 0),
        time.monotonic() - start,
        interrupted,
        {"parts": Status.FEASIBLE},
    )


def _report(
    progress: ProgressCallback | None, objective: Objective, floor: int, start: float
) -> None:
    """A better plan's (or bound's) progress event: the capacity floor or, once it lands,
    the shortfall LP's bound if higher."""
    if progress is not None:
        progress(Progress("parts", objective.shortfall, floor, time.monotonic() - start))


def _row_breaks(problem: Problem, p: int, row: tuple[int, ...], pinned: dict[int, int]) -> bool:
    """Whether one person's row breaks a rule of that person alone (index space, no model):
    a cell on leave or against a pin, a forbidden activity, a run or rest too short or
    long, too much load, minutes, weekends, a forbidden succession, a mixed-site run."""
    person = problem.people[p]
    if any(row[t] != a for t, a in pinned.items()):
        return True
    if any(row[t] != HOME for t in person.unavailable):
        return True
    worked = [a for a in row if a != HOME]
    limits = person.limits
    if limits.total_max is not None and len(worked) > limits.total_max:
        return True
    if person.max_per_activity:
        for a, most in enumerate(person.max_per_activity):
            if most is not None and worked.count(a) > most:
                return True
    elif any(not person.allows(a) for a in set(worked)):
        return True
    minutes = sum(problem.activities[a].minutes for a in worked)
    if minutes < person.minutes_min or (
        person.minutes_max is not None and minutes > person.minutes_max
    ):
        return True
    if person.max_weekends is not None:
        weekends = sum(1 for w in problem.weekends if any(row[t] != HOME for t in w))
        if weekends > person.max_weekends:
            return True
    T = len(row)
    if any(
        row[t] != HOME and row[t + 1] != HOME and (row[t], row[t + 1]) in problem.forbidden
        for t in range(T - 1)
    ):
        return True
    t, last_end = 0, None
    while t < T:
        if row[t] == HOME:
            t += 1
            continue
        end = t
        while end + 1 < T and row[end + 1] != HOME:
            end += 1
        length = end - t + 1
        at_end = t == 0 or end == T - 1
        if length < limits.run_min and (limits.run_min_at_ends or not at_end):
            return True
        if limits.run_max is not None and length > limits.run_max:
            return True
        if last_end is not None and t - last_end - 1 < limits.rest_min:
            return True
        if problem.same_activity_runs and len(set(row[t : end + 1])) > 1:
            return True
        last_end, t = end, end + 1
    return False


def broken_people(problem: Problem, plan: Solution) -> set[int]:
    """People whose rows make `plan` break a hard rule of `problem`, found in index space:
    their own rules (`_row_breaks`), plus everyone away in a period where their group is
    over its cap, plus (over budget) the dearest people until the excess is covered."""
    pinned: dict[int, dict[int, int]] = {}
    for pin in problem.pins:
        pinned.setdefault(pin.person, {})[pin.period] = pin.activity
    grid = plan.activity
    broken = {
        p for p in range(len(problem.people)) if _row_breaks(problem, p, grid[p], pinned.get(p, {}))
    }
    for g, group in enumerate(problem.groups):
        members = [p for p, person in enumerate(problem.people) if person.group == g]
        for t in range(problem.num_periods):
            cap = group.cap(t)
            away = [p for p in members if grid[p][t] != HOME]
            if cap is not None and len(away) > cap:
                broken.update(away)
    if problem.budget is not None:
        spent: dict[int, int] = {}
        for s in plan.stretches():
            spent[s.person] = spent.get(s.person, 0) + problem.stretch_cost(
                s.person, s.activity, s.first, s.last
            )
        excess = sum(spent.values()) - problem.budget
        for p in sorted(spent, key=lambda q: -spent[q]):
            if excess <= 0:
                break
            if p not in broken:
                broken.add(p)
                excess -= spent[p]
    return broken


def _blank(problem: Problem, plan: Solution, people: set[int]) -> Solution:
    """`plan` with the rows of `people` home everywhere but at their pins."""
    rows = [list(row) for row in plan.activity]
    for p in people:
        rows[p] = [HOME] * problem.num_periods
    for pin in problem.pins:
        if pin.person in people:
            rows[pin.person][pin.period] = pin.activity
    return Solution(tuple(tuple(row) for row in rows))


def repair(
    problem: Problem, plan: Solution, options: SolveOptions, size: int, rng: random.Random
) -> Solution | None:
    """A plan that keeps every hard rule, changed from `plan` only in the rows of the people
    who break one (`broken_people`). Their rows are blanked (home but at pins), then solved
    a part at a time with everyone else held; each part is verified by `keeps_every_rule`
    on its sub-problem (never on the whole model, too large here). A part that fails is
    retried once with as many random others freed too. None if no repair was found."""
    start = time.monotonic()
    broken = sorted(broken_people(problem, plan))
    if not broken:
        return plan
    solution = _blank(problem, plan, set(broken))
    part_options = replace(
        options, formulation="periods", cost_relaxation=False, shortfall_relaxation=False
    )
    for first in range(0, len(broken), size):
        free = broken[first : first + size]
        for attempt in range(2):
            remaining = options.time_limit - (time.monotonic() - start)
            if remaining <= 0:
                return None
            sub = restrict(problem, solution, free)
            current = Solution(tuple(solution.activity[p] for p in free))
            result = solve_whole(
                sub,
                replace(part_options, time_limit=min(remaining, 2 * PART_SECONDS)),
                hint=current,
            )
            if result.solution is not None and keeps_every_rule(sub, result.solution):
                rows = list(solution.activity)
                for index, p in enumerate(free):
                    rows[p] = result.solution.activity[index]
                solution = Solution(tuple(rows))
                break
            if attempt == 0:
                others = [p for p in range(len(problem.people)) if p not in set(free)]
                free = sorted(free + rng.sample(others, min(len(others), len(free))))
        else:
            return None
    return solution


def replan_by_parts(
    problem: Problem,
    options: SolveOptions,
    progress: ProgressCallback | None = None,
    start_from: Solution | None = None,
    size: int | None = None,
) -> Result:
    """A large re-plan (pins, a previous plan, a change cap) by parts.

    Starts from `start_from` (a plan known to keep every rule) or else from the previous
    plan (or, without one, the constructive plan) repaired (`repair`): only the people
    whose rows break a rule of the new problem move. Then `solve_by_parts` improves it part
    by part, each sub-problem carrying its people's pins, previous rows and the change cap
    net of everyone held, and a part is kept only if the whole plan's tiers (changes
    included) improve. If no repair is found the result is NO_SOLUTION, honestly.
    """
    start = time.monotonic()
    size = size or part_size(problem)
    solution = start_from
    if solution is None:
        rng = random.Random(options.seed)
        base = Solution(problem.previous) if problem.previous is not None else construct(problem)
        budget = replace(options, time_limit=max(1.0, 0.4 * options.time_limit))
        solution = repair(problem, base, budget, size, rng)
    elapsed = time.monotonic() - start
    if solution is None:
        return Result(
            Status.NO_SOLUTION,
            None,
            None,
            Objective(shortfall_bound(problem), 0),
            elapsed,
            False,
            {"repair": Status.NO_SOLUTION},
        )
    if progress is not None:
        shortfall = solution.evaluate(problem).shortfall
        progress(Progress("repair", shortfall, shortfall_bound(problem), elapsed))
    rest = replace(options, time_limit=max(0.0, options.time_limit - elapsed))
    result = solve_by_parts(problem, rest, progress, solution, size)
    return replace(result, seconds=time.monotonic() - start)
