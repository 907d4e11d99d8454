"""A lower bound on the weighted shortfall from the rotation LP, by column generation.

The capacity floors (`bounds`) look at one period at a time, so they miss what the run
rules deny over the campaign: on the 100 × 10 × 17 synthetic scenario they bound the
shortfall at 301 where no plan misses fewer than 361, because the deployed-weeks cap and
the rest after each rotation bind. The rotation LP (`lp_bound` states its rows) sees
both, and the budget, but has one column per person, site and window: solving it whole
took HiGHS 11 s on that scenario. Here GLOP solves it over a few thousand columns, adding
each round the rotations whose reduced cost is negative (the pricing is a scan of every
window of every person, in NumPy), about 2 s in all.

The bound returned is never the master LP's value, which proves nothing until no column
prices out and rests on GLOP's tolerances: it is the Lagrangian dual of the whole LP at
the master's duals (clipped to their signs), valid for any multipliers. A person's
rotations sum to at most `_most_rotations` in the LP, which bounds what the columns not
yet in the master could add. So a round stopped by the time limit still gives a valid
bound, and at convergence the bound is the LP optimum.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from surgeplan.engine.arrays import WindowPrices, cover_skills, holds
from surgeplan.engine.lp_bound import round_up
from surgeplan.engine.variables import ROTATION_VARIABLES_MAX, rotation_windows
from surgeplan.problem import Problem

PER_PERSON = 6
"""Columns a person may gain per round. Fewer make more rounds, more make a larger master:
3, 6, 10 and 20 took 1.7–3.2 s on the built-in, 4.4–5.9 s capped at $600,000, 8.8–12.8 s
at $900,000 and 1.8–2.6 s on the 100 × 10 × 17 scenario; 6 was never far from the best."""
PRICED_OUT = 1e-9
"""Reduced cost below which a column enters."""


def applies(problem: Problem) -> bool:
    """Whether the LP states this problem's rules at a size it solves in seconds: rotations
    that stay at one site, a tiered objective, and at most ROTATION_VARIABLES_MAX columns."""
    if not problem.same_activity_runs or problem.single_objective:
        return False
    windows = sum(len(rotation_windows(problem, p)) for p in range(len(problem.people)))
    return windows * len(problem.activities) <= ROTATION_VARIABLES_MAX


@dataclass(frozen=True, slots=True)
class _Person:
    """What pricing needs of one person: windows as arrays, and their caps."""

    first: np.ndarray
    last: np.ndarray
    allowed: np.ndarray
    """Activities the person may work (bool per activity)."""
    most: float
    """The most their rotations sum to in the LP (`_most_rotations`)."""


def _most_rotations(problem: Problem, p: int, lengths: np.ndarray) -> float:
    """Rotations of person p sum to at most this in any LP solution: each spans at least
    the shortest window's periods of the horizon (busy rows ≤ 1) and of the deployed cap."""
    shortest = float(lengths.min())
    limits = problem.people[p].limits
    cap = problem.num_periods if limits.total_max is None else limits.total_max
    return min(problem.num_periods, cap) / shortest


