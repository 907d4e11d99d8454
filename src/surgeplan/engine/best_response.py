"""Best responses: one person's whole schedule re-planned at a time, everyone else held.

With the others held, what a person adds in a period is exact and additive: the weight of
every demand row at their site that they count toward and that is short without them. So
their best schedule — rotations from their windows, the rest after each, their deployed
cap, their base's release cap net of the others — is a shortest path over (period,
weeks deployed so far), the shortfall first and the cost second. A sweep over a thousand
people takes about a second, where a CP-SAT part of fifteen people takes four. Sweeps
stop where no one alone can do better; iterated best responses (`Search.kick`) then send
someone to a short demand row and let the people near it respond, about 1,100 moves a
second at 1,000 × 30 × 26. Solves by parts (`decompose`) alternate them with their parts.

Only for problems whose every rule the path states: rotations at one site, the shortfall
and cost tiers alone (no requests, pins, previous plan or fairness), no limits per
activity, on minutes or weekends, no forbidden successions, and no over-staffing weights.
A budget is kept by refusing a response that would break it.
"""

from __future__ import annotations

import random
import time

import numpy as np

from surgeplan.engine.arrays import WindowPrices, cover_skills, holds
from surgeplan.engine.paths import best_windows
from surgeplan.engine.variables import rotation_windows
from surgeplan.problem import Problem
from surgeplan.solution import HOME, Solution

SCALE = 10**9
"""One unit of weighted shortfall outweighs any person's cost in cents ($10M), and the
largest worth (a few hundred units) stays exact in a float."""
KICKED = 4
"""People one step of iterated best responses moves: the one sent and three near it
(2 or 6 did worse at 1,000 × 30 × 26, BENCHMARKS.md §1)."""


def applies(problem: Problem) -> bool:
    """Whether the path states every rule and tier of `problem` (see the docstring)."""
    plain_people = all(
        all(limit in (None, 0) for limit in person.max_per_activity)
        and person.minutes_min == 0
        and person.minutes_max is None
        and person.max_weekends is None
        for person in problem.people
    )
    return (
        plain_people
        and problem.same_activity_runs
        and not problem.single_objective
        and not problem.requests
        and not problem.pins
        and problem.previous is None
        and problem.fairness_weight == 0
        and not problem.forbidden
        and all(cover.over_weight == 0 for cover in problem.covers)
    )


class _Plan:
    """The plan being improved, with the counts a best response reads: people on each
    demand row and away from each base per period. Its rows are kept twice, as lists for
    one person's reads and as a NumPy grid for the scans over everyone a kick makes
    (half a kick's time at 1,000 × 30 × 26 as Python loops), so rows change only by
    `put`."""

    def __init__(self, problem: Problem, solution: Solution) -> None:
        self.problem = problem
        self.rows = [list(row) for row in solution.activity]
        self.grid = np.array(solution.activity, dtype=np.int64).reshape(-1, problem.num_periods)
        self.allowed = np.array(
            [
                [person.allows(a) for a in range(len(problem.activities))]
                for person in problem.people
            ],
            dtype=bool,
        ).reshape(len(problem.people), -1)
        """allowed[p, a]: whether person p may work activity a."""
        self.caps = np.array(
            [
                [
                    np.iinfo(np.int64).max if (cap := group.cap(t)) is None else cap
                    for t in range(problem.num_periods)
                ]
                for group in problem.groups
            ],
            dtype=np.int64,
        ).reshape(len(problem.groups), -1)
        """caps[g, t]: the most of group g away in period t (no cap: the largest int)."""
        P, T, G = len(problem.people), problem.num_periods, len(problem.groups)
        self.skills = cover_skills(problem)
        index = {skill: i for i, skill in enumerate(self.skills)}
        self.cell = np.array(
            [(c.period, c.activity, index[c.skill]) for c in problem.covers], dtype=np.int64
        ).reshape(-1, 3)
        self.cell_key = self.cell[:, 1] * problem.num_periods + self.cell[:, 0]
        """Each cover's (activity, period) as one index of an activities × periods table."""
        self.required = np.array([c.required for c in problem.covers], dtype=np.int64)
        self.weight = np.array([c.weight for c in problem.covers], dtype=np.int64)
        self.holds = holds(problem, self.skills)
        self.at: dict[tuple[int, int], list[int]] = {}
        for c, cover in enumerate(problem.covers):
            self.at.setdefault((cover.activity, cover.period), []).append(c)
        self.filled = np.zeros(len(problem.covers), dtype=np.int64)
        self.away = np.zeros((G, T), dtype=np.int64)
        for p in range(P):
            self.count(p, +1)

    def count(self, p: int, sign: int) -> None:
        """Add (+1) or take (−1) person p's current row to or from the counts."""
        group = self.problem.people[p].group
        for t, a in enumerate(self.rows[p]):
            if a == HOME:
                continue
            self.away[group, t] += sign
            for c in self.at.get((a, t), []):
                if self.holds[p, t, self.cell[c, 2]]:
                    self.filled[c] += sign

    def put(self, p: int, row: list[int]) -> None:
        """Make `row` person p's (counts are the caller's: take p's out first)."""
        self.rows[p] = row
        self.grid[p] = row

    def gain(self, p: int) -> np.ndarray:
        """activities × periods: weighted shortfall person p removes there, others held
        (their counts must exclude p)."""
        short = np.where(self.filled < self.required, self.weight, 0)
        T, A = self.problem.num_periods, len(self.problem.activities)
        counted = short * self.holds[p, self.cell[:, 0], self.cell[:, 2]]
        gain = np.bincount(self.cell_key, weights=counted, minlength=A * T).reshape(A, T)
        return gain.astype(np.int64)


