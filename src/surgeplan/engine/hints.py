"""Warm starts: every model variable hinted from a solution (constructive, or a previous plan).

A complete, feasible hint lets CP-SAT start from a plan instead of searching for one;
the same path will carry a previous plan when re-planning (STYLE.md §5).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from surgeplan.engine.variables import Variables
from surgeplan.problem import Problem
from surgeplan.solution import Solution


def hint_solution(
    model: cp_model.CpModel, problem: Problem, v: Variables, solution: Solution
) -> None:
    """Hint x, d, continuations, rotations and shortfalls with their values in `solution`."""
    model.clear_hints()  # type: ignore[no-untyped-call]
    grid = solution.activity
    for p, cells_by_period in enumerate(v.x):
        for t, cells in enumerate(cells_by_period):
            for a, lit in cells.items():
                model.add_hint(lit, grid[p][t] == a)
            works = v.d[p][t]
            if works is not None:
                model.add_hint(works, grid[p][t] >= 0)
    for (p, a, t), lit in v.cont.items():
        model.add_hint(lit, grid[p][t] == a and grid[p][t + 1] == a)
    stretches = {(s.person, s.activity, s.first, s.last) for s in solution.stretches()}
    for key, lit in v.rotations.items():
        model.add_hint(lit, key in stretches)
    count: dict[int, int] = {}
    for c, cover in enumerate(problem.covers):
        count[c] = sum(
            1
            for p in range(len(problem.people))
            if grid[p][cover.period] == cover.activity
            and problem.can_fill(p, cover.period, cover.skill)
        )
    for c, short in enumerate(v.short):
        model.add_hint(short, max(0, problem.covers[c].required - count[c]))
