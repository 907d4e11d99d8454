"""Solving by parts: a sub-problem nets out the held people exactly, and the part-by-part
search returns a plan that the checker accepts and that is no worse than the constructive one."""

from __future__ import annotations

import random
import time
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from helpers import B_WEEKS_1_2, scenario, stuck_above_the_floor, week
from surgeplan import engine
from surgeplan.checker import check
from surgeplan.compile import Replan, compile_replan, compile_scenario, decode
from surgeplan.engine.best_response import improve
from surgeplan.engine.bounds import shortfall_bound
from surgeplan.engine.construct import construct
from surgeplan.engine.cost_floor import least_cost
from surgeplan.engine.decompose import (
    broken_people,
    repair,
    replan_by_parts,
    restrict,
    solve_by_parts,
)
from surgeplan.engine.shortfall_lp import shortfall_lp
from surgeplan.engine.solve import Result, SolveOptions, Status, keeps_every_rule, solve_whole
from surgeplan.problem import HOME, PinnedCell, Problem
from surgeplan.scenario.model import Base, Person, Scenario, Unavailable
from surgeplan.scenario.pins import Pin
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


def test_restrict_nets_pins_previous_and_max_changes() -> None:
    """A re-plan's sub-problem carries its people's pins (re-indexed) and previous rows, and
    the change cap net of the held people's changes: its objective, changes included, plus
    the held part equals the whole plan's."""
    s = small()
    base = compile_scenario(s)
    before = construct(base)
    now = [list(row) for row in before.activity]
    now[1][0] = HOME if now[1][0] != HOME else 0  # a held person changed in one cell
    now[3][2] = HOME if now[3][2] != HOME else 1  # a free person changed in one cell
    plan = Solution(tuple(tuple(row) for row in now))
    pins = (PinnedCell(3, 2, now[3][2]), PinnedCell(1, 0, now[1][0]), PinnedCell(4, 1, now[4][1]))
    problem = replace(base, pins=pins, previous=before.activity, max_changes=10, change_weight=3)
    free = [0, 3, 4]
    sub = restrict(problem, plan, free)
    part = Solution(tuple(plan.activity[p] for p in free))
    assert sub.pins == (PinnedCell(1, 2, now[3][2]), PinnedCell(2, 1, now[4][1]))
    assert sub.previous == tuple(before.activity[p] for p in free)
    assert sub.max_changes == 10 - 3  # the held person's one change, weighted
    whole, mine = plan.evaluate(problem), part.evaluate(sub)
    held_cost = sum(
        problem.stretch_cost(st.person, st.activity, st.first, st.last)
        for st in plan.stretches()
        if st.person not in free
    )
    assert mine.shortfall == whole.shortfall
    assert mine.cost + held_cost == whole.cost
    assert mine.changes + 3 == whole.changes == 6
    assert keeps_every_rule(sub, part) == keeps_every_rule(problem, plan)


def on_leave(s: Scenario, person: str, k: int) -> Scenario:
    """The scenario with `person` unavailable from week k to the end."""
    leave = Unavailable(person_id=person, start=week(k), end=week(4) - timedelta(days=1))
    return s.model_copy(update={"unavailable": (*s.unavailable, leave)})


def test_replan_by_parts_repairs_keeps_pins_and_the_change_cap() -> None:
    """New leave breaks the previous plan: the repair moves only who breaks a rule, and the
    part-by-part re-plan (two people a part) keeps pins and the change cap, passes the
    checker, and is no worse than the repaired start."""
    s = small()
    first = solve_by_parts(compile_scenario(s), SolveOptions(time_limit=3, workers=1))
    assert first.solution is not None
    previous = decode(s, first.solution)
    busy = [p for p in range(6) if first.solution.activity[p][2] != HOME]
    leaver = s.people[busy[0]].person_id
    changed = on_leave(s, leaver, 2)
    staying = next(p for p in range(6) if p != busy[0])
    pins = (Pin(person_id=s.people[staying].person_id, period_start=week(0), site_id="HOME"),)
    replan = Replan(pins, previous, max_changes=6)
    problem = compile_replan(changed, replan)
    old = Solution(problem.previous)  # type: ignore[arg-type]
    broken = broken_people(problem, old)
    assert busy[0] in broken
    start = repair(problem, old, SolveOptions(time_limit=5, workers=1), 2, random.Random(0))
    assert start is not None and keeps_every_rule(problem, start)
    assert all(start.activity[p] == old.activity[p] for p in range(6) if p not in broken)
    options = SolveOptions(time_limit=4, workers=1)
    for given in (None, start):
        result = replan_by_parts(problem, options, start_from=given, size=2)
        assert result.solution is not None and result.objective is not None
        assert all(result.solution.activity[x.person][x.period] == x.activity for x in problem.pins)
        assert result.objective.changes <= 6
        report = check(changed, decode(changed, result.solution), pins, previous)
        assert report.violations == ()
        assert report.shortfall == result.objective.shortfall
        assert report.tier_total("changes") == result.objective.changes
    assert result.objective.as_tuple() <= start.evaluate(problem).as_tuple()


