"""The cost stage as a MIP on HiGHS over `lp_bound`'s rows, solved in reduced-cost rounds.

The LP of the rotation model is within $13 of the built-in scenario's optimum, and its
duals price every rotation: a plan costs at least the LP's bound plus the reduced costs of
the rotations it uses (the Lagrangian bound of `_Duals`). So a plan within Δ of the bound
uses only rotations whose reduced cost is at most Δ, and the MIP over those few columns
holds every such plan. Each round solves that restricted MIP, first over the cheapest
tenth of the rotations, then over twice as many, or over exactly those the best plan so
far says may matter. A round's optimum within Δ of the bound is the optimum of the whole
MIP; any plan outside the round pays the cheapest left-out reduced cost, so every round
also gives a valid bound. On the built-in scenario, alone on one core, the LP took 8 s,
the first round (9% of the columns) 10 s and the second, from its plan, 19 s, which
proved the optimum: the whole MIP from a CP-SAT plan proved it after 177 s
(BENCHMARKS.md §1).

The MIP runs on its own thread beside CP-SAT. It may hold a shortfall it is told only
later (the shortfall LP's bound, still being solved when the solve starts): a plan it
finds at that bound is then optimal in the first tier as well. It reports its plans as it
finds them and stops on Ctrl-C, at its time limit, or when the stage ends.

Only for problems whose every rule the rows state (`applies`): the rows are those of
`best_response`'s paths, a period at home at least between two rotations included, so a
MIP plan is a plan of the problem; that its rotations are its stretches is checked on the
plan before it is offered all the same. The bounds are valid in any case: the rows hold
in every plan.
"""

from __future__ import annotations

import ctypes
import math
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

import highspy
import numpy as np
from scipy.sparse import csc_matrix  # type: ignore[import-untyped]

from surgeplan.engine import best_response, lp_bound
from surgeplan.engine.lp_bound import Relaxation
from surgeplan.problem import Problem
from surgeplan.solution import HOME, Solution

MIN_SECONDS = 60.0
"""Time left for the cost stage to be worth a MIP's core: on the built-in scenario its LP
and first round took 18-28 s alone on a core, about 38 s beside CP-SAT; started with 24 s
left, it ended with no plan better than CP-SAT's, whose cost search had lost a worker."""

FIRST_SHARE = 0.1
"""Share of the rotation columns (the cheapest by reduced cost) the first round keeps."""
GROWTH = 2
"""Each round after the first keeps at least this many times the columns of the one before,
unless the best plan so far says fewer can matter."""
ROUND_SHARE = 0.5
"""Most of the time left a round may take while a larger round could follow: on the
100 × 10 × 17 scenario the first round found no plan in 300 s, the second one did."""
MARGIN = 2.0
"""Cents kept between a plan's cost and the reduced-cost cut before the cut proves it:
more than the rounding of the duals' sums, less than any cost step."""

HEURISTIC_EFFORT = 0.3
"""Share of HiGHS's MIP work on primal heuristics (its default 0.05): the sub-MIPs find the
plans here. From one 240 s CP-SAT plan of the built-in, the whole MIP proved the optimum
in 179, 166 and 181 s with seeds 0, 1, 2, against 177 and 252 s for seeds 0 and 1 at 0.05."""

THREADS = 2
"""Most HiGHS threads a MIP takes; no more than its solve's CP-SAT workers, so a solve or a
server job asked for one worker keeps to about one core per search. HiGHS's scheduler
belongs to the thread that runs it and refuses a `Highs` asking another count there, so a
MIP runs every `Highs` of its own on its own thread with one count. Two beside CP-SAT
proved the built-in in 64-122 s over five seeds (median 99.6 s), against 57-139 s (median
109.0 s) on one; the slow seeds gain most (BENCHMARKS.md §1)."""

_SOLVED = (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kModelEmpty)
"""HiGHS's statuses for a model solved to optimality (empty: nobody can go anywhere)."""

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