class _Master:
    """The restricted LP on GLOP: every row from the start, columns added by pricing."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        P, T = len(problem.people), problem.num_periods
        solver = pywraplp.Solver.CreateSolver("GLOP")
        assert solver is not None  # GLOP ships with OR-Tools
        self.solver = solver
        inf = solver.infinity()
        self.busy = [[solver.Constraint(-inf, 1.0) for _ in range(T)] for _ in range(P)]
        self.total: dict[int, pywraplp.Constraint] = {}
        for p, person in enumerate(problem.people):
            if person.limits.total_max is not None:
                self.total[p] = solver.Constraint(-inf, float(person.limits.total_max))
        self.away: dict[tuple[int, int], pywraplp.Constraint] = {}
        for g, group in enumerate(problem.groups):
            for t in range(T):
                cap = group.cap(t)
                if cap is not None:
                    self.away[g, t] = solver.Constraint(-inf, float(cap))
        self.budget = (
            None if problem.budget is None else solver.Constraint(-inf, float(problem.budget))
        )
        objective = solver.Objective()
        objective.SetMinimization()
        self.cover = []
        for cover in problem.covers:
            row = solver.Constraint(float(cover.required), inf)
            short = solver.NumVar(0.0, float(cover.required), "")
            row.SetCoefficient(short, 1.0)
            objective.SetCoefficient(short, float(cover.weight))
            self.cover.append(row)
        self.at: dict[tuple[int, int], list[int]] = {}
        for c, cover in enumerate(problem.covers):
            self.at.setdefault((cover.activity, cover.period), []).append(c)
        self.columns: set[tuple[int, int, int, int]] = set()

    def add(self, p: int, a: int, first: int, last: int, price: float) -> None:
        """One rotation of person p at activity a over periods first..last."""
        problem, x = self.problem, self.solver.NumVar(0.0, self.solver.infinity(), "")
        rest = problem.people[p].limits.rest_min
        for t in range(first, min(problem.num_periods, last + rest + 1)):
            self.busy[p][t].SetCoefficient(x, 1.0)
        if p in self.total:
            self.total[p].SetCoefficient(x, float(last - first + 1))
        group = problem.people[p].group
        for t in range(first, last + 1):
            if (group, t) in self.away:
                self.away[group, t].SetCoefficient(x, 1.0)
            for c in self.at.get((a, t), []):
                if problem.can_fill(p, t, problem.covers[c].skill):
                    self.cover[c].SetCoefficient(x, 1.0)
        if self.budget is not None:
            self.budget.SetCoefficient(x, price)
        self.columns.add((p, a, first, last))

    def solve(self, seconds: float) -> bool:
        """Whether GLOP found the master's optimum within `seconds`."""
        self.solver.SetTimeLimit(max(1, int(seconds * 1000)))
        return bool(self.solver.Solve() == pywraplp.Solver.OPTIMAL)

    def duals(self) -> _Duals:
        """The master's duals as nonnegative multipliers: clipping to their signs keeps the
        Lagrangian valid whatever GLOP's tolerances left."""
        problem = self.problem
        total = np.zeros(len(problem.people))
        for p, row in self.total.items():
            total[p] = max(0.0, -row.dual_value())
        away = np.zeros((len(problem.groups), problem.num_periods))
        for (g, t), row in self.away.items():
            away[g, t] = max(0.0, -row.dual_value())
        return _Duals(
            cover=np.array([max(0.0, row.dual_value()) for row in self.cover]),
            busy=np.array([[max(0.0, -row.dual_value()) for row in rows] for rows in self.busy]),
            total=total,
            away=away,
            budget=0.0 if self.budget is None else max(0.0, -self.budget.dual_value()),
        )


@dataclass(frozen=True, slots=True)
class _Duals:
    """Multipliers ≥ 0 of every row: covers, busy rows (person × period), deployed caps
    (per person), release caps (group × period) and the budget."""

    cover: np.ndarray
    busy: np.ndarray
    total: np.ndarray
    away: np.ndarray
    budget: float

    def constant(self, problem: Problem) -> float:
        """The Lagrangian's terms that no rotation column touches: each cover's multiplier
        times its requirement, capped at its weight (beyond it, leaving the row short is
        cheaper), less each ≤-row's multiplier times its right-hand side."""
        covers = zip(self.cover, problem.covers, strict=True)
        value = sum(min(u, c.weight) * c.required for u, c in covers)
        value -= float(self.busy.sum())
        for p, person in enumerate(problem.people):
            if person.limits.total_max is not None:
                value -= self.total[p] * person.limits.total_max
        for g, group in enumerate(problem.groups):
            for t in range(problem.num_periods):
                value -= self.away[g, t] * (group.cap(t) or 0)
        return float(value) - self.budget * (problem.budget or 0)


