"""Solving a whole problem: build the CP-SAT model, solve the tiers in order, map status.

Tiers are solved lexicographically (DESIGN.md §4): first the shortfall, then — with the
shortfall held at the value found — the cost, then (each only when it is on) fairness,
requests and changes, every stage holding the tiers before it. Each stage is hinted with
the previous stage's plan. The solve runs in a worker thread so that Ctrl-C in the main
thread can stop the search cleanly and return the best plan found so far.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import partial
from typing import Literal

from ortools.sat.python import cp_model

from surgeplan.engine import best_response, cost_mip, shortfall_lp
from surgeplan.engine.bounds import missing_floor, shortfall_bound
from surgeplan.engine.constraints import add_constraints
from surgeplan.engine.construct import construct, constructible
from surgeplan.engine.cost_floor import least_cost
from surgeplan.engine.cost_mip import CostMip
from surgeplan.engine.hints import hint_solution
from surgeplan.engine.lp_bound import Relaxation, applies, relax
from surgeplan.engine.objective import (
    change_expr,
    cost_expr,
    fairness_expr,
    request_expr,
    shortfall_expr,
)
from surgeplan.engine.portfolio import Outcome, run_interruptible, run_portfolio, single_workers
from surgeplan.engine.variables import Variables, create_variables, rotations_apply
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
"""The stages every lexicographic solve has; `stages_of` adds the optional ones."""
TIERS = ("shortfall", "cost", "fairness", "requests", "changes")
"""Every lexicographic stage in tier order (DESIGN.md §4)."""
SINGLE = ("penalty",)
"""The one stage of a single-objective problem: cover plus request penalties."""
SOFT_STAGES = ("fairness", "requests")
"""The stages of scenario contract v1.1, solved only when the scenario turns them on."""
STAGE_SHARE = {"shortfall": 0.6, "cost": 0.5, "fairness": 0.5, "requests": 0.5}
"""Share of the remaining time a stage may use when another follows (the last gets all)."""
LP_SHARE = 0.5
"""Most of the cost stage's time the LP relaxation may take (HiGHS needs about 8 s of the
built-in's 24, more on a busy machine: at 30% it missed); beyond it the stage goes on
without the LP."""
SHORTFALL_LP_SHARE = 0.5
"""Most of the time limit the shortfall LP may take (`shortfall_lp`: about 2 s on the
built-in and the 100 × 10 × 17 scenario); stopped early, its bound is still valid."""
MIP_GRACE = 1.0
"""Seconds the cost stage waits, at the time limit, for the cost MIP to stop by its own."""
POLISH_SHARE = 0.1
"""Share of a whole solve's time that iterated best responses (`_polished`) may spend on
the constructive plan before the first stage, where no MIP starts with that stage (a
MIP's LP waits for the GIL, which their Python holds, at every simplex iteration). From
their plan CP-SAT's first stage ended at 364 and 366 short on the 100 × 10 × 17 scenario
in 60 s (seeds 0-1), against 369-382 from the constructive plan (BENCHMARKS.md §1)."""
POLISH_PATIENCE = 50
"""Kicks in a row per person without a better plan that end the polish early (5,000 at
100 people): a small problem's polish then ends in a few hundredths of a second, where
its CP-SAT search is what proves it."""
EARLY_SECONDS = 120.0
"""Least time limit for a MIP from the start of the solve (`_early_mip`): in 60 s solves of
the built-in scenario it had no plan when the first stage's 36 s ended, and its thread
cost that stage (165, 159 and 166 short, seeds 0-2, against 157-164 without it)."""
MIP_END = 30.0
"""Most seconds a solve waits, once over, for its MIPs' threads to end (`_end`)."""
GUIDED_SHARE = 0.5
"""Share of the time left after the LP that CP-SAT spends on the LP's rotations."""
FLOOR_SHARE = 0.2
"""Most of a roster solve's time spent first looking for a roster at the shortfall floor
(`_roster_start`)..."""
FLOOR_SECONDS = 20.0
"""...and at most this long: where no roster meets the floor, CP-SAT may neither find one
nor prove there is none (Curtois Instance2 took all 120 s of a 600 s solve's share)."""


def stages_of(problem: Problem) -> tuple[str, ...]:
    """The stages of a solve, in order: shortfall and cost, then fairness (weight > 0),
    requests (some weighted request) and changes (a previous plan) only when on."""
    if problem.single_objective:
        return SINGLE
    on = {
        "fairness": problem.fairness_weight > 0,
        "requests": problem.has_requests(),
        "changes": problem.previous is not None,
    }
    return tuple(stage for stage in TIERS if on.get(stage, True))


Formulation = Literal["auto", "periods", "rotations"]


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
    formulation: Formulation = "auto"
    """"periods": per-period variables and run clauses (fast presolve, good shortfall
    search); "rotations": whole-rotation variables where rotations stay at one site
    (exact rotation prices, a tight cost bound, slower root LP); "auto" uses the first
    for the shortfall stage and the second for the cost stage (see BENCHMARKS.md)."""
    cost_relaxation: bool = True
    """Solve the rotation model's LP at the start of the cost stage, for a tighter cost
    bound and to steer the search (`lp_bound`, `_guided_cost`); off for the parts of a
    decomposition, whose parts are small and whose bounds nobody reads."""
    shortfall_relaxation: bool = True
    """Bound the shortfall by its LP (`shortfall_lp`) on a thread beside the
    stages, where the capacity floor may be loose; off for the parts of a decomposition
    and the budget's rounds, which bound the whole problem themselves."""
    first_tier_only: bool = False
    """Search the first stage only (the others keep the hint's values and are not proven):
    for the parts of a large plan whose shortfall still falls, where a part's cost stage
    found no plan in the 1.3 s it had in every part traced (`decompose`)."""
    portfolio: bool = False
    """Rosters: search by one single-worker solver per worker (`_run`), after a roster
    start (`_roster_start`); set for small rosters and mid-size rosters' neighbourhoods,
    not for large rosters, where it did worse (Curtois 12, 19, 21)."""


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
    stage_seconds: dict[str, float] = field(default_factory=dict)
    """Wall time at which each stage ended, from the start of the solve."""

    def gap_pct(self, tier: str) -> float | None:
        """Relative gap (%) between objective and bound of a tier; None without a plan."""
        if self.objective is None:
            return None
        value = float(getattr(self.objective, tier))
        bound = float(getattr(self.bound, tier))
        if value == bound:
            return 0.0
        return 100.0 * (value - bound) / max(abs(value), 1)


class _Shown:
    """What the reporters of one stage have shown, shared by a portfolio's solvers and by
    the stage's attempts (with the floor held, then without) so that progress stays
    monotone: the best plan's objective and the best bound."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.objective = math.inf
        self.bound = -math.inf

    def update(self, objective: float, bound: float) -> tuple[float, float] | None:
        """Take a plan's objective (inf for a bound move alone) and a bound; the best of
        each to show now, or None when the plan is worse than one shown."""
        with self.lock:
            if objective != math.inf and objective > self.objective:
                return None
            self.objective = min(self.objective, objective)
            self.bound = max(self.bound, bound)
            return self.objective, self.bound


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Forwards incumbents, and bound moves once an incumbent exists, to the callback.

    Values are in the stage's tier: a re-plan's objective `tier × scale + changes` is
    shown divided by `scale` (`change_scale`). `known_bound`, when given, is shown and
    kept instead of CP-SAT's: a restricted model's bound says nothing about the whole problem;
    `bound_cap`, when given, caps it: the plans a restriction cut off may be that good.
    Reporters sharing `shown` (one per solver of a portfolio) show only improvements.
    """

    def __init__(
        self,
        stage: str,
        start: float,
        callback: ProgressCallback | None,
        scale: int = 1,
        known_bound: float | None = None,
        shown: _Shown | None = None,
        bound_cap: int | None = None,
    ) -> None:
        super().__init__()
        self.stage, self.start, self.callback = stage, start, callback
        self.scale, self.known_bound, self.bound_cap = scale, known_bound, bound_cap
        self.shown = shown or _Shown()

    def on_solution_callback(self) -> None:
        self._emit(self.objective_value, self.best_objective_bound)

    def on_bound(self, bound: float) -> None:
        """CP-SAT's best-bound callback: the gap closes without a new plan."""
        self._emit(math.inf, bound)

    def _emit(self, objective: float, bound: float) -> None:
        if self.known_bound is not None:
            bound = self.known_bound * self.scale
        if self.bound_cap is not None:
            bound = min(bound, self.bound_cap * self.scale)
        shown = self.shown.update(objective, bound)
        if shown is None:
            return  # another solver of the portfolio has a better plan
        objective, bound = shown
        if self.callback is not None and objective < math.inf:
            elapsed = time.monotonic() - self.start
            self.callback(
                Progress(self.stage, objective // self.scale, bound // self.scale, elapsed)
            )


def _run(
    options: SolveOptions,
    seconds: float,
    model: cp_model.CpModel,
    report: Callable[[_Shown], _Reporter] | None = None,
    portfolio: bool = False,
    shown: _Shown | None = None,
    stop_when: Callable[[], bool] | None = None,
) -> Outcome:
    """Solve `model` for at most `seconds`: by a portfolio of single-worker solvers, one
    per worker, or by one solver with every worker.

    Rosters that start from a roster take the portfolio where `options.portfolio` says
    so: its single workers proved Curtois Instances 4-6 optimal where two workers stalled
    above the optimum. Not without a roster: single workers may find none (Instances 12,
    13, 19: none in 48 s), where one solver's first-solution workers do. After a roster at
    the shortfall floor, only with the floor held (`_hold_floor`): without it they strayed
    back to more missing people (Instance7: 1,180). The deployment stages were tuned with
    every worker.
    """
    if portfolio and options.workers > 1:
        solvers = single_workers(lambda: _solver(options, seconds), options.workers, options.seed)
    else:
        solvers = [_solver(options, seconds)]
    shown = shown or _Shown()
    reporters = [report(shown) if report is not None else None for _ in solvers]
    for solver, reporter in zip(solvers, reporters, strict=True):
        if reporter is not None:
            solver.best_bound_callback = reporter.on_bound
    return run_portfolio(solvers, model, reporters, stop_when)


def _read(solver: cp_model.CpSolver, problem: Problem, v: Variables) -> Solution:
    rows = []
    for p in range(len(problem.people)):
        row = []
        for cells in v.x[p]:
            chosen = [a for a, lit in cells.items() if solver.boolean_value(lit)]
            row.append(chosen[0] if chosen else HOME)
        rows.append(tuple(row))
    return Solution(tuple(rows))


@dataclass(frozen=True, slots=True)
class _Model:
    """One stage's CP-SAT model with its variables and tier expressions."""

    model: cp_model.CpModel
    v: Variables
    shortfall: cp_model.LinearExprT
    cost: cp_model.LinearExprT
    changes: cp_model.LinearExprT
    fairness: cp_model.LinearExprT = 0
    requests: cp_model.LinearExprT = 0

    def tier(self, name: str) -> cp_model.LinearExprT:
        """The expression of one tier (TIERS)."""
        return {
            "shortfall": self.shortfall,
            "cost": self.cost,
            "fairness": self.fairness,
            "requests": self.requests,
            "changes": self.changes,
        }[name]


def _build(problem: Problem, rotations: bool) -> _Model:
    model = cp_model.CpModel()
    v = create_variables(model, problem, rotations)
    add_constraints(model, problem, v)
    cost = cost_expr(model, problem, v)
    if problem.budget is not None:
        model.add(cost <= problem.budget)
    changes = change_expr(problem, v)
    if problem.max_changes is not None:
        model.add(changes <= problem.max_changes)
    fairness = fairness_expr(model, problem, v)
    requests = request_expr(problem, v) if problem.has_requests() else 0
    return _Model(model, v, shortfall_expr(problem, v), cost, changes, fairness, requests)


def _stage_model(
    problem: Problem,
    options: SolveOptions,
    stage: str,
    hint: Solution | None,
    best: Objective | None,
) -> _Model:
    """The model of one stage, hinted with the best plan so far."""
    built = _build(problem, _stage_formulation(problem, options, stage))
    if hint is not None:
        hint_solution(built.model, problem, built.v, hint)
    if stage == "penalty":
        built.model.minimize(
            cp_model.LinearExpr.sum([built.shortfall, request_expr(problem, built.v)])
        )
        return built
    if stage != "shortfall":
        assert best is not None  # later stages follow a stage that found a plan
        stages = stages_of(problem)
        for held in stages[: stages.index(stage)]:
            built.model.add(built.tier(held) <= getattr(best, held))
    scale = change_scale(problem, stage)
    if scale > 1:
        built.model.minimize(
            cp_model.LinearExpr.weighted_sum([built.tier(stage), built.changes], [scale, 1])
        )
    else:
        built.model.minimize(built.tier(stage))
    return built


def _roster_start(problem: Problem, options: SolveOptions) -> tuple[Solution | None, bool, bool]:
    """A roster to start from, whether it meets the shortfall floor, and whether Ctrl-C
    stopped the search.

    First a roster missing no more people than the floor (`bounds.missing_floor`), if
    CP-SAT finds one within FLOOR_SHARE of the time (FLOOR_SECONDS at most). Where the
    floor is the optimum's shortfall, stating it as a constraint finds such a roster far
    sooner than minimising towards it: on Curtois Instance7 in 1-12 s, where the penalty
    search reached it in 2 of 5 minutes-long runs. Where no roster meets the floor, that
    time is lost. Failing that, any roster: the portfolio's single workers may find none
    on large rosters (Instances 12 and 13: none in 48 s). Both searches use one solver
    with every worker, whose first-solution and LNS workers find rosters sooner.
    """
    floor = missing_floor(problem)
    seconds = min(FLOOR_SHARE * options.time_limit, FLOOR_SECONDS)
    found, interrupted = _feasible(problem, options, seconds, floor)
    if found is not None or interrupted:
        return found, found is not None, interrupted
    found, interrupted = _feasible(problem, options, options.time_limit - seconds)
    return found, False, interrupted


def _hold_floor(problem: Problem, built: _Model) -> int:
    """Restrict the first stage to plans missing no more people than the floor, and return
    a lower bound on the objective of every plan the restriction cuts off.

    Called once a roster meets the floor (`_roster_start`), so the floor is the fewest
    missing possible. On Curtois Instance7 the restricted search, by the portfolio, ended at
    1,065-1,066 in three one-minute runs where the whole one ended at 1,071-1,104. A plan
    cut off misses at least one more person than the floors, so it pays the floors'
    `shortfall_bound` plus the lightest cover weight; the stage's bound is capped there,
    which keeps it valid for the whole problem (on 7: 1,100, above the optimum's 1,056).
    """
    built.model.add(cp_model.LinearExpr.sum(list(built.v.short)) <= missing_floor(problem))
    return shortfall_bound(problem) + min((c.weight for c in problem.covers), default=0)


def _feasible(
    problem: Problem, options: SolveOptions, seconds: float, most_missing: int | None = None
) -> tuple[Solution | None, bool]:
    """Any plan keeping every hard rule (and missing at most `most_missing` people), and
    whether Ctrl-C stopped the search."""
    built = _build(problem, rotations=False)
    if most_missing is not None:
        built.model.add(cp_model.LinearExpr.sum(list(built.v.short)) <= most_missing)
    solver = _solver(options, seconds)
    code, interrupted = run_interruptible(solver, built.model)
    if _STATUS.get(code) not in (Status.OPTIMAL, Status.FEASIBLE):
        return None, interrupted
    return _read(solver, problem, built.v), interrupted


def change_scale(problem: Problem, stage: str) -> int:
    """In a re-plan, the factor that lets changes break ties inside an earlier stage.

    Minimising `tier × scale + changes`, with `scale` above the most changes possible,
    keeps the tier's optimum (DESIGN.md §4 order) while steering the time-limited search
    towards the previous plan: otherwise every stage before the last re-shuffles officers
    freely and the change stage, given what time is left, cannot undo it. 1 = no tie-break.
    """
    if problem.previous is None or stage in ("changes", "penalty"):
        return 1
    return problem.change_weight * len(problem.people) * problem.num_periods + 1


def _stage_formulation(problem: Problem, options: SolveOptions, stage: str) -> bool:
    """Whether a stage uses whole-rotation variables.

    "auto" searches the shortfall on per-period variables (fast presolve, strong LNS) and
    the cost on rotation variables (exact rotation prices: a far tighter cost bound),
    except in a re-plan, whose three stages share the time and need quick builds.
    """
    if options.formulation == "auto":
        return stage == "cost" and problem.previous is None
    return options.formulation == "rotations"


def _solver(options: SolveOptions, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = seconds
    params.num_workers = options.workers
    params.random_seed = options.seed
    params.log_search_progress = options.log
    params.catch_sigint_signal = False
    params.linearization_level = 2  # cover rows in the LP: a tighter shortfall bound
    return solver


def keeps_every_rule(problem: Problem, plan: Solution, seconds: float = 10.0) -> bool:
    """True if `plan` breaks no hard rule of `problem` (pins, budget, change cap included).

    The model with every decision fixed to the plan: CP-SAT's presolve decides it at
    once, so a re-plan can start from the previous plan whenever it is still valid.
    """
    built = _build(problem, rotations=False)
    hint_solution(built.model, problem, built.v, plan)
    solver = _solver(SolveOptions(workers=1), seconds)
    solver.parameters.fix_variables_to_their_hinted_value = True
    return _STATUS.get(solver.solve(built.model), Status.NO_SOLUTION) in (
        Status.OPTIMAL,
        Status.FEASIBLE,
    )


def solve_whole(
    problem: Problem,
    options: SolveOptions = SolveOptions(),
    progress: ProgressCallback | None = None,
    hint: Solution | None = None,
    hint_is_feasible: bool = False,
) -> Result:
    """Solve `problem` lexicographically: shortfall first, then cost with shortfall held,
    then fairness, requests and (re-planning) changes, each when on (`stages_of`) and
    with every earlier tier held.

    `hint` guides the search (a previous plan, a sub-problem's current part); only when
    `hint_is_feasible` is it also kept as the incumbent. Without a hint the search starts
    from the constructive plan, where the problem's rules allow one, or a roster from
    `_roster_start`.
    """
    start = time.monotonic()
    incumbent = hint if hint_is_feasible else None
    interrupted = False
    at_floor = False
    constructed = incumbent is None and constructible(problem)
    if constructed:
        incumbent = construct(problem)
    elif incumbent is None and hint is None and options.portfolio:
        incumbent, at_floor, interrupted = _roster_start(problem, options)
    portfolio = options.portfolio and incumbent is not None
    solution = incumbent
    objective = incumbent.evaluate(problem) if incumbent is not None else None
    guide = solution or hint
    bound = Objective(0, 0)
    stage_status: dict[str, Status] = {}
    stage_seconds: dict[str, float] = {}
    relaxation: Relaxation | None = None
    stages = stages_of(problem)
    seconds = SHORTFALL_LP_SHARE * options.time_limit
    relaxed = shortfall_relaxation(problem, options, solution, objective, seconds)
    searched = stages[:1] if options.first_tier_only else stages
    shown = {stage: _Shown() for stage in stages}  # one per stage, however many attempts
    attempts = [(stage, False) for stage in searched]
    if at_floor:  # first with the floor held (`_hold_floor`), then without if need be
        attempts.insert(0, (stages[0], True))
    mip = _early_mip(problem, options, relaxed, start, progress, shown)
    mips = [mip] if mip is not None else []  # every MIP started, to end before returning
    polish = constructed and mip is None and best_response.applies(problem)
    if polish and solution is not None and objective is not None:
        floor = shortfall_bound(problem)
        if objective.shortfall > floor:  # at the floor the start is optimal in the shortfall
            solution, interrupted = _polished(problem, options, solution, start)
            objective, guide = solution.evaluate(problem), solution
            _show(progress, start, shown, "shortfall", objective.shortfall, floor)
    for stage, held in attempts:
        if interrupted or options.time_limit - (time.monotonic() - start) <= 0:
            break
        if stage_status.get(stage) is Status.OPTIMAL:
            continue  # proven with the floor held
        stage_options = options
        stop_when: Callable[[], bool] | None = None
        scale = change_scale(problem, stage)
        if relaxed is not None and stage == stages[0] and scale == 1:
            stop_when = partial(_meets, relaxed, shown[stage], mip)
        try:
            if stage == "cost" and solution is not None and objective is not None:
                least = least_cost(problem, objective.shortfall)  # CP-SAT's starts far below
                if least is not None:
                    current = objective.cost * scale + objective.changes  # in the stage's terms
                    _show(progress, start, shown, stage, current, least * scale, scale)
                if mip is None or relaxed is None or relaxed(start) != objective.shortfall:
                    if mip is not None:  # it holds a shortfall the first stage did not reach
                        mip.stop()
                    mip = _start_mip(problem, options, solution, objective, start, progress, shown)
                    mips += [mip] if mip is not None else []
                if mip is not None:
                    stage_options = replace(options, workers=max(1, options.workers - 1))
                    stop_when = mip.settled
                    if not mip.settled():
                        relaxation, solution, objective, interrupted = _guided_cost(
                            problem,
                            stage_options,
                            solution,
                            objective,
                            start,
                            progress,
                            shown["cost"],
                            mip,
                        )
                else:
                    relaxation, solution, objective, interrupted = _guided_cost(
                        problem, stage_options, solution, objective, start, progress, shown["cost"]
                    )
                if mip is not None and mip.settled():  # proven: the whole model is moot
                    stage_status[stage] = Status.FEASIBLE  # until `_mip_result` says
                    stage_seconds[stage] = round(time.monotonic() - start, 3)
                    continue
            built = _stage_model(problem, options, stage, solution or guide, objective)
        except KeyboardInterrupt:  # Ctrl-C while building: keep the plan we have
            interrupted = True
        if interrupted:
            break
        cut_off = _hold_floor(problem, built) if held else None
        remaining = options.time_limit - (time.monotonic() - start)
        share = STAGE_SHARE.get(stage, 1.0) if stage != searched[-1] else 1.0
        outcome = _run(
            stage_options,
            max(remaining * share, 0.1),
            built.model,
            partial(_Reporter, stage, start, progress, scale, None, bound_cap=cut_off),
            portfolio,
            shown[stage],
            stop_when,
        )
        interrupted = outcome.interrupted
        status = _STATUS.get(outcome.code, Status.NO_SOLUTION)
        stage_seconds[stage] = round(time.monotonic() - start, 3)
        if mip is not None and stage == stages[0]:  # its plan, if any, meets the LP's bound
            solution, objective = _better(problem, mip.plan(), solution, objective)
            if status is Status.NO_SOLUTION and mip.found():  # CP-SAT stopped before a plan
                stage_status[stage] = Status.FEASIBLE
                continue
        if status not in (Status.OPTIMAL, Status.FEASIBLE):
            stage_status[stage] = status
            if _carry_on(stages, stage, objective, status):
                continue
            break
        found = _read(outcome.solver, problem, built.v)
        value = found.evaluate(problem)
        if objective is None or _key(problem, value) <= _key(problem, objective):
            solution, objective = found, value
        best = max(0, math.ceil(outcome.bound - 1e-6)) // scale
        if cut_off is not None:  # the first stage, whose tier leads `_key`
            best = min(best, cut_off)
            if status is Status.OPTIMAL and _key(problem, value)[0] > best:
                status = Status.FEASIBLE  # proven with the floor held: a cut-off plan may be better
        stage_status[stage] = status
        tier = stage if stage in TIERS[1:] else "shortfall"
        best = max(best, getattr(bound, tier))  # the held attempt's may be the higher
        bound = replace(bound, **{tier: best})
    if mip is not None and solution is not None and objective is not None:
        solution, objective = _mip_result(problem, mip, solution, objective, interrupted)
        if mip.held == objective.shortfall:  # its bound holds for plans at that shortfall
            bound, stage_status = with_tier_bound("cost", mip.bound, objective, bound, stage_status)
    _end(mips)
    if relaxation is not None and objective is not None:
        bound, stage_status = with_tier_bound(
            "cost", relaxation.bound, objective, bound, stage_status
        )
    if relaxed is not None and objective is not None:  # no wait after Ctrl-C or a proof
        proven = interrupted or stage_status.get(stages[0]) is Status.OPTIMAL
        lp = relaxed(time.monotonic() if proven else start + options.time_limit)
        if lp is not None:
            bound, stage_status = with_tier_bound("shortfall", lp, objective, bound, stage_status)
    seconds = time.monotonic() - start
    if solution is None:
        status = stage_status.get(stages[0], Status.NO_SOLUTION)
        return Result(status, None, None, bound, seconds, interrupted, stage_status, stage_seconds)
    proven = every_stage_proven(problem, stage_status)
    return Result(
        Status.OPTIMAL if proven else Status.FEASIBLE,
        solution,
        objective,
        bound,
        seconds,
        interrupted,
        stage_status,
        stage_seconds,
    )


def _polished(
    problem: Problem, options: SolveOptions, plan: Solution, start: float
) -> tuple[Solution, bool]:
    """The constructive `plan` improved by iterated best responses (`best_response`, which
    must apply) for POLISH_SHARE of the time, or until POLISH_PATIENCE kicks a person in a
    row find nothing better; and whether Ctrl-C came (the plan is then `plan`: a kick cut
    short may have put back only some of its people)."""
    search = best_response.Search(problem, plan)
    deadline = start + POLISH_SHARE * options.time_limit
    patience = POLISH_PATIENCE * len(problem.people)
    try:
        search.iterate(deadline, random.Random(options.seed), patience)
    except KeyboardInterrupt:
        return plan, True
    return search.solution(), False


def shortfall_relaxation(
    problem: Problem,
    options: SolveOptions,
    plan: Solution | None,
    start: Objective | None,
    seconds: float,
) -> Callable[[float], int | None] | None:
    """The shortfall LP started beside a search (`shortfall_lp.beside`) for `seconds` from
    the `plan` it starts from, or None where it is off, does not apply, or that plan already
    meets the capacity floor (which the LP cannot beat then)."""
    if not (options.shortfall_relaxation and shortfall_lp.applies(problem)):
        return None
    if start is not None and start.shortfall <= shortfall_bound(problem):
        return None
    return shortfall_lp.beside(problem, seconds, plan)


def _meets(relaxed: Callable[[float], int | None], shown: _Shown, mip: CostMip | None) -> bool:
    """Whether the stage's best plan, or the MIP's (`_early_mip`), meets the shortfall LP's
    bound, once the LP has one: then no plan misses less, and the stage stops."""
    lp = relaxed(time.monotonic())
    return lp is not None and (shown.objective <= lp or (mip is not None and mip.found()))


def _early_mip(
    problem: Problem,
    options: SolveOptions,
    relaxed: Callable[[float], int | None] | None,
    start: float,
    progress: ProgressCallback | None,
    shown: dict[str, _Shown],
) -> CostMip | None:
    """The cost MIP (`cost_mip`) holding the shortfall LP's bound, started with the first
    stage: a plan it finds there is optimal in the shortfall, ends the first stage, and the
    cost stage goes on with the MIP running. On the built-in scenario the whole solve is
    then proven in 57-139 s, against 242-327 s with the MIP from the cost stage only
    (BENCHMARKS.md §1). Where the first stage ends above the LP's bound, this MIP stops and
    the cost stage starts its own at the shortfall found (`_start_mip`)."""
    if relaxed is None or stages_of(problem)[:2] != STAGES or problem.previous is not None:
        return None
    if not (options.cost_relaxation and not options.first_tier_only):
        return None
    if not cost_mip.applies(problem) or options.time_limit < EARLY_SECONDS:
        return None
    mip = CostMip(
        problem,
        lambda: relaxed(start + options.time_limit),
        None,
        options.seed,
        options.log,
        options.workers,
    )
    if not mip.ready:
        return None

    def report(cost: int, bound: int) -> None:
        held = relaxed(time.monotonic())  # known: the MIP holds it
        if held is not None:
            _show(progress, start, shown, "shortfall", held, held)
        _show(progress, start, shown, "cost", cost, bound)

    mip.start(options.time_limit, report)
    return mip


def _show(
    progress: ProgressCallback | None,
    start: float,
    shown: dict[str, _Shown],
    stage: str,
    objective: int,
    bound: int,
    scale: int = 1,
) -> None:
    """Show a plan and bound found beside CP-SAT (a MIP's, the polished start's) as a
    stage's progress, where it improves on what the stage showed. Both are in the stage's
    objective, `scale` times the tier's in a re-plan (`_Reporter`)."""
    best = shown[stage].update(objective, bound)
    if progress is not None and best is not None:
        told = Progress(stage, best[0] // scale, best[1] // scale, time.monotonic() - start)
        progress(told)


def _start_mip(
    problem: Problem,
    options: SolveOptions,
    plan: Solution,
    objective: Objective,
    start: float,
    progress: ProgressCallback | None,
    shown: dict[str, _Shown],
) -> CostMip | None:
    """The cost MIP (`cost_mip`) from `plan`, on its thread for the rest of the time limit,
    where it applies and that is long enough; its plans shown as the cost stage's."""
    remaining = options.time_limit - (time.monotonic() - start)
    if not (options.cost_relaxation and cost_mip.applies(problem)):
        return None
    if remaining < cost_mip.MIN_SECONDS:
        return None
    mip = CostMip(problem, objective.shortfall, plan, options.seed, options.log, options.workers)
    if not mip.ready:
        return None

    mip.start(remaining, partial(_show, progress, start, shown, "cost"))
    return mip


def _mip_result(
    problem: Problem, mip: CostMip, solution: Solution, objective: Objective, interrupted: bool
) -> tuple[Solution, Objective]:
    """The better of the stage's plan and the MIP's. The MIP ends with the time limit, as
    the stage does: a second is allowed for its last word, none after Ctrl-C."""
    mip.wait(0.0 if interrupted else MIP_GRACE)
    mip.stop()
    better, value = _better(problem, mip.plan(), solution, objective)
    assert better is not None  # no worse than the stage's plan
    assert value is not None
    return better, value


def _end(mips: list[CostMip]) -> None:
    """Stop every MIP and wait for its thread: a HiGHS solve still running when the process
    exits aborts it. The wait is that of HiGHS's next interrupt check (none in presolve:
    a few seconds on the built-in), capped at MIP_END."""
    for mip in mips:
        mip.stop()
    deadline = time.monotonic() + MIP_END
    for mip in mips:
        mip.wait(deadline - time.monotonic())


def _better(
    problem: Problem, plan: Solution | None, solution: Solution | None, objective: Objective | None
) -> tuple[Solution | None, Objective | None]:
    """`plan` and its objective where it beats `solution`, else `solution` and `objective`."""
    if plan is None:
        return solution, objective
    value = plan.evaluate(problem)
    if objective is None or _key(problem, value) < _key(problem, objective):
        return plan, value
    return solution, objective


def _guided_cost(
    problem: Problem,
    options: SolveOptions,
    solution: Solution,
    objective: Objective,
    start: float,
    progress: ProgressCallback | None,
    shown: _Shown,
    mip: CostMip | None = None,
) -> tuple[Relaxation | None, Solution, Objective, bool]:
    """Before the cost stage: the LP relaxation (`lp_bound`, a share of the time left; the
    `mip`'s, which solves the same LP, when one runs), then CP-SAT on the rotations the LP
    uses plus the incumbent's, which finds cheaper plans sooner than the whole model; the
    whole model then starts from the result. It stops early once the `mip` proves its plan.

    Returns the relaxation (None where it does not apply or was not solved), the best plan
    and its objective, and whether Ctrl-C stopped the search. The restricted model's own
    bound is never reported: it proves nothing about the whole problem. Its plans and the
    LP's bound go through the cost stage's `shown`, so the whole model's progress after it
    never shows a dearer plan or a lower bound.
    """
    if not (options.cost_relaxation and applies(problem) and rotations_apply(problem)):
        return None, solution, objective, False
    remaining = options.time_limit - (time.monotonic() - start)
    relaxation = (
        mip.relaxation(LP_SHARE * remaining)
        if mip is not None
        else relax(problem, objective.shortfall, LP_SHARE * remaining)
    )
    if relaxation is None or objective.cost <= relaxation.bound:
        return relaxation, solution, objective, False
    built = _stage_model(
        problem, replace(options, formulation="rotations"), "cost", solution, objective
    )
    keep = relaxation.support | {
        (r.person, r.activity, r.first, r.last) for r in solution.stretches()
    }
    built.model.add_bool_and(
        [lit.Not() for key, lit in built.v.rotations.items() if key not in keep]
    )
    remaining = options.time_limit - (time.monotonic() - start)
    scale = change_scale(problem, "cost")
    outcome = _run(
        options,
        max(GUIDED_SHARE * remaining, 0.1),
        built.model,
        partial(_Reporter, "cost", start, progress, scale, float(relaxation.bound)),
        shown=shown,
        stop_when=mip.settled if mip is not None else None,
    )
    interrupted = outcome.interrupted
    if _STATUS.get(outcome.code) in (Status.OPTIMAL, Status.FEASIBLE):
        found = _read(outcome.solver, problem, built.v)
        value = found.evaluate(problem)
        if _key(problem, value) <= _key(problem, objective):
            return relaxation, found, value, interrupted
    return relaxation, solution, objective, interrupted


def with_tier_bound(
    tier: str,
    relaxed: int,
    objective: Objective,
    bound: Objective,
    stage_status: dict[str, Status],
) -> tuple[Objective, dict[str, Status]]:
    """An LP's or MIP's bound on one tier (`lp_bound`, `cost_mip`) where it beats the
    solve's; that tier's stage proven optimal if the plan reaches the better of the two
    (a stage stopped early may hold a plan at its own bound). Valid only for the earlier
    tiers the LP held, which are the plan's as long as no later stage changed them (later
    stages hold every earlier tier)."""
    best = max(relaxed, getattr(bound, tier))
    better = replace(bound, **{tier: best})
    if getattr(objective, tier) <= best and stage_status.get(tier) is Status.FEASIBLE:
        return better, {**stage_status, tier: Status.OPTIMAL}
    return better, stage_status


def with_result_bound(problem: Problem, result: Result, tier: str, relaxed: int | None) -> Result:
    """A finished solve's `result` with a bound on one tier found beside it (an LP's, the
    cost floor's; `with_tier_bound`), and OPTIMAL if every stage then is; as it was where
    there is no such bound or no plan."""
    if relaxed is None or result.objective is None:
        return result
    bound, stage_status = with_tier_bound(
        tier, relaxed, result.objective, result.bound, result.stage_status
    )
    proven = every_stage_proven(problem, stage_status)
    status = Status.OPTIMAL if proven else result.status
    return replace(result, bound=bound, stage_status=stage_status, status=status)


def every_stage_proven(problem: Problem, stage_status: dict[str, Status]) -> bool:
    """Whether every stage of the problem's solve (`stages_of`) was proven optimal."""
    return all(stage_status.get(stage) is Status.OPTIMAL for stage in stages_of(problem))


def _carry_on(
    stages: tuple[str, ...], stage: str, objective: Objective | None, status: Status
) -> bool:
    """Whether a stage that found no plan in its time still lets a fairness or requests
    stage follow: they start from the incumbent, which keeps every tier they hold (its own
    values). A v1 stage list ends at the first stage without a plan, as it always did."""
    following = stages[stages.index(stage) + 1 :]
    return (
        status is Status.NO_SOLUTION
        and objective is not None
        and bool(following)
        and following[0] in SOFT_STAGES
    )


def _key(problem: Problem, objective: Objective) -> tuple[int, ...]:
    """What 'better' means: the penalty sum, or the tiers in order."""
    return (objective.penalty,) if problem.single_objective else objective.as_tuple()
