"""Long single-objective rosters by parts: people one by one, then windows of time.

A year of 150 people on 32 shift types is over a million cells: one CP-SAT model neither
builds nor finds a first roster in a minute on two cores. Every hard rule of a roster is
about one person, and only cover (soft) couples people, so:

1. *One by one*: each person in turn gets a plan of their own rules over the whole
   horizon (a one-person model is small), improved while time allows against the demand
   the people before them left. Rows that each keep their person's rules make a roster
   that keeps every rule.
2. *Windows*: a large-neighbourhood search frees a window of days for a group of people,
   with a few days of context on either side pinned (so run rules across the window's
   edges are stated whole) and everything outside netted out of the people's totals
   (shifts per type, minutes, load, weekends). A window's plan replaces the old one when
   the whole roster's penalty is no worse, so every incumbent keeps every hard rule
   (checked again in index space, `broken_people`).

Mid-size rosters (`neighbourhoods_apply`: a month or six weeks of tens of people) fit one
model, but CP-SAT's generic neighbourhoods improve them slowly from its poor first
rosters. They get a short probe of the whole model (which proves the small ones optimal
and gives the bound), then the same windows, mixed with *people* neighbourhoods (a few
people freed over the whole horizon, so a person's workload can move between weeks) and
*weekend* neighbourhoods (those few people plus everyone around one weekend, so a person
can move to a weekend whose crew makes room for them; `Window.held` keeps the rest).

Every stage solves its sub-problems with `solve_whole`: one engine, smaller models.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from surgeplan.engine.bounds import weekend_days
from surgeplan.engine.decompose import broken_people
from surgeplan.engine.solve import (
    Progress,
    ProgressCallback,
    Result,
    SolveOptions,
    Status,
    solve_whole,
)
from surgeplan.problem import ANYONE, Person, PinnedCell, Problem
from surgeplan.solution import HOME, Objective, Solution

WINDOWS_ABOVE = 5_000
"""Person × period cells above which a single-objective problem is solved by windows."""
NARROW_TO = 4
"""Activities a person starts on (see `_narrow`)."""
MIN_PERSON_SECONDS = 0.3
"""Least time for one person's model (below it CP-SAT is mostly still presolving)."""
NARROW_SHARE = 0.25
"""Share of the time left a person's narrowed model may use before every activity is tried
(caps can make a narrowed model infeasible without CP-SAT proving it quickly)."""
WINDOW_CELLS = 6_000
"""Decision cells of one window's free part."""
WINDOW_DAYS = 7
"""Free periods of one window (a week: on Instances 20 and 21 twice the fortnight's gain
in 60 s, as more windows fit; BENCHMARKS.md)."""
START_SHARE = 0.4
"""Share of the time limit the one-by-one start may use before windows improve it."""
PART_SECONDS = 1.5
"""Time limit of one window's solve."""
NEIGHBOURHOOD_CELLS = (2_000, 20_000)
"""Decision cells (person × allowed activity × period) between which a roster of at most
WINDOWS_ABOVE person-days is solved by a probe and neighbourhoods rather than whole: on
Curtois 8–12 and 14–19 they did better (19: 4,150 against 8,635 at 60 s), on the smaller
1–7 and the larger 13 (43,008 cells: 45,459 against 6,624) the whole model did
(BENCHMARKS.md)."""
PROBE_SHARE = 0.1
"""Share of the time limit the whole-model probe of a mid-size roster may use."""
MID_START_SHARE = 0.1
"""Share of the time limit a mid-size roster's one-by-one start may use. The search starts
from it even where the probe's plan is better: from the probe's plan it ended far higher
on Instances 11 and 14 (4,417 and 1,852 against 3,586–3,702 and 1,443–1,646)."""
PEOPLE_SHARE = 0.5
"""Share of a mid-size roster's neighbourhoods that free people rather than days."""
Picker = Callable[[Problem, Solution, random.Random, float], "Window"]
"""Draws a neighbourhood of a roster (the current one given) at a scale (1: its base size)."""
WEEKEND_SHARE = 0.3
"""Weight of weekend neighbourhoods beside the people and day ones (which weigh 1)."""
WEEKEND_SEEDS_SCALE = 0.5
"""Scale of a weekend neighbourhood's people freed over the whole horizon (fixed: CP-SAT
rarely finishes a weekend neighbourhood in its time, so it does not steer the scale). At
0.5 (two or three people) Instance10 ended at 4,685-4,781 in three runs, at 1.0 at 4,985."""
PEOPLE_CELLS = 600
"""Decision cells of a people neighbourhood (at least two people)."""
MID_PART_SECONDS = 0.5
"""Time limit of one neighbourhood's solve on a mid-size roster (more moves, each smaller)."""