class _Pricing:
    """Reduced costs of every window of every person, in NumPy."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        A = len(problem.activities)
        self.skills = cover_skills(problem)
        index = {skill: i for i, skill in enumerate(self.skills)}
        self.cover_cell = [
            (cover.period, cover.activity, index[cover.skill]) for cover in problem.covers
        ]
        self.holds = holds(problem, self.skills)
        self.prices = WindowPrices(problem)
        self.people: list[_Person | None] = []
        for p, person in enumerate(problem.people):
            windows = np.array(rotation_windows(problem, p), dtype=np.int64).reshape(-1, 2)
            allowed = np.array([person.allows(a) for a in range(A)])
            if not len(windows) or not allowed.any():
                self.people.append(None)
                continue
            first, last = windows[:, 0], windows[:, 1]
            most = _most_rotations(problem, p, last - first + 1)
            self.people.append(_Person(first, last, allowed, most))

    def scan(
        self, master: _Master, duals: _Duals
    ) -> tuple[float, list[tuple[int, int, int, int, float]]]:
        """The Lagrangian's value at `duals` and the columns to add (PER_PERSON per person
        at most, each with its price)."""
        problem = self.problem
        T = problem.num_periods
        gain = np.zeros((T, len(problem.activities), len(self.skills)))
        for c, (t, a, s) in enumerate(self.cover_cell):
            gain[t, a, s] += duals.cover[c]
        value = duals.constant(problem)
        entering: list[tuple[int, int, int, int, float]] = []
        for p, person in enumerate(self.people):
            if person is None:
                continue
            rest = problem.people[p].limits.rest_min
            filled = np.einsum("tas,ts->at", gain, self.holds[p])
            work = duals.away[problem.people[p].group][None, :] - filled
            work_sums = np.zeros((work.shape[0], T + 1))
            work_sums[:, 1:] = np.cumsum(work, axis=1)
            busy_sums = np.concatenate([[0.0], np.cumsum(duals.busy[p])])
            f, e = person.first, person.last
            span = np.minimum(T, e + rest + 1)
            reduced = work_sums[:, e + 1] - work_sums[:, f]
            reduced += (busy_sums[span] - busy_sums[f] + (e - f + 1) * duals.total[p])[None, :]
            price = self.prices.of(p, f, e)
            if duals.budget > 0:
                reduced += duals.budget * price
            reduced[~person.allowed, :] = np.inf
            lowest = float(reduced.min())
            value += person.most * min(0.0, lowest)
            if lowest >= -PRICED_OUT:
                continue
            for k in np.argsort(reduced, axis=None)[:PER_PERSON]:
                a, w = divmod(int(k), len(f))
                key = (p, a, int(f[w]), int(e[w]))
                if reduced[a, w] < -PRICED_OUT and key not in master.columns:
                    entering.append((*key, float(price[a, w])))
        return value, entering


def shortfall_lp(problem: Problem, seconds: float) -> int | None:
    """A lower bound on the weighted shortfall of every plan (within the budget, if any),
    or None where the LP does not apply (`applies`) or gave nothing within `seconds`."""
    if not applies(problem):
        return None
    deadline = time.monotonic() + seconds
    master, pricing = _Master(problem), _Pricing(problem)
    best: float | None = None
    while time.monotonic() < deadline:
        if not master.solve(deadline - time.monotonic()):
            break
        value, entering = pricing.scan(master, master.duals())
        best = value if best is None else max(best, value)
        if not entering:
            break
        for p, a, first, last, price in entering:
            master.add(p, a, first, last, price)
    return None if best is None else round_up(best)


def beside(problem: Problem, seconds: float) -> Callable[[float], int | None]:
    """Start `shortfall_lp(problem, seconds)` on a thread and return a wait for its answer
    until a given `time.monotonic()`. GLOP releases the GIL, so CP-SAT keeps both cores but
    for the LP's share. The thread is a daemon: after Ctrl-C nothing waits for it (GLOP
    stops at its own time limit)."""
    answer: list[int | None] = []
    thread = threading.Thread(
        target=lambda: answer.append(shortfall_lp(problem, seconds)), daemon=True
    )
    thread.start()

    def wait(until: float) -> int | None:
        thread.join(max(0.0, until - time.monotonic()))
        return answer[0] if answer else None

    return wait
