"""The cost stage as a MIP on HiGHS: `lp_bound`'s rotation model with integer columns.

CP-SAT's cost search on the built-in scenario stays about 0.6% above the LP bound after
600 s: its relaxation does not see whole rotations, and its local search rarely moves
several officers' rotations at once. The LP itself is within $13 of the optimum there
(the root with cuts within $8), so a branch and cut over the LP's own rows closes the
rest: HiGHS, alone on one core from a CP-SAT plan 1.4% above it, found a plan 0.003%
from the optimum after 148 s and proved the optimum after 177 s (BENCHMARKS.md §1). It
runs on a thread beside CP-SAT's cost stage, which keeps the other core, starts from the
stage's plan, reports its plans as it finds them, and stops on Ctrl-C, at its time limit,
or when the stage ends.

Only for problems whose every rule the rows state (`applies`): the rows are those of
`best_response`'s paths, a period at home at least between two rotations included, so a
MIP plan is a plan of the problem; that its rotations are its stretches is checked on the
plan before it is offered all the same. The MIP's dual bound is valid in any case: its
rows hold in every plan.
"""

from __future__ import annotations

import ctypes
import math
import os
import sys
import threading
from collections.abc import Callable
from itertools import pairwise

import highspy
import numpy as np
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

from surgeplan.engine import best_response, lp_bound
from surgeplan.problem import Problem
from surgeplan.solution import HOME, Solution

MIN_SECONDS = 120.0
"""Time the MIP needs left to be worth a core: its presolve and root took about 50 s on the
built-in scenario and its first plan better than CP-SAT's came after 130-180 s; CP-SAT
uses a short stage better."""

HEURISTIC_EFFORT = 0.3
"""Share of HiGHS's MIP work on primal heuristics (its default 0.05): the sub-MIPs find the
plans here. From one 240 s CP-SAT plan of the built-in, proven in 179, 166 and 181 s with
seeds 0, 1, 2 (two at once on two cores), against 177 and 252 s for seeds 0 and 1 at 0.05."""

Report = Callable[[int, int], None]
"""Told each improving plan's cost and the MIP's bound then (cents)."""


_BANNER_SHOWN = threading.Lock()
"""Held once the first `Highs` is made: HiGHS prints its banner then, once a process."""


def _highs(log: bool) -> highspy.Highs:
    """A `Highs`, silent unless `log`. HiGHS 1.16 prints a banner on the C stdout when the process
    makes its first one, before any option can turn output off; that one is made with
    the stdout descriptor pointing at /dev/null, so `surgeplan plan`'s output and JSON
    stay clean."""
    if not _BANNER_SHOWN.acquire(blocking=False):
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
    else:
        sys.stdout.flush()
        saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 1)
            highs = highspy.Highs()  # type: ignore[no-untyped-call]
            ctypes.CDLL(None).fflush(None)
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(null)
    highs.silent(not log)
    return highs


def applies(problem: Problem) -> bool:
    """Whether a MIP plan keeps every rule of `problem` (see the module docstring)."""
    return lp_bound.applies(problem) and best_response.applies(problem)


