"""A lower bound on cost given the shortfall, from the LP relaxation of the rotation model
(HiGHS, via SciPy); `shortfall_lp` bounds the shortfall itself over the same rows.

CP-SAT's own cost bound on the built-in scenario stays 13–15% below its plans, because
its root relaxation does not see whole rotations. Here every rotation a person may do
(`rotation_windows`) is one column priced exactly (`Problem.stretch_cost`), and the rows
are rules every plan keeps: per person and period at most one rotation covering it or
resting after it (rest_min, and at least one period: a run of work stays at one site, so
two rotations never touch), the deployed-periods cap, the groups' release caps, cover
with shortfall variables, the budget, and the weighted shortfall held at the value the
first stage found. Dropping rules (pins, requests, rules of other front doors) only
lowers an LP, so the bound stays valid for any problem it is asked about.

The LP's solution also steers the search: the few rotations it uses (a couple of hundred
of the built-in's 66,650) are where cheap plans live, and a CP-SAT model restricted to
them and the incumbent's rotations finds far cheaper plans than the whole model in the
same time (`solve.py`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog  # type: ignore[import-untyped]
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

from surgeplan.engine.variables import rotation_windows
from surgeplan.problem import Problem

MAX_COLUMNS = 250_000
"""Rotations above which the LP is not attempted (it would take most of a minute)."""
RELATIVE_SLACK = 1e-6
"""Taken off the LP optimum before rounding up: HiGHS's tolerances, kept on the safe side."""


class _Rows:
    """A sparse ≤-system built row by row."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.rhs: list[float] = []

    def add(self, entries: list[tuple[int, float]], rhs: float) -> None:
        row = len(self.rhs)
        for col, value in entries:
            self.rows.append(row)
            self.cols.append(col)
            self.vals.append(value)
        self.rhs.append(rhs)

    def matrix(self, columns: int) -> csr_matrix:
        return csr_matrix((self.vals, (self.rows, self.cols)), shape=(len(self.rhs), columns))


def _columns(problem: Problem) -> list[tuple[int, int, int, int]] | None:
    """(person, activity, first, last) of every rotation, or None if there are too many."""
    out: list[tuple[int, int, int, int]] = []
    for p, person in enumerate(problem.people):
        windows = rotation_windows(problem, p)
        for a in range(len(problem.activities)):
            if person.allows(a):
                out.extend((p, a, first, last) for first, last in windows)
        if len(out) > MAX_COLUMNS:
            return None
    return out


def applies(problem: Problem) -> bool:
    """Whether the bound means anything here: a cost tier priced by same-site rotations."""
    return (
        problem.costs is not None
        and problem.same_activity_runs
        and not problem.single_objective
        and bool(problem.people)
    )


def fits(problem: Problem) -> bool:
    """Whether `system` gives rows for `problem`: it applies and has few enough rotations."""
    return applies(problem) and _columns(problem) is not None


@dataclass(frozen=True, slots=True)
class Relaxation:
    """The LP's answer: a lower bound on cost (cents) and the rotations it uses."""

    bound: int
    support: frozenset[tuple[int, int, int, int]]
    """(person, activity, first, last) of every rotation with a positive LP value."""


