"""NumPy views of a problem for the engine's fast scans (`shortfall_lp`'s pricing,
`best_response`): who holds which demand skill when, and what every window costs."""

from __future__ import annotations

import numpy as np

from surgeplan.problem import ANYONE, Problem


def cover_skills(problem: Problem) -> list[int]:
    """The skills the covers ask for (ANYONE included where asked), in a fixed order."""
    return sorted({cover.skill for cover in problem.covers})


def holds(problem: Problem, skills: list[int]) -> np.ndarray:
    """holds[p, t, s]: whether person p counts toward `skills[s]` in period t."""
    T = problem.num_periods
    out = np.zeros((len(problem.people), T, len(skills)))
    for p in range(len(problem.people)):
        for t in range(T):
            for s, skill in enumerate(skills):
                out[p, t, s] = skill == ANYONE or problem.can_fill(p, t, skill)
    return out


class WindowPrices:
    """`Problem.stretch_cost` of every activity and window of a person at once."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        A, T, costs = len(problem.activities), problem.num_periods, problem.costs
        self.period_sums = np.zeros((A, T + 1))
        if costs is not None:
            self.period_sums[:, 1:] = np.cumsum(np.array(costs.period, dtype=float), axis=1)
            self.first = np.array(costs.first, dtype=float)
            self.last = np.array(costs.last, dtype=float)
            self.single = None if costs.single is None else np.array(costs.single, dtype=float)

    def of(self, p: int, first: np.ndarray, last: np.ndarray) -> np.ndarray:
        """Cents, activities × windows, for person p's windows `first`..`last`."""
        costs = self.problem.costs
        if costs is None:
            return np.zeros((len(self.problem.activities), len(first)))
        fare = np.array(costs.fare[self.problem.people[p].group], dtype=float)
        price = fare[:, None] + self.period_sums[:, last + 1] - self.period_sums[:, first]
        price += self.first[:, first] + self.last[:, last]
        if self.single is not None:
            price += np.where(first == last, self.single[:, first], 0.0)
        return price
