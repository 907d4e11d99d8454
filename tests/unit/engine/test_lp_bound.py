"""The LP relaxation (`engine/lp_bound`): exact where only one plan is possible, and
honest about where it does not apply."""

from __future__ import annotations

from helpers import scenario, solve_checked
from surgeplan.compile import compile_scenario
from surgeplan.engine.lp_bound import relax


def test_a_forced_rotation_is_bounded_at_its_exact_price() -> None:
    """One officer wanted at S1 in weeks 0–1 with rotation_min 2: the only plan that meets
    demand is that one two-week rotation, so at shortfall 0 the LP bound is its price,
    to the cent (fare 300 + 14 nights at 100 + M&IE 12 full days at 60 and 2 at 45)."""
    s = scenario(
        weeks=2,
        demand=[("S1", 0, "*", 1), ("S1", 1, "*", 1)],
        rules={"rotation_min": 2},
        per_diem={"S1": ("100", "60")},
        fares={("B1", "S1"): "300"},
    )
    _, report = solve_checked(s)
    assert report.shortfall == 0
    relaxation = relax(compile_scenario(s), 0, 10)
    assert relaxation is not None
    assert relaxation.bound == report.cost_usd * 100
    assert relaxation.support == {(0, 0, 0, 1)}  # P1 at S1 in weeks 0–1


def test_the_bound_follows_the_shortfall_held() -> None:
    """Two wanted, one officer: shortfall 0 is impossible (no bound); at 1 the officer must
    go, so the bound is the fare alone (no per diem table): 300.00; at 2 home costs 0."""
    s = scenario(weeks=1, demand=[("S1", 0, "*", 2)], fares={("B1", "S1"): "300"})
    problem = compile_scenario(s)
    assert relax(problem, 0, 10) is None
    assert [relax(problem, k, 10).bound for k in (1, 2)] == [300_00, 0]  # type: ignore[union-attr]


def test_no_cost_tables_no_bound() -> None:
    """Without fares and per diem the cost tier is empty: the bound does not apply."""
    s = scenario(weeks=1, demand=[("S1", 0, "*", 1)])
    assert relax(compile_scenario(s), 0, 10) is None
