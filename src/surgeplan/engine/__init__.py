"""The CP-SAT engine: variables, constraints, objective and one `solve()` entry point."""

from surgeplan.engine.solve import (
    Progress,
    ProgressCallback,
    Result,
    SolveOptions,
    Status,
    solve,
)

__all__ = ["Progress", "ProgressCallback", "Result", "SolveOptions", "Status", "solve"]
