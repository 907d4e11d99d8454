"""Capacity floors on the shortfall: valid without solving, tight where capacity binds.

In a period, the demand rows of one skill (or of plain headcount) can be filled by at most
as many people as hold that skill, are not on leave and fit within their base's release
cap. Whatever they ask beyond that is short in every plan. Each shortfall variable belongs
to one (period, skill) group, so the groups' floors add up to a lower bound on the whole.
"""

from __future__ import annotations

from surgeplan.problem import Problem


def capacity(problem: Problem, people: list[int], period: int) -> int:
    """Most of `people` who can work in `period`, given leave and group release caps."""
    by_group: dict[int, int] = {}
    for p in people:
        if period not in problem.people[p].unavailable:
            group = problem.people[p].group
            by_group[group] = by_group.get(group, 0) + 1
    total = 0
    for group, count in by_group.items():
        cap = problem.groups[group].cap(period)
        total += count if cap is None else min(cap, count)
    return total


def shortfall_floors(problem: Problem) -> list[tuple[list[int], int]]:
    """(cover indices of one period and skill, people they are short at least), floor > 0."""
    rows: dict[tuple[int, int], list[int]] = {}
    for c, cover in enumerate(problem.covers):
        rows.setdefault((cover.period, cover.skill), []).append(c)
    everyone = range(len(problem.people))
    floors = []
    for (period, skill), covers in rows.items():
        holders = [p for p in everyone if problem.can_fill(p, period, skill)]
        asked = sum(problem.covers[c].required for c in covers)
        floor = asked - capacity(problem, holders, period)
        if floor > 0:
            floors.append((covers, floor))
    return floors


def shortfall_bound(problem: Problem) -> int:
    """A lower bound on the weighted shortfall: each floor at its rows' lowest weight."""
    return sum(
        floor * min(problem.covers[c].weight for c in covers)
        for covers, floor in shortfall_floors(problem)
    )
