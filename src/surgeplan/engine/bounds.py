"""Capacity floors on the shortfall: valid without solving, tight where capacity binds.

In a period, the demand rows of one skill (or of plain headcount) can be filled by at most
as many people as hold that skill, are not on leave and fit within their base's release
cap. Whatever they ask beyond that is short in every plan. Each shortfall variable belongs
to one (period, skill) group, so the groups' floors add up to a lower bound on the whole.

Weekends bind the same way over several periods: a person limited to `max_weekends`
works at most that many weekends' days, so what the weekends ask beyond those days is
short too (`weekend_floors`; Curtois Instance11's optimum is exactly this floor: 234
weekend shifts asked of 50 people who may work 4 weekend days each).
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


def weekend_floors(problem: Problem) -> list[tuple[list[int], int]]:
    """(cover indices of every weekend period of one skill, people they are short at least),
    where that beats the periods' own floors. These overlap the per-period groups, so
    they are redundant rows for the model, not terms of `shortfall_bound`."""
    weekend_periods = {t for weekend in problem.weekends for t in weekend}
    rows: dict[int, list[int]] = {}
    for c, cover in enumerate(problem.covers):
        if cover.period in weekend_periods:
            rows.setdefault(cover.skill, []).append(c)
    per_period = shortfall_floors(problem) if rows else []
    floors = []
    for skill, covers in rows.items():
        holders = [
            p
            for p in range(len(problem.people))
            if any(problem.can_fill(p, t, skill) for t in weekend_periods)
        ]
        by_periods = sum(capacity(problem, holders, t) for t in weekend_periods)
        by_people = sum(weekend_days(problem, p, skill) for p in holders)
        floor = sum(problem.covers[c].required for c in covers) - min(by_periods, by_people)
        periods_floor = sum(
            f
            for group, f in per_period
            if problem.covers[group[0]].period in weekend_periods
            and problem.covers[group[0]].skill == skill
        )
        if floor > periods_floor:
            floors.append((covers, floor))
    return floors


def weekend_days(problem: Problem, p: int, skill: int) -> int:
    """Most weekend periods person p can fill `skill` in, within their weekend limit."""
    person = problem.people[p]
    days = sorted(
        (
            sum(1 for t in weekend if t not in person.unavailable and problem.can_fill(p, t, skill))
            for weekend in problem.weekends
        ),
        reverse=True,
    )
    return sum(days if person.max_weekends is None else days[: max(0, person.max_weekends)])
