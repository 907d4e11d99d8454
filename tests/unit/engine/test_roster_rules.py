"""One semantic test per roster rule, on problems built directly (the Curtois front door's
vocabulary): the smallest problem that makes the rule bind, with its optimum by hand."""

from __future__ import annotations

from dataclasses import replace

from surgeplan.engine import Progress, SolveOptions, Status, solve
from surgeplan.engine.bounds import missing_floor, weekend_floors
from surgeplan.problem import ANYONE, Activity, Cover, Group, Person, Problem, Request, RunLimits
from surgeplan.solution import HOME, Objective


def roster(
    days: int,
    people: int = 1,
    shifts: tuple[tuple[str, int], ...] = (("D", 480),),
    cover: tuple[tuple[int, int, int], ...] = (),
    **fields: object,
) -> Problem:
    """A single-objective roster: cover rows (day, shift, required), under 100, over 1."""
    return Problem(
        num_periods=days,
        people=tuple(Person(f"E{i}", 0) for i in range(people)),
        activities=tuple(Activity(name, minutes) for name, minutes in shifts),
        groups=(Group("all"),),
        covers=tuple(Cover(d, s, ANYONE, r, 100, 1) for d, s, r in cover),
        single_objective=True,
        **fields,  # type: ignore[arg-type]
    )


def optimum(problem: Problem) -> tuple[int, tuple[tuple[int, ...], ...]]:
    """Solve to optimality; the penalty and the grid of shift indices (-1 off)."""
    result = solve(problem, SolveOptions(time_limit=20, workers=1))
    assert result.status is Status.OPTIMAL
    assert result.objective is not None and result.solution is not None
    return result.objective.penalty, result.solution.activity


def test_over_cover_is_priced() -> None:
    """Requirement 0 with over weight 1 and nothing else: working costs 1, so nobody works."""
    penalty, grid = optimum(roster(1, cover=((0, 0, 0),)))
    assert (penalty, grid) == (0, ((HOME,),))


def test_forbidden_succession() -> None:
    """Night then day is forbidden: cover N on day 0 and D on day 1 with one person → 100."""
    p = roster(
        2,
        shifts=(("D", 480), ("N", 480)),
        cover=((0, 1, 1), (1, 0, 1)),
        forbidden=frozenset({(1, 0)}),
    )
    penalty, _ = optimum(p)
    assert penalty == 100  # one of the two covers stays short by one (weight 100)


def test_max_per_activity_zero_forbids() -> None:
    """A person whose limit for N is 0 never works N: the N cover is short → 100."""
    p = roster(1, shifts=(("D", 480), ("N", 480)), cover=((0, 1, 1),))
    p = replace(p, people=(replace(p.people[0], max_per_activity=(None, 0)),))
    penalty, grid = optimum(p)
    assert (penalty, grid) == (100, ((HOME,),))


def test_max_per_activity_limit() -> None:
    """At most 1 D shift over 2 days of D demand: one day short → 100."""
    p = roster(2, cover=((0, 0, 1), (1, 0, 1)))
    p = replace(p, people=(replace(p.people[0], max_per_activity=(1,)),))
    assert optimum(p)[0] == 100


def test_minutes_min_forces_work() -> None:
    """Min 960 minutes (two 480 shifts) with no demand: two over-covers of 1 each → 2."""
    p = roster(3, cover=((0, 0, 0), (1, 0, 0), (2, 0, 0)))
    p = replace(p, people=(replace(p.people[0], minutes_min=960),))
    assert optimum(p)[0] == 2


def test_minutes_max_caps_work() -> None:
    """Max 480 minutes with D wanted on two days: one is short → 100."""
    p = roster(2, cover=((0, 0, 1), (1, 0, 1)))
    p = replace(p, people=(replace(p.people[0], minutes_max=480),))
    assert optimum(p)[0] == 100


