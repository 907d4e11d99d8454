"""A lower bound on the weighted shortfall from an LP, by column generation.

The capacity floors (`bounds`) look at one period at a time, so they miss what the run
rules deny over the campaign: on the 100 × 10 × 17 synthetic scenario they bound the
shortfall at 301 where no plan misses fewer than 361, because the deployed-weeks cap and
the rest after each rotation bind. Two LPs see them, and the budget:

- columns that are whole schedules, one person's rotations for the campaign (a
  Dantzig–Wolfe master: a row per demand, release cap, the budget, and one per person
  that their schedules share). A person's best schedule at given dual prices is a longest
  path (`paths`), so no column is ever enumerated: at 1,000 × 30 × 26, seeded with the
  polished start's schedules, GLOP converged in 17 rounds and 52 s, where the rotation LP
  took 312 s.
- columns that are rotations (`lp_bound` states the rows: a person's busy and deployed
  rows replace their schedule row). Where a budget binds, a convex mix of rotations
  meets it in far fewer rounds than one of whole schedules (capped at $600,000: 6 s
  against 59 s), so budgeted problems with few enough windows use these.

The bound returned is never the master LP's value, which proves nothing until no column
prices out and rests on GLOP's tolerances: it is the Lagrangian dual of the whole LP at
the master's duals (clipped to their signs), valid for any multipliers. A round stopped
by the time limit still gives a valid bound, and at convergence the bound is the LP
optimum.
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
from surgeplan.engine.paths import best_windows
from surgeplan.engine.variables import ROTATION_VARIABLES_MAX, rotation_windows
from surgeplan.problem import Problem
from surgeplan.solution import Solution

PER_PERSON = 6
"""Columns a person may gain per round. Fewer make more rounds, more make a larger master:
3, 6, 10 and 20 took 1.7–3.2 s on the built-in, 4.4–5.9 s capped at $600,000, 8.8–12.8 s
at $900,000 and 1.8–2.6 s on the 100 × 10 × 17 scenario; 6 was never far from the best."""
PRICED_OUT = 1e-9
"""Reduced cost below which a column enters."""


def applies(problem: Problem) -> bool:
    """Whether the LPs state this problem's shortfall tier: rotations that stay at one
    site and a tiered objective."""
    return problem.same_activity_runs and not problem.single_objective


def by_rotations(problem: Problem) -> bool:
    """Whether rotation columns suit `problem` better than schedules: where a budget may
    bind and there are at most ROTATION_VARIABLES_MAX (person, site, window) columns."""
    if problem.budget is None:
        return False
    windows = sum(len(rotation_windows(problem, p)) for p in range(len(problem.people)))
    return windows * len(problem.activities) <= ROTATION_VARIABLES_MAX


Rotation = tuple[int, int, int]
"""(activity, first period, last period)."""
Column = tuple[int, tuple[Rotation, ...], float]
"""A person, their rotations (one, or a whole schedule) and their price in cents."""


@dataclass(frozen=True, slots=True)
class _Person:
    """What pricing needs of one person: windows as arrays, and their caps."""

    first: np.ndarray
    last: np.ndarray
    allowed: np.ndarray
    """Activities the person may work (bool per activity)."""
    most: float
    """The most their rotations sum to in the rotation LP (`_most_rotations`)."""
    cap: int
    """The most periods their schedule may deploy them."""


def _most_rotations(problem: Problem, p: int, lengths: np.ndarray) -> float:
    """Rotations of person p sum to at most this in any rotation LP solution: each spans
    at least the shortest window's periods of the horizon (busy rows ≤ 1) and of the
    deployed cap."""
    shortest = float(lengths.min())
    limits = problem.people[p].limits
    cap = problem.num_periods if limits.total_max is None else limits.total_max
    return min(problem.num_periods, cap) / shortest


class _Master:
    """The restricted LP on GLOP: every row from the start, columns added by pricing.
    Schedule columns share a row per person (at most one schedule in all); rotation
    columns share a person's busy rows (rotation and rest) and deployed cap instead."""

    def __init__(self, problem: Problem, schedules: bool) -> None:
        self.problem, self.schedules = problem, schedules
        P, T = len(problem.people), problem.num_periods
        solver = pywraplp.Solver.CreateSolver("GLOP")
        assert solver is not None  # GLOP ships with OR-Tools
        # Without presolve, a re-solve starts from the last basis: at 1,000 × 30 × 26 a
        # round took 1–7 s where each took 10–70 s from scratch.
        solver.SetSolverSpecificParametersAsString("use_preprocessing: false")
        self.solver = solver
        inf = solver.infinity()
        self.person = [solver.Constraint(-inf, 1.0) for _ in range(P)] if schedules else []
        self.busy = (
            []
            if schedules
            else [[solver.Constraint(-inf, 1.0) for _ in range(T)] for _ in range(P)]
        )
        self.total: dict[int, pywraplp.Constraint] = {}
        for p, person in enumerate(problem.people):
            if person.limits.total_max is not None and not schedules:
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
        self.columns: set[tuple[int, tuple[Rotation, ...]]] = set()

    def add(self, column: Column) -> None:
        """One column: person p's rotations at their price."""
        p, rotations, price = column
        problem, x = self.problem, self.solver.NumVar(0.0, self.solver.infinity(), "")
        rest, group = problem.people[p].limits.rest_min, problem.people[p].group
        if self.schedules:
            self.person[p].SetCoefficient(x, 1.0)
        if p in self.total:
            deployed = sum(last - first + 1 for _, first, last in rotations)
            self.total[p].SetCoefficient(x, float(deployed))
        for a, first, last in rotations:
            if not self.schedules:
                for t in range(first, min(problem.num_periods, last + rest + 1)):
                    self.busy[p][t].SetCoefficient(x, 1.0)
            for t in range(first, last + 1):
                if (group, t) in self.away:
                    self.away[group, t].SetCoefficient(x, 1.0)
                for c in self.at.get((a, t), []):
                    if problem.can_fill(p, t, problem.covers[c].skill):
                        self.cover[c].SetCoefficient(x, 1.0)
        if self.budget is not None:
            self.budget.SetCoefficient(x, price)
        self.columns.add((p, rotations))

    def solve(self, seconds: float) -> bool:
        """Whether GLOP found the master's optimum within `seconds`."""
        self.solver.SetTimeLimit(max(1, int(seconds * 1000)))
        return bool(self.solver.Solve() == pywraplp.Solver.OPTIMAL)

    def duals(self) -> _Duals:
        """The master's duals as nonnegative multipliers: clipping to their signs keeps the
        Lagrangian valid whatever GLOP's tolerances left."""
        problem = self.problem
        P, T = len(problem.people), problem.num_periods
        total = np.zeros(P)
        for p, row in self.total.items():
            total[p] = max(0.0, -row.dual_value())
        away = np.zeros((len(problem.groups), T))
        for (g, t), row in self.away.items():
            away[g, t] = max(0.0, -row.dual_value())
        busy = np.zeros((P, T))
        for p, rows in enumerate(self.busy):
            busy[p] = [max(0.0, -row.dual_value()) for row in rows]
        return _Duals(
            cover=np.array([max(0.0, row.dual_value()) for row in self.cover]),
            busy=busy,
            total=total,
            away=away,
            budget=0.0 if self.budget is None else max(0.0, -self.budget.dual_value()),
            person=np.array([max(0.0, -row.dual_value()) for row in self.person]),
        )


