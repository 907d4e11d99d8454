"""Does an assignment fit the scenario? One place for the checks, shared by the reader
(which adds file and line) and by `check()` (which refuses assignments built in code).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from surgeplan.checker.periods import period_end, period_starts
from surgeplan.scenario.model import Scenario

SHOWN_IDS = 10


def known(ids: Iterable[str]) -> str:
    """A short list of valid ids for an error message."""
    listed = sorted(ids)
    more = f", … ({len(listed) - SHOWN_IDS} more)" if len(listed) > SHOWN_IDS else ""
    return ", ".join(listed[:SHOWN_IDS]) + more


@dataclass(frozen=True, slots=True)
class Fit:
    """The scenario's ids and period starts, indexed once for checking many rows."""

    scenario: Scenario
    people: frozenset[str]
    sites: frozenset[str]
    starts: tuple[date, ...]

    def person(self, person_id: str) -> str | None:
        """Why `person_id` is not a person of the scenario, or None."""
        if not person_id:
            return "is empty; give the person_id of someone in people"
        if person_id in self.people:
            return None
        return f"{person_id!r} is not in the scenario's people (known: {known(self.people)})"

    def site(self, site_id: str) -> str | None:
        """Why `site_id` is not a site of the scenario, or None."""
        if not site_id:
            return "is empty; give the site_id of a site (home periods are simply left out)"
        if site_id in self.sites:
            return None
        return f"{site_id!r} is not in the scenario's sites (known: {known(self.sites)})"

    def start(self, start: date) -> str | None:
        """Why `start` is not the first day of a period of the campaign, or None."""
        if start in self.starts:
            return None
        unit, s = self.scenario.period, self.scenario
        hint = ""
        containing = [p for p in self.starts if p <= start <= period_end(s, p)]
        if containing:
            hint = f"; did you mean {containing[0]}, the start of the {unit} that contains it?"
        elif self.starts:
            hint = (
                f"; the first {unit} starts on {self.starts[0]} and the last on {self.starts[-1]}"
            )
        return f"{start} is not the start of a {unit} of the campaign ({s.start} to {s.end}){hint}"

    def end(self, start: date, end: date) -> str | None:
        """Why `end` is not the last day of the period starting on `start`, or None."""
        expected = period_end(self.scenario, start)
        if end == expected:
            return None
        return (
            f"{end} does not close the {self.scenario.period} starting {start}; "
            f"period_end is the last day of the period, here {expected}"
        )


def fit_of(scenario: Scenario) -> Fit:
    """Index `scenario` for row checks."""
    return Fit(
        scenario,
        frozenset(p.person_id for p in scenario.people),
        frozenset(s.site_id for s in scenario.sites),
        period_starts(scenario),
    )
