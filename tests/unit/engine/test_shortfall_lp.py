"""The shortfall's LP bound by column generation (`engine/shortfall_lp`): exact where the
run rules or the budget bind across periods, which the capacity floors cannot see."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

from helpers import scenario, solve_checked
from surgeplan.checker import check
from surgeplan.compile import compile_scenario, decode
from surgeplan.engine import SolveOptions, solve
from surgeplan.engine.bounds import shortfall_bound
from surgeplan.engine.shortfall_lp import by_rotations, shortfall_lp
from surgeplan.scenario.load import load_scenario
from surgeplan.scenario.model import Scenario

GENERATE = Path(__file__).parents[3] / "benchmarks" / "generate.py"


def test_the_deployed_cap_binds_across_weeks() -> None:
    """One officer wanted at S1 for 3 weeks, deployed_max 2: every week alone can be
    filled (floor 0), but at most 2 of the 3 can (LP 1), which is the optimum."""
    s = scenario(weeks=3, demand=[("S1", k, "*", 1) for k in range(3)], rules={"deployed_max": 2})
    problem = compile_scenario(s)
    assert shortfall_bound(problem) == 0
    assert shortfall_lp(problem, 10) == 1
    assert solve_checked(s)[1].shortfall == 1


def test_rest_binds_across_weeks() -> None:
    """One officer wanted for 4 weeks, rotations of exactly 1 week and 2 weeks' rest: a
    rotation and its rest hold 3 weeks, so the busy rows of weeks 0 and 3 let at most 2
    weeks be worked in the LP too (x0 ≤ 1; x1 + x2 + x3 ≤ 1): bound 2, the optimum."""
    s = scenario(
        weeks=4,
        demand=[("S1", k, "*", 1) for k in range(4)],
        rules={"rotation_min": 1, "rotation_max": 1, "rest_min": 2},
    )
    problem = compile_scenario(s)
    assert shortfall_bound(problem) == 0
    assert shortfall_lp(problem, 10) == 2
    assert solve_checked(s)[1].shortfall == 2


def _two_wanted(budget: str | None) -> Scenario:
    """Two officers wanted at S1 for a week, a $300 fare each, and a budget."""
    rules = {} if budget is None else {"budget_usd": Decimal(budget)}
    return scenario(
        weeks=1, people=2, demand=[("S1", 0, "*", 2)], fares={("B1", "S1"): "300"}, rules=rules
    )


def test_the_budget_bounds_the_shortfall_where_capacity_does_not() -> None:
    """With $450 the LP funds one and a half trips, so at least half an officer is short,
    rounded up to 1: the optimum (one goes, one stays), where the capacity floor says 0.
    $600 funds both, as does no budget. Rotation columns (the pick where a budget may
    bind) and whole schedules agree."""
    capped = compile_scenario(_two_wanted("450"))
    assert shortfall_bound(capped) == 0
    assert by_rotations(capped)
    assert shortfall_lp(capped, 10) == shortfall_lp(capped, 10, schedules=True) == 1
    _, report = solve_checked(_two_wanted("450"))
    assert report.shortfall == 1
    assert shortfall_lp(compile_scenario(_two_wanted("600")), 10) == 0
    assert shortfall_lp(compile_scenario(_two_wanted(None)), 10) == 0


def test_rotations_that_change_site_are_not_its_business() -> None:
    """Without same_site_only a rotation's periods may be at several sites, which the LP's
    columns do not state: no bound rather than a wrong one."""
    s = scenario(weeks=2, demand=[("S1", 0, "*", 1)], rules={"same_site_only": False})
    assert shortfall_lp(compile_scenario(s), 10) is None


def test_a_solve_reports_the_lp_bound(tmp_path: Path) -> None:
    """The synthetic 100 × 10 × 17 scenario: the capacity floor says 301, CP-SAT's bound
    stays near it (300 after 60 s, BENCHMARKS.md §1), the LP says 361 (deployed_max and
    rest bind). A 12 s solve reports the LP's bound, and its checked plan is no better."""
    spec = importlib.util.spec_from_file_location("generate", GENERATE)
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    generate.generate(100, 10, 17, 1, tmp_path)
    s = load_scenario(tmp_path)
    problem = compile_scenario(s)
    lp = shortfall_lp(problem, 30)
    assert lp is not None and lp > shortfall_bound(problem)
    result = solve(problem, SolveOptions(12, workers=2))
    assert result.bound.shortfall == lp
    assert result.solution is not None and result.objective is not None
    report = check(s, decode(s, result.solution))
    assert report.violations == ()
    assert report.shortfall == result.objective.shortfall >= lp
