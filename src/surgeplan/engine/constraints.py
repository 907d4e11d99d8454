"""Hard rules of the CP-SAT model, one function per rule family (see `add_constraints`).

Run rules are stated on the "works" literals `d[p][t]` as clauses, which propagate
better than sliding sums; a None literal is a period the person cannot work.

Every relaxable group of hard rules (`RuleGroup`: one pin, one base's release cap, a rule
family such as rotation_min) can be guarded by a literal: given `guards`, the group's
constraints hold only where its literal is true (`engine.conflicts` assumes them all and
asks CP-SAT which ones clash). Without guards the model is exactly the unguarded one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ortools.sat.python import cp_model

from surgeplan.engine.bounds import shortfall_floors, weekend_floors
from surgeplan.engine.variables import Lit, Variables
from surgeplan.problem import HOME, Problem


class Family(StrEnum):
    """A kind of relaxable hard-rule group; the per-item kinds carry an index."""

    PIN = "pin"
    """One pinned cell (index: the pin in Problem.pins)."""
    RUN_MIN = "run_min"
    RUN_MAX = "run_max"
    REST_MIN = "rest_min"
    TOTAL_MAX = "total_max"
    """Periods worked in all (deployed_max)."""
    SAME_ACTIVITY = "same_activity"
    """A run stays on one activity (same_site_only)."""
    TRANSITIONS = "transitions"
    ACTIVITY_LIMITS = "activity_limits"
    """Per-person periods per activity, minutes and weekends (rosters)."""
    RELEASE = "release"
    """One group's release cap (index: the group)."""
    UNAVAILABLE = "unavailable"
    """One person's unavailability (index: the person); guarded in `engine.conflicts`."""
    BUDGET = "budget"
    MAX_CHANGES = "max_changes"


WHOLE = -1
"""RuleGroup.index of a rule family as a whole."""


@dataclass(frozen=True, slots=True, order=True)
class RuleGroup:
    """A relaxable group of hard rules: a family, and the pin, group or person it is about."""

    family: Family
    index: int = WHOLE


Guards = Mapping[RuleGroup, Lit]
"""Enforcement literal per guarded group; a group not in the mapping always holds."""


def _guard(guards: Guards | None, family: Family, index: int = WHOLE) -> Lit | None:
    return None if guards is None else guards.get(RuleGroup(family, index))


def _clause(
    model: cp_model.CpModel,
    positive: Sequence[Lit | None],
    negative: Sequence[Lit | None],
    guard: Lit | None = None,
) -> None:
    """Add OR(positive) ∨ OR(¬negative) (∨ ¬guard), simplifying known-false (None) literals."""
    if any(lit is None for lit in negative):
        return  # ¬false is true: the clause holds
    lits: list[cp_model.LiteralT] = [lit for lit in positive if lit is not None]
    lits += [lit.Not() for lit in negative if lit is not None]
    if guard is not None:
        lits.append(guard.Not())
    model.add_bool_or(lits)


def _enforce(constraint: cp_model.Constraint, guard: Lit | None) -> None:
    if guard is not None:
        constraint.only_enforce_if(guard)


def _run_min(
    model: cp_model.CpModel,
    d: Sequence[Lit | None],
    run_min: int,
    at_ends: bool,
    guard: Lit | None = None,
) -> None:
    """A run that starts at t lasts at least run_min periods; with `at_ends` False, runs
    touching either end of the horizon are exempt (work is assumed to continue there)."""
    T = len(d)
    for t in range(0 if at_ends else 1, T):
        before = d[t - 1] if t > 0 else None
        for k in range(1, run_min):
            if t + k < T:
                _clause(model, [before, d[t + k]], [d[t]], guard)
            elif at_ends:
                _clause(model, [before], [d[t]], guard)
            else:
                break


def _run_max(
    model: cp_model.CpModel, d: Sequence[Lit | None], run_max: int, guard: Lit | None = None
) -> None:
    """Every window of run_max + 1 periods has a period at home."""
    for t in range(len(d) - run_max):
        window = [lit for lit in d[t : t + run_max + 1] if lit is not None]
        if len(window) == run_max + 1:
            _clause(model, [], window, guard)


def _rest_min(
    model: cp_model.CpModel, d: Sequence[Lit | None], rest_min: int, guard: Lit | None = None
) -> None:
    """After a run ends at t, no new run starts within rest_min periods."""
    T = len(d)
    for t in range(T - 1):
        for k in range(2, rest_min + 1):
            if t + k < T:
                _clause(model, [d[t + 1]], [d[t], d[t + k]], guard)


def _runs(
    model: cp_model.CpModel, problem: Problem, v: Variables, guards: Guards | None = None
) -> None:
    for p, person in enumerate(problem.people):
        limits, d = person.limits, v.d[p]
        if limits.run_min > 1:
            guard = _guard(guards, Family.RUN_MIN)
            _run_min(model, d, limits.run_min, limits.run_min_at_ends, guard)
        if limits.run_max is not None:
            _run_max(model, d, limits.run_max, _guard(guards, Family.RUN_MAX))
        if limits.rest_min > 1:
            _rest_min(model, d, limits.rest_min, _guard(guards, Family.REST_MIN))
        if limits.total_max is not None:
            total = model.add(sum(lit for lit in d if lit is not None) <= limits.total_max)
            _enforce(total, _guard(guards, Family.TOTAL_MAX))


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