def test_solve_routes_large_replans_by_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above the threshold a re-plan goes by parts, never building the whole model."""
    calls: list[int] = []
    real = engine.replan_by_parts

    def spy(problem: Problem, *args: Any, **kwargs: Any) -> Result:
        calls.append(len(problem.people))
        return real(problem, *args, **kwargs)

    monkeypatch.setattr(engine, "replan_by_parts", spy)
    monkeypatch.setattr(engine, "DECOMPOSE_ABOVE", 10)
    s = small()
    previous = decode(s, construct(compile_scenario(s)))
    changed = on_leave(s, "P0", 1)
    result = engine.solve(
        compile_replan(changed, Replan((), previous)), SolveOptions(time_limit=2, workers=1)
    )
    assert calls == [6]
    assert result.solution is not None
    report = check(changed, decode(changed, result.solution), (), previous)
    assert report.violations == ()


def test_a_solve_by_parts_reads_its_cost_gap_against_the_cost_floor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The parts prove nothing about the cost: its bound is the cost floor at the plan's
    shortfall, not nothing, and no more than the plan's cost."""
    monkeypatch.setattr(engine, "DECOMPOSE_ABOVE", 10)
    problem = compile_scenario(small())
    result = engine.solve(problem, SolveOptions(time_limit=2, workers=1))
    assert result.objective is not None
    floor = least_cost(problem, result.objective.shortfall)
    assert floor is not None and 0 < floor <= result.objective.cost
    assert result.bound.cost == floor


def test_a_first_tier_only_solve_searches_the_shortfall_and_proves_no_more() -> None:
    """From the dear plan, a first-tier-only solve proves the shortfall optimal (1) but
    leaves the cost tier unsearched: the solve as a whole is not OPTIMAL."""
    problem = compile_scenario(stuck_above_the_floor())
    options = SolveOptions(time_limit=5, workers=1, first_tier_only=True)
    result = solve_whole(problem, options, hint=B_WEEKS_1_2, hint_is_feasible=True)
    assert result.objective is not None and result.objective.shortfall == 1
    assert result.stage_status == {"shortfall": Status.OPTIMAL}
    assert result.status is Status.FEASIBLE


def test_parts_search_the_cost_once_the_shortfall_stalls_above_the_floor() -> None:
    """From the dear plan, whose shortfall (1) no part can lower although the floor is 0,
    the parts search the shortfall alone until STALL_PARTS of them leave it, then every
    tier: the plan returned is the cheap one, at A, and it passes the checker. (Best
    responses, off here, would find it alone: one officer's best schedule is exact.)"""
    s = stuck_above_the_floor()
    problem = compile_scenario(s)
    assert shortfall_bound(problem) == 0
    options = SolveOptions(time_limit=4, workers=1)
    result = solve_by_parts(problem, options, None, B_WEEKS_1_2, polish=False)
    assert result.solution is not None and result.objective is not None
    assert result.objective.shortfall == 1
    assert [row[:2] for row in result.solution.activity] == [(0, 0)]  # A in weeks 0–1
    report = check(s, decode(s, result.solution))
    assert report.violations == ()
    assert report.cost_usd == Decimal(result.objective.cost) / 100


def test_parts_show_the_floor_then_the_lp_as_their_bound_while_they_run() -> None:
    """Three wanted per site-week where only four of six may be away: the floor is 2 a
    week (8). The $20,000 budget binds too, which the shortfall LP beside the parts sees
    and the floor does not: it proves 9. Started from everyone at home, each event shows
    the floor until the LP lands, then the LP's bound (never 0, which would read as a 100%
    gap, nor above the plan), and the result carries the LP's bound."""
    s = small()
    demand = [(site, k, "*", 3) for site in ("A", "B") for k in range(4)]
    s = s.model_copy(update={"demand": scenario(weeks=4, sites=("A", "B"), demand=demand).demand})
    problem = compile_scenario(s)
    assert shortfall_bound(problem) == 8
    assert shortfall_lp(problem, 10) == 9
    home = Solution(tuple((HOME,) * 4 for _ in range(6)))
    events: list[engine.Progress] = []
    result = solve_by_parts(problem, SolveOptions(time_limit=3, workers=1), events.append, home)
    assert events
    assert all(event.bound in (8, 9) and event.bound <= event.objective for event in events)
    assert [event.bound for event in events] == sorted(event.bound for event in events)
    assert result.bound.shortfall == 9


def test_parts_start_from_the_best_responses_to_their_start() -> None:
    """Given 1 s, no part runs (a part needs a second left), so what comes back is the
    start, everyone at home, polished by best responses: far better than home."""
    s = small()
    problem = compile_scenario(s)
    home = Solution(tuple((HOME,) * 4 for _ in range(6)))
    polished = improve(problem, home, time.monotonic() + 10, random.Random(0))
    assert polished.evaluate(problem).shortfall < home.evaluate(problem).shortfall
    result = solve_by_parts(problem, SolveOptions(time_limit=1, workers=1), None, home)
    assert result.objective == polished.evaluate(problem)
    assert result.solution is not None
    assert check(s, decode(s, result.solution)).violations == ()
