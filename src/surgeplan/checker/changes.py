"""Pins and changes: hard pinned cells, and the change tier against a previous plan.

Re-planning promises to keep what was pinned and to move few officers; both are checked
here from the plan files alone, like every other rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from surgeplan.checker.ledger import TIER_CHANGES, Assignment, LedgerEntry, Violation
from surgeplan.scenario.pins import Pin

HOME = "home"


def _cells(assignments: Sequence[Assignment]) -> dict[tuple[str, date], set[str]]:
    cells: dict[tuple[str, date], set[str]] = {}
    for a in assignments:
        cells.setdefault((a.person_id, a.period_start), set()).add(a.site_id)
    return cells


def pin_violations(assignments: Sequence[Assignment], pins: Sequence[Pin]) -> list[Violation]:
    """A pinned person-period must be exactly where the pin says (home: nowhere)."""
    cells = _cells(assignments)
    out = []
    for pin in pins:
        where = cells.get((pin.person_id, pin.period_start), set())
        wanted = set() if pin.home else {pin.site_id}
        if where != wanted:
            found = ", ".join(sorted(where)) or HOME
            out.append(
                Violation(
                    "pin",
                    f"person {pin.person_id}, {pin.period_start}",
                    f"{pin.person_id} is pinned to {pin.site_id} in the period of "
                    f"{pin.period_start} but the plan has {found}; keep the pin or unpin it",
                )
            )
    return out


def change_entries(
    assignments: Sequence[Assignment], previous: Sequence[Assignment], weight: int
) -> list[LedgerEntry]:
    """One entry per person-period whose site differs from the previous plan."""
    now, before = _cells(assignments), _cells(previous)
    entries = []
    for person, start in sorted(set(now) | set(before)):
        new = now.get((person, start), set())
        old = before.get((person, start), set())
        if new != old:
            entries.append(
                LedgerEntry(
                    TIER_CHANGES,
                    "change",
                    f"person {person}, {start}: {', '.join(sorted(old)) or HOME} → "
                    f"{', '.join(sorted(new)) or HOME}",
                    Decimal(1),
                    Decimal(weight),
                    Decimal(weight),
                    person_id=person,
                    period_start=start,
                )
            )
    return entries
