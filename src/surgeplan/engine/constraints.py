"""Hard rules of the CP-SAT model, one function per rule family (see `add_constraints`).

Run rules are stated on the "works" literals `d[p][t]` as clauses, which propagate
better than sliding sums; a None literal is a period the person cannot work.
"""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model

from surgeplan.engine.bounds import shortfall_floors
from surgeplan.engine.variables import Lit, Variables
from surgeplan.problem import HOME, Problem


def _clause(
    model: cp_model.CpModel, positive: Sequence[Lit | None], negative: Sequence[Lit | None]
) -> None:
    """Add OR(positive) ∨ OR(¬negative), simplifying known-false (None) literals."""
    if any(lit is None for lit in negative):
        return  # ¬false is true: the clause holds
    lits: list[cp_model.LiteralT] = [lit for lit in positive if lit is not None]
    lits += [lit.Not() for lit in negative if lit is not None]
    model.add_bool_or(lits)


def _run_min(model: cp_model.CpModel, d: Sequence[Lit | None], run_min: int, at_ends: bool) -> None:
    """A run that starts at t lasts at least run_min periods; with `at_ends` False, runs
    touching either end of the horizon are exempt (work is assumed to continue there)."""
    T = len(d)
    for t in range(0 if at_ends else 1, T):
        before = d[t - 1] if t > 0 else None
        for k in range(1, run_min):
            if t + k < T:
                _clause(model, [before, d[t + k]], [d[t]])
            elif at_ends:
                _clause(model, [before], [d[t]])
            else:
                break


def _run_max(model: cp_model.CpModel, d: Sequence[Lit | None], run_max: int) -> None:
    """Every window of run_max + 1 periods has a period at home."""
    for t in range(len(d) - run_max):
        window = [lit for lit in d[t : t + run_max + 1] if lit is not None]
        if len(window) == run_max + 1:
            model.add_bool_or([lit.Not() for lit in window])


def _rest_min(model: cp_model.CpModel, d: Sequence[Lit | None], rest_min: int) -> None:
    """After a run ends at t, no new run starts within rest_min periods."""
    T = len(d)
    for t in range(T - 1):
        for k in range(2, rest_min + 1):
            if t + k < T:
                _clause(model, [d[t + 1]], [d[t], d[t + k]])


