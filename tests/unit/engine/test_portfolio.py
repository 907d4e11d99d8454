"""A portfolio of CP-SAT solvers on one model keeps the best result and the best bound."""

from __future__ import annotations

from ortools.sat.python import cp_model

from surgeplan.engine.portfolio import run_portfolio, single_workers


def knapsack() -> cp_model.CpModel:
    """Weights 3, 4, 5, 6 and values 4, 5, 6, 8 in capacity 10: the optimum takes the
    items of weight 4 and 6 (value 13; 3 + 6 gives 12, 4 + 5 gives 11, 3 + 5 gives 10).
    Minimised as the value left out of 23: 10."""
    model = cp_model.CpModel()
    take = [model.new_bool_var(f"x{i}") for i in range(4)]
    weights, values = (3, 4, 5, 6), (4, 5, 6, 8)
    model.add(sum(w * x for w, x in zip(weights, take, strict=True)) <= 10)
    model.minimize(23 - sum(v * x for v, x in zip(values, take, strict=True)))
    return model


def test_single_workers_differ_only_in_seed() -> None:
    """One solver per worker, each on one worker, seeds counted up from the given one."""
    solvers = single_workers(cp_model.CpSolver, 3, 7)
    assert [(s.parameters.num_workers, s.parameters.random_seed) for s in solvers] == [
        (1, 7),
        (1, 8),
        (1, 9),
    ]


def test_portfolio_keeps_the_proven_optimum() -> None:
    """Two single-worker solvers prove the optimum; the outcome is that plan and bound."""
    outcome = run_portfolio(single_workers(cp_model.CpSolver, 2, 0), knapsack())
    assert outcome.code == cp_model.OPTIMAL
    assert (outcome.solver.objective_value, outcome.bound) == (10, 10)
    assert not outcome.interrupted


def test_portfolio_prefers_a_plan_to_a_solver_that_found_none() -> None:
    """A solver given no time finds nothing; the outcome is the other one's optimum."""
    idle, working = cp_model.CpSolver(), cp_model.CpSolver()
    idle.parameters.max_time_in_seconds = 0.0
    outcome = run_portfolio([idle, working], knapsack())
    assert outcome.solver is working
    assert (outcome.code, outcome.solver.objective_value) == (cp_model.OPTIMAL, 10)


def test_portfolio_reports_infeasibility() -> None:
    """With no plan anywhere, a proof of infeasibility is the outcome."""
    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    model.add(x >= 5)
    outcome = run_portfolio(single_workers(cp_model.CpSolver, 2, 0), model)
    assert outcome.code == cp_model.INFEASIBLE
