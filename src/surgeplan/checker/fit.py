"""Does an assignment fit the scenario? One place for the checks, shared by the reader
(which adds file and line) and by `check()` (which refuses assignments built in code).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from surgeplan.checker.periods import period_end, period_starts
from surgeplan.scenario.model import Scenario

SHOWN_IDS = 10


def known(ids: Iterable[str]) -> str:
    """A short list of valid ids for an error message."""
    listed = sorted(ids)
    more = f", … ({len(listed) - SHOWN_IDS} more)" if len(listed) > SHOWN_IDS else ""
    return ", ".join(listed[:SHOWN_IDS]) + more


def person_problem(scenario: Scenario, person_id: str) -> str | None:
    """Why `person_id` is not a person of the scenario, or None."""
    if not person_id:
        return "is empty; give the person_id of someone in people"
    ids = [p.person_id for p in scenario.people]
    if person_id in ids:
        return None
    return f"{person_id!r} is not in the scenario's people (known: {known(ids)})"


def site_problem(scenario: Scenario, site_id: str) -> str | None:
    """Why `site_id` is not a site of the scenario, or None."""
    if not site_id:
        return "is empty; give the site_id of a site (home periods are simply left out)"
    ids = [s.site_id for s in scenario.sites]
    if site_id in ids:
        return None
    return f"{site_id!r} is not in the scenario's sites (known: {known(ids)})"


def start_problem(scenario: Scenario, start: date) -> str | None:
    """Why `start` is not the first day of a period of the campaign, or None."""
    starts = period_starts(scenario)
    if start in starts:
        return None
    unit = scenario.period
    hint = ""
    containing = [s for s in starts if s <= start <= period_end(scenario, s)]
    if containing:
        hint = f"; did you mean {containing[0]}, the start of the {unit} that contains it?"
    elif starts:
        hint = f"; the first {unit} starts on {starts[0]} and the last on {starts[-1]}"
    return (
        f"{start} is not the start of a {unit} of the campaign "
        f"({scenario.start} to {scenario.end}){hint}"
    )


def end_problem(scenario: Scenario, start: date, end: date) -> str | None:
    """Why `end` is not the last day of the period starting on `start`, or None."""
    expected = period_end(scenario, start)
    if end == expected:
        return None
    return (
        f"{end} does not close the {scenario.period} starting {start}; "
        f"period_end is the last day of the period, here {expected}"
    )
