"""One `solve()` entry point: build the CP-SAT model, solve the tiers in order, map status.

Tiers are solved lexicographically (DESIGN.md §4): first the shortfall, then — with the
shortfall held at the value found — the cost. Each stage is hinted with the previous
stage's plan. The solve runs in a worker thread so that Ctrl-C in the main thread can stop
the search cleanly and return the best plan found so far.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from ortools.sat.python import cp_model

from surgeplan.engine.constraints import add_constraints
from surgeplan.engine.objective import cost_expr, shortfall_expr
from surgeplan.engine.variables import Variables, create_variables
from surgeplan.problem import Problem
from surgeplan.solution import HOME, Objective, Solution


class Status(StrEnum):
    """Solver-independent outcome of a solve."""

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    NO_SOLUTION = "NO_SOLUTION"
    INVALID = "INVALID"


_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.UNKNOWN: Status.NO_SOLUTION,
    cp_model.MODEL_INVALID: Status.INVALID,
}

STAGES = ("shortfall", "cost")
Formulation = Literal["periods", "rotations"]


@dataclass(frozen=True, slots=True)
class Progress:
    """A progress event: a new incumbent or bound in one stage."""

    stage: str
    objective: float
    bound: float
    elapsed: float


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True, slots=True)
class SolveOptions:
    """Search parameters; `time_limit` is the total over all stages, in seconds."""

    time_limit: float = 60.0
    workers: int = 2
    seed: int = 0
    log: bool = False
    formulation: Formulation = "periods"
    """"periods": per-period variables and run clauses (the default: it presolves fast and
    its search found better shortfalls, see BENCHMARKS.md); "rotations": whole-rotation
    variables (tighter cost bound, slower root LP), where rotations stay at one site."""


@dataclass(frozen=True, slots=True)
class Result:
    """What a solve returns, whatever happened."""

    status: Status
    solution: Solution | None
    objective: Objective | None
    bound: Objective
    seconds: float
    interrupted: bool = False
    stage_status: dict[str, Status] = field(default_factory=dict)

    def gap_pct(self, tier: str) -> float | None:
        """Relative gap (%) between objective and bound of a tier; None without a plan."""
        if self.objective is None:
            return None
        value = float(getattr(self.objective, tier))
        bound = float(getattr(self.bound, tier))
        if value == bound:
            return 0.0
        return 100.0 * (value - bound) / max(abs(value), 1)


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Forwards incumbents to the progress callback."""

    def __init__(self, stage: str, start: float, callback: ProgressCallback | None) -> None:
        super().__init__()
        self.stage, self.start, self.callback = stage, start, callback

    def on_solution_callback(self) -> None:
        if self.callback is not None:
            self.callback(
                Progress(
                    self.stage,
                    self.objective_value,
                    self.best_objective_bound,
                    time.monotonic() - self.start,
                )
            )


def _run(
    solver: cp_model.CpSolver, model: cp_model.CpModel, reporter: _Reporter
) -> tuple[Any, bool]:
    """Solve in a worker thread; Ctrl-C stops the search and keeps the best plan."""
    outcome: list[Any] = []
    worker = threading.Thread(
        target=lambda: outcome.append(solver.solve(model, reporter)), daemon=True
    )
    worker.start()
    interrupted = False
    while worker.is_alive():
        try:
            worker.join(0.1)
        except KeyboardInterrupt:
            interrupted = True
            solver.stop_search()
    worker.join()
    return outcome[0], interrupted


def _read(solver: cp_model.CpSolver, problem: Problem, v: Variables) -> Solution:
    rows = []
    for p in range(len(problem.people)):
        row = []
        for cells in v.x[p]:
            chosen = [a for a, lit in cells.items() if solver.boolean_value(lit)]
            row.append(chosen[0] if chosen else HOME)
        rows.append(tuple(row))
    return Solution(tuple(rows))


def _hint_everyone_home(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    """Hint the all-home plan: it breaks no hard rule, so the search starts from a plan."""
    missing = {short.index: c.required for short, c in zip(v.short, problem.covers, strict=True)}
    for index in range(len(model.proto.variables)):
        model.add_hint(model.get_int_var_from_proto_index(index), missing.get(index, 0))


def _hint(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Hint every variable with its value in the last solution."""
    model.clear_hints()  # type: ignore[no-untyped-call]
    for index in range(len(model.proto.variables)):
        var = model.get_int_var_from_proto_index(index)
        model.add_hint(var, solver.value(var))


def solve(
    problem: Problem,
    options: SolveOptions = SolveOptions(),
    progress: ProgressCallback | None = None,
) -> Result:
    """Solve `problem` lexicographically: shortfall first, then cost."""
    start = time.monotonic()
    model = cp_model.CpModel()
    v = create_variables(model, problem, options.formulation == "rotations")
    add_constraints(model, problem, v)
    shortfall = shortfall_expr(problem, v)
    cost = cost_expr(model, problem, v)
    if problem.budget is not None:
        model.add(cost <= problem.budget)
    _hint_everyone_home(model, problem, v)
    objective: Objective | None = None
    bound = Objective(0, 0)
    stage_status: dict[str, Status] = {}
    solution: Solution | None = None
    interrupted = False
    for stage, expr in zip(STAGES, (shortfall, cost), strict=True):
        remaining = options.time_limit - (time.monotonic() - start)
        if remaining <= 0 or interrupted:
            break
        model.minimize(expr)
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.max_time_in_seconds = remaining / 2 if stage == "shortfall" else remaining
        params.num_workers = options.workers
        params.random_seed = options.seed
        params.log_search_progress = options.log
        params.catch_sigint_signal = False
        params.linearization_level = 2  # cover rows in the LP: a tighter shortfall bound
        code, interrupted = _run(solver, model, _Reporter(stage, start, progress))
        status = _STATUS.get(code, Status.NO_SOLUTION)
        stage_status[stage] = status
        if status not in (Status.OPTIMAL, Status.FEASIBLE):
            if solution is None:
                return Result(
                    status, None, None, bound, time.monotonic() - start, interrupted, stage_status
                )
            break
        solution = _read(solver, problem, v)
        objective = solution.evaluate(problem)
        best = round(solver.best_objective_bound)
        if stage == "shortfall":
            bound = Objective(best, 0)
            model.add(expr <= objective.shortfall)
            _hint(model, solver)
        else:
            bound = Objective(bound.shortfall, best)
    assert solution is not None
    proven = all(stage_status.get(s) == Status.OPTIMAL for s in STAGES)
    return Result(
        Status.OPTIMAL if proven else Status.FEASIBLE,
        solution,
        objective,
        bound,
        time.monotonic() - start,
        interrupted,
        stage_status,
    )
