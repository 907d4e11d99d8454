"""The CP-SAT engine: variables, constraints, objective and one `solve()` entry point."""

from dataclasses import replace

from surgeplan.engine.budget_rounds import budget_binds, solve_in_rounds
from surgeplan.engine.cost_floor import least_cost
from surgeplan.engine.decompose import replan_by_parts, solve_by_parts
from surgeplan.engine.solve import (
    Progress,
    ProgressCallback,
    Result,
    SolveOptions,
    Status,
    keeps_every_rule,
    solve_whole,
    stages_of,
    with_result_bound,
)
from surgeplan.engine.windows import (
    neighbourhoods_apply,
    small_roster,
    solve_by_neighbourhoods,
    solve_by_windows,
    windows_apply,
)
from surgeplan.problem import Problem
from surgeplan.solution import Solution

DEFAULT_OPTIONS = SolveOptions()
DECOMPOSE_ABOVE = 150_000
"""Person × activity × period cells above which a problem is solved by parts."""


def solve(
    problem: Problem,
    options: SolveOptions = DEFAULT_OPTIONS,
    progress: ProgressCallback | None = None,
    start_from: Solution | None = None,
) -> Result:
    """Solve a problem: whole when it fits one model, else by parts (see `decompose`).

    Large single-objective (roster) problems go by people one by one and windows of time,
    mid-size ones by a probe of the whole model and neighbourhoods (`windows`); smaller
    ones are solved whole, in rounds where the budget binds (`budget_rounds`). Large
    re-plans (pins, a previous plan) go by parts too (`replan_by_parts`): the previous plan
    repaired where it breaks a rule, then improved part by part with the change cap
    netted. `start_from` is a plan that breaks no rule of `problem` (e.g. the plan of a
    stricter variant); the result is never worse than it. A re-plan whose previous plan
    still keeps every rule starts from it, so it never returns worse than leaving the plan
    as it is. The cost tier's bound is never below `least_cost` at the plan's shortfall.
    """
    return _with_cost_floor(problem, _solve(problem, options, progress, start_from))


def _solve(
    problem: Problem,
    options: SolveOptions,
    progress: ProgressCallback | None,
    start_from: Solution | None,
) -> Result:
    """`solve` by the route that suits the problem."""
    if windows_apply(problem):
        return solve_by_windows(problem, options, progress)
    if neighbourhoods_apply(problem):
        return solve_by_neighbourhoods(problem, options, progress)
    if small_roster(problem):
        options = replace(options, portfolio=True)
    cells = len(problem.people) * len(problem.activities) * problem.num_periods
    if cells > DECOMPOSE_ABOVE and not problem.single_objective:
        if problem.pins or problem.previous is not None:
            return replan_by_parts(problem, options, progress, start_from)
        return solve_by_parts(problem, options, progress, start_from)
    if start_from is None and problem.previous is None and budget_binds(problem):
        return solve_in_rounds(problem, options, progress)
    if start_from is not None:  # a plan known to break no rule of this problem
        return solve_whole(problem, options, progress, start_from, hint_is_feasible=True)
    if problem.previous is None:
        return solve_whole(problem, options, progress)
    previous = Solution(problem.previous)
    still_valid = keeps_every_rule(problem, previous)
    return solve_whole(problem, options, progress, previous, hint_is_feasible=still_valid)


def _with_cost_floor(problem: Problem, result: Result) -> Result:
    """`result` with the cost floor at its plan's shortfall as the cost tier's bound where
    that beats the solve's own (short solves and solves by parts often have none)."""
    if result.objective is None or "cost" not in stages_of(problem):
        return result
    floor = least_cost(problem, result.objective.shortfall)
    return with_result_bound(problem, result, "cost", floor)


__all__ = ["Progress", "ProgressCallback", "Result", "SolveOptions", "Status", "solve"]