class CostMip:
    """One MIP solve for plans of at most the `held` weighted shortfall, on its own thread;
    HiGHS's log on stdout if `log` (as `SolveOptions.log` shows CP-SAT's)."""

    def __init__(
        self, problem: Problem, held: int, start: Solution, seed: int, log: bool = False
    ) -> None:
        self.problem = problem
        self.highs = _highs(log)
        self.bound = 0
        self.proven = False
        self.thread: threading.Thread | None = None
        self._rows = lp_bound.system(problem, held)
        self._lock = threading.Lock()
        self._x: np.ndarray | None = None
        self._seed = seed
        self._start = start
        self._stopped = False
        self._prices = np.array(self._rows.prices if self._rows is not None else [])

    @property
    def ready(self) -> bool:
        """Whether the rows were built (not too many rotations)."""
        return self._rows is not None

    def start(self, seconds: float, report: Report | None = None) -> None:
        """Solve on a daemon thread for at most `seconds`."""
        rows = self._rows
        assert rows is not None
        highs = self.highs
        highs.setOptionValue("time_limit", max(seconds, 1.0))
        highs.setOptionValue("mip_rel_gap", 0.0)
        highs.setOptionValue("threads", 1)
        highs.setOptionValue("random_seed", self._seed)
        highs.setOptionValue("mip_heuristic_effort", HEURISTIC_EFFORT)
        n, covers = len(rows.rotations), self.problem.covers
        inf = highspy.kHighsInf
        highs.addVars(n + len(covers), np.zeros(n + len(covers)), _upper(n, self.problem))
        highs.changeColsCost(
            n + len(covers),
            np.arange(n + len(covers), dtype=np.int32),
            np.array(rows.prices + [0.0] * len(covers)),
        )
        highs.changeColsIntegrality(
            n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger)
        )
        matrix = rows.rows.matrix(n + len(covers))
        highs.addRows(
            len(rows.rows.rhs),
            np.full(len(rows.rows.rhs), -inf),
            np.array(rows.rows.rhs, dtype=float),
            matrix.nnz,
            matrix.indptr.astype(np.int32),
            matrix.indices.astype(np.int32),
            matrix.data.astype(float),
        )
        self._mip_start(rows, matrix)
        highs.HandleUserInterrupt = True

        prices = self._prices

        def improving(event: highspy.HighsCallbackEvent) -> None:
            # The plan's own cost: the event's objective value was the presolved model's
            # (offset missing) for a MIP start in HiGHS 1.16.
            x = np.array(event.data_out.mip_solution[:n])
            bound = event.data_out.mip_dual_bound
            with self._lock:
                if self._stopped:
                    return  # the stage is over: its plan and progress are final
                self._x = x
                if math.isfinite(bound):
                    self.bound = max(self.bound, lp_bound.round_up(bound))
            if report is not None:
                report(round(float(prices @ x)), self.bound)

        highs.cbMipImprovingSolution.subscribe(improving)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _mip_start(self, rows: lp_bound.System, matrix: csr_matrix) -> None:
        """Offer the start plan as the MIP's first incumbent, unless one of its stretches
        is not a column. A plan above the held shortfall is refused by HiGHS: the MIP
        then starts without."""
        n = len(rows.rotations)
        index = {rotation: j for j, rotation in enumerate(rows.rotations)}
        x = np.zeros(n + len(self.problem.covers))
        for s in self._start.stretches():
            j = index.get((s.person, s.activity, s.first, s.last))
            if j is None:
                return
            x[j] = 1.0
        activity = matrix @ x
        rhs = np.array(rows.rows.rhs)
        for c, r in enumerate(rows.cover_rows):
            x[n + c] = max(0.0, activity[r] - rhs[r])
        solution = highspy.HighsSolution()
        solution.col_value = list(x)
        solution.value_valid = True
        self.highs.setSolution(solution)

    def _run(self) -> None:
        self.highs.run()
        bound = self.highs.getInfo().mip_dual_bound
        with self._lock:
            if self._stopped:
                return
            if math.isfinite(bound):
                self.bound = max(self.bound, lp_bound.round_up(bound))
            self.proven = self.highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
            if self.proven and self._x is not None:  # closed to within a cent: exact
                self.bound = max(self.bound, round(float(self._prices @ self._x)))

    def settled(self) -> bool:
        """Whether the MIP has proven its plan optimal: the search beside it may stop."""
        return self.proven

    def stop(self) -> None:
        """End the MIP's part: its plan, bound and proof stay as they are now, and the
        solve is asked to stop, which it does at its next interrupt check (within a
        second or so, but not inside presolve: 11 s on the built-in)."""
        with self._lock:
            self._stopped = True
        self.highs.cancelSolve()  # type: ignore[no-untyped-call]

    def wait(self, seconds: float) -> bool:
        """Wait up to `seconds` for the solve to end; whether it has."""
        if self.thread is None:
            return False
        self.thread.join(max(0.0, seconds))
        return not self.thread.is_alive()

    def plan(self) -> Solution | None:
        """The best plan found, if it is one: each chosen rotation a whole stretch, and a
        period at home between two of a person's."""
        with self._lock:
            x = self._x
        rows = self._rows
        if x is None or rows is None:
            return None
        T = self.problem.num_periods
        grid = [[HOME] * T for _ in self.problem.people]
        chosen = set()
        for j in np.flatnonzero(x > 0.5):
            p, a, first, last = rows.rotations[j]
            chosen.add((p, a, first, last))
            for t in range(first, last + 1):
                grid[p][t] = a
        solution = Solution(tuple(tuple(row) for row in grid))
        runs = sorted((s.person, s.first, s.last, s.activity) for s in solution.stretches())
        touch = any(a[0] == b[0] and b[1] == a[2] + 1 for a, b in pairwise(runs))
        whole = {(p, a, first, last) for p, first, last, a in runs} == chosen
        return solution if whole and not touch else None


def _upper(n: int, problem: Problem) -> np.ndarray:
    """Column upper bounds: 1 per rotation, the requirement per shortfall column."""
    return np.array([1.0] * n + [float(c.required) for c in problem.covers])