@dataclass(frozen=True, slots=True)
class _Duals:
    """Multipliers ≥ 0 of every row: covers, busy rows (person × period), deployed caps
    (per person), release caps (group × period), the budget and the schedule rows (per
    person; empty for rotation columns, whose busy and deployed rows are zero for
    schedules)."""

    cover: np.ndarray
    busy: np.ndarray
    total: np.ndarray
    away: np.ndarray
    budget: float
    person: np.ndarray

    def constant(self, problem: Problem) -> float:
        """The Lagrangian's terms that no column touches: each cover's multiplier times
        its requirement, capped at its weight (beyond it, leaving the row short is
        cheaper), less each ≤-row's multiplier times its right-hand side (a schedule
        row's is in the schedule's own value, `_Pricing.scan`)."""
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


@dataclass(frozen=True, slots=True)
class _Offer:
    """One person's windows priced at the master's duals, before the rows only one kind
    of column has (busy and deployed rows for rotations, the schedule row for schedules)."""

    p: int
    person: _Person
    reduced: np.ndarray
    """Reduced cost per activity × window."""
    price: np.ndarray
    """Cents per activity × window."""


class _Pricing:
    """Reduced costs of every window of every person, in NumPy, and the best schedules."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        A, T = len(problem.activities), problem.num_periods
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
            total_max = person.limits.total_max
            cap = T if total_max is None else min(T, total_max)
            self.people.append(_Person(first, last, allowed, most, cap))

    def scan(self, master: _Master, duals: _Duals) -> tuple[float, list[Column]]:
        """The Lagrangian's value at `duals` and the columns to add: each person's best
        schedule (schedule columns) or PER_PERSON rotations at most (rotation columns)."""
        problem = self.problem
        T = problem.num_periods
        gain = np.zeros((T, len(problem.activities), len(self.skills)))
        for c, (t, a, s) in enumerate(self.cover_cell):
            gain[t, a, s] += duals.cover[c]
        value = duals.constant(problem)
        entering: list[Column] = []
        for p, person in enumerate(self.people):
            if person is None:
                continue
            filled = np.einsum("tas,ts->at", gain, self.holds[p])
            work = duals.away[problem.people[p].group][None, :] - filled
            work_sums = np.zeros((work.shape[0], T + 1))
            work_sums[:, 1:] = np.cumsum(work, axis=1)
            f, e = person.first, person.last
            reduced = work_sums[:, e + 1] - work_sums[:, f]
            price = self.prices.of(p, f, e)
            if duals.budget > 0:
                reduced += duals.budget * price
            reduced[~person.allowed, :] = np.inf
            offer = _Offer(p, person, reduced, price)
            if master.schedules:
                value -= self._schedule(offer, duals, master, entering)
            else:
                value += self._rotations(offer, duals, master, entering)
        return value, entering

    def _schedule(
        self, offer: _Offer, duals: _Duals, master: _Master, entering: list[Column]
    ) -> float:
        """What p's best schedule is worth at these prices (≥ 0: staying home is one), and
        the schedule into `entering` if it prices out. Rotations here need only rest_min
        between them, not the period that keeps adjacent ones apart: a relaxation, so the
        bound stays valid where a rest of 0 lets one site follow another."""
        p, person, reduced, price = offer.p, offer.person, offer.reduced, offer.price
        choice = reduced.argmin(axis=0)
        score = -reduced[choice, np.arange(reduced.shape[1])]
        keep = np.flatnonzero(score > PRICED_OUT)
        rest = self.problem.people[p].limits.rest_min
        first, last = person.first[keep], person.last[keep]
        worth, chosen = best_windows(
            self.problem.num_periods, person.cap, rest, first, last, score[keep]
        )
        if worth > duals.person[p] + PRICED_OUT:
            rotations = tuple((int(choice[keep[w]]), int(first[w]), int(last[w])) for w in chosen)
            if (p, rotations) not in master.columns:
                cost = sum(
                    float(price[a, keep[w]]) for (a, _, _), w in zip(rotations, chosen, strict=True)
                )
                entering.append((p, rotations, cost))
        return worth

    def _rotations(
        self, offer: _Offer, duals: _Duals, master: _Master, entering: list[Column]
    ) -> float:
        """Person p's share of the Lagrangian (≤ 0) with rotation columns, and their
        PER_PERSON rotations of least reduced cost into `entering` where negative."""
        p, person, price = offer.p, offer.person, offer.price
        T, f, e = self.problem.num_periods, person.first, person.last
        rest = self.problem.people[p].limits.rest_min
        busy_sums = np.concatenate([[0.0], np.cumsum(duals.busy[p])])
        span = np.minimum(T, e + rest + 1)
        reduced = (
            offer.reduced + (busy_sums[span] - busy_sums[f] + (e - f + 1) * duals.total[p])[None, :]
        )
        lowest = float(reduced.min())
        if lowest < -PRICED_OUT:
            for k in np.argsort(reduced, axis=None)[:PER_PERSON]:
                a, w = divmod(int(k), len(f))
                rotations = ((a, int(f[w]), int(e[w])),)
                if reduced[a, w] < -PRICED_OUT and (p, rotations) not in master.columns:
                    entering.append((p, rotations, float(price[a, w])))
        return person.most * min(0.0, lowest)


def _seed(problem: Problem, plan: Solution, schedules: bool) -> list[Column]:
    """The columns of a plan: each person's schedule, or each of their rotations."""
    rotations: dict[int, list[tuple[Rotation, float]]] = {}
    for s in plan.stretches():
        cost = float(problem.stretch_cost(s.person, s.activity, s.first, s.last))
        rotations.setdefault(s.person, []).append(((s.activity, s.first, s.last), cost))
    if schedules:
        return [
            (p, tuple(r for r, _ in row), sum(c for _, c in row)) for p, row in rotations.items()
        ]
    return [(p, (r,), c) for p, row in rotations.items() for r, c in row]


