"""Plans under a binding budget are solved in rounds (`engine/budget_rounds.py`)."""

from __future__ import annotations

from decimal import Decimal

from helpers import scenario
from surgeplan.checker import check
from surgeplan.compile import compile_scenario, decode
from surgeplan.engine import Progress, SolveOptions, solve
from surgeplan.engine.bounds import shortfall_bound
from surgeplan.engine.budget_rounds import ROUND_SECONDS, budget_binds
from surgeplan.problem import Problem
from surgeplan.scenario.load import load_scenario
from surgeplan.service import BUILTIN


def test_budget_binds_only_when_it_cuts_the_start_short() -> None:
    """One $300 fare: a $299 budget cuts the constructive plan short, $300 does not, and no
    budget never binds."""

    def problem(budget: str | None) -> Problem:
        rules = {} if budget is None else {"budget_usd": Decimal(budget)}
        s = scenario(weeks=1, demand=[("S1", 0, "*", 1)], fares={("B1", "S1"): "300"}, rules=rules)
        return compile_scenario(s)

    assert budget_binds(problem("299"))
    assert not budget_binds(problem("300"))
    assert not budget_binds(problem(None))


def test_rounds_keep_the_budget_and_count_time_from_the_start() -> None:
    """The built-in campaign capped at $600,000 (its plans cost about $1M uncapped), in
    two rounds. The plan passes the checker within the cap, its claimed objective is the
    checker's, and progress across the rounds never goes back in time. The shortfall's
    bound is the budget's LP (`lp_bound`): above the capacity floor, which ignores the
    budget, and no higher than the plan's."""
    capped = load_scenario(BUILTIN)
    capped = capped.model_copy(
        update={"rules": capped.rules.model_copy(update={"budget_usd": Decimal(600_000)})}
    )
    problem = compile_scenario(capped)
    assert budget_binds(problem)
    events: list[Progress] = []
    result = solve(problem, SolveOptions(time_limit=2 * ROUND_SECONDS, workers=2), events.append)
    assert result.solution is not None and result.objective is not None
    report = check(capped, decode(capped, result.solution))
    assert report.violations == ()
    assert report.cost_usd <= 600_000
    assert report.shortfall == result.objective.shortfall
    assert report.cost_usd == Decimal(result.objective.cost) / 100
    assert shortfall_bound(problem) < result.bound.shortfall <= report.shortfall
    elapsed = [event.elapsed for event in events]
    assert elapsed and elapsed == sorted(elapsed) and elapsed[-1] <= result.seconds
    assert elapsed[-1] > ROUND_SECONDS  # the second round spoke too, counted from the start
