"""The campaign calendar, recomputed by the checker from the scenario's dates.

The checker derives periods on its own (not through any helper the engine may use), so
a calendar mistake on either side shows up as a disagreement instead of hiding.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from surgeplan.scenario.model import Scenario

DAYS_PER_PERIOD = {"week": 7, "day": 1}


def period_days(scenario: Scenario) -> int:
    """Days in one period of the campaign."""
    return DAYS_PER_PERIOD[scenario.period]


def period_starts(scenario: Scenario) -> tuple[date, ...]:
    """Start of every whole period from `start` that ends on or before `end`."""
    step = period_days(scenario)
    starts: list[date] = []
    first = scenario.start
    while first + timedelta(days=step - 1) <= scenario.end:
        starts.append(first)
        first += timedelta(days=step)
    return tuple(starts)


def period_end(scenario: Scenario, start: date) -> date:
    """Last day (inclusive) of the period starting on `start`."""
    return start + timedelta(days=period_days(scenario) - 1)


def days(first: date, last: date) -> Iterator[date]:
    """Every day from `first` to `last`, both included (nothing if `last` < `first`)."""
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def month_of(day: date) -> str:
    """The `YYYY-MM` label per diem rates are keyed by."""
    return f"{day.year:04d}-{day.month:02d}"


def when(scenario: Scenario, start: date) -> str:
    """A period in planner words: 'the week of 2020-02-03' or '2020-02-03'."""
    return f"the week of {start}" if scenario.period == "week" else f"{start}"


def span(scenario: Scenario, count: int) -> str:
    """A number of periods in planner words: '1 week', '3 days'."""
    unit = scenario.period
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"