@dataclass(frozen=True, slots=True)
class Window:
    """People freed over periods `first`..`last` (inclusive), the rest of their rows held."""

    people: tuple[int, ...]
    first: int
    last: int
    held: frozenset[tuple[int, int]] = frozenset()
    """(person, period) cells inside `first`..`last` that stay as they are (pinned)."""

    def frees(self, p: int, t: int) -> bool:
        """Whether person p's period t is free to change."""
        return self.first <= t <= self.last and (p, t) not in self.held


def windows_apply(problem: Problem) -> bool:
    """Whether a problem is a large roster the windows can state exactly."""
    return _stateable(problem) and len(problem.people) * problem.num_periods > WINDOWS_ABOVE


def neighbourhoods_apply(problem: Problem) -> bool:
    """Whether a problem is a mid-size roster for `solve_by_neighbourhoods`."""
    return (
        _stateable(problem)
        and len(problem.people) >= 2
        and not windows_apply(problem)
        and NEIGHBOURHOOD_CELLS[0] <= _cells(problem) <= NEIGHBOURHOOD_CELLS[1]
    )


def small_roster(problem: Problem) -> bool:
    """Whether a problem is a roster below the mid-size range (Curtois 1-7): solved
    whole, by the portfolio (`SolveOptions.portfolio`)."""
    return problem.single_objective and _cells(problem) < NEIGHBOURHOOD_CELLS[0]


def _cells(problem: Problem) -> int:
    """Person × allowed activity × period cells: the size the roster paths go by."""
    people = range(len(problem.people))
    return sum(_allowed_cells(problem, p) for p in people) * problem.num_periods


def _stateable(problem: Problem) -> bool:
    """Whether windows state the problem exactly: rosters only (one objective, no money,
    uncapped groups, no previous plan or pins, no fairness), with runs exempt at the
    horizon's ends (a window's ends are then its pinned context)."""
    return (
        problem.single_objective
        and problem.costs is None
        and problem.budget is None
        and problem.previous is None
        and problem.fairness_weight == 0
        and all(g.max_away is None and not g.caps for g in problem.groups)
        and not problem.pins
        and all(not p.limits.run_min_at_ends for p in problem.people)
    )


def context_periods(problem: Problem) -> int:
    """Pinned periods on each side of a window: enough that every run rule crossing the
    window's edge (a whole run, rest or run_max + 1 periods) lies inside the sub-problem."""
    longest = 1
    for person in problem.people:
        limits = person.limits
        longest = max(longest, limits.run_min, limits.rest_min, limits.run_max or 0)
    return longest + 1


def _span(problem: Problem, first: int, last: int) -> tuple[int, int]:
    """The sub-problem's periods: the window plus its context, widened so that no
    weekend is cut (a weekend is then wholly inside or wholly outside)."""
    context = context_periods(problem)
    lo, hi = max(0, first - context), min(problem.num_periods - 1, last + context)
    for weekend in problem.weekends:
        inside = [lo <= t <= hi for t in weekend]
        if any(inside) and not all(inside):
            lo, hi = min(lo, *weekend), max(hi, *weekend)
    return lo, hi


@dataclass(frozen=True, slots=True)
class Part:
    """A window's sub-problem, and where its periods sit in the whole horizon."""

    window: Window
    problem: Problem
    lo: int
    """Whole-horizon period of the sub-problem's period 0."""

    def current(self, solution: Solution) -> Solution:
        """The freed people's rows of `solution` over the sub-problem's periods."""
        hi = self.lo + self.problem.num_periods
        return Solution(tuple(solution.activity[p][self.lo : hi] for p in self.window.people))

    def splice(self, solution: Solution, found: Solution) -> Solution:
        """`solution` with the window's cells taken from the sub-problem's plan `found`."""
        rows = list(solution.activity)
        window = self.window
        for index, p in enumerate(window.people):
            inner = found.activity[index]
            rows[p] = tuple(
                inner[t - self.lo] if window.frees(p, t) else a for t, a in enumerate(rows[p])
            )
        return Solution(tuple(rows))


