"""Capacity floors on the shortfall: valid without solving, tight where capacity binds.

In a period, the demand rows of one skill (or of plain headcount) can be filled by at most
as many people as hold that skill, are not on leave and fit within their base's release
cap. Whatever they ask beyond that is short in every plan. Each shortfall variable belongs
to one (period, skill) group, so the groups' floors add up to a lower bound on the whole.

Weekends bind the same way over several periods: a person limited to `max_weekends`
works at most that many weekends' days, so what the weekends ask beyond those days is
short too (`weekend_floors`; Curtois Instance11's optimum is exactly this floor: 234
weekend shifts asked of 50 people who may work 4 weekend days each). A weekend gives one
person both its days only along an allowed succession (no late shift before an early
one), so where Saturday and Sunday ask for shifts that do not pair up, some weekends give
one day (`weekend_reach`; Curtois Instance7's optimum is exactly that floor: 10 short).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import maximum_flow  # type: ignore[import-untyped]

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
        for covers, floor in disjoint_floors(problem)
    )


def missing_floor(problem: Problem) -> int:
    """Fewest people missing over all demand rows in any plan."""
    return sum(floor for _, floor in disjoint_floors(problem))


def disjoint_floors(problem: Problem) -> list[tuple[list[int], int]]:
    """Floors of disjoint groups of rows, so that they add up: the per-period floors, with
    a skill's weekend periods taken together where its weekend floor is higher."""
    per_period = shortfall_floors(problem)
    weekends = weekend_floors(problem, per_period)
    weekend_periods = {t for weekend in problem.weekends for t in weekend}
    merged = {problem.covers[covers[0]].skill for covers, _ in weekends}
    kept = [
        (covers, floor)
        for covers, floor in per_period
        if not (
            problem.covers[covers[0]].period in weekend_periods
            and problem.covers[covers[0]].skill in merged
        )
    ]
    return kept + weekends


def weekend_floors(
    problem: Problem, per_period: list[tuple[list[int], int]] | None = None
) -> list[tuple[list[int], int]]:
    """(cover indices of every weekend period of one skill, people they are short at least),
    where that beats the periods' own floors (`per_period`, `shortfall_floors` when not
    given). These overlap the per-period groups: redundant rows for the model."""
    weekend_periods = {t for weekend in problem.weekends for t in weekend}
    rows: dict[int, list[int]] = {}
    for c, cover in enumerate(problem.covers):
        if cover.period in weekend_periods:
            rows.setdefault(cover.skill, []).append(c)
    if per_period is None:
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
        reach = weekend_reach(problem, covers, holders)
        floor = sum(problem.covers[c].required for c in covers) - min(by_periods, by_people, reach)
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


def weekend_reach(problem: Problem, covers: list[int], holders: list[int]) -> int:
    """Most of the weekend rows `covers` the `holders` can fill, counting weekends, not days.

    Each holder works at most their limit of the weekends they are not wholly away for.
    A worked weekend fills two rows only if its Saturday and Sunday shifts may follow each
    other, so a weekend fills two at most as often as the most such pairs its rows allow
    (a maximum matching of Saturday to Sunday demand), and one otherwise. Spending
    weekends where they fill two first is best (the values are concave), which gives
    the reach in closed form.
    """
    units = 0
    for p in holders:
        person = problem.people[p]
        free = sum(1 for w in problem.weekends if any(t not in person.unavailable for t in w))
        units += free if person.max_weekends is None else min(free, max(0, person.max_weekends))
    doubles = singles = 0
    for weekend in problem.weekends:
        present = sum(
            1 for p in holders if any(t not in problem.people[p].unavailable for t in weekend)
        )
        asked = {t: [0] * len(problem.activities) for t in weekend}
        for c in covers:
            cover = problem.covers[c]
            if cover.period in asked:
                asked[cover.period][cover.activity] += cover.required
        pairs = min(present, _pairs(problem, weekend, asked))
        doubles += pairs
        singles += min(sum(map(sum, asked.values())) - 2 * pairs, present - pairs)
    spent = min(units, doubles)
    return 2 * spent + min(units - spent, singles)


def _pairs(problem: Problem, weekend: tuple[int, ...], asked: dict[int, list[int]]) -> int:
    """Most two-day fills a weekend's rows allow: Saturday's shift a with Sunday's b
    where b may follow a (a maximum flow over the activities); 0 unless two consecutive
    days."""
    if len(weekend) != 2 or weekend[1] != weekend[0] + 1:
        return 0
    first, second = asked[weekend[0]], asked[weekend[1]]
    n = len(first)
    capacity = np.zeros((2 * n + 2, 2 * n + 2), dtype=np.int32)
    capacity[0, 2 : n + 2] = first
    capacity[n + 2 : 2 * n + 2, 1] = second
    for a in range(n):
        for b in range(n):
            if (a, b) not in problem.forbidden:
                capacity[2 + a, n + 2 + b] = min(first[a], second[b])
    return int(maximum_flow(csr_matrix(capacity), 0, 1).flow_value)