@dataclass(frozen=True, slots=True)
class _Model:
    """The rows of `lp_bound.system` as HiGHS takes them: rotation columns, then one
    shortfall column per cover."""

    rotations: list[tuple[int, int, int, int]]
    matrix: csc_matrix
    rhs: np.ndarray
    costs: np.ndarray
    upper: np.ndarray
    cover_rows: list[int]

    @classmethod
    def of(cls, problem: Problem, rows: lp_bound.System) -> _Model:
        costs = rows.costs(problem)
        return cls(
            rows.rotations,
            rows.rows.matrix(len(costs)).tocsc(),
            np.array(rows.rows.rhs, dtype=float),
            costs,
            rows.upper(problem),
            rows.cover_rows,
        )

    def keeping(self, keep: np.ndarray) -> np.ndarray:
        """Column upper bounds with the rotations outside `keep` held at 0."""
        upper = self.upper.copy()
        upper[: len(self.rotations)][~keep] = 0.0
        return upper

    def lp(self, upper: np.ndarray, integer: bool) -> highspy.HighsLp:
        """The model with these column upper bounds, its rotations integer or not."""
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = len(self.costs), len(self.rhs)
        lp.col_cost_ = self.costs
        lp.col_lower_, lp.col_upper_ = np.zeros(len(self.costs)), upper
        lp.row_lower_ = np.full(len(self.rhs), -highspy.kHighsInf)
        lp.row_upper_ = self.rhs
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = self.matrix.indptr
        lp.a_matrix_.index_ = self.matrix.indices
        lp.a_matrix_.value_ = self.matrix.data
        if integer:
            n = len(self.rotations)
            lp.integrality_ = [highspy.HighsVarType.kInteger] * n + [
                highspy.HighsVarType.kContinuous
            ] * (len(self.costs) - n)
        return lp


@dataclass(frozen=True, slots=True)
class _Duals:
    """The LP's row duals as a Lagrangian bound: every plan costs at least `bound` plus the
    `reduced` costs of the rotations it uses that are positive."""

    bound: float
    reduced: np.ndarray
    """Per rotation column (cents)."""

    @classmethod
    def of(cls, model: _Model, row_dual: np.ndarray) -> _Duals:
        """The bound for any duals of the right sign (≤ 0 on ≤-rows when minimising), so
        HiGHS's tolerances cannot make it invalid."""
        y = np.minimum(row_dual, 0.0)
        reduced = model.costs - model.matrix.T @ y
        bound = float(y @ model.rhs + np.minimum(0.0, reduced * model.upper).sum())
        return cls(bound, reduced[: len(model.rotations)])

    def cut(self, keep: np.ndarray) -> float:
        """A bound on every plan using a rotation outside `keep`: the smallest left-out
        reduced cost on top of the bound (inf when none is left out)."""
        left = self.reduced[~keep]
        return self.bound + float(left.min()) if len(left) else math.inf


