"""A solution: which activity (or home) each person has in each period, in indices.

Solver-independent, so it also carries warm starts and pins, and the engine's own
evaluation of a solution (`evaluate`) which tests compare with the independent checker.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from surgeplan.problem import Problem

HOME = -1


@dataclass(frozen=True, slots=True)
class Stretch:
    """A maximal run of one person at one activity, in period indices (inclusive)."""

    person: int
    activity: int
    first: int
    last: int

    @property
    def periods(self) -> int:
        """Number of periods of the stretch."""
        return self.last - self.first + 1


@dataclass(frozen=True, slots=True)
class Objective:
    """Objective tiers of a solution, in the order of DESIGN.md §4: weighted cover penalty
    (shortfall, and over-cover where it is priced), cost in cents, weighted fairness
    spread, weighted unmet requests, weighted changes."""

    shortfall: int
    cost: int
    requests: int = 0
    changes: int = 0
    """Weighted person-periods that differ from the previous plan (re-planning)."""
    fairness: int = 0
    """Spread (most − fewest periods worked over Problem.fairness_people) × fairness_weight.
    Declared after the older fields so positional construction keeps its meaning."""

    def as_tuple(self) -> tuple[int, int, int, int, int]:
        """Lexicographic key in tier order (smaller is better)."""
        return self.shortfall, self.cost, self.fairness, self.requests, self.changes

    @property
    def penalty(self) -> int:
        """Cover plus request penalties: the objective of a single-objective problem."""
        return self.shortfall + self.requests


@dataclass(frozen=True, slots=True)
class Solution:
    """`activity[p][t]` is the activity index of person p in period t, or HOME (-1)."""

    activity: tuple[tuple[int, ...], ...]

    def stretches(self) -> Iterator[Stretch]:
        """Every same-activity stretch, person by person, in time order."""
        for p, row in enumerate(self.activity):
            t = 0
            while t < len(row):
                a = row[t]
                if a == HOME:
                    t += 1
                    continue
                end = t
                while end + 1 < len(row) and row[end + 1] == a:
                    end += 1
                yield Stretch(p, a, t, end)
                t = end + 1

    def filled(
        self, problem: Problem, people: Iterable[int] | None = None, periods: range | None = None
    ) -> dict[tuple[int, int, int], int]:
        """(period, activity, skill) of each cover → how many of `people` (everyone by
        default) count toward it in this plan, over `periods` (all by default). One pass
        over the plan's cells, never over people × covers: the parts of a large plan ask
        it for nearly everyone once per part."""
        skills_at: dict[tuple[int, int], set[int]] = {}
        for cover in problem.covers:
            skills_at.setdefault((cover.period, cover.activity), set()).add(cover.skill)
        count: dict[tuple[int, int, int], int] = {}
        for p in range(len(self.activity)) if people is None else people:
            row = self.activity[p]
            for t in range(len(row)) if periods is None else periods:
                for skill in skills_at.get((t, row[t]), ()):
                    if problem.can_fill(p, t, skill):
                        key = (t, row[t], skill)
                        count[key] = count.get(key, 0) + 1
        return count

    def evaluate(self, problem: Problem) -> Objective:
        """The engine-side objective of this solution (tests compare it with the checker)."""
        count = self.filled(problem)
        shortfall = 0
        for c in problem.covers:
            n = count.get((c.period, c.activity, c.skill), 0)
            shortfall += c.weight * max(0, c.required - n) + c.over_weight * max(0, n - c.required)
        grid = self.activity
        requests = sum(r.weight for r in problem.requests if r.missed(grid[r.person][r.period]))
        cost = sum(
            problem.stretch_cost(s.person, s.activity, s.first, s.last) for s in self.stretches()
        )
        changes = 0
        if problem.previous is not None:
            changes = problem.change_weight * sum(
                old != new
                for row, before in zip(grid, problem.previous, strict=True)
                for new, old in zip(row, before, strict=True)
            )
        return Objective(shortfall, cost, requests, changes, self.fairness(problem))

    def fairness(self, problem: Problem) -> int:
        """Weighted spread of periods worked over the problem's fairness people (0 if off)."""
        if problem.fairness_weight == 0:
            return 0
        loads = [sum(a != HOME for a in self.activity[p]) for p in problem.fairness_people()]
        spread = max(loads) - min(loads) if len(loads) >= 2 else 0
        return problem.fairness_weight * spread
