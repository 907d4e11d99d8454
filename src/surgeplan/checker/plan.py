"""The plan as the checker sees it: for each person and period, the sites listed.

Everything downstream (rules, cover, costs) reads this grid, so a person listed twice
in one period, or at two sites, is kept as listed rather than silently merged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from surgeplan.checker.fit import fit_of
from surgeplan.checker.ledger import Assignment
from surgeplan.checker.periods import period_starts
from surgeplan.scenario.errors import InputError, Issue
from surgeplan.scenario.model import Scenario

Listing = tuple[str, ...]
"""Site ids listed for one person in one period: sorted, repeats kept, empty = home."""


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive period indices `first`..`last`, both included."""

    first: int
    last: int

    @property
    def length(self) -> int:
        """Number of periods in the run."""
        return self.last - self.first + 1


def runs(flags: Sequence[bool]) -> tuple[Run, ...]:
    """The maximal runs of consecutive True values, in order."""
    found: list[Run] = []
    begin: int | None = None
    for index, flag in enumerate(flags):
        if flag and begin is None:
            begin = index
        elif not flag and begin is not None:
            found.append(Run(begin, index - 1))
            begin = None
    if begin is not None:
        found.append(Run(begin, len(flags) - 1))
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Plan:
    """Who is listed where, by person id and period index (people in scenario order)."""

    starts: tuple[date, ...]
    listed: Mapping[str, tuple[Listing, ...]]

    def sites(self, person_id: str, index: int) -> frozenset[str]:
        """Distinct sites a person is listed at in one period."""
        return frozenset(self.listed[person_id][index])

    def deployed(self, person_id: str) -> tuple[bool, ...]:
        """Per period: is the person away from home?"""
        return tuple(bool(listing) for listing in self.listed[person_id])

    def rotations(self, person_id: str) -> tuple[Run, ...]:
        """Maximal runs of deployed periods, whatever the sites."""
        return runs(self.deployed(person_id))

    def at_site(self, person_id: str, site_id: str) -> tuple[Run, ...]:
        """Maximal runs of periods in which the person is listed at `site_id`."""
        return runs(tuple(site_id in listing for listing in self.listed[person_id]))

    def present(self, site_id: str, index: int) -> tuple[str, ...]:
        """Distinct people listed at a site in one period, in scenario order."""
        return tuple(p for p, row in self.listed.items() if site_id in row[index])


def plan_of(scenario: Scenario, assignments: Sequence[Assignment]) -> Plan:
    """Index the assignments by person and period after making sure each one fits.

    Raises
    ------
    InputError
        If an assignment names an unknown person or site, or a date that is not a
        period of the campaign (`read_assignments` refuses those with file and line).
    """
    _require_fit(scenario, assignments)
    starts = period_starts(scenario)
    index = {start: i for i, start in enumerate(starts)}
    cells: dict[str, list[list[str]]] = {p.person_id: [[] for _ in starts] for p in scenario.people}
    for a in assignments:
        cells[a.person_id][index[a.period_start]].append(a.site_id)
    listed = {p: tuple(tuple(sorted(c)) for c in row) for p, row in cells.items()}
    return Plan(starts, MappingProxyType(listed))


def _require_fit(scenario: Scenario, assignments: Sequence[Assignment]) -> None:
    """Refuse assignments that do not name a person, site and period of the scenario."""
    fit = fit_of(scenario)
    issues: list[Issue] = []
    for number, a in enumerate(assignments, start=1):
        for field, problem in (
            ("person_id", fit.person(a.person_id)),
            ("site_id", fit.site(a.site_id)),
            ("period_start", fit.start(a.period_start)),
            ("period_end", fit.end(a.period_start, a.period_end)),
        ):
            if problem is not None:
                issues.append(Issue("assignments", problem, number, field=field))
    if issues:
        raise InputError(issues)