def restrict_window(problem: Problem, solution: Solution, window: Window) -> Part:
    """The sub-problem of `window`, everyone else and every other period held as in
    `solution`. Cover is net of the held people (over-cover priced from the first extra
    person when they already exceed it); each freed person's totals are net of their
    periods outside the sub-problem; context periods are pinned (or unavailable when off).
    """
    lo, hi = _span(problem, window.first, window.last)
    freed = set(window.people)
    others = (p for p in range(len(problem.people)) if p not in freed)
    held = solution.filled(problem, others, range(window.first, window.last + 1))
    covers = []
    for c in problem.covers:
        if window.first <= c.period <= window.last:
            required = max(0, c.required - held.get((c.period, c.activity, c.skill), 0))
            if required > 0 or c.over_weight > 0:
                covers.append(replace(c, period=c.period - lo, required=required))
    people, pins = [], []
    for index, p in enumerate(window.people):
        row = solution.activity[p]
        people.append(_net_person(problem, p, row, lo, hi, window))
        for t in _context(lo, hi, window, p):
            if row[t] != HOME:
                pins.append(PinnedCell(index, t - lo, row[t]))
    index_of = {p: i for i, p in enumerate(window.people)}
    requests = tuple(
        replace(r, person=index_of[r.person], period=r.period - lo)
        for r in problem.requests
        if r.person in index_of and window.first <= r.period <= window.last
    )
    weekends = tuple(
        tuple(t - lo for t in weekend) for weekend in problem.weekends if lo <= weekend[0] <= hi
    )
    sub = replace(
        problem,
        num_periods=hi - lo + 1,
        people=tuple(people),
        covers=tuple(covers),
        requests=requests,
        weekends=weekends,
        pins=tuple(pins),
        period_labels=problem.period_labels[lo : hi + 1],
    )
    return Part(window, sub, lo)


def _context(lo: int, hi: int, window: Window, p: int) -> tuple[int, ...]:
    """Person p's pinned periods of a sub-problem: those the window does not free."""
    return tuple(t for t in range(lo, hi + 1) if not window.frees(p, t))


def _net_person(
    problem: Problem, p: int, row: Sequence[int], lo: int, hi: int, window: Window
) -> Person:
    """Person p inside periods lo..hi: totals net of the periods outside, the context's
    days off unavailable (its worked days are pinned by the caller)."""
    person = problem.people[p]
    outside = [a for t, a in enumerate(row) if (t < lo or t > hi) and a != HOME]
    minutes = sum(problem.activities[a].minutes for a in outside)
    per_activity = tuple(
        None if most is None else most - outside.count(a)
        for a, most in enumerate(person.max_per_activity)
    )
    weekends = person.max_weekends
    if weekends is not None:
        weekends -= sum(
            1
            for weekend in problem.weekends
            if not lo <= weekend[0] <= hi and any(row[t] != HOME for t in weekend)
        )
    limits = person.limits
    total = None if limits.total_max is None else limits.total_max - len(outside)
    off = {t for t in _context(lo, hi, window, p) if row[t] == HOME}
    unavailable = frozenset(t - lo for t in person.unavailable | off if lo <= t <= hi)
    return replace(
        person,
        unavailable=unavailable,
        skills=person.skills[lo : hi + 1] if person.skills else (),
        limits=replace(limits, total_max=total),
        max_per_activity=per_activity,
        minutes_min=max(0, person.minutes_min - minutes),
        minutes_max=None if person.minutes_max is None else person.minutes_max - minutes,
        max_weekends=weekends,
    )


def _allowed_cells(problem: Problem, p: int) -> int:
    """Decision cells of person p per period (activities they may work)."""
    return max(1, sum(1 for a in range(len(problem.activities)) if problem.people[p].allows(a)))


def _narrow(sub: Problem) -> Problem:
    """A one-person sub-problem kept to the NARROW_TO activities with the most demand left
    (more while their caps cannot reach the minimum minutes): a year on 32 shift types
    takes CP-SAT seconds to presolve, on four a tenth of that. A stricter variant, so any
    plan of it keeps the rules of the original."""
    (person,) = sub.people
    T, A = sub.num_periods, len(sub.activities)
    demand = [0] * A
    for cover in sub.covers:
        demand[cover.activity] += cover.required
    caps = person.max_per_activity or (None,) * A
    allowed = sorted((a for a in range(A) if person.allows(a)), key=lambda a: -demand[a])
    kept: list[int] = []
    reach = 0
    for a in allowed:
        if len(kept) >= NARROW_TO and reach >= person.minutes_min:
            break
        kept.append(a)
        cap = caps[a]
        reach += (T if cap is None else min(cap, T)) * sub.activities[a].minutes
    narrowed = tuple(cap if a in kept else 0 for a, cap in enumerate(caps))
    return replace(sub, people=(replace(person, max_per_activity=narrowed),))


