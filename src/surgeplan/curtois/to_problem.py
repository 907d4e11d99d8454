"""The second front door: a Curtois instance compiled to the engine's Problem (DESIGN.md §2).

Shift types become activities (with their lengths), days become periods, staff become
people of one release group without a cap, fixed days off become unavailable periods,
and the instance's rules map onto the shared vocabulary: MaxShifts → max_per_activity,
total minutes → minutes_min/max, consecutive shifts → run limits exempt at the horizon's
ends (FORMAT.md §3.7), consecutive days off → rest_min, weekends (days 7k+5, 7k+6),
forbidden successions, requests, and cover with under and over weights. The objective is
the benchmark's single sum.
"""

from __future__ import annotations

from surgeplan.curtois.instance import Instance
from surgeplan.problem import (
    ANYONE,
    Activity,
    Cover,
    Group,
    Person,
    Problem,
    Request,
    RunLimits,
)
from surgeplan.solution import Solution


def compile_instance(instance: Instance) -> Problem:
    """The Problem whose optimum is the instance's optimum."""
    horizon = instance.horizon
    people = tuple(
        Person(
            name=e.id,
            group=0,
            unavailable=frozenset(e.days_off),
            limits=RunLimits(
                run_min=e.min_consecutive,
                run_max=e.max_consecutive,
                rest_min=e.min_consecutive_days_off,
                run_min_at_ends=False,
            ),
            max_per_activity=e.max_shifts,
            minutes_min=e.min_minutes,
            minutes_max=e.max_minutes,
            max_weekends=e.max_weekends,
        )
        for e in instance.employees
    )
    requests = tuple(
        Request(r.employee, r.day, r.shift, on, r.weight)
        for on, rows in ((True, instance.on_requests), (False, instance.off_requests))
        for r in rows
    )
    return Problem(
        num_periods=horizon,
        people=people,
        activities=tuple(Activity(s.id, s.minutes) for s in instance.shifts),
        groups=(Group("staff"),),
        covers=tuple(
            Cover(c.day, c.shift, ANYONE, c.requirement, c.weight_under, c.weight_over)
            for c in instance.cover
        ),
        forbidden=frozenset(
            (a, b) for a, shift in enumerate(instance.shifts) for b in shift.forbidden_next
        ),
        requests=requests,
        weekends=tuple((7 * k + 5, 7 * k + 6) for k in range(horizon // 7)),
        single_objective=True,
        same_activity_runs=False,
    )


def roster_of(solution: Solution) -> tuple[tuple[int | None, ...], ...]:
    """Per employee (file order), per day: the shift index worked, or None when off."""
    return tuple(tuple(a if a >= 0 else None for a in row) for row in solution.activity)
