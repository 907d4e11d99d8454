"""The cost stage's MIP (`engine/cost_mip`): its proven plan is the optimum CP-SAT proves
and the checker accepts; a plan its rows allow but the rules do not is never offered; a
long solve races it beside CP-SAT and still returns the checked optimum."""

from __future__ import annotations

from decimal import Decimal

import pytest

from helpers import scenario, solve_checked
from surgeplan.checker import check
from surgeplan.compile import compile_scenario, decode
from surgeplan.engine import SolveOptions, Status, solve
from surgeplan.engine.construct import construct
from surgeplan.engine.cost_mip import MIN_SECONDS, CostMip, applies
from surgeplan.scenario.model import Base, Grant, Person, Scenario


def _two_bases() -> Scenario:
    """Four officers at two bases, two sites with different fares and per diem, and a
    lead wanted at S1: who goes where, and for how long, changes the cost."""
    people = [
        Person(
            person_id=f"P{i}",
            name=f"Officer {i}",
            base_id="B1" if i <= 2 else "B2",
            qualifications=(Grant(name="lead"),) if i in (1, 3) else (),
        )
        for i in range(1, 5)
    ]
    return scenario(
        weeks=6,
        people=people,
        sites=("S1", "S2"),
        bases=[
            Base(base_id="B1", name="One", lat=31.7, lon=-106.4),
            Base(base_id="B2", name="Two", lat=32.7, lon=-117.1),
        ],
        demand=[("S1", k, "*", 2) for k in range(6)]
        + [("S2", k, "*", 1) for k in range(1, 5)]
        + [("S1", k, "lead", 1) for k in range(4)],
        rules={"rotation_min": 2, "rotation_max": 3, "rest_min": 1, "deployed_max": 4},
        per_diem={"S1": ("150", "60"), "S2": ("100", "55")},
        fares={("B1", "S1"): "300", ("B1", "S2"): "500", ("B2", "S1"): "450", ("B2", "S2"): "200"},
    )


def _solved(mip: CostMip) -> None:
    mip.start(60)
    while not mip.wait(1):
        pass


def test_the_mip_proves_the_optimum_cp_sat_proves() -> None:
    """From the constructive plan, at its shortfall held at the optimum's: proven, with the
    optimum's cost as plan and bound, and the checker accepts the plan to the cent."""
    s = _two_bases()
    result, report = solve_checked(s)
    problem = compile_scenario(s)
    assert applies(problem)
    mip = CostMip(problem, int(report.shortfall), construct(problem), seed=0)
    reported: list[tuple[int, int]] = []
    mip.start(60, lambda cost, bound: reported.append((cost, bound)))
    while not mip.wait(1):
        pass
    plan = mip.plan()
    assert mip.proven and plan is not None
    assert plan.evaluate(problem) == result.objective
    assert mip.bound == result.objective.cost  # type: ignore[union-attr]
    mine = check(s, decode(s, plan))
    assert mine.violations == ()
    assert (mine.shortfall, mine.cost_usd) == (report.shortfall, report.cost_usd)
    assert reported[-1][0] == result.objective.cost  # type: ignore[union-attr]
    assert all(bound <= reported[-1][0] for _, bound in reported)  # never above the optimum
    relaxation = mip.relaxation(0)
    assert relaxation is not None
    assert relaxation.bound <= mip.bound


def test_a_mip_told_its_shortfall_later_proves_the_optimum_without_a_start() -> None:
    """The first stage's MIP: its shortfall comes from a call on its own thread (the LP's
    bound, in a solve), and it starts from no plan; told none, it does nothing."""
    s = _two_bases()
    result, _ = solve_checked(s)
    assert result.objective is not None
    problem = compile_scenario(s)
    mip = CostMip(problem, lambda: result.objective.shortfall, None, seed=1)  # type: ignore[union-attr]
    _solved(mip)
    plan = mip.plan()
    assert mip.proven and plan is not None
    assert mip.held == result.objective.shortfall
    assert plan.evaluate(problem) == result.objective
    idle = CostMip(problem, lambda: None, None, seed=0)
    _solved(idle)
    assert (idle.held, idle.plan(), idle.proven, idle.relaxation(0)) == (None, None, False, None)