def _schedule(
    problem: Problem,
    p: int,
    first: np.ndarray,
    last: np.ndarray,
    score: np.ndarray,
    choice: np.ndarray,
) -> list[int]:
    """Person p's best row: windows `first`..`last` worth `score` at activity `choice`,
    apart by at least the rest (one period where rest_min is 0, or adjacent rotations
    would run together), within the deployed cap."""
    T, limits = problem.num_periods, problem.people[p].limits
    cap = T if limits.total_max is None else min(T, limits.total_max)
    _, chosen = best_windows(T, cap, max(1, limits.rest_min), first, last, score)
    row = [HOME] * T
    for w in chosen:
        row[int(first[w]) : int(last[w]) + 1] = [int(choice[w])] * int(last[w] - first[w] + 1)
    return row


class Search:
    """Best responses over a plan kept with its counts, its cost and its rules."""

    def __init__(self, problem: Problem, solution: Solution) -> None:
        self.problem, self.plan = problem, _Plan(problem, solution)
        self.prices = WindowPrices(problem)
        self.priced: dict[int, np.ndarray] = {}
        """Each person's window prices (`prices.of`), kept once asked: they never change."""
        self.windows = [
            np.array(rotation_windows(problem, p), dtype=np.int64).reshape(-1, 2)
            for p in range(len(problem.people))
        ]
        self.spent = solution.evaluate(problem).cost

    def best_row(
        self, p: int, gain: np.ndarray, forced: tuple[int, int] | None = None
    ) -> list[int] | None:
        """Person p's best row with the others held (p's counts taken out), given what p
        would `gain` where (`_Plan.gain`), or None if p has no window; `forced` (activity,
        period) makes p work there if any window can."""
        problem, plan, w = self.problem, self.plan, self.windows[p]
        if not len(w):
            return None
        person, (A, T) = problem.people[p], (len(problem.activities), problem.num_periods)
        first, last = w[:, 0], w[:, 1]
        blocked = plan.away[person.group] >= plan.caps[person.group]
        blocked_sums = np.concatenate([[0], np.cumsum(blocked)])
        if forced is not None:
            gain = gain.copy()
            gain[forced] += int(plan.weight.sum()) + 1  # more than any schedule gains
        gain_sums = np.zeros((A, T + 1), dtype=np.int64)
        gain_sums[:, 1:] = np.cumsum(gain, axis=1)
        worth = (gain_sums[:, last + 1] - gain_sums[:, first]).astype(float) * SCALE
        if p not in self.priced:
            self.priced[p] = self.prices.of(p, first, last)
        worth -= self.priced[p]
        worth[~plan.allowed[p], :] = -np.inf
        worth[:, blocked_sums[last + 1] > blocked_sums[first]] = -np.inf
        choice = worth.argmax(axis=0)
        score = worth[choice, np.arange(len(first))]
        keep = np.isfinite(score) & (score > 0)
        return _schedule(problem, p, first[keep], last[keep], score[keep], choice[keep])

    def respond(self, p: int, forced: tuple[int, int] | None = None) -> bool:
        """Give person p their best row if it is worth more than theirs (or, `forced`,
        whatever it is) and keeps the budget; whether p's row changed."""
        plan, budget = self.plan, self.problem.budget
        plan.count(p, -1)
        gain = plan.gain(p)
        row, changed = self.best_row(p, gain, forced), False
        if row is not None and row != plan.rows[p]:
            cost, was = _cost(self.problem, p, row), _cost(self.problem, p, plan.rows[p])
            better = forced is not None or (_removed(row, gain), -cost) > (
                _removed(plan.rows[p], gain),
                -was,
            )
            extra = cost - was
            if better and (budget is None or self.spent + extra <= budget):
                plan.put(p, row)
                changed = True
                self.spent += extra
        plan.count(p, +1)
        return changed

    def settle(self, deadline: float, rng: random.Random) -> None:
        """Sweeps in random order until one changes nobody or `deadline` passes."""
        changed = True
        while changed and time.monotonic() < deadline:
            order = list(range(len(self.problem.people)))
            rng.shuffle(order)
            changed = False
            for p in order:
                if time.monotonic() >= deadline:
                    return
                changed = self.respond(p) or changed

    def value(self) -> tuple[int, int]:
        """(weighted shortfall, cost) of the current plan."""
        plan = self.plan
        short = np.maximum(plan.required - plan.filled, 0)
        return int((plan.weight * short).sum()), self.spent

    def kick(self, rng: random.Random) -> bool:
        """One step of iterated best responses: a person qualified for a short demand row
        is sent there, the people it displaces or competes with respond, and the move is
        kept if the plan is no worse (equal plans let the search drift across plateaus).
        Whether the plan changed."""
        plan = self.plan
        short = np.flatnonzero(plan.filled < plan.required)
        if not len(short):
            return False
        c = int(rng.choice(list(short)))
        t, a, s = (int(x) for x in plan.cell[c])
        able = np.flatnonzero(
            (plan.holds[:, t, s] != 0) & (plan.grid[:, t] != a) & plan.allowed[:, a]
        ).tolist()
        if not able:
            return False
        mover = rng.choice(able)
        around = (plan.grid[:, max(0, t - 2) : t + 3] == a).any(axis=1)
        around[mover] = False
        near = np.flatnonzero(around).tolist()
        others = rng.sample(near, min(len(near), KICKED - 1))
        before, saved = self.value(), {p: list(plan.rows[p]) for p in [mover, *others]}
        self.respond(mover, (a, t))
        for p in others:
            self.respond(p)
        for p in [*others, mover]:
            self.respond(p)
        if self.value() <= before:
            return any(plan.rows[p] != row for p, row in saved.items())
        for p, row in saved.items():  # worse: put everyone back
            plan.count(p, -1)
            self.spent += _cost(self.problem, p, row) - _cost(self.problem, p, plan.rows[p])
            plan.put(p, row)
            plan.count(p, +1)
        return False

    def solution(self) -> Solution:
        """The current plan."""
        return Solution(tuple(tuple(row) for row in self.plan.rows))

    def adopt(self, solution: Solution) -> None:
        """Make `solution` the current plan, recounting only the rows that differ (those a
        part changed): a new Search recounts everyone and rebuilds its tables, about 0.5 s
        at 1,000 × 30 × 26, once per burst of `iterate` in a solve by parts."""
        plan = self.plan
        for p, row in enumerate(solution.activity):
            if list(row) == plan.rows[p]:
                continue
            plan.count(p, -1)
            self.spent += _cost(self.problem, p, list(row)) - _cost(self.problem, p, plan.rows[p])
            plan.put(p, list(row))
            plan.count(p, +1)

    def iterate(self, deadline: float, rng: random.Random, patience: int | None = None) -> None:
        """`settle`, then iterated best responses (`kick`) until `deadline`, or until
        `patience` kicks in a row leave the plan no better (None: never)."""
        self.settle(deadline, rng)
        best, idle = self.value(), 0
        while time.monotonic() < deadline and (patience is None or idle < patience):
            self.kick(rng)
            value = self.value()
            idle = 0 if value < best else idle + 1
            best = min(best, value)


def improve(problem: Problem, solution: Solution, deadline: float, rng: random.Random) -> Solution:
    """Sweeps of best responses in random order until one changes nobody or `deadline`
    (`time.monotonic()`) passes; the result is never worse than `solution`."""
    search = Search(problem, solution)
    search.settle(deadline, rng)
    return search.solution()


def iterate(problem: Problem, solution: Solution, deadline: float, rng: random.Random) -> Solution:
    """`improve`, then iterated best responses (`Search.kick`) until `deadline`."""
    search = Search(problem, solution)
    search.iterate(deadline, rng)
    return search.solution()


def _removed(row: list[int], gain: np.ndarray) -> int:
    """The weighted shortfall `row` removes, given what its person would `gain` where
    (the others held)."""
    return sum(
        int(gain[s.activity, s.first : s.last + 1].sum())
        for s in Solution((tuple(row),)).stretches()
    )


def _cost(problem: Problem, p: int, row: list[int]) -> int:
    """Person p's `row`'s cost in cents."""
    return sum(
        problem.stretch_cost(p, s.activity, s.first, s.last)
        for s in Solution((tuple(row),)).stretches()
    )