class CostMip:
    """The MIP for plans of at most the `held` weighted shortfall (or the one a call of
    `held` returns on the MIP's thread, None for none), from a `start` plan when one is
    given, beside a search of `workers` CP-SAT workers; HiGHS's log on stdout if `log` (as
    `SolveOptions.log` shows CP-SAT's)."""

    def __init__(
        self,
        problem: Problem,
        held: int | Callable[[], int | None],
        start: Solution | None,
        seed: int,
        log: bool = False,
        workers: int = THREADS,
    ) -> None:
        self.problem = problem
        self.held: int | None = None
        """The weighted shortfall held, once known: `bound` is a bound on plans there."""
        self.bound = 0
        self.proven = False
        self.thread: threading.Thread | None = None
        self._held = held
        self._start = start
        self._seed, self._log = seed, log
        self._threads = max(1, min(THREADS, workers))
        self._lock = threading.Lock()
        self._highs: highspy.Highs | None = None
        self._model: _Model | None = None
        self._x: np.ndarray | None = None
        self._cost = math.inf
        self._stopped = False
        self._relaxation: Relaxation | None = None
        self._relaxed = threading.Event()
        self.ready = lp_bound.fits(problem)
        """Whether the rows can be built (not too many rotations)."""

    def start(self, seconds: float, report: Report | None = None) -> None:
        """Solve on a daemon thread for at most `seconds`."""
        deadline = time.monotonic() + seconds
        self.thread = threading.Thread(target=self._run, args=(deadline, report), daemon=True)
        self.thread.start()

    def _run(self, deadline: float, report: Report | None) -> None:
        try:
            held = self._held if isinstance(self._held, int) else self._held()
            rows = None if held is None else lp_bound.system(self.problem, held)
            if rows is None:
                return
            self.held = held
            model = _Model.of(self.problem, rows)
            self._model = model
            duals = self._relax(model, deadline)
            if duals is not None:
                self._rounds(model, duals, deadline, report)
        finally:
            self._relaxed.set()

    def _solve(self, lp: highspy.HighsLp, seconds: float) -> highspy.Highs | None:
        """A `Highs` that has run `lp` for at most `seconds`; None if the MIP was stopped."""
        highs = _highs(self._log)
        for option, value in (
            ("time_limit", max(seconds, 1.0)),
            ("mip_rel_gap", 0.0),
            ("threads", self._threads),
            ("random_seed", self._seed),
            ("mip_heuristic_effort", HEURISTIC_EFFORT),
        ):
            highs.setOptionValue(option, value)
        highs.passModel(lp)
        highs.HandleUserInterrupt = True
        with self._lock:
            if self._stopped:
                return None
            self._highs = highs
        return highs

    def _relax(self, model: _Model, deadline: float) -> _Duals | None:
        """Solve the LP: its duals, and its bound and support for `relaxation`."""
        highs = self._solve(model.lp(model.upper, integer=False), deadline - time.monotonic())
        if highs is None:
            return None
        highs.run()
        if highs.getModelStatus() not in _SOLVED:
            return None
        solution = highs.getSolution()
        duals = _Duals.of(model, np.array(solution.row_dual))
        x = np.array(solution.col_value[: len(model.rotations)])
        used = frozenset(model.rotations[j] for j in np.flatnonzero(x > 1e-6))
        self._relaxation = Relaxation(lp_bound.round_up(duals.bound), used)
        self._relaxed.set()
        with self._lock:
            self.bound = max(self.bound, self._relaxation.bound)
        return duals

    def relaxation(self, seconds: float) -> Relaxation | None:
        """The LP's bound and support, waiting up to `seconds` for the LP; None if it was
        not solved (the MIP does not apply, is stopped or ran out of time)."""
        self._relaxed.wait(max(0.0, seconds))
        return self._relaxation

    def _rounds(self, model: _Model, duals: _Duals, deadline: float, report: Report | None) -> None:
        """Restricted MIPs over more and more columns until one proves its plan optimal
        for the whole MIP (see the module docstring), the time is up or it is stopped."""
        n = len(model.rotations)
        order = np.sort(duals.reduced)
        start = self._start_vector(model)
        start_cost = float(model.costs @ start) if start is not None else math.inf
        kept = max(math.ceil(FIRST_SHARE * n), int(np.count_nonzero(duals.reduced <= 0)))
        delta = -math.inf
        while True:
            grown = float(order[min(n, kept) - 1]) if n else math.inf
            useful = min(self._cost, start_cost) - duals.bound + MARGIN
            delta = max(delta, min(grown, useful))  # the same set again only after a time-out
            keep = duals.reduced <= delta
            remaining = deadline - time.monotonic()
            last = bool(keep.all()) or useful <= grown  # no larger round could follow
            highs = self._solve(
                model.lp(model.keeping(keep), integer=True),
                remaining if last else ROUND_SHARE * remaining,
            )
            if highs is None or remaining <= 0:
                return
            for x in (self._x, start):
                if x is not None and keep[np.flatnonzero(x[:n] > 0.5)].all():
                    _offer(highs, x)
                    break
            cut = duals.cut(keep)
            self._watch(highs, model, cut, report)
            if highs.run() == highspy.HighsStatus.kError:
                return  # refused, not searched: the same round again would spin till the deadline
            status = highs.getModelStatus()
            infeasible = status == highspy.HighsModelStatus.kInfeasible
            done = status in _SOLVED or infeasible
            if status in _SOLVED:  # also when solved without a callback (no integer column)
                self._take(np.array(highs.getSolution().col_value), model, cut, report)
            dual = math.inf if infeasible else highs.getInfo().mip_dual_bound
            if self._settle(done, dual, cut) or (done and last) or time.monotonic() >= deadline:
                return
            kept = GROWTH * int(np.count_nonzero(keep))

    def _settle(self, done: bool, dual: float, cut: float) -> bool:
        """Take a round's bound (its `dual` bound, or `cut` for plans outside it); whether
        the MIP is over: stopped, or its plan proven optimal."""
        with self._lock:
            if self._stopped:
                return True
            if done and self._x is not None and self._cost <= cut - MARGIN:
                self.proven = True  # no plan outside the round is better
                self.bound = max(self.bound, round(self._cost))
                return True
            if math.isfinite(min(dual, cut)):
                self.bound = max(self.bound, lp_bound.round_up(min(dual, cut)))
            return False

    def _watch(
        self, highs: highspy.Highs, model: _Model, cut: float, report: Report | None
    ) -> None:
        """Take each improving plan of a round as HiGHS finds it."""

        def improving(event: highspy.HighsCallbackEvent) -> None:
            x = np.array(event.data_out.mip_solution[: len(model.costs)])
            self._take(x, model, min(event.data_out.mip_dual_bound, cut), report)

        highs.cbMipImprovingSolution.subscribe(improving)

    def _take(self, x: np.ndarray, model: _Model, bound: float, report: Report | None) -> None:
        """Keep and report a round's plan (column values) if it improves, with a bound.
        The plan's own cost: a callback's objective value was the presolved model's
        (offset missing) for a MIP start in HiGHS 1.16."""
        cost = float(model.costs @ x)
        with self._lock:
            if self._stopped or cost >= self._cost:
                return  # the stage is over, or an earlier plan is as good
            self._x, self._cost = x, cost
            if math.isfinite(bound):
                self.bound = max(self.bound, lp_bound.round_up(bound))
            shown = self.bound
        if report is not None:
            report(round(cost), shown)

    def _start_vector(self, model: _Model) -> np.ndarray | None:
        """The start plan as column values, or None without one, if one of its stretches
        is not a column, or if it breaks a row (a shortfall above the one held)."""
        if self._start is None:
            return None
        n = len(model.rotations)
        index = {rotation: j for j, rotation in enumerate(model.rotations)}
        x = np.zeros(len(model.costs))
        for s in self._start.stretches():
            j = index.get((s.person, s.activity, s.first, s.last))
            if j is None:
                return None
            x[j] = 1.0
        excess = model.matrix @ x - model.rhs  # a cover row's excess is its shortfall
        for c, r in enumerate(model.cover_rows):
            x[n + c] = max(0.0, excess[r])
        if (model.matrix @ x > model.rhs + 1e-6).any():
            return None  # above the held shortfall, or a rule the rows state
        return x

    def found(self) -> bool:
        """Whether the MIP has a plan (at the shortfall it holds)."""
        with self._lock:
            return self._x is not None

    def settled(self) -> bool:
        """Whether the MIP has proven its plan optimal: the search beside it may stop."""
        return self.proven

    def stop(self) -> None:
        """End the MIP's part: its plan, bound and proof stay as they are now, and the
        solve is asked to stop, which it does at its next interrupt check (within a
        second or so, but not inside presolve)."""
        with self._lock:
            self._stopped = True
            highs = self._highs
        if highs is not None:
            highs.cancelSolve()  # type: ignore[no-untyped-call]

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
        model = self._model
        if x is None or model is None:
            return None
        T = self.problem.num_periods
        grid = [[HOME] * T for _ in self.problem.people]
        chosen = set()
        for j in np.flatnonzero(x[: len(model.rotations)] > 0.5):
            p, a, first, last = model.rotations[j]
            chosen.add((p, a, first, last))
            for t in range(first, last + 1):
                grid[p][t] = a
        solution = Solution(tuple(tuple(row) for row in grid))
        runs = sorted((s.person, s.first, s.last, s.activity) for s in solution.stretches())
        touch = any(a[0] == b[0] and b[1] == a[2] + 1 for a, b in pairwise(runs))
        whole = {(p, a, first, last) for p, first, last, a in runs} == chosen
        return solution if whole and not touch else None


def _offer(highs: highspy.Highs, x: np.ndarray) -> None:
    """A plan as the round's first incumbent (HiGHS refuses one its rows do not allow)."""
    solution = highspy.HighsSolution()
    solution.col_value = list(x)
    solution.value_valid = True
    highs.setSolution(solution)
