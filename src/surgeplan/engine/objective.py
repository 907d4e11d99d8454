"""Objective terms as linear expressions, one per tier (DESIGN.md §4): shortfall, cost,
fairness, requests, changes.

Cost is linear in the stretch structure: every worked period pays its full rate plus
the fare and first/last-day adjustments as if it were a stretch of its own, and every
continuation (same activity in t and t+1) refunds one fare, one last-day and one
first-day adjustment. A stretch s..e thus pays exactly fare + Σ period + first[s] + last[e].
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from surgeplan.engine.variables import Variables
from surgeplan.problem import ANY_ACTIVITY, Problem

LinearExpr = cp_model.LinearExprT


def shortfall_expr(problem: Problem, v: Variables) -> LinearExpr:
    """Priority-weighted people missing over all covers, plus priced over-cover."""
    lits = list(v.short)
    coefs = [c.weight for c in problem.covers]
    for c, over in enumerate(v.over):
        if over is not None:
            lits.append(over)
            coefs.append(problem.covers[c].over_weight)
    return cp_model.LinearExpr.weighted_sum(lits, coefs)


def change_expr(problem: Problem, v: Variables) -> LinearExpr:
    """Weighted person-periods that differ from the previous plan (0 without one)."""
    if problem.previous is None:
        return 0
    constant = 0
    lits: list[cp_model.IntVar] = []
    coefs: list[int] = []
    for p, row in enumerate(problem.previous):
        for t, before in enumerate(row):
            if before < 0:
                works = v.d[p][t]
                if works is not None:
                    lits.append(works)
                    coefs.append(1)
                continue
            constant += 1
            kept = v.x[p][t].get(before)
            if kept is not None:
                lits.append(kept)
                coefs.append(-1)
    weight = problem.change_weight
    return cp_model.LinearExpr.weighted_sum(lits, [weight * c for c in coefs]) + weight * constant


def request_expr(problem: Problem, v: Variables) -> LinearExpr:
    """Weight of every request not honoured (an on-request at a forbidden cell is a constant).

    A request about ANY_ACTIVITY is about the "works" literal: `on` is missed at home,
    `off` when working anywhere.
    """
    constant = 0
    lits: list[cp_model.IntVar] = []
    coefs: list[int] = []
    for r in problem.requests:
        if r.weight == 0:
            continue
        if r.activity == ANY_ACTIVITY:
            lit = v.d[r.person][r.period]
        else:
            lit = v.x[r.person][r.period].get(r.activity)
        if lit is None:
            constant += r.weight if r.on else 0
            continue
        if r.on:
            constant += r.weight
        lits.append(lit)
        coefs.append(-r.weight if r.on else r.weight)
    return cp_model.LinearExpr.weighted_sum(lits, coefs) + constant


def fairness_expr(model: cp_model.CpModel, problem: Problem, v: Variables) -> LinearExpr:
    """Weighted spread of periods worked over the fairness people (0 when the tier is off).

    `most` ≥ and `fewest` ≤ every such person's load, so `most − fewest` is at least the
    spread and equals it when minimised (or held at a value the spread can reach).
    """
    people = problem.fairness_people()
    if problem.fairness_weight == 0 or len(people) < 2:
        return 0
    T = problem.num_periods
    most = model.new_int_var(0, T, "load_most")
    fewest = model.new_int_var(0, T, "load_fewest")
    for p in people:
        load = cp_model.LinearExpr.sum([lit for lit in v.d[p] if lit is not None])
        model.add(most >= load)
        model.add(fewest <= load)
    return problem.fairness_weight * (most - fewest)


def cost_expr(model: cp_model.CpModel, problem: Problem, v: Variables) -> LinearExpr:
    """Total cost in cents (0 when the problem has no costs)."""
    costs = problem.costs
    if costs is None:
        return 0
    if v.rotations:
        return cp_model.LinearExpr.weighted_sum(
            list(v.rotations.values()),
            [problem.stretch_cost(p, a, f, last) for p, a, f, last in v.rotations],
        )
    lits: list[cp_model.IntVar] = []
    coefs: list[int] = []
    for p, person in enumerate(problem.people):
        fare = costs.fare[person.group]
        for t, cells in enumerate(v.x[p]):
            for a, lit in cells.items():
                lits.append(lit)
                coefs.append(fare[a] + costs.period[a][t] + costs.first[a][t] + costs.last[a][t])
    for (p, a, t), both in v.cont.items():
        refund = costs.fare[problem.people[p].group][a] + costs.last[a][t] + costs.first[a][t + 1]
        lits.append(both)
        coefs.append(-refund)
    if costs.single is not None:
        _single_day_stretches(model, problem, v, lits, coefs)
    return cp_model.LinearExpr.weighted_sum(lits, coefs)


def _single_day_stretches(
    model: cp_model.CpModel,
    problem: Problem,
    v: Variables,
    lits: list[cp_model.IntVar],
    coefs: list[int],
) -> None:
    """A one-period stretch whose first and last day coincide pays the 75% day once."""
    single = problem.costs.single if problem.costs is not None else None
    if single is None:
        return
    for p in range(len(problem.people)):
        for t, cells in enumerate(v.x[p]):
            for a, lit in cells.items():
                correction = single[a][t]
                if correction == 0:
                    continue
                alone = model.new_bool_var(f"single_{p}_{a}_{t}")
                neighbours = [v.cont[k] for k in ((p, a, t - 1), (p, a, t)) if k in v.cont]
                # alone ≥ x − cont(t−1) − cont(t): forced on exactly for a lone period.
                model.add(alone >= lit - sum(neighbours))
                lits.append(alone)
                coefs.append(correction)
