"""Capacity floors: a valid lower bound on the shortfall that is tight when capacity binds."""

from __future__ import annotations

from datetime import date

from helpers import scenario, solve_checked
from surgeplan.compile import compile_scenario
from surgeplan.engine.bounds import shortfall_bound
from surgeplan.scenario.model import Base, Grant, Person, Unavailable


def test_floor_counts_leave_and_release_cap() -> None:
    """Three officers, one on leave, base cap 1: demand 3 at priority 2 is short ≥ 2 → 4."""
    base = Base(base_id="B1", name="Base", lat=31, lon=-106, max_away=1)
    s = scenario(
        weeks=1,
        people=3,
        bases=[base],
        demand=[("S1", 0, "*", 3)],
        priority={"S1": 2},
        unavailable=[Unavailable(person_id="P1", start=date(2020, 2, 3), end=date(2020, 2, 3))],
    )
    assert shortfall_bound(compile_scenario(s)) == 4  # (3 − min(1, 2)) × 2
    result, _ = solve_checked(s)
    assert result.objective is not None
    assert result.objective.shortfall == 4


def test_floor_of_a_skill_counts_only_holders() -> None:
    """Two leads wanted at two sites, one officer holds lead: short ≥ 1 whatever happens."""
    people = [
        Person(person_id="P1", name="One", base_id="B1", qualifications=(Grant(name="lead"),)),
        Person(person_id="P2", name="Two", base_id="B1"),
    ]
    s = scenario(
        weeks=1, people=people, sites=("A", "B"), demand=[("A", 0, "lead", 1), ("B", 0, "lead", 1)]
    )
    assert shortfall_bound(compile_scenario(s)) == 1
    result, _ = solve_checked(s)
    assert result.objective is not None
    assert result.objective.shortfall >= shortfall_bound(compile_scenario(s))
