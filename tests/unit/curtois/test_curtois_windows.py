"""The engine's window decomposition on published instances: every roster it returns
passes the independent evaluator, and is no worse than a stated bound."""

from __future__ import annotations

import csv
import random

import pytest
from curtois_cases import BENCH, instance

from surgeplan.curtois import evaluate
from surgeplan.curtois.to_problem import compile_instance, roster_of
from surgeplan.engine import SolveOptions, Status
from surgeplan.engine.bounds import missing_floor, shortfall_bound, weekend_floors
from surgeplan.engine.windows import (
    PEOPLE_CELLS,
    Window,
    _pick_people,
    _pick_weekends,
    neighbourhoods_apply,
    restrict_window,
    solve_by_neighbourhoods,
    solve_by_windows,
    windows_apply,
)
from surgeplan.solution import HOME, Solution

# Bounds: three times the best known (607, 828, 1001, 1716). Alone on two cores the window
# path reaches 1.2-1.4 times them in 8 s (Instance3: 1,223-1,408); while the other xdist
# worker solves too, twice was once missed (2,029 on Instance3). A rule mis-stated at a
# window's edge shows as an evaluator violation, a netting error as a roster far above them.
BOUNDS = {1: 1821, 2: 2484, 3: 3003, 4: 5148}
BEST_KNOWN_LOWER = {
    int(row["instance"].removeprefix("Instance")): int(row["best_known_lower"])
    for row in csv.DictReader((BENCH / "best_known.csv").open())
}


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_windows_roster_is_checked_and_bounded(number: int) -> None:
    """Solved by the window path (forced), the roster breaks no hard rule, the evaluator's
    objective is the engine's, and it is within the stated bound."""
    inst = instance(number)
    result = solve_by_windows(compile_instance(inst), SolveOptions(time_limit=8, workers=2))
    assert result.status is Status.FEASIBLE
    assert result.solution is not None and result.objective is not None
    evaluation = evaluate(inst, roster_of(result.solution))
    assert evaluation.violations == ()
    assert evaluation.total == result.objective.penalty
    assert evaluation.total <= BOUNDS[number]


def test_window_subproblem_pins_context_and_nets_totals() -> None:
    """A window of Instance4 over days 7..13 spans days 1..20: 6 context days a side (its
    longest run rule, 5 in a row, plus one), widened to keep the weekend 19-20 whole. The
    minutes worked outside it are netted out, and only context days are pinned."""
    problem = compile_instance(instance(4))
    start = solve_by_windows(problem, SolveOptions(time_limit=3, workers=1))
    assert start.solution is not None
    part = restrict_window(problem, start.solution, Window((0, 1), 7, 13))
    assert (part.lo, part.problem.num_periods) == (1, 20)
    row = start.solution.activity[0]
    outside = sum(problem.activities[a].minutes for a in row[:1] + row[21:] if a >= 0)
    assert part.problem.people[0].minutes_min == max(0, problem.people[0].minutes_min - outside)
    pinned = {(pin.person, pin.period) for pin in part.problem.pins}
    assert all(t < 6 or t > 12 for _, t in pinned)  # sub-problem days: day d is d - 1


def test_rosters_take_the_path_of_their_size() -> None:
    """The 182- and 364-day instances go by windows; mid-size ones (30-60 people over 28
    to 84 days) by a probe and neighbourhoods; smaller ones (4) and larger ones (13: 120
    people, 18 types) whole."""
    assert windows_apply(compile_instance(instance(20)))
    assert not neighbourhoods_apply(compile_instance(instance(20)))
    for number in (8, 12, 14, 19):
        assert neighbourhoods_apply(compile_instance(instance(number)))
        assert not windows_apply(compile_instance(instance(number)))
    for number in (4, 13):
        problem = compile_instance(instance(number))
        assert not windows_apply(problem) and not neighbourhoods_apply(problem)


