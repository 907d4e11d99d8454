"""Solving by parts: a sub-problem nets out the held people exactly, and the part-by-part
search returns a plan that the checker accepts and that is no worse than the constructive one."""

from __future__ import annotations

from decimal import Decimal

from helpers import scenario
from surgeplan.checker import check
from surgeplan.compile import compile_scenario, decode
from surgeplan.engine.construct import construct
from surgeplan.engine.decompose import restrict, solve_by_parts
from surgeplan.engine.solve import SolveOptions
from surgeplan.scenario.model import Base, Person, Scenario
from surgeplan.solution import Solution


def small() -> Scenario:
    """Six officers of two bases (cap 2 each), two sites, four weeks of demand."""
    bases = [
        Base(base_id="B1", name="One", lat=31, lon=-106, max_away=2),
        Base(base_id="B2", name="Two", lat=32, lon=-117, max_away=2),
    ]
    people = [
        Person(person_id=f"P{i}", name=f"Officer {i}", base_id="B1" if i < 3 else "B2")
        for i in range(6)
    ]
    return scenario(
        weeks=4,
        people=people,
        bases=bases,
        sites=("A", "B"),
        demand=[(s, k, "*", 2) for s in ("A", "B") for k in range(4)],
        rules={"rotation_min": 2, "rest_min": 1, "budget_usd": Decimal("20000")},
        per_diem={"A": ("100", "60"), "B": ("150", "70")},
        fares={(b, s): "300" for b in ("B1", "B2") for s in ("A", "B")},
    )


def test_restrict_nets_out_held_people() -> None:
    """Sub-problem shortfall and cost plus the held part equal the whole plan's."""
    s = small()
    problem = compile_scenario(s)
    plan = construct(problem)
    free = [0, 3, 4]
    sub = restrict(problem, plan, free)
    part = Solution(tuple(plan.activity[p] for p in free))
    whole = plan.evaluate(problem)
    held_cost = sum(
        problem.stretch_cost(st.person, st.activity, st.first, st.last)
        for st in plan.stretches()
        if st.person not in free
    )
    assert part.evaluate(sub).shortfall == whole.shortfall
    assert part.evaluate(sub).cost + held_cost == whole.cost
    assert sub.budget == problem.budget - held_cost  # type: ignore[operator]
    for g, group in enumerate(sub.groups):
        held_away = [
            sum(
                1
                for p in range(6)
                if p not in free and problem.people[p].group == g and plan.activity[p][t] >= 0
            )
            for t in range(4)
        ]
        assert group.caps == tuple(2 - n for n in held_away)


def test_solve_by_parts_is_checked_and_no_worse_than_construct() -> None:
    """The part-by-part plan passes the checker and improves on (or equals) the greedy plan."""
    s = small()
    problem = compile_scenario(s)
    greedy = construct(problem).evaluate(problem)
    result = solve_by_parts(problem, SolveOptions(time_limit=4, workers=1))
    assert result.solution is not None and result.objective is not None
    report = check(s, decode(s, result.solution))
    assert report.violations == ()
    assert report.shortfall == result.objective.shortfall
    assert report.cost_usd == Decimal(result.objective.cost) / 100
    assert result.objective.as_tuple() <= greedy.as_tuple()


def test_solve_by_parts_starts_from_a_given_plan_and_never_returns_worse() -> None:
    """Given a valid plan (as advise passes a stricter variant's), the search starts there:
    with no time to improve, that plan comes back; with time, nothing worse does."""
    s = small()
    problem = compile_scenario(s)
    first = solve_by_parts(problem, SolveOptions(time_limit=4, workers=1))
    assert first.solution is not None and first.objective is not None
    rushed = solve_by_parts(problem, SolveOptions(time_limit=0.5, workers=1), None, first.solution)
    assert rushed.solution == first.solution
    again = solve_by_parts(
        problem, SolveOptions(time_limit=3, workers=1, seed=7), None, first.solution
    )
    assert again.objective is not None
    assert again.objective.as_tuple() <= first.objective.as_tuple()