def shortfall_lp(
    problem: Problem,
    seconds: float,
    seed: Solution | None = None,
    schedules: bool | None = None,
) -> int | None:
    """A lower bound on the weighted shortfall of every plan (within the budget, if any),
    or None where the LP does not apply (`applies`) or gave nothing within `seconds`.
    A `seed` plan's columns start the master, which then starts near its value. Columns
    are whole `schedules` or rotations; None picks (`by_rotations`)."""
    if not applies(problem):
        return None
    deadline = time.monotonic() + seconds
    if schedules is None:
        schedules = not by_rotations(problem)
    master, pricing = _Master(problem, schedules), _Pricing(problem)
    if seed is not None:
        for column in _seed(problem, seed, schedules):
            master.add(column)
    best: float | None = None
    while time.monotonic() < deadline:
        if not master.solve(deadline - time.monotonic()):
            break
        value, entering = pricing.scan(master, master.duals())
        best = value if best is None else max(best, value)
        if not entering:
            break
        for column in entering:
            master.add(column)
    return None if best is None else round_up(best)


def beside(
    problem: Problem, seconds: float, seed: Solution | None = None
) -> Callable[[float], int | None]:
    """Start `shortfall_lp(problem, seconds, seed)` on a thread and return a wait for its
    answer until a given `time.monotonic()` (now: a look without waiting). GLOP releases
    the GIL, so CP-SAT keeps both cores but for the LP's share. The thread is a daemon:
    after Ctrl-C nothing waits for it (GLOP stops at its own time limit)."""
    answer: list[int | None] = []
    thread = threading.Thread(
        target=lambda: answer.append(shortfall_lp(problem, seconds, seed)), daemon=True
    )
    thread.start()

    def wait(until: float) -> int | None:
        thread.join(max(0.0, until - time.monotonic()))
        return answer[0] if answer else None

    return wait