def _first_plan(
    sub: Problem, options: SolveOptions, deadline: float, guide: Solution | None
) -> Result:
    """Any plan of a one-person sub-problem: cover and requests dropped, so CP-SAT stops
    at its first plan (a constant objective is proven at once); on NARROW_TO activities
    first (`_narrow` without cover ranks none above another: the first ones the person may
    work), on every activity if those admit none. Ranking them by demand here halved the
    penalty on Instances 23 and 24 but made Instance22's person-years often infeasible (no
    roster in 60 s; BENCHMARKS.md). `guide` (the previous person's row) is a hint: similar
    contracts make similar rows (Instance22: 53 s → 45 s for 50 people)."""
    bare = replace(sub, covers=(), requests=())
    for variant, share in ((_narrow(bare), NARROW_SHARE), (bare, 1.0)):
        seconds = max(MIN_PERSON_SECONDS, share * (deadline - time.monotonic()))
        result = solve_whole(variant, replace(options, time_limit=seconds), hint=guide)
        if result.solution is not None or result.interrupted:
            return result
    return result


def _one_by_one(
    problem: Problem, options: SolveOptions, until: float, deadline: float
) -> tuple[Solution | None, bool]:
    """Roster people one at a time over the whole horizon, everyone before them held.

    Each person first gets any plan of their own rules (`_first_plan`); while time until
    `until` is left, that plan is improved against the demand the people before them left
    (a greedy start for the windows). Returns the roster (None if someone's rules admit no
    plan in time) and whether Ctrl-C stopped it.
    """
    T = problem.num_periods
    solution = Solution(tuple((HOME,) * T for _ in problem.people))
    guide = None
    for p in range(len(problem.people)):
        part = restrict_window(problem, solution, Window((p,), 0, T - 1))
        result = _first_plan(part.problem, options, deadline, guide)
        if result.interrupted or result.solution is None:
            return None, result.interrupted
        found = guide = result.solution
        share = (until - time.monotonic()) / (len(problem.people) - p)
        if share >= MIN_PERSON_SECONDS:
            # The busiest activities may exclude some of `found`'s: CP-SAT then repairs the
            # hint, and `found` (which keeps the person's rules) stands if nothing is better.
            better = solve_whole(
                _narrow(part.problem),
                replace(options, time_limit=share),
                hint=found,
                hint_is_feasible=True,
            )
            if better.interrupted:
                return None, True
            found = better.solution or found
        solution = part.splice(solution, found)
    return solution, False


def _pick_people(
    problem: Problem, solution: Solution, rng: random.Random, scale: float = 1.0
) -> Window:
    """Random people over the whole horizon, as many as fit PEOPLE_CELLS × `scale` (at
    least two)."""
    people = list(range(len(problem.people)))
    rng.shuffle(people)
    return Window(_fill(problem, people, scale), 0, problem.num_periods - 1)


def _fill(problem: Problem, people: Sequence[int], scale: float) -> tuple[int, ...]:
    """The first of `people` that fit PEOPLE_CELLS × `scale` over the horizon (at least two)."""
    chosen: list[int] = []
    cells = 0
    for p in people:
        size = _allowed_cells(problem, p) * problem.num_periods
        if len(chosen) >= 2 and cells + size > PEOPLE_CELLS * scale:
            break
        chosen.append(p)
        cells += size
    return tuple(sorted(chosen))


def _pick_weekends(
    problem: Problem, solution: Solution, rng: random.Random, scale: float = 1.0
) -> Window:
    """Everyone over one weekend and the periods either side of it, plus a few people over
    the whole horizon, drawn first among those who work fewer weekend periods than they
    could: where weekends bind (Curtois Instance11), a person stuck with half a weekend
    (a day off on the other half) gains a shift only by moving to another weekend, which
    that weekend's crew must make room for."""
    spare = [
        p
        for p in range(len(problem.people))
        if sum(solution.activity[p][t] != HOME for w in problem.weekends for t in w)
        < weekend_days(problem, p, ANYONE)
    ]
    rest = [p for p in range(len(problem.people)) if p not in spare]
    rng.shuffle(spare)
    rng.shuffle(rest)
    few = _fill(problem, spare + rest, WEEKEND_SEEDS_SCALE)
    weekend = rng.choice(problem.weekends)
    around = {s for t in weekend for s in (t - 1, t, t + 1)}
    held = frozenset(
        (p, t)
        for p in range(len(problem.people))
        if p not in few
        for t in range(problem.num_periods)
        if t not in around
    )
    return Window(tuple(range(len(problem.people))), 0, problem.num_periods - 1, held)


