"""Running CP-SAT in worker threads: one solver, or several independent ones at once.

A solve runs in a worker thread so that Ctrl-C in the main thread can stop the search
cleanly and keep the best plan found so far.

Several single-worker solvers on one model (a portfolio, `single_workers`) beat one
solver with as many workers on small rosters: CP-SAT's single-worker search raises its
bound far faster (Curtois Instance4: 1,563 after 0.1 s against 1,200 after 60 s with two
workers), and it proved Instances 4, 5 and 6 optimal within 60 s, where two workers
stalled 0.2-10% above the optimum. Two such searches with different seeds use both cores
and hedge the seed's luck.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

PROVEN = (cp_model.OPTIMAL, cp_model.INFEASIBLE)
FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)


@dataclass(frozen=True, slots=True)
class Outcome:
    """The best of a portfolio's results."""

    solver: cp_model.CpSolver
    """The solver whose plan (or proof) is best: read values from it."""
    code: Any
    """Its CP-SAT status."""
    bound: float
    """The best objective bound any solver proved."""
    interrupted: bool
    """Whether Ctrl-C stopped the search."""


def single_workers(
    make: Callable[[], cp_model.CpSolver], workers: int, seed: int
) -> list[cp_model.CpSolver]:
    """`workers` solvers from `make()`, each on one worker with its own seed."""
    solvers = []
    for i in range(max(1, workers)):
        solver = make()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed + i
        solvers.append(solver)
    return solvers


def run_portfolio(
    solvers: Sequence[cp_model.CpSolver],
    model: cp_model.CpModel,
    callbacks: Sequence[cp_model.CpSolverSolutionCallback | None] | None = None,
    stop_when: Callable[[], bool] | None = None,
) -> Outcome:
    """Solve `model` with every solver at once, one thread each, and keep the best.

    A solver that proves its result (optimal, or infeasible) stops the others; Ctrl-C
    stops them all, and so does `stop_when()` once true: a proof found beside the
    search, such as an LP bound the plan already meets. Both are asked again every
    0.1 s until every solver has returned: `CpSolver.stop_search` does nothing before
    that solver's `solve` has begun. The main thread waits on Events, not on
    `Thread.join`: a KeyboardInterrupt inside `join` can leave a thread looking finished
    while it still runs (seen on CPython 3.11).
    """
    chosen = list(callbacks) if callbacks is not None else [None] * len(solvers)
    codes: list[Any] = [cp_model.UNKNOWN] * len(solvers)
    done = [threading.Event() for _ in solvers]

    def work(i: int) -> None:
        try:
            callback = chosen[i]
            codes[i] = solvers[i].solve(model, callback) if callback else solvers[i].solve(model)
            if codes[i] in PROVEN:
                for other in solvers:
                    other.stop_search()
        finally:
            done[i].set()

    for i in range(len(solvers)):
        threading.Thread(target=work, args=(i,), daemon=True).start()
    interrupted = False
    for event in done:
        while not event.is_set():
            try:
                event.wait(0.1)
            except KeyboardInterrupt:
                interrupted = True
            settled = any(code in PROVEN for code in codes) or (
                stop_when is not None and stop_when()
            )
            if interrupted or settled:
                for solver in solvers:  # again each time: see the docstring
                    solver.stop_search()
    best = min(range(len(solvers)), key=lambda i: _rank(codes[i], solvers[i]))
    found = [s for s, code in zip(solvers, codes, strict=True) if code in FOUND]
    bounds = [s.best_objective_bound for s in found]
    bound = max(bounds) if bounds else solvers[best].best_objective_bound
    return Outcome(solvers[best], codes[best], bound, interrupted)


def run_interruptible(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None = None,
) -> tuple[Any, bool]:
    """Solve with one solver in a worker thread: its status and whether Ctrl-C stopped it."""
    outcome = run_portfolio([solver], model, [callback])
    return outcome.code, outcome.interrupted


def _rank(code: Any, solver: cp_model.CpSolver) -> tuple[int, float, bool]:
    """Plans first, best objective first (minimising), a proven one before its equal (the
    solver it stopped holds the same plan unproven); then proofs of infeasibility."""
    if code in FOUND:
        return 0, solver.objective_value, code != cp_model.OPTIMAL
    return (1, 0.0, False) if code == cp_model.INFEASIBLE else (2, 0.0, False)
