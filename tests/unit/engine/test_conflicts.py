"""Hard-rule conflicts: the smallest sets of pins and rules no plan can keep, in words.

Every set is checked with the ordinary engine, independently of the guarded model that
found it: the rules of the set alone are infeasible, and dropping any one member of it
leaves rules some plan keeps (the set is irreducible).
"""

from __future__ import annotations

from datetime import date

import pytest

from helpers import scenario, week
from surgeplan.compile import Replan, compile_replan
from surgeplan.conflict_words import describe, hard_rule_conflicts
from surgeplan.engine import SolveOptions, Status, solve
from surgeplan.engine.conflicts import Conflict, conflicts, relaxable_groups, restrict
from surgeplan.engine.constraints import Family, RuleGroup
from surgeplan.problem import Problem
from surgeplan.scenario.model import Base, Scenario, Unavailable
from surgeplan.scenario.pins import Pin
from surgeplan.service import plan, replan

OPTIONS = SolveOptions(time_limit=20, workers=1)
RUN_MIN = RuleGroup(Family.RUN_MIN)
BUDGET = RuleGroup(Family.BUDGET)


def pin(person: str, k: int, site: str = "S1") -> Pin:
    """Pin officer `person` in week k to `site` (HOME keeps them home)."""
    return Pin(person_id=person, period_start=week(k), site_id=site)


def pinned(index: int) -> RuleGroup:
    return RuleGroup(Family.PIN, index)


def solves(problem: Problem) -> bool:
    """Whether the ordinary engine finds a plan (it must prove infeasibility otherwise)."""
    status = solve(problem, OPTIONS).status
    assert status in (Status.OPTIMAL, Status.FEASIBLE, Status.INFEASIBLE), status
    return status is not Status.INFEASIBLE


def assert_irreducible(problem: Problem, conflict: Conflict) -> None:
    """The set's rules alone conflict; without any one member a plan keeps the rest."""
    members = set(conflict.members)
    assert conflict.minimal
    assert not solves(restrict(problem, members))
    for member in members:
        assert solves(restrict(problem, members - {member})), member


def rotation_min_clash() -> tuple[Scenario, Replan]:
    """rotation_min 2; P1 pinned to S1 in week 0 and home in week 1; P2 pinned freely."""
    s = scenario(weeks=3, people=2, demand=[("S1", 0, "*", 1)], rules={"rotation_min": 2})
    return s, Replan((pin("P1", 0), pin("P1", 1, "HOME"), pin("P2", 1)))


def test_pins_that_break_rotation_min_are_exactly_both_pins_and_the_rule() -> None:
    s, pins = rotation_min_clash()
    problem = compile_replan(s, pins)
    assert solve(problem, OPTIONS).status is Status.INFEASIBLE
    (found,) = conflicts(problem)
    assert set(found.members) == {pinned(0), pinned(1), RUN_MIN}
    assert_irreducible(problem, found)
    (text,) = describe(s, pins, (found,))
    assert text.sentence == (
        "P1 is pinned to S1 in the week of 2020-02-03 and pinned at home in the week of "
        "2020-02-10, but rotation_min is 2 (a rotation must last at least 2 weeks)."
    )
    assert text.members == (
        "pin P1 2020-02-03 S1",
        "pin P1 2020-02-10 HOME",
        "rotation_min 2",
    )


def test_a_pin_during_leave_is_the_pin_and_that_leave() -> None:
    """The loader refuses such a pin; built past it, the conflict is {pin, P2's leave}."""
    leave = Unavailable(person_id="P2", start=date(2020, 2, 12), end=date(2020, 2, 12))
    s = scenario(weeks=2, people=2, demand=[("S1", 1, "*", 1)], unavailable=[leave])
    pins = Replan((pin("P1", 1), pin("P2", 0), pin("P2", 1)))
    problem = compile_replan(s, pins)
    assert solve(problem, OPTIONS).status is Status.INFEASIBLE
    (found,) = conflicts(problem)
    assert set(found.members) == {pinned(2), RuleGroup(Family.UNAVAILABLE, 1)}
    assert_irreducible(problem, found)
    (text,) = describe(s, pins, (found,))
    assert text.sentence == (
        "P2 is pinned to S1 in the week of 2020-02-10, but P2 is unavailable on 2020-02-12."
    )


def test_a_budget_below_the_pinned_rotations_is_those_pins_and_the_budget() -> None:
    """$100 a rotation, a $150 budget: P1 and P2 pinned out is $200 (either alone fits);
    P3's home pin spends nothing and is not part of it."""
    s = scenario(
        weeks=2,
        people=4,
        demand=[("S1", 0, "*", 2)],
        fares={("B1", "S1"): "100"},
        rules={"budget_usd": "150"},
    )
    pins = Replan((pin("P3", 0, "HOME"), pin("P1", 0), pin("P2", 0)))
    problem = compile_replan(s, pins)
    (found,) = conflicts(problem)
    assert set(found.members) == {pinned(1), pinned(2), BUDGET}
    assert_irreducible(problem, found)
    (text,) = describe(s, pins, (found,))
    assert text.sentence == (
        "P1 is pinned to S1 in the week of 2020-02-03 and P2 is pinned to S1 in the week "
        "of 2020-02-03, but the budget of $150.00 is below the cost of the pinned rotations."
    )