def test_people_neighbourhood_frees_whole_rows() -> None:
    """A people neighbourhood is at least two distinct people over the whole horizon, as
    many as fit PEOPLE_CELLS."""
    problem = compile_instance(instance(14))
    T, A = problem.num_periods, len(problem.activities)
    rng = random.Random(3)
    for _ in range(20):
        window = _pick_people(problem, Solution(()), rng)
        assert (window.first, window.last) == (0, T - 1)
        assert len(set(window.people)) == len(window.people) >= 2
        allowed = sum(problem.people[p].allows(a) for p in window.people for a in range(A))
        assert allowed * T <= max(PEOPLE_CELLS, 2 * A * T)


@pytest.mark.parametrize("number", [3, 5])
def test_neighbourhoods_roster_is_checked_and_within_its_bound(number: int) -> None:
    """Probe then neighbourhoods (forced on small instances, to keep the test short): the
    roster breaks no rule, the evaluator's objective is the engine's, it is no worse than
    three times the best known (1001; 1143: see BOUNDS), and it is never below the probe's
    bound (OPTIMAL only when it reaches it)."""
    inst = instance(number)
    result = solve_by_neighbourhoods(compile_instance(inst), SolveOptions(time_limit=6))
    assert result.solution is not None and result.objective is not None
    evaluation = evaluate(inst, roster_of(result.solution))
    assert evaluation.violations == ()
    assert evaluation.total == result.objective.penalty <= {3: 3003, 5: 3429}[number]
    assert result.bound.shortfall <= evaluation.total
    assert (result.status is Status.OPTIMAL) == (evaluation.total == result.bound.shortfall)


def test_weekend_neighbourhood_frees_one_weekend_and_its_seeds() -> None:
    """On Instance11 (weekends bind), a weekend neighbourhood frees a few people over the
    whole horizon, drawn first among those working fewer weekend days than they could,
    and everyone else only around one weekend; a sub-plan spliced back changes free cells
    only."""
    problem = compile_instance(instance(11))
    T = problem.num_periods
    weekend_days = {5, 6, 12, 13}  # everyone works weekends 0 and 1 where available
    rows = tuple(
        tuple(0 if t in weekend_days and t not in person.unavailable else HOME for t in range(T))
        for person in problem.people
    )
    solution = Solution(rows)
    spare = {p for p, row in enumerate(rows) if row.count(0) < 4}  # a day off on those
    assert spare  # Instance11 has days off on weekends (E: day 5, F: day 13)
    rng = random.Random(1)
    for _ in range(10):
        window = _pick_weekends(problem, solution, rng)
        assert window.people == tuple(range(len(problem.people)))
        few = {p for p in window.people if all(window.frees(p, t) for t in range(T))}
        assert 2 <= len(few) < len(problem.people)
        assert few <= spare if len(few) <= len(spare) else spare <= few
        around = {t for t in range(T) if all(window.frees(p, t) for p in window.people)}
        saturday = min(around) + 1
        assert sorted(around) == [t for t in range(saturday - 1, saturday + 3) if t < T]
        assert (saturday, saturday + 1) in problem.weekends
        part = restrict_window(problem, solution, window)
        everywhere_one = Solution(tuple((1,) * part.problem.num_periods for _ in window.people))
        spliced = part.splice(solution, everywhere_one)
        for p in window.people:
            for t in range(T):
                expected = 1 if window.frees(p, t) else rows[p][t]
                assert spliced.activity[p][t] == expected


def test_floors_stay_below_the_published_bounds() -> None:
    """The floors are valid bounds: on every published instance, the shortfall bound
    never exceeds the best-known lower bound. Where they bind they are the optimum's
    whole shortfall: on Instance11, 234 weekend shifts asked of 50 people who may work 2
    weekends of 2 days, 34 short (× 100 = 3,400 of the optimum's 3,443); on Instance7,
    whose weekends ask for shifts that do not all pair up, 10 short (1,000 of 1,056),
    where counting days alone gave 1."""
    floors = weekend_floors(compile_instance(instance(11)))
    assert [(len(covers), floor) for covers, floor in floors] == [(48, 34)]
    seven = compile_instance(instance(7))
    assert [floor for _, floor in weekend_floors(seven)] == [10]
    assert missing_floor(seven) == 10
    for number, lower in BEST_KNOWN_LOWER.items():
        assert shortfall_bound(compile_instance(instance(number))) <= lower, number
