"""The cost floor at a given shortfall (`engine/cost_floor.py`), worked by hand."""

from __future__ import annotations

from itertools import pairwise

from helpers import B_WEEKS_1_2, scenario, solve_checked, stuck_above_the_floor
from surgeplan.compile import Replan, compile_replan, compile_scenario, decode
from surgeplan.engine.cost_floor import least_cost
from surgeplan.engine.solve import Progress, SolveOptions, solve_whole
from surgeplan.scenario.model import Scenario


def two_weeks_at_a() -> Scenario:
    """One officer wanted at A in both weeks, rotations of 1–2 weeks. A week costs 7 nights
    at $100 and 7 days at $60, $1,120; a rotation adds the $300 fare, less $15 (a quarter
    of the first day's M&IE) and $115 (no last night's lodging, a quarter of its M&IE):
    $170 fixed."""
    return scenario(
        weeks=2,
        sites=("A",),
        demand=[("A", 0, "*", 1), ("A", 1, "*", 1)],
        rules={"rotation_min": 1, "rotation_max": 2, "rest_min": 1},
        per_diem={"A": ("100", "60")},
        fares={("B1", "A"): "300"},
    )


def test_the_floor_is_the_optimum_where_the_longest_rotation_meets_the_demand() -> None:
    """Nothing short: both weeks are worked, $2,240, and the fixed $170 spread over the
    longest rotation (two weeks) is all of it: $2,410, which is the one best plan."""
    s = two_weeks_at_a()
    _, report = solve_checked(s)
    assert report.shortfall == 0 and report.cost_usd * 100 == 241_000
    assert least_cost(compile_scenario(s), 0) == 241_000


def test_a_shortfall_allowed_lowers_the_floor_by_the_dearest_weeks_it_may_miss() -> None:
    """One week may be short: one week, $1,120, and half the fixed part, $85: $1,205, below
    the best plan that misses a week ($1,120 + $170 = $1,290). Two may: nothing."""
    problem = compile_scenario(two_weeks_at_a())
    assert least_cost(problem, 1) == 120_500
    assert least_cost(problem, 2) == 0


def test_no_floor_where_no_plan_can_be_that_short() -> None:
    """Two officers wanted at A in week 0 and one officer in all: every plan misses one,
    so the floor at a shortfall of 0 has no plan to bound."""
    s = scenario(
        weeks=1,
        sites=("A",),
        demand=[("A", 0, "*", 2)],
        rules={"rotation_min": 1},
        per_diem={"A": ("100", "60")},
        fares={("B1", "A"): "300"},
    )
    problem = compile_scenario(s)
    assert least_cost(problem, 0) is None
    assert least_cost(problem, 1) is not None


def test_the_cost_stage_shows_the_floor_as_its_first_bound() -> None:
    """Live progress: the cost stage opens with the plan it starts from and the floor at
    its shortfall as the bound, then shows no lower bound and no dearer plan. Here
    the floor is below the optimum (two rotations of two weeks, each with its fare, where
    the floor spreads one fare over the four weeks the longest rotation could span), and
    without the rotation LP the bounds come from CP-SAT alone."""
    s = scenario(
        weeks=4,
        people=3,
        sites=("A", "B"),
        demand=[("A", 0, "*", 1), ("A", 1, "*", 1), ("B", 2, "*", 1), ("B", 3, "*", 1)],
        rules={"rotation_min": 1, "rotation_max": 4, "rest_min": 1},
        per_diem={"A": ("100", "60"), "B": ("150", "70")},
        fares={("B1", "A"): "300", ("B1", "B"): "500"},
    )
    problem = compile_scenario(s)
    events: list[Progress] = []
    options = SolveOptions(time_limit=5, workers=1, cost_relaxation=False)
    result = solve_whole(problem, options, events.append)
    assert result.objective is not None
    least = least_cost(problem, result.objective.shortfall)
    assert least is not None and least < result.objective.cost
    costs = [event for event in events if event.stage == "cost"]
    assert costs and costs[0].bound == least
    assert all(a.bound <= b.bound and a.objective >= b.objective for a, b in pairwise(costs))


def test_a_replans_cost_stage_shows_its_plans_in_dollars_from_the_floor_on() -> None:
    """In a re-plan the cost stage minimises cost × scale + changes (`change_scale`); its
    progress still reads in cents: the floor first, then the cheaper plan it finds. The
    previous plan is the dear one of `stuck_above_the_floor`; the cheap one misses the same
    week and costs $600 less."""
    s = stuck_above_the_floor()
    dear = decode(s, B_WEEKS_1_2)
    problem = compile_replan(s, Replan((), dear))
    events: list[Progress] = []
    options = SolveOptions(time_limit=5, workers=1, cost_relaxation=False)
    result = solve_whole(problem, options, events.append, B_WEEKS_1_2, True)
    assert result.objective is not None and result.objective.shortfall == 1
    costs = [event for event in events if event.stage == "cost"]
    assert costs[0].bound == least_cost(problem, 1)
    assert costs[-1].objective == result.objective.cost < costs[0].objective
