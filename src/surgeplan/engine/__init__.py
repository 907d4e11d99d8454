"""The CP-SAT engine: variables, constraints, objective and one `solve()` entry point."""

from surgeplan.engine.decompose import solve_by_parts
from surgeplan.engine.solve import (
    Progress,
    ProgressCallback,
    Result,
    SolveOptions,
    Status,
    solve_whole,
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
) -> Result:
    """Solve a problem: whole when it fits one model, else by parts (see `decompose`).

    Single-objective (roster) problems and re-plans (pins, a previous plan) are always
    solved whole for now: the parts' netting does not yet cover them.
    """
    cells = len(problem.people) * len(problem.activities) * problem.num_periods
    by_parts = not (problem.single_objective or problem.pins or problem.previous is not None)
    if cells > DECOMPOSE_ABOVE and by_parts:
        return solve_by_parts(problem, options, progress)
    hint = Solution(problem.previous) if problem.previous is not None else None
    return solve_whole(problem, options, progress, hint)


__all__ = ["Progress", "ProgressCallback", "Result", "SolveOptions", "Status", "solve"]
