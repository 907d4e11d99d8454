"""A floor on the cost at a given shortfall, from the demand and the rates alone.

A plan's cost tier reads its gap against a bound: the rotation LP's (`lp_bound`, the
MIP's) when it lands, else CP-SAT's, which is often nothing in a short solve or a solve by
parts, so the gap read 100%. This floor needs no search. Every officer-week at a site
costs at least that week's rate there plus the least share of a rotation's fixed part
(fare and first/last-day adjustments) one week can carry. A site-week whose demand rows
are short by at most what the weighted shortfall allows needs at least that many
officer-weeks, and a week has no more people to send than its capacity (`bounds`). The
cheapest such deployment is a small LP, solved in milliseconds: a lower bound on the cost
of every plan with at most that shortfall.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog  # type: ignore[import-untyped]
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]

from surgeplan.engine.bounds import capacity
from surgeplan.engine.lp_bound import applies, round_up
from surgeplan.engine.variables import longest_rotation
from surgeplan.problem import Problem

SECONDS = 5.0
"""Time the LP may take; it has a column per demand row and site-week."""


def week_rates(problem: Problem) -> np.ndarray:
    """rate[a, t]: the least any officer-week at site a in period t adds to a plan's cost.

    A stretch s..e of length L costs Σ period[a][t] plus a fixed part x (fare, first and
    last-day adjustments, a one-period correction): at least the least such x, spread
    over L ≤ the longest stretch anyone may work where x ≥ 0, over one period where x < 0.
    """
    costs = problem.costs
    assert costs is not None  # `least_cost` asks only where costs are priced
    T = problem.num_periods
    longest = max(longest_rotation(problem, p) for p in range(len(problem.people)))
    rates = np.array(costs.period, dtype=float).reshape(len(problem.activities), T)
    for a in range(len(problem.activities)):
        fixed = min(row[a] for row in costs.fare) + min(costs.first[a]) + min(costs.last[a])
        if costs.single is not None:
            fixed += min(0, *costs.single[a])
        rates[a] += fixed / max(1, longest) if fixed >= 0 else fixed
    return rates


def least_cost(problem: Problem, shortfall: int) -> int | None:
    """A lower bound (cents) on the cost of every plan whose weighted shortfall is at most
    `shortfall`; None where costs are not priced by same-site stretches (`lp_bound.applies`)
    or the LP gives no answer (no such plan: the plan it was asked for has a lower one)."""
    if not applies(problem):
        return None
    A, T, covers = len(problem.activities), problem.num_periods, problem.covers
    C = len(covers)
    if C == 0:
        return 0
    # Columns: short[c] for each cover, then deployed[a, t] at column C + a * T + t.
    rows, cols, vals, rhs = [], [], [], []
    for c, cover in enumerate(covers):  # required - short ≤ deployed
        rows += [c, c]
        cols += [c, C + cover.activity * T + cover.period]
        vals += [-1.0, -1.0]
        rhs.append(-float(cover.required))
    everyone = list(range(len(problem.people)))
    for t in range(T):  # Σ_a deployed[a, t] ≤ who can be sent in t
        rows += [C + t] * A
        cols += [C + a * T + t for a in range(A)]
        vals += [1.0] * A
        rhs.append(float(capacity(problem, everyone, t)))
    rows += [C + T] * C  # Σ weight · short ≤ shortfall
    cols += list(range(C))
    vals += [float(cover.weight) for cover in covers]
    rhs.append(float(shortfall))
    price = np.concatenate([np.zeros(C), week_rates(problem).ravel()])
    upper = [float(cover.required) for cover in covers] + [None] * (A * T)
    result = linprog(
        price,
        A_ub=coo_matrix((vals, (rows, cols)), shape=(C + T + 1, C + A * T)).tocsr(),
        b_ub=np.array(rhs),
        bounds=list(zip([0.0] * (C + A * T), upper, strict=True)),
        method="highs",
        options={"time_limit": SECONDS},
    )
    return round_up(float(result.fun)) if result.status == 0 else None
