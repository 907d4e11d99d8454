"""Best responses (`engine/best_response`): one person re-planned at a time, the others
held — exact for that person, never worse for the plan, every rule kept."""

from __future__ import annotations

import os
import random
import signal
import time
from dataclasses import astuple
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import scenario
from surgeplan.checker import check
from surgeplan.compile import compile_scenario, decode
from surgeplan.engine import SolveOptions
from surgeplan.engine.best_response import Search, applies, improve, iterate
from surgeplan.engine.construct import construct
from surgeplan.engine.solve import Progress, solve_whole
from surgeplan.problem import HOME, Problem
from surgeplan.scenario.load import load_scenario
from surgeplan.scenario.model import Base, Person, Scenario
from surgeplan.solution import Solution

BUILTIN = Path(__file__).parents[3] / "src" / "surgeplan" / "data" / "default"


def _improved(s: Scenario, start: Solution | None = None) -> Solution:
    """`improve` from `start` (all at home by default), its plan checked."""
    problem = compile_scenario(s)
    assert applies(problem)
    home = Solution(tuple((HOME,) * problem.num_periods for _ in problem.people))
    plan = improve(problem, start or home, time.monotonic() + 30, random.Random(0))
    report = check(s, decode(s, plan))
    assert report.violations == ()
    assert report.shortfall == plan.evaluate(problem).shortfall
    return plan


def test_the_heavier_rotation_wins_over_the_longer_reach() -> None:
    """One officer, rotations of exactly 2 weeks, a week's rest: S1 wants one in weeks 0–1
    (weight 1 each), S2 in weeks 2–3 at priority 2. S1 then rest leaves no room for S2, so
    the best schedule is S2 alone: shortfall 2 (S1's weeks) against 4 the other way."""
    s = scenario(
        weeks=4,
        sites=("S1", "S2"),
        demand=[("S1", 0, "*", 1), ("S1", 1, "*", 1), ("S2", 2, "*", 1), ("S2", 3, "*", 1)],
        rules={"rotation_min": 2, "rotation_max": 2, "rest_min": 1},
        priority={"S2": 2},
    )
    plan = _improved(s)
    assert plan.activity == ((HOME, HOME, 1, 1),)


def test_equal_shortfall_goes_to_the_cheaper_site() -> None:
    """Two sites each want the officer for week 0; S2's fare is $100 less: the officer
    goes to S2 (shortfall 1 either way, the cost decides)."""
    s = scenario(
        weeks=1,
        sites=("S1", "S2"),
        demand=[("S1", 0, "*", 1), ("S2", 0, "*", 1)],
        rules={"rotation_min": 1},
        fares={("B1", "S1"): "400", ("B1", "S2"): "300"},
    )
    assert _improved(s).activity == ((1,),)


def test_the_release_cap_holds_across_people() -> None:
    """Three officers of one base with max_away 1, three wanted at S1 for a week: one
    goes, and the others stay home however much demand is left."""
    base = Base(base_id="B1", name="Base", lat=31.7, lon=-106.4, max_away=1)
    people = [Person(person_id=f"P{i}", name=f"Officer {i}", base_id="B1") for i in range(3)]
    s = scenario(
        weeks=1,
        people=people,
        bases=[base],
        demand=[("S1", 0, "*", 3)],
        rules={"rotation_min": 1},
    )
    plan = _improved(s)
    assert sum(row[0] != HOME for row in plan.activity) == 1


def test_the_budget_refuses_a_response_that_breaks_it() -> None:
    """Two officers wanted at S1 for a week, $300 fares, $450 budget: one may go, the
    second response would break the budget and is refused."""
    s = scenario(
        weeks=1,
        people=2,
        demand=[("S1", 0, "*", 2)],
        rules={"rotation_min": 1, "budget_usd": Decimal("450")},
        fares={("B1", "S1"): "300"},
    )
    plan = _improved(s)
    assert sum(row[0] != HOME for row in plan.activity) == 1


def test_never_worse_than_the_start() -> None:
    """From the constructive plan of a scenario where it is already optimal for each
    person alone, the result is no worse in either tier."""
    s = scenario(
        weeks=6,
        people=3,
        sites=("S1", "S2"),
        demand=[(site, k, "*", 2) for site in ("S1", "S2") for k in range(6)],
        rules={"rotation_min": 2, "rest_min": 1, "deployed_max": 4},
        fares={("B1", "S1"): "300", ("B1", "S2"): "200"},
    )
    problem = compile_scenario(s)
    start = construct(problem)
    plan = _improved(s, start)
    assert plan.evaluate(problem).as_tuple() <= start.evaluate(problem).as_tuple()


def test_rules_it_cannot_state_are_not_its_business() -> None:
    """Without same_site_only a rotation may change site, which the path does not state."""
    s = scenario(weeks=2, demand=[("S1", 0, "*", 1)], rules={"same_site_only": False})
    assert not applies(compile_scenario(s))


