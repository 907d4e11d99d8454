"""Why no plan exists: the smallest sets of hard rules that conflict.

The model is rebuilt with every relaxable group of hard rules (`RuleGroup`: each pin, the
budget, the change cap, each person's unavailability, each base's release cap, and each
rule family a pin or the budget can clash with) guarded by one enforcement literal, and
solved with all the literals as assumptions. CP-SAT's `sufficient_assumptions_for_
infeasibility` names a conflicting subset; it is then minimised by deletion (leave one
member out and re-solve: if the rest still conflict, it stays out), so that, time
allowing, the set is irreducible: every member is needed, dropping any one leaves rules
that some plan keeps. Every step is a real solve; CP-SAT's cores only shorten the walk
(a core is used only once a solve has confirmed it still conflicts).

Only people with pins take part (and, under a change cap, people deployed in the previous
plan): anyone else can stay home under every rule, which keeps the others' rules (release
caps and the budget included) easiest to meet, so leaving them out changes no verdict.
Demand is soft and is left out too.

Once a set is found, its specific members (pins, leave, release caps, budget, change cap)
are switched off and the search goes on, so independent conflicts are reported together.
Rule families stay on, so two pairs of pins that each break rotation_min are both found.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Literal

from ortools.sat.python import cp_model

from surgeplan.engine.constraints import WHOLE, Family, RuleGroup, add_constraints
from surgeplan.engine.objective import change_expr, cost_expr
from surgeplan.engine.portfolio import run_interruptible
from surgeplan.engine.variables import Lit, create_variables
from surgeplan.problem import Problem, RunLimits

MAX_CONFLICTS = 5
"""Most conflicting sets reported at once."""
SPECIFIC = frozenset(
    {Family.PIN, Family.UNAVAILABLE, Family.RELEASE, Family.MAX_CHANGES, Family.BUDGET}
)
"""Groups about one thing the planner set; the others are rule families."""
_DELETE_FIRST = (
    Family.PIN,
    Family.UNAVAILABLE,
    Family.RELEASE,
    Family.MAX_CHANGES,
    Family.BUDGET,
)
"""Deletion tries these first, so a set keeps few pins and names the rules they break."""


@dataclass(frozen=True, slots=True)
class Conflict:
    """A set of relaxable rule groups no plan can keep all at once."""

    members: tuple[RuleGroup, ...]
    minimal: bool
    """Proven irreducible: without any one member, the others can all be kept."""


def relaxable_groups(problem: Problem) -> tuple[RuleGroup, ...]:
    """Every relaxable group of hard rules that `problem` actually states."""
    people = problem.people
    limits = [person.limits for person in people]
    families = {
        Family.RUN_MIN: any(lim.run_min > 1 for lim in limits),
        Family.RUN_MAX: any(lim.run_max is not None for lim in limits),
        Family.REST_MIN: any(lim.rest_min > 1 for lim in limits),
        Family.TOTAL_MAX: any(lim.total_max is not None for lim in limits),
        Family.SAME_ACTIVITY: problem.same_activity_runs,
        Family.TRANSITIONS: bool(problem.forbidden),
        Family.ACTIVITY_LIMITS: any(
            any(m is not None and m > 0 for m in person.max_per_activity)
            or person.minutes_min > 0
            or person.minutes_max is not None
            or person.max_weekends is not None
            for person in people
        ),
        Family.BUDGET: problem.budget is not None,
        Family.MAX_CHANGES: problem.max_changes is not None and problem.previous is not None,
    }
    groups = [RuleGroup(Family.PIN, i) for i in range(len(problem.pins))]
    groups += [
        RuleGroup(Family.UNAVAILABLE, p) for p, person in enumerate(people) if person.unavailable
    ]
    members = [sum(1 for person in people if person.group == g) for g in range(len(problem.groups))]
    groups += [
        RuleGroup(Family.RELEASE, g)
        for g, group in enumerate(problem.groups)
        if any(
            (cap := group.cap(t)) is not None and cap < members[g]
            for t in range(problem.num_periods)
        )
    ]
    groups += [RuleGroup(family) for family, stated in families.items() if stated]
    return tuple(groups)


def restrict(problem: Problem, keep: Collection[RuleGroup]) -> Problem:
    """`problem` with only the relaxable groups in `keep` enforced (the others off).

    The ordinary engine solves it: a set is a conflict when `restrict(problem, set)` is
    infeasible, and irreducible when each one-smaller restriction is feasible.
    """
    kept = set(keep)

    def on(family: Family, index: int = WHOLE) -> bool:
        return RuleGroup(family, index) in kept

    people = []
    for p, original in enumerate(problem.people):
        lim = original.limits
        limits = RunLimits(
            run_min=lim.run_min if on(Family.RUN_MIN) else 1,
            run_max=lim.run_max if on(Family.RUN_MAX) else None,
            rest_min=lim.rest_min if on(Family.REST_MIN) else 0,
            total_max=lim.total_max if on(Family.TOTAL_MAX) else None,
            run_min_at_ends=lim.run_min_at_ends,
        )
        unavailable = original.unavailable if on(Family.UNAVAILABLE, p) else frozenset()
        person = replace(original, limits=limits, unavailable=unavailable)
        if not on(Family.ACTIVITY_LIMITS):  # a limit of 0 forbids the activity: structural
            person = replace(
                person,
                max_per_activity=tuple(0 if m == 0 else None for m in person.max_per_activity),
                minutes_min=0,
                minutes_max=None,
                max_weekends=None,
            )
        people.append(person)
    return replace(
        problem,
        people=tuple(people),
        groups=tuple(
            group if on(Family.RELEASE, g) else replace(group, max_away=None, caps=())
            for g, group in enumerate(problem.groups)
        ),
        same_activity_runs=problem.same_activity_runs and on(Family.SAME_ACTIVITY),
        forbidden=problem.forbidden if on(Family.TRANSITIONS) else frozenset(),
        pins=tuple(pin for i, pin in enumerate(problem.pins) if on(Family.PIN, i)),
        budget=problem.budget if on(Family.BUDGET) else None,
        max_changes=problem.max_changes if on(Family.MAX_CHANGES) else None,
    )


def _involved(problem: Problem, on: set[RuleGroup], pins: list[int]) -> tuple[int, ...]:
    """The people a conflict among the `on` groups can involve (`pins`: the pins on).

    Anyone else can stay home in every period, which breaks no rule and makes every
    shared rule (release caps, the budget: no stretch costs less than nothing) easier for
    the others; except under the change cap, where staying home may be a change, and a
    minimum workload, which forbids it.
    """
    kept = {problem.pins[i].person for i in pins}
    if RuleGroup(Family.ACTIVITY_LIMITS) in on:
        kept |= {p for p, person in enumerate(problem.people) if person.minutes_min > 0}
    if RuleGroup(Family.MAX_CHANGES) in on and problem.previous is not None:
        kept |= {p for p, row in enumerate(problem.previous) if any(a >= 0 for a in row)}
    return tuple(sorted(kept))


def _guarded_model(problem: Problem) -> tuple[cp_model.CpModel, dict[RuleGroup, Lit]]:
    """The feasibility model with one enforcement literal per relaxable group.

    Leave is stated as "works is false" under the person's literal, so variables exist in
    every period (the ordinary model leaves them out where a person is unavailable).
    """
    model = cp_model.CpModel()
    groups = relaxable_groups(problem)
    guards = {g: model.new_bool_var(f"guard_{g.family}_{g.index}") for g in groups}
    free = replace(
        problem,
        people=tuple(replace(person, unavailable=frozenset()) for person in problem.people),
    )
    v = create_variables(model, free, rotations_wanted=False)
    add_constraints(model, free, v, guards)
    for p, person in enumerate(problem.people):
        for t in sorted(person.unavailable):
            works = v.d[p][t]
            if works is not None:
                model.add_implication(guards[RuleGroup(Family.UNAVAILABLE, p)], works.Not())
    if problem.budget is not None:
        cost = cost_expr(model, free, v)
        model.add(cost <= problem.budget).only_enforce_if(guards[RuleGroup(Family.BUDGET)])
    if problem.max_changes is not None and problem.previous is not None:
        changes = change_expr(free, v)
        model.add(changes <= problem.max_changes).only_enforce_if(
            guards[RuleGroup(Family.MAX_CHANGES)]
        )
    return model, guards


def _model_for(
    problem: Problem, enforced: Collection[RuleGroup]
) -> tuple[cp_model.CpModel, dict[RuleGroup, Lit]]:
    """The guarded model of the `enforced` groups alone, over the people they involve,
    without demand (soft) and without costs unless the budget is enforced; keyed by groups
    of `problem` (a group that binds no one involved gets no literal)."""
    on = set(enforced)
    pins = [i for i in range(len(problem.pins)) if RuleGroup(Family.PIN, i) in on]
    people = _involved(problem, on, pins)
    index = {p: i for i, p in enumerate(people)}
    previous = problem.previous
    sub = replace(
        problem,
        people=tuple(problem.people[p] for p in people),
        pins=tuple(replace(problem.pins[i], person=index[problem.pins[i].person]) for i in pins),
        previous=None if previous is None else tuple(previous[p] for p in people),
        covers=(),
        requests=(),
        costs=problem.costs if RuleGroup(Family.BUDGET) in on else None,
    )
    local = {RuleGroup(Family.PIN, k) for k in range(len(pins))}
    local |= {
        RuleGroup(Family.UNAVAILABLE, index[g.index])
        for g in on
        if g.family is Family.UNAVAILABLE and g.index in index
    }
    local |= {g for g in on if g.family not in (Family.PIN, Family.UNAVAILABLE)}
    model, guards = _guarded_model(restrict(sub, local))
    lifted: dict[RuleGroup, Lit] = {}
    for group, lit in guards.items():
        if group.family is Family.PIN:
            lifted[RuleGroup(Family.PIN, pins[group.index])] = lit
        elif group.family is Family.UNAVAILABLE:
            lifted[RuleGroup(Family.UNAVAILABLE, people[group.index])] = lit
        else:
            lifted[group] = lit
    return model, lifted


def _rank(group: RuleGroup) -> tuple[int, int]:
    family = _DELETE_FIRST.index(group.family) if group.family in _DELETE_FIRST else 99
    return family, group.index


Verdict = Literal["conflict", "feasible", "unknown"]


class _Search:
    """Checks sets of groups until a deadline; each check is one CP-SAT solve."""

    def __init__(self, problem: Problem, deadline: float) -> None:
        self.problem, self.deadline = problem, deadline
        self.stopped = False
        """Time ran out or the search was interrupted: no further checks."""

    def run(self, enforced: Collection[RuleGroup]) -> tuple[Verdict, set[RuleGroup]]:
        """Whether the `enforced` groups conflict (with CP-SAT's core of them), can all be
        kept, or neither is known. Each check builds the model of these groups alone."""
        if self.stopped or time.monotonic() >= self.deadline:
            self.stopped = True
            return "unknown", set()
        try:
            model, guards = _model_for(self.problem, enforced)
        except KeyboardInterrupt:  # Ctrl-C while building: keep what is found so far
            self.stopped = True
            return "unknown", set()
        by_index = {lit.index: group for group, lit in guards.items()}
        model.add_assumptions(list(guards.values()))
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.max_time_in_seconds = max(self.deadline - time.monotonic(), 0.01)
        params.num_workers = 1  # CP-SAT searches sequentially under assumptions anyway
        params.catch_sigint_signal = False
        params.cp_model_presolve = False  # 3-5x faster here, and its cores can be wrong
        params.linearization_level = 2  # the guarded budget row in the LP: cost bounds
        code, interrupted = run_interruptible(solver, model)
        self.stopped = interrupted
        if code == cp_model.INFEASIBLE:
            core = solver.sufficient_assumptions_for_infeasibility()
            return "conflict", {by_index[i] for i in core if i in by_index}
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return "feasible", set()
        self.stopped = self.stopped or time.monotonic() >= self.deadline
        return "unknown", set()

    def shrink(self, enforced: list[RuleGroup], core: set[RuleGroup]) -> list[RuleGroup]:
        """A smaller conflict within `enforced` from CP-SAT's core, once a check confirms
        it (cores are hints: they can be wrong after presolve), else `enforced`."""
        while core and len(core & set(enforced)) < len(enforced):
            smaller = [g for g in enforced if g in core]
            verdict, core = self.run(smaller)
            if verdict != "conflict":
                break
            enforced = smaller
        return enforced

    def minimise(self, conflict: list[RuleGroup]) -> tuple[list[RuleGroup], bool]:
        """Deletion: leave each member out in turn; if the rest still conflict it stays out.

        A member kept because the rest could all be kept is needed in every subset the
        walk moves on to, so the result is irreducible once every member is decided.
        """
        pending = sorted(conflict, key=_rank)
        needed: list[RuleGroup] = []
        proven = True
        while pending and not self.stopped:
            candidate, rest = pending[0], pending[1:]
            verdict, core = self.run(needed + rest)
            if verdict == "conflict":
                pending = [g for g in self.shrink(needed + rest, core) if g not in needed]
                continue
            needed.append(candidate)
            pending = rest
            proven = proven and verdict == "feasible"
        return needed + pending, proven and not pending

    def find(self, enforced: list[RuleGroup]) -> Conflict | None:
        """A conflict among `enforced`, minimised; None if they can all be kept (or time
        ran out before a conflict was shown)."""
        verdict, core = self.run(enforced)
        if verdict != "conflict":
            return None
        members, minimal = self.minimise(self.shrink(enforced, core))
        return Conflict(tuple(sorted(members, key=_rank)), minimal)


def conflicts(problem: Problem, seconds: float = 20.0) -> tuple[Conflict, ...]:
    """Sets of hard rules that cannot all hold (at most MAX_CONFLICTS); () if none is found.

    Each set is irreducible when its `minimal` is True; when time runs out (or on Ctrl-C)
    it still conflicts but may hold members it does not need. All within `seconds`.
    """
    deadline = time.monotonic() + seconds
    search = _Search(problem, deadline)
    groups = sorted(relaxable_groups(problem), key=_rank)
    found: list[Conflict] = []
    relaxed: set[RuleGroup] = set()
    while len(found) < MAX_CONFLICTS and not search.stopped:
        conflict = search.find([g for g in groups if g not in relaxed])
        if conflict is None:
            break
        found.append(conflict)
        members = conflict.members
        relaxed.update([m for m in members if m.family in SPECIFIC] or members)
    return tuple(found)