def test_rotations_never_touch_so_back_to_back_weeks_are_one_rotation() -> None:
    """rest_min 0 and rotation_max 1: week 0 and week 1 at S1 would be one two-week run,
    longer than the rules allow, so the one officer can cover one of the two weeks. The
    MIP's rows keep a week at home between two rotations: at shortfall 0 it finds no
    plan, at shortfall 1 the optimum, which the checker accepts."""
    s = scenario(
        weeks=2,
        demand=[("S1", 0, "*", 1), ("S1", 1, "*", 1)],
        rules={"rotation_min": 1, "rotation_max": 1, "rest_min": 0},
        per_diem={"S1": ("100", "60")},
        fares={("B1", "S1"): "300"},
    )
    _, report = solve_checked(s)
    assert report.shortfall == 1
    problem = compile_scenario(s)
    none = CostMip(problem, 0, construct(problem), seed=0)
    _solved(none)
    assert not none.proven and none.plan() is None
    one = CostMip(problem, 1, construct(problem), seed=0)
    _solved(one)
    plan = one.plan()
    assert one.proven and plan is not None
    mine = check(s, decode(s, plan))
    assert mine.violations == ()
    assert (mine.shortfall, mine.cost_usd) == (report.shortfall, report.cost_usd)


def test_a_long_solve_races_the_mip_and_returns_the_checked_optimum() -> None:
    """With time for the MIP, the whole solve still ends proven, as soon as it is, with the
    plan the checker accepts at the optimum."""
    s = _two_bases()
    best, report = solve_checked(s)
    result = solve(compile_scenario(s), SolveOptions(time_limit=MIN_SECONDS + 60))
    assert result.status is Status.OPTIMAL
    assert result.objective == best.objective
    assert result.seconds < MIN_SECONDS
    assert result.solution is not None
    mine = check(s, decode(s, result.solution))
    assert mine.violations == () and mine.cost_usd == report.cost_usd
    assert mine.cost_usd > Decimal(0)


@pytest.mark.parametrize("demand", [[], [("S1", 0, "*", 1)]])
def test_with_no_rotation_to_choose_everyone_stays_home_proven(
    demand: list[tuple[str, int, str, int]],
) -> None:
    """Rotations of two weeks or more in a one-week campaign: nobody can go anywhere, so
    the MIP (and the cost LP of a solve) has no rotation column, and, without demand, no
    column at all. The MIP proves the plan with everyone at home; the solve returns it."""
    s = scenario(
        weeks=1,
        demand=demand,
        rules={"rotation_min": 2, "rotation_max": 3},
        per_diem={"S1": ("100", "60")},
        fares={("B1", "S1"): "300"},
    )
    result, report = solve_checked(s)
    assert report.cost_usd == 0
    assert report.shortfall == len(demand)
    problem = compile_scenario(s)
    mip = CostMip(problem, len(demand), None, seed=0)
    _solved(mip)
    plan = mip.plan()
    assert mip.proven and plan is not None
    assert plan.evaluate(problem) == result.objective


def test_a_mip_takes_no_more_threads_than_its_search_has_workers() -> None:
    """Beside one CP-SAT worker the MIP runs HiGHS on one thread, beside two on two, and
    both prove the optimum in one process (HiGHS refuses a second count only on the
    thread that ran the first)."""
    s = _two_bases()
    result, report = solve_checked(s)
    problem = compile_scenario(s)
    for workers in (1, 2, 1):
        mip = CostMip(problem, int(report.shortfall), None, seed=0, workers=workers)
        _solved(mip)
        plan = mip.plan()
        assert mip.proven and plan is not None, f"beside {workers} worker(s)"
        assert plan.evaluate(problem) == result.objective
        assert mip._highs is not None
        assert mip._highs.getOptionValue("threads")[1] == workers