def _pick(problem: Problem, solution: Solution, rng: random.Random, scale: float = 1.0) -> Window:
    """A random window of WINDOW_DAYS × `scale` periods and as many random people as fit
    WINDOW_CELLS.

    (Drawing windows in proportion to the penalty paid there made no measurable
    difference on Instances 20 and 21; BENCHMARKS.md.)
    """
    T = problem.num_periods
    days = min(max(1, round(WINDOW_DAYS * scale)), T)
    first = rng.randrange(T - days + 1)
    people = list(range(len(problem.people)))
    rng.shuffle(people)
    chosen: list[int] = []
    cells = 0
    for p in people:
        size = _allowed_cells(problem, p) * days
        if chosen and cells + size > WINDOW_CELLS:
            break
        chosen.append(p)
        cells += size
    return Window(tuple(sorted(chosen)), first, first + days - 1)


def solve_by_windows(
    problem: Problem, options: SolveOptions, progress: ProgressCallback | None = None
) -> Result:
    """Roster people one by one, then improve window by window until the time limit.

    The limit covers everything (every sub-model's build included). The result is
    NO_SOLUTION when someone's rules admit no plan in time; otherwise FEASIBLE, with no
    proven bound (0).
    """
    start = time.monotonic()
    deadline = start + options.time_limit
    part_options = replace(options, formulation="periods")
    solution, interrupted = _one_by_one(
        problem, part_options, start + START_SHARE * options.time_limit, deadline
    )
    stage_seconds = {"start": round(time.monotonic() - start, 3)}
    if solution is None or broken_people(problem, solution):
        return _result(
            problem,
            None,
            Objective(0, 0),
            start,
            interrupted,
            {"start": Status.NO_SOLUTION},
            stage_seconds,
        )
    search = _Search(problem, part_options, start, progress, "windows")
    solution, interrupted = search.improve(solution, deadline, [(1.0, _pick, True)], PART_SECONDS)
    stage_seconds["windows"] = round(time.monotonic() - start, 3)
    statuses: dict[str, Status] = {"start": Status.FEASIBLE, "windows": Status.FEASIBLE}
    return _result(problem, solution, Objective(0, 0), start, interrupted, statuses, stage_seconds)


def solve_by_neighbourhoods(
    problem: Problem, options: SolveOptions, progress: ProgressCallback | None = None
) -> Result:
    """A mid-size roster: the whole model for PROBE_SHARE of the time (done if it proves
    its plan optimal), then a one-by-one start (the probe's plan if that finds none), then
    people and day neighbourhoods until the limit. The probe's bound stands.
    """
    start = time.monotonic()
    deadline = start + options.time_limit
    options = replace(options, portfolio=True)
    probe = solve_whole(
        problem, replace(options, time_limit=PROBE_SHARE * options.time_limit), progress
    )
    stage_seconds = {"probe": round(time.monotonic() - start, 3)}
    if probe.status is Status.OPTIMAL or probe.interrupted:
        return replace(probe, seconds=time.monotonic() - start, stage_seconds=stage_seconds)
    part_options = replace(options, formulation="periods")
    until = time.monotonic() + MID_START_SHARE * options.time_limit
    solution, interrupted = _one_by_one(problem, part_options, until, deadline)
    stage_seconds["start"] = round(time.monotonic() - start, 3)
    if solution is None:  # no start in time, or Ctrl-C: the probe's plan, if any
        solution = probe.solution
    if solution is None or broken_people(problem, solution):
        failed: dict[str, Status] = {"probe": probe.status, "start": Status.NO_SOLUTION}
        return _result(problem, None, probe.bound, start, interrupted, failed, stage_seconds)
    search = _Search(
        problem, part_options, start, progress, "neighbourhoods", probe.bound.shortfall, True
    )
    if not interrupted:
        pickers = [
            (PEOPLE_SHARE, _pick_people, True),
            (1 - PEOPLE_SHARE, _pick, True),
            (WEEKEND_SHARE if problem.weekends else 0.0, _pick_weekends, False),
        ]
        solution, interrupted = search.improve(solution, deadline, pickers, MID_PART_SECONDS)
    stage_seconds["neighbourhoods"] = round(time.monotonic() - start, 3)
    proven = solution.evaluate(problem).penalty <= probe.bound.shortfall
    statuses: dict[str, Status] = {
        "probe": probe.status,
        "neighbourhoods": Status.OPTIMAL if proven else Status.FEASIBLE,
    }
    return _result(problem, solution, probe.bound, start, interrupted, statuses, stage_seconds)


