"""Decision variables of the CP-SAT model, created only where a decision exists.

`x[p][t]` maps activity → literal for the periods a person is available; `d[p][t]`
is "person p works in period t" (None where the person cannot work, so constraints
can drop a known-false literal instead of asking presolve to).
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from surgeplan.problem import Problem

Lit = cp_model.IntVar


@dataclass(frozen=True, slots=True)
class Variables:
    """All literals of one model, indexed like the problem."""

    x: tuple[tuple[dict[int, Lit], ...], ...]
    d: tuple[tuple[Lit | None, ...], ...]
    cont: dict[tuple[int, int, int], Lit]
    """(p, a, t) → person p is at activity a in periods t and t+1."""
    short: tuple[cp_model.IntVar, ...]
    """Per cover, the number of people missing."""
    rotations: dict[tuple[int, int, int, int], Lit]
    """(p, a, first, last) → person p does a whole rotation at a from first to last."""
    over: tuple[cp_model.IntVar | None, ...]
    """Per cover, the people beyond the requirement (None where extra people are free)."""


ROTATION_VARIABLES_MAX = 600_000


def longest_rotation(problem: Problem, p: int) -> int:
    """The most periods one rotation of person p may span: the horizon, their run limit
    and their deployed cap."""
    T, limits = problem.num_periods, problem.people[p].limits
    return min(T, limits.run_max or T, limits.total_max if limits.total_max is not None else T)


def rotation_windows(problem: Problem, p: int) -> list[tuple[int, int]]:
    """Every (first, last) period a rotation of person p may span under their run limits."""
    person, T = problem.people[p], problem.num_periods
    limits = person.limits
    longest = longest_rotation(problem, p)
    windows = []
    for first in range(T):
        shortest = limits.run_min
        if not limits.run_min_at_ends and first == 0:
            shortest = 1
        for last in range(first, min(T, first + longest)):
            if last - first + 1 < shortest and (limits.run_min_at_ends or last < T - 1):
                continue
            if any(t in person.unavailable for t in range(first, last + 1)):
                break
            windows.append((first, last))
    return windows


def rotations_apply(problem: Problem) -> bool:
    """Whether the rotation formulation can state this problem at a modest size.

    A whole-rotation variable prices a rotation exactly and makes the run rules an
    interval packing; it needs rotations that stay on one activity.
    """
    if not problem.same_activity_runs:
        return False
    count = sum(len(rotation_windows(problem, p)) for p in range(len(problem.people)))
    return count * len(problem.activities) <= ROTATION_VARIABLES_MAX


def create_variables(
    model: cp_model.CpModel, problem: Problem, rotations_wanted: bool = False
) -> Variables:
    """Create every variable; with `rotations_wanted`, whole-rotation variables if they apply."""
    A, T = len(problem.activities), problem.num_periods
    x: list[tuple[dict[int, Lit], ...]] = []
    d: list[tuple[Lit | None, ...]] = []
    for p, person in enumerate(problem.people):
        row_x: list[dict[int, Lit]] = []
        row_d: list[Lit | None] = []
        for t in range(T):
            if t in person.unavailable:
                row_x.append({})
                row_d.append(None)
                continue
            cells = {a: model.new_bool_var(f"x_{p}_{a}_{t}") for a in range(A) if person.allows(a)}
            works = model.new_bool_var(f"d_{p}_{t}")
            model.add(sum(cells.values()) == works)  # one activity per period at most
            row_x.append(cells)
            row_d.append(works)
        x.append(tuple(row_x))
        d.append(tuple(row_d))
    rotations: dict[tuple[int, int, int, int], Lit] = {}
    if rotations_wanted and rotations_apply(problem):
        for p in range(len(problem.people)):
            for first, last in rotation_windows(problem, p):
                for a in range(A):
                    if not problem.people[p].allows(a):
                        continue
                    rotations[p, a, first, last] = model.new_bool_var(f"r_{p}_{a}_{first}_{last}")
    cont: dict[tuple[int, int, int], Lit] = {}
    if problem.costs is not None and not rotations:
        for p in range(len(problem.people)):
            for t in range(T - 1):
                for a, here in x[p][t].items():
                    there = x[p][t + 1].get(a)
                    if there is None:
                        continue
                    both = model.new_bool_var(f"c_{p}_{a}_{t}")
                    model.add_implication(both, here)
                    model.add_implication(both, there)
                    model.add_bool_or([here.Not(), there.Not(), both])
                    cont[p, a, t] = both
    short = tuple(
        model.new_int_var(0, c.required, f"short_{i}") for i, c in enumerate(problem.covers)
    )
    over = tuple(
        model.new_int_var(0, len(problem.people), f"over_{i}") if c.over_weight > 0 else None
        for i, c in enumerate(problem.covers)
    )
    return Variables(tuple(x), tuple(d), cont, short, rotations, over)