@dataclass(frozen=True, slots=True)
class System:
    """The rules every plan keeps, as ≤-rows over rotation columns then shortfall columns."""

    rotations: list[tuple[int, int, int, int]]
    rows: _Rows
    prices: list[float]
    """Cents per rotation column."""
    cover_rows: list[int]
    """The row of each of `problem.covers`, whose shortfall column is `len(rotations) + c`."""

    def costs(self, problem: Problem) -> np.ndarray:
        """Cents per column: each rotation's price, nothing for a shortfall."""
        return np.array(self.prices + [0.0] * len(problem.covers))

    def upper(self, problem: Problem) -> np.ndarray:
        """Column upper bounds: 1 per rotation, the requirement per shortfall column."""
        return np.array([1.0] * len(self.rotations) + [float(c.required) for c in problem.covers])

    def solve(self, problem: Problem, seconds: float) -> np.ndarray | None:
        """The cheapest LP solution's column values, or None if infeasible or not solved
        in time."""
        costs = self.costs(problem)
        if len(costs) == 0:
            return np.zeros(0)  # nothing to choose: linprog refuses an empty model
        result = linprog(
            costs,
            A_ub=self.rows.matrix(len(costs)),
            b_ub=np.array(self.rows.rhs),
            bounds=np.column_stack([np.zeros(len(costs)), self.upper(problem)]),
            method="highs",
            options={"time_limit": max(seconds, 0.1)},
        )
        return np.asarray(result.x) if result.status == 0 else None


def system(problem: Problem, shortfall: int) -> System | None:
    """The rows of every rule the LP states (see the module docstring), the budget and
    the weighted shortfall held at `shortfall` included; None when not applicable or too
    large."""
    if not applies(problem):
        return None
    rotations = _columns(problem)
    if rotations is None:
        return None
    n, covers = len(rotations), problem.covers
    rows = _Rows()
    by_person: dict[int, list[int]] = {}
    for j, (p, _, _, _) in enumerate(rotations):
        by_person.setdefault(p, []).append(j)
    for p, own in by_person.items():
        limits = problem.people[p].limits
        gap = max(1, limits.rest_min)
        for t in range(problem.num_periods):
            busy = [(j, 1.0) for j in own if rotations[j][2] <= t <= rotations[j][3] + gap]
            if len(busy) > 1:
                rows.add(busy, 1)
        if limits.total_max is not None:
            rows.add([(j, rotations[j][3] - rotations[j][2] + 1.0) for j in own], limits.total_max)
    at: dict[tuple[int, int], list[int]] = {}  # (activity, period) → rotations there
    away: dict[tuple[int, int], list[int]] = {}  # (group, period) → rotations away then
    for j, (p, a, first, last) in enumerate(rotations):
        for t in range(first, last + 1):
            at.setdefault((a, t), []).append(j)
            away.setdefault((problem.people[p].group, t), []).append(j)
    for (g, t), js in away.items():
        cap = problem.groups[g].cap(t)
        if cap is not None and len(js) > cap:
            rows.add([(j, 1.0) for j in js], cap)
    cover_rows = []
    for c, cover in enumerate(covers):  # filled + short ≥ required, written as ≤
        cover_rows.append(len(rows.rhs))
        filled = [
            (j, -1.0)
            for j in at.get((cover.activity, cover.period), [])
            if problem.can_fill(rotations[j][0], cover.period, cover.skill)
        ]
        rows.add([*filled, (n + c, -1.0)], -cover.required)
    prices = [float(problem.stretch_cost(*r)) for r in rotations]
    if problem.budget is not None:
        rows.add(list(enumerate(prices)), problem.budget)
    rows.add([(n + c, float(cover.weight)) for c, cover in enumerate(covers)], shortfall)
    return System(rotations, rows, prices, cover_rows)


def round_up(value: float) -> int:
    """An LP optimum as a bound on an integer objective, HiGHS's tolerances allowed for."""
    return max(0, math.ceil(value - RELATIVE_SLACK * max(1.0, abs(value))))


def relax(problem: Problem, shortfall: int, seconds: float) -> Relaxation | None:
    """The LP relaxation for plans whose weighted shortfall is at most `shortfall`; None
    when not applicable, too large, infeasible or not solved within `seconds`."""
    rows = system(problem, shortfall)
    if rows is None:
        return None
    n = len(rows.rotations)
    x = rows.solve(problem, seconds)
    if x is None:
        return None
    used = frozenset(rows.rotations[j] for j in np.flatnonzero(x[:n] > 1e-6))
    return Relaxation(round_up(float(np.dot(rows.prices, x[:n]))), used)