def test_kicks_never_worsen_and_their_counts_stay_exact() -> None:
    """Iterated best responses on the built-in scenario (qualifications, release caps, a
    budget): each kick keeps the plan or makes it no worse, the running (shortfall, cost)
    always equals a full evaluation, and the plan passes the checker."""
    s = load_scenario(BUILTIN)
    problem = compile_scenario(s)
    search = Search(problem, construct(problem))
    rng = random.Random(0)
    search.settle(time.monotonic() + 30, rng)
    last = search.value()
    for step in range(300):
        search.kick(rng)
        assert search.value() <= last
        last = search.value()
        if step % 50 == 0:
            objective = search.solution().evaluate(problem)
            assert (objective.shortfall, objective.cost) == last
            assert search.plan.grid.tolist() == search.plan.rows  # what kicks scan
    report = check(s, decode(s, search.solution()))
    assert report.violations == ()
    assert report.shortfall == last[0]


def test_iterating_is_never_worse_than_settling() -> None:
    """`iterate` settles first exactly as `improve` does (same random order), then only
    keeps kicks that make the plan no worse."""
    s = load_scenario(BUILTIN)
    problem = compile_scenario(s)
    start = construct(problem)
    settled = improve(problem, start, time.monotonic() + 30, random.Random(3))
    iterated = iterate(problem, start, time.monotonic() + 2, random.Random(3))
    assert iterated.evaluate(problem).as_tuple() <= settled.evaluate(problem).as_tuple()
    assert check(s, decode(s, iterated)).violations == ()


def test_adopting_a_plan_counts_as_a_new_search_would() -> None:
    """A search that adopts another plan (a part changed some rows) holds the same
    (shortfall, cost) and responds the same as a search built on that plan."""
    problem = compile_scenario(load_scenario(BUILTIN))
    start = construct(problem)
    search = Search(problem, start)
    search.settle(time.monotonic() + 30, random.Random(0))
    assert search.solution() != start
    search.adopt(start)
    assert search.solution() == start
    assert search.value() == Search(problem, start).value() == astuple(start.evaluate(problem))[:2]
    fresh = Search(problem, start)
    for search_ in (search, fresh):
        search_.settle(time.monotonic() + 30, random.Random(1))
    assert search.solution() == fresh.solution()


def test_patience_ends_the_kicks_once_they_stall() -> None:
    """With `patience`, iterating stops once that many kicks in a row leave the plan no
    better (long before a far deadline): the last kicks changed nothing in the value, and
    the one before them improved it."""
    problem = compile_scenario(load_scenario(BUILTIN))
    patience = 300

    class Counting(Search):
        """A search that records its value after every kick."""

        def __init__(self, problem: Problem, solution: Solution) -> None:
            super().__init__(problem, solution)
            self.values: list[tuple[int, int]] = []

        def kick(self, rng: random.Random) -> bool:
            changed = super().kick(rng)
            self.values.append(self.value())
            return changed

    search = Counting(problem, construct(problem))
    settled = Search(problem, construct(problem))
    settled.settle(time.monotonic() + 30, random.Random(0))
    search.iterate(time.monotonic() + 600, random.Random(0), patience)
    values = [settled.value(), *search.values]
    assert len(values) > patience
    assert len(set(values[-patience - 1 :])) == 1  # no kick of the last `patience` improved
    if len(values) > patience + 1:
        assert values[-patience - 2] > values[-patience - 1]  # the one before did


def test_a_whole_solve_starts_its_search_from_the_polished_plan() -> None:
    """A whole solve too short for the early MIP first improves the constructive plan by
    iterated best responses (its first progress shows at most what settling alone gives,
    below the constructive plan), then searches from it; the plan passes the checker."""
    s = load_scenario(BUILTIN)
    problem = compile_scenario(s)
    start = construct(problem)
    settled = improve(problem, start, time.monotonic() + 30, random.Random(0))
    events: list[Progress] = []
    result = solve_whole(problem, SolveOptions(time_limit=5, seed=0), events.append)
    first = next(event for event in events if event.stage == "shortfall")
    assert (
        first.objective <= settled.evaluate(problem).shortfall < start.evaluate(problem).shortfall
    )
    assert result.solution is not None and result.objective is not None
    report = check(s, decode(s, result.solution))
    assert report.violations == ()
    assert report.shortfall == result.objective.shortfall <= first.objective


def test_ctrl_c_during_the_polish_keeps_the_constructive_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A real SIGINT that lands during the polish (sent by the 50th kick) ends the solve
    at once, as interrupted, with the constructive plan: a kick cut short may have put
    back only some of its people, so its plan is not trusted."""
    s = load_scenario(BUILTIN)
    problem = compile_scenario(s)
    kick, kicks = Search.kick, [0]

    def kick_then_interrupt(self: Search, rng: random.Random) -> bool:
        kicks[0] += 1
        if kicks[0] == 50:
            os.kill(os.getpid(), signal.SIGINT)
        return kick(self, rng)

    monkeypatch.setattr(Search, "kick", kick_then_interrupt)
    result = solve_whole(problem, SolveOptions(time_limit=100, seed=0))
    assert kicks[0] >= 50
    assert result.interrupted
    assert result.seconds < 50
    assert result.solution == construct(problem)
    assert check(s, decode(s, result.solution)).violations == ()