def test_max_weekends() -> None:
    """Two weekends wanted, max 1 weekend: one weekend's Saturday is short → 100."""
    p = roster(14, cover=((5, 0, 1), (12, 0, 1)), weekends=((5, 6), (12, 13)))
    p = replace(p, people=(replace(p.people[0], max_weekends=1),))
    assert optimum(p)[0] == 100


def test_run_min_exempt_at_the_ends() -> None:
    """Min 2 consecutive, exempt at ends: working only day 0 and day 4 of 5 is allowed → 0,
    while a lone shift inside (day 2) is not: day 2 needs a neighbour, over-covered → 1."""
    limits = RunLimits(run_min=2, run_min_at_ends=False)
    ends = roster(5, cover=((0, 0, 1), (4, 0, 1), *((d, 0, 0) for d in (1, 2, 3))))
    ends = replace(ends, people=(replace(ends.people[0], limits=limits),))
    assert optimum(ends)[0] == 0
    inside = roster(5, cover=((2, 0, 1), *((d, 0, 0) for d in (0, 1, 3, 4))))
    inside = replace(inside, people=(replace(inside.people[0], limits=limits),))
    penalty, grid = optimum(inside)
    assert penalty == 1  # without the rule: 0 (day 2 alone)
    assert grid[0][2] == 0
    assert grid[0][1] == 0 or grid[0][3] == 0


def test_requests() -> None:
    """An on-request (weight 3) on day 0 and an off-request (weight 2) on day 1, no demand:
    working day 0 only costs over 1 and honours both → 1 (vs 3 by staying home)."""
    p = roster(
        2,
        cover=((0, 0, 0), (1, 0, 0)),
        requests=(Request(0, 0, 0, True, 3), Request(0, 1, 0, False, 2)),
    )
    penalty, grid = optimum(p)
    assert (penalty, grid) == (1, ((0, HOME),))


def test_weekend_successions_floor() -> None:
    """Saturday asks two late shifts, Sunday two early ones, and an early shift may not
    follow a late one. Each of two people can fill both days only as late-late or
    early-early, which fills one row and over-covers the other day, so each fills one
    row: two of the four stay short → 200. Counting days alone (two people, two days)
    saw no shortage; the floor that pairs Saturday with Sunday sees both, and without
    the forbidden succession it sees none and nothing is short."""
    shifts = (("E", 480), ("L", 480))
    cover = ((0, 1, 2), (1, 0, 2))
    rules = {"weekends": ((0, 1),), "same_activity_runs": False}
    p = roster(2, 2, shifts, cover, forbidden=frozenset({(1, 0)}), **rules)
    assert [floor for _, floor in weekend_floors(p)] == [2]
    assert missing_floor(p) == 2
    assert optimum(p)[0] == 200
    free = replace(p, forbidden=frozenset())
    assert (weekend_floors(free), missing_floor(free), optimum(free)[0]) == ([], 0, 0)


def test_floor_hold_gives_way_to_a_cheaper_shortfall() -> None:
    """One person, one day wanted (under 100), and an off-request of weight 500 that day.
    The floor is 0 missing, and a roster at it works and pays 500; staying home pays 100.
    The search with the floor held proves 500 within the floor, whose cut-off plans may
    cost as little as 100, so the search goes on without the hold and proves 100. The
    progress shown across both searches never goes back, and no bound shown is above
    the true optimum."""
    p = roster(1, cover=((0, 0, 1),), requests=(Request(0, 0, 0, False, 500),))
    assert missing_floor(p) == 0
    events: list[Progress] = []
    result = solve(p, SolveOptions(time_limit=20, workers=2), events.append)
    assert result.status is Status.OPTIMAL and result.solution is not None
    assert (result.objective, result.solution.activity) == (Objective(100, 0), ((HOME,),))
    penalties, bounds = [e.objective for e in events], [e.bound for e in events]
    assert penalties[-1] == 100
    assert penalties == sorted(penalties, reverse=True) and bounds == sorted(bounds)
    assert max(bounds) <= 100