def _runs(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    for p, person in enumerate(problem.people):
        limits, d = person.limits, v.d[p]
        if limits.run_min > 1:
            _run_min(model, d, limits.run_min, limits.run_min_at_ends)
        if limits.run_max is not None:
            _run_max(model, d, limits.run_max)
        if limits.rest_min > 1:
            _rest_min(model, d, limits.rest_min)
        if limits.total_max is not None:
            model.add(sum(lit for lit in d if lit is not None) <= limits.total_max)


def _rotations(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    """Whole-rotation variables define x and pack with their rest as intervals.

    A rotation from f to l occupies f..l plus the rest after it (at least one period,
    so two rotations never touch and merge); occupations of a person never overlap.
    """
    by_cell: dict[tuple[int, int, int], list[Lit]] = {}
    occupied: dict[tuple[int, int], list[Lit]] = {}
    for (p, a, first, last), lit in v.rotations.items():
        gap = max(problem.people[p].limits.rest_min, 1)
        for t in range(first, last + 1):
            by_cell.setdefault((p, a, t), []).append(lit)
        for t in range(first, min(problem.num_periods, last + gap + 1)):
            occupied.setdefault((p, t), []).append(lit)
    for p in range(len(problem.people)):
        for t, cells in enumerate(v.x[p]):
            for a, lit in cells.items():
                model.add(lit == sum(by_cell.get((p, a, t), [])))
    for lits in occupied.values():
        if len(lits) > 1:
            model.add_at_most_one(lits)
    for p, person in enumerate(problem.people):
        if person.limits.total_max is not None:
            model.add(sum(lit for lit in v.d[p] if lit is not None) <= person.limits.total_max)


def _same_activity_runs(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    """Working at a in t and working at all in t+1 means working at a in t+1."""
    if not problem.same_activity_runs:
        return
    for p in range(len(problem.people)):
        for t in range(problem.num_periods - 1):
            nxt = v.d[p][t + 1]
            if nxt is None:
                continue
            for a, here in v.x[p][t].items():
                _clause(model, [v.x[p][t + 1].get(a)], [here, nxt])


def _group_release(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    """At most max_away people of a group work in any one period."""
    for g, group in enumerate(problem.groups):
        members = [p for p, person in enumerate(problem.people) if person.group == g]
        for t in range(problem.num_periods):
            cap = group.cap(t)
            lits = [lit for p in members if (lit := v.d[p][t]) is not None]
            if cap is not None and len(lits) > cap:
                model.add(sum(lits) <= cap)


def _cover(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    """People counted toward a demand plus the shortfall reach the requirement."""
    for c, cover in enumerate(problem.covers):
        filled = [
            v.x[p][cover.period][cover.activity]
            for p in range(len(problem.people))
            if cover.activity in v.x[p][cover.period]
            and problem.can_fill(p, cover.period, cover.skill)
        ]
        over = v.over[c]
        if over is None:
            model.add(sum(filled) + v.short[c] >= cover.required)
        else:
            model.add(sum(filled) + v.short[c] - over == cover.required)


def _transitions(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    """A forbidden pair (a, b): activity a in t and b in t + 1 never both."""
    for p in range(len(problem.people)):
        for t in range(problem.num_periods - 1):
            here, there = v.x[p][t], v.x[p][t + 1]
            for a, b in problem.forbidden:
                if a in here and b in there:
                    model.add_bool_or([here[a].Not(), there[b].Not()])


def _person_limits(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    """Per person: periods per activity, total minutes, and weekends worked."""
    for p, person in enumerate(problem.people):
        cells = v.x[p]
        for a, limit in enumerate(person.max_per_activity):
            on = [row[a] for row in cells if a in row]
            if limit is not None and 0 < limit < len(on):
                model.add(sum(on) <= limit)
        if person.minutes_min > 0 or person.minutes_max is not None:
            minutes = sum(
                problem.activities[a].minutes * lit for row in cells for a, lit in row.items()
            )
            if person.minutes_min > 0:
                model.add(minutes >= person.minutes_min)
            if person.minutes_max is not None:
                model.add(minutes <= person.minutes_max)
        if person.max_weekends is not None and problem.weekends:
            worked = []
            for k, days in enumerate(problem.weekends):
                lits = [lit for t in days if (lit := v.d[p][t]) is not None]
                if lits:
                    weekend = model.new_bool_var(f"w_{p}_{k}")
                    model.add_max_equality(weekend, lits)
                    worked.append(weekend)
            if len(worked) > person.max_weekends:
                model.add(sum(worked) <= person.max_weekends)


def _shortfall_floors(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    """Redundant: per period and skill, the demand rows are short by at least their floor.

    Implied by the other rules, but CP-SAT's relaxation does not find these sums by itself;
    on the built-in scenario they lift the shortfall bound from 141 to the optimum.
    """
    for covers, floor in shortfall_floors(problem):
        model.add(sum(v.short[c] for c in covers) >= floor)


def _pins(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    """A pinned cell is where the planner put it (a pin no variable can honour is a
    conflict the solver reports as infeasible)."""
    for pin in problem.pins:
        if pin.activity == HOME:
            works = v.d[pin.person][pin.period]
            if works is not None:
                model.add(works == 0)
            continue
        cell = v.x[pin.person][pin.period].get(pin.activity)
        if cell is None:
            model.add_bool_or([])
        else:
            model.add(cell == 1)


def add_constraints(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    """Every hard rule, in the order of DESIGN.md §2 (budget lives with the objective)."""
    if v.rotations:
        _rotations(model, problem, v)
    else:
        _runs(model, problem, v)
        _same_activity_runs(model, problem, v)
    _group_release(model, problem, v)
    _cover(model, problem, v)
    _transitions(model, problem, v)
    _person_limits(model, problem, v)
    _pins(model, problem, v)
    _shortfall_floors(model, problem, v)
