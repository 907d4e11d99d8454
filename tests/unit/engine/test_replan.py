"""Pins and re-planning: pinned cells are hard in engine and checker, a previous plan makes
changes the last tier, and --max-changes caps them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from helpers import scenario, sites_of, week
from surgeplan.checker import check
from surgeplan.compile import Replan, compile_replan, decode
from surgeplan.engine import SolveOptions, Status, solve
from surgeplan.engine.solve import change_scale, keeps_every_rule
from surgeplan.scenario.model import Scenario, Unavailable
from surgeplan.scenario.pins import Pin, freeze_before
from surgeplan.service import plan
from surgeplan.solution import Solution

OPTIONS = SolveOptions(time_limit=20, workers=1)


def two_sites() -> Scenario:
    """Two officers, sites A (priority 2) and B, one officer wanted at each for two weeks."""
    return scenario(
        weeks=2,
        people=2,
        sites=("A", "B"),
        priority={"A": 2},
        demand=[(s, k, "*", 1) for s in ("A", "B") for k in range(2)],
        fares={("B1", "A"): "100", ("B1", "B"): "200"},
    )


def test_pin_home_is_hard() -> None:
    """Pinning P1 home in week 0 leaves one officer for two sites then: B goes short (1)."""
    s = two_sites()
    pins = (Pin(person_id="P1", period_start=week(0), site_id="HOME"),)
    outcome = plan(s, OPTIONS, replan=Replan(pins))
    assert outcome.report.violations == ()
    assert outcome.report.shortfall == 1
    assert sites_of(s, outcome.result)[0][0] == "-"


def test_pin_to_site_is_hard() -> None:
    """Pinning P1 to B in week 0 puts P1 there even though the plan is otherwise free."""
    s = two_sites()
    pins = (Pin(person_id="P1", period_start=week(0), site_id="B"),)
    outcome = plan(s, OPTIONS, replan=Replan(pins))
    assert sites_of(s, outcome.result)[0][0] == "B"
    assert outcome.report.shortfall == 0


def test_conflicting_pins_are_infeasible() -> None:
    """rotation_min 2 with P1 pinned to A in week 0 and home in week 1: no plan exists."""
    s = scenario(weeks=2, demand=[("S1", 0, "*", 1)], rules={"rotation_min": 2})
    pins = (
        Pin(person_id="P1", period_start=week(0), site_id="S1"),
        Pin(person_id="P1", period_start=week(1), site_id="HOME"),
    )
    result = solve(compile_replan(s, Replan(pins)), OPTIONS)
    assert result.status is Status.INFEASIBLE
    assert result.solution is None


def test_checker_reports_broken_pin() -> None:
    """A plan that ignores a pin is a hard violation named 'pin'."""
    s = two_sites()
    pins = (Pin(person_id="P1", period_start=week(0), site_id="B"),)
    report = check(s, (), pins)
    assert [v.rule for v in report.violations] == ["pin"]


def test_unchanged_scenario_replans_with_no_change() -> None:
    """Re-planning an optimal plan of an unchanged scenario changes nothing."""
    s = two_sites()
    first = plan(s, OPTIONS)
    again = plan(s, OPTIONS, replan=Replan((), first.assignments))
    assert again.report.tier_total("changes") == 0
    assert again.result.objective is not None
    assert again.result.objective.changes == 0


def test_leave_forces_a_change_and_checker_counts_it() -> None:
    """P1 on leave in week 1: the engine's change count equals the checker's, and is > 0."""
    s = two_sites()
    first = plan(s, OPTIONS)
    on_leave = s.model_copy(
        update={
            "unavailable": (
                Unavailable(person_id="P1", start=date(2020, 2, 10), end=date(2020, 2, 16)),
            )
        }
    )
    again = plan(on_leave, OPTIONS, replan=Replan((), first.assignments))
    assert again.report.violations == ()
    assert again.result.objective is not None
    assert again.result.objective.changes == again.report.tier_total("changes") > 0


def test_max_changes_caps_changes() -> None:
    """With the past frozen and at most 0 changes, the re-plan keeps the old plan exactly."""
    s = two_sites()
    first = plan(s, OPTIONS)
    frozen = freeze_before(
        s, [(a.person_id, a.site_id, a.period_start) for a in first.assignments], week(1)
    )
    again = plan(s, OPTIONS, replan=Replan(frozen, first.assignments, max_changes=0))
    assert set(again.assignments) == set(first.assignments)
    assert decode(s, again.result.solution) == again.assignments  # type: ignore[arg-type]
    assert again.report.cost_usd == first.report.cost_usd == Decimal("300.00")


def test_a_still_valid_previous_plan_is_the_starting_incumbent() -> None:
    """With no time to search, a re-plan of an unchanged scenario returns the previous plan
    (never worse than leaving things as they are); a plan that breaks a new pin does not
    count as valid."""
    s = two_sites()
    first = plan(s, OPTIONS)
    problem = compile_replan(s, Replan((), first.assignments))
    assert keeps_every_rule(problem, Solution(problem.previous))  # type: ignore[arg-type]
    rushed = plan(
        s, SolveOptions(time_limit=0.001, workers=1), replan=Replan((), first.assignments)
    )
    assert set(rushed.assignments) == set(first.assignments)
    moved = "A" if sites_of(s, first.result)[0][0] == "B" else "B"
    pinned = compile_replan(
        s, Replan((Pin(person_id="P1", period_start=week(0), site_id=moved),), first.assignments)
    )
    assert not keeps_every_rule(pinned, Solution(pinned.previous))  # type: ignore[arg-type]


def test_change_tie_break_keeps_the_tiers_and_their_bounds() -> None:
    """Changes break ties inside the earlier stages of a re-plan (`change_scale`), yet the
    result still reports each tier's own optimum and bound: P1 on leave in week 1 leaves
    one officer for two sites that week, so B (priority 1) goes short by 1 and the bounds
    equal the values, not values × scale."""
    s = two_sites()
    first = plan(s, OPTIONS)
    problem = compile_replan(s, Replan((), first.assignments))
    assert change_scale(problem, "shortfall") == 2 * 2 + 1  # 2 officers × 2 weeks + 1
    assert change_scale(problem, "changes") == 1
    on_leave = s.model_copy(
        update={"unavailable": (Unavailable(person_id="P1", start=week(1), end=week(1)),)}
    )
    again = plan(on_leave, OPTIONS, replan=Replan((), first.assignments))
    assert again.result.status is Status.OPTIMAL
    assert again.result.objective is not None
    assert again.result.bound.shortfall == again.result.objective.shortfall == 1
    assert again.result.bound.cost == again.result.objective.cost