def _same_activity_runs(
    model: cp_model.CpModel, problem: Problem, v: Variables, guards: Guards | None = None
) -> None:
    """Working at a in t and working at all in t+1 means working at a in t+1."""
    if not problem.same_activity_runs:
        return
    guard = _guard(guards, Family.SAME_ACTIVITY)
    for p in range(len(problem.people)):
        for t in range(problem.num_periods - 1):
            nxt = v.d[p][t + 1]
            if nxt is None:
                continue
            for a, here in v.x[p][t].items():
                _clause(model, [v.x[p][t + 1].get(a)], [here, nxt], guard)


def _group_release(
    model: cp_model.CpModel, problem: Problem, v: Variables, guards: Guards | None = None
) -> None:
    """At most max_away people of a group work in any one period."""
    for g, group in enumerate(problem.groups):
        members = [p for p, person in enumerate(problem.people) if person.group == g]
        guard = _guard(guards, Family.RELEASE, g)
        for t in range(problem.num_periods):
            cap = group.cap(t)
            lits = [lit for p in members if (lit := v.d[p][t]) is not None]
            if cap is not None and len(lits) > cap:
                _enforce(model.add(sum(lits) <= cap), guard)


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


def _transitions(
    model: cp_model.CpModel, problem: Problem, v: Variables, guards: Guards | None = None
) -> None:
    """A forbidden pair (a, b): activity a in t and b in t + 1 never both.

    Stated as one at-most-one per cell over a and all its forbidden followers (they
    exclude each other anyway): a roster with hundreds of forbidden pairs otherwise gives
    hundreds of thousands of binary clauses, and presolve spends seconds merging them.
    """
    guard = _guard(guards, Family.TRANSITIONS)
    followers: dict[int, list[int]] = {}
    for a, b in sorted(problem.forbidden):
        followers.setdefault(a, []).append(b)
    for p in range(len(problem.people)):
        for t in range(problem.num_periods - 1):
            here, there = v.x[p][t], v.x[p][t + 1]
            for a, after in followers.items():
                if a not in here:
                    continue
                lits = [here[a], *(there[b] for b in after if b in there)]
                if len(lits) < 2:
                    continue
                if guard is None:
                    model.add_at_most_one(lits)
                else:
                    model.add(sum(lits) <= 1).only_enforce_if(guard)


def _person_limits(
    model: cp_model.CpModel, problem: Problem, v: Variables, guards: Guards | None = None
) -> None:
    """Per person: periods per activity, total minutes, and weekends worked."""
    guard = _guard(guards, Family.ACTIVITY_LIMITS)
    for p, person in enumerate(problem.people):
        cells = v.x[p]
        for a, limit in enumerate(person.max_per_activity):
            on = [row[a] for row in cells if a in row]
            if limit is not None and 0 < limit < len(on):
                _enforce(model.add(sum(on) <= limit), guard)
        if person.minutes_min > 0 or person.minutes_max is not None:
            minutes = sum(
                problem.activities[a].minutes * lit for row in cells for a, lit in row.items()
            )
            if person.minutes_min > 0:
                _enforce(model.add(minutes >= person.minutes_min), guard)
            if person.minutes_max is not None:
                _enforce(model.add(minutes <= person.minutes_max), guard)
        if person.max_weekends is not None and problem.weekends:
            worked = []
            for k, days in enumerate(problem.weekends):
                lits = [lit for t in days if (lit := v.d[p][t]) is not None]
                if lits:
                    weekend = model.new_bool_var(f"w_{p}_{k}")
                    model.add_max_equality(weekend, lits)
                    worked.append(weekend)
            if len(worked) > person.max_weekends:
                _enforce(model.add(sum(worked) <= person.max_weekends), guard)


def _shortfall_floors(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    """Redundant: per period and skill, the demand rows are short by at least their floor.

    Implied by the other rules, but CP-SAT's relaxation does not find these sums by itself;
    on the built-in scenario they lift the shortfall bound from 141 to the optimum, and
    the weekend floors lift Curtois Instance11's from 1 to 3,400 (optimum 3,443).
    """
    per_period = shortfall_floors(problem)
    for covers, floor in per_period + weekend_floors(problem, per_period):
        model.add(sum(v.short[c] for c in covers) >= floor)


def _pins(
    model: cp_model.CpModel, problem: Problem, v: Variables, guards: Guards | None = None
) -> None:
    """A pinned cell is where the planner put it (a pin no variable can honour is a
    conflict the solver reports as infeasible)."""
    for index, pin in enumerate(problem.pins):
        guard = _guard(guards, Family.PIN, index)
        if pin.activity == HOME:
            works = v.d[pin.person][pin.period]
            if works is not None:
                _enforce(model.add(works == 0), guard)
            continue
        cell = v.x[pin.person][pin.period].get(pin.activity)
        if cell is None:
            model.add_bool_or([] if guard is None else [guard.Not()])
        else:
            _enforce(model.add(cell == 1), guard)


def add_constraints(
    model: cp_model.CpModel, problem: Problem, v: Variables, guards: Guards | None = None
) -> None:
    """Every hard rule, in the order of DESIGN.md §2 (budget lives with the objective).

    With `guards`, each group of rules in the mapping holds only where its literal is
    true; this needs the per-period formulation (whole-rotation variables build the run
    rules into the rotations themselves, where no literal can switch them off).
    """
    if v.rotations:
        if guards is not None:
            raise ValueError("guarded rules need the per-period formulation (no rotations)")
        _rotations(model, problem, v)
    else:
        _runs(model, problem, v, guards)
        _same_activity_runs(model, problem, v, guards)
    _group_release(model, problem, v, guards)
    _cover(model, problem, v)
    _transitions(model, problem, v, guards)
    _person_limits(model, problem, v, guards)
    _pins(model, problem, v, guards)
    _shortfall_floors(model, problem, v)