@dataclass(frozen=True, slots=True)
class _Search:
    """Large-neighbourhood search over a roster: free a window, re-solve it, keep the
    result when the whole roster's penalty is no worse and no person's rules break."""

    problem: Problem
    options: SolveOptions
    start: float
    progress: ProgressCallback | None
    stage: str
    """The stage named in progress events."""
    bound: int = 0
    """The proven bound shown in progress events (0: none)."""
    adaptive: bool = False
    """Grow neighbourhoods when CP-SAT solves one to optimality without a gain, shrink them
    when CP-SAT cannot finish one (`_rescale`; one scale for every kind: a scale per kind
    did worse on Instances 9, 11 and 14); otherwise each has its base size."""

    def improve(
        self,
        solution: Solution,
        deadline: float,
        pickers: Sequence[tuple[float, Picker, bool]],
        part_seconds: float,
    ) -> tuple[Solution, bool]:
        """The best roster found until `deadline`, and whether Ctrl-C stopped the search.

        `pickers` are the kinds of neighbourhood with their weights (drawn in proportion)
        and whether their outcome steers the adaptive scale (a kind CP-SAT rarely finishes
        would otherwise shrink every other kind).
        """
        problem = self.problem
        objective = solution.evaluate(problem)
        rng = random.Random(self.options.seed)
        interrupted = False
        scale = 1.0
        weights = [weight for weight, _, _ in pickers]
        while not interrupted and (left := deadline - time.monotonic()) > 0.5:
            kind = rng.choices(range(len(pickers)), weights)[0] if len(pickers) > 1 else 0
            window = pickers[kind][1](problem, solution, rng, scale)
            part = restrict_window(problem, solution, window)
            result = solve_whole(
                part.problem,
                replace(self.options, time_limit=min(left, part_seconds)),
                hint=part.current(solution),
                hint_is_feasible=True,
            )
            interrupted = result.interrupted
            if result.solution is None:
                continue
            candidate = part.splice(solution, result.solution)
            value = candidate.evaluate(problem)
            improved = value.penalty < objective.penalty
            if self.adaptive and pickers[kind][2]:
                scale = _rescale(scale, result.status is Status.OPTIMAL, improved)
            if value.penalty <= objective.penalty and not broken_people(problem, candidate):
                solution, objective = candidate, value
                if improved and self.progress is not None:
                    elapsed = time.monotonic() - self.start
                    self.progress(Progress(self.stage, objective.penalty, self.bound, elapsed))
        return solution, interrupted


SCALE_STEP = 1.2
"""Factor by which an adaptive search grows or shrinks its neighbourhoods."""
SCALE_RANGE = (0.5, 8.0)
"""Least and most neighbourhood scale of an adaptive search."""


def _rescale(scale: float, proven: bool, improved: bool) -> float:
    """Grow after a neighbourhood proven to hold nothing better; shrink after one CP-SAT
    could not finish (it was too large to search in its time)."""
    if proven and not improved:
        scale *= SCALE_STEP
    elif not proven:
        scale /= SCALE_STEP
    return min(max(scale, SCALE_RANGE[0]), SCALE_RANGE[1])


def _result(
    problem: Problem,
    solution: Solution | None,
    bound: Objective,
    start: float,
    interrupted: bool,
    stage_status: dict[str, Status],
    stage_seconds: dict[str, float],
) -> Result:
    """The Result of a roster search: NO_SOLUTION without a roster, else the status of
    its last stage."""
    seconds = time.monotonic() - start
    if solution is None:
        status = Status.NO_SOLUTION
        return Result(status, None, None, bound, seconds, interrupted, stage_status, stage_seconds)
    last = list(stage_status.values())[-1]
    return Result(
        last,
        solution,
        solution.evaluate(problem),
        bound,
        seconds,
        interrupted,
        stage_status,
        stage_seconds,
    )