def test_two_independent_conflicts_are_each_found_and_irreducible() -> None:
    """P1's pins break rotation_min, P2 is pinned during leave: two sets, each minimal."""
    leave = Unavailable(person_id="P2", start=date(2020, 2, 10), end=date(2020, 2, 16))
    s = scenario(weeks=3, people=3, rules={"rotation_min": 2}, unavailable=[leave])
    pins = Replan((pin("P1", 0), pin("P1", 1, "HOME"), pin("P2", 1), pin("P3", 0)))
    problem = compile_replan(s, pins)
    found = conflicts(problem)
    assert {frozenset(c.members) for c in found} == {
        frozenset({pinned(0), pinned(1), RUN_MIN}),
        frozenset({pinned(2), RuleGroup(Family.UNAVAILABLE, 1)}),
    }
    for conflict in found:
        assert_irreducible(problem, conflict)
    # Dropping a member of one set leaves the other: the rest of the problem still conflicts.
    assert not solves(restrict(problem, set(relaxable_groups(problem)) - {pinned(0)}))


@pytest.mark.parametrize(
    ("rules", "sites", "placed", "family"),
    [
        ({"rotation_max": 2}, ("S1",), [(0, "S1"), (1, "S1"), (2, "S1")], Family.RUN_MAX),
        ({"rest_min": 2}, ("S1",), [(0, "S1"), (1, "HOME"), (2, "S1")], Family.REST_MIN),
        ({"deployed_max": 1}, ("S1",), [(0, "S1"), (2, "S1")], Family.TOTAL_MAX),
        ({"same_site_only": True}, ("S1", "S2"), [(0, "S1"), (1, "S2")], Family.SAME_ACTIVITY),
    ],
)
def test_each_rule_family_is_named_with_the_pins_that_break_it(
    rules: dict[str, object],
    sites: tuple[str, ...],
    placed: list[tuple[int, str]],
    family: Family,
) -> None:
    s = scenario(weeks=3, people=2, sites=sites, rules=rules)
    pins = Replan(tuple(pin("P1", k, site) for k, site in placed))
    problem = compile_replan(s, pins)
    (found,) = conflicts(problem)
    assert set(found.members) == {pinned(i) for i in range(len(placed))} | {RuleGroup(family)}
    assert_irreducible(problem, found)


def test_a_base_that_releases_no_one_is_named() -> None:
    base = Base(base_id="B1", name="Base One", lat=31.7, lon=-106.4, max_away=0)
    s = scenario(weeks=1, people=2, bases=[base])
    pins = Replan((pin("P2", 0),))
    problem = compile_replan(s, pins)
    (found,) = conflicts(problem)
    assert set(found.members) == {pinned(0), RuleGroup(Family.RELEASE, 0)}
    assert_irreducible(problem, found)
    (text,) = describe(s, pins, (found,))
    assert text.sentence == (
        "P2 is pinned to S1 in the week of 2020-02-03, but Base One (B1) lets at most "
        "0 officers away at once (max_away)."
    )


def test_a_feasible_problem_has_no_conflict() -> None:
    s = scenario(weeks=3, people=2, demand=[("S1", 0, "*", 1)], rules={"rotation_min": 2})
    pins = Replan((pin("P1", 0), pin("P1", 1), pin("P2", 2, "HOME")))
    assert conflicts(compile_replan(s, pins)) == ()
    assert hard_rule_conflicts(s) == ()
    outcome = plan(s, OPTIONS, replan=pins)
    assert outcome.result.status is Status.OPTIMAL
    assert outcome.conflicts == ()


def test_plan_says_why_it_is_infeasible() -> None:
    s, pins = rotation_min_clash()
    outcome = plan(s, OPTIONS, replan=pins)
    assert outcome.result.status is Status.INFEASIBLE
    (text,) = outcome.conflicts
    assert text.minimal
    assert "rotation_min is 2" in text.sentence
    assert plan(s, OPTIONS, replan=pins, conflict_seconds=0).conflicts == ()


def test_replan_says_which_pins_keep_the_plan_in_force() -> None:
    """P1 is three weeks in S1; re-planning from week 1 with P1 pinned home that week
    leaves a one-week rotation in week 0, kept as planned: rotation_min 2 forbids it."""
    s = scenario(weeks=3, demand=[("S1", k, "*", 1) for k in range(3)], rules={"rotation_min": 2})
    first = plan(s, OPTIONS)
    assert len(first.assignments) == 3
    again = replan(s, first.assignments, week(1), OPTIONS, (pin("P1", 1, "HOME"),))
    assert again.outcome.result.status is Status.INFEASIBLE
    (text,) = again.outcome.conflicts
    assert text.sentence == (
        "P1 is kept in S1 in the week of 2020-02-03 as already planned, and pinned at home "
        "in the week of 2020-02-10, but rotation_min is 2 (a rotation must last at least "
        "2 weeks)."
    )


def test_no_time_no_answer() -> None:
    """With no time, nothing is claimed (the caller falls back to a general message)."""
    s, pins = rotation_min_clash()
    assert conflicts(compile_replan(s, pins), seconds=0) == ()
