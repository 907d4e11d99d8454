"""Warnings about a valid scenario that likely says something the planner did not mean.

A demand row for a qualification nobody holds is legal (contract v1 allows any name, and
the plan simply leaves the row short), but it is nearly always a typo or a lapsed
certification, and the planner only finds out from a shortfall after the solve. These
warnings name the rows, never refuse them: other tools rely on the contract as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from surgeplan.scenario.errors import Issue
from surgeplan.scenario.model import ANY_QUALIFICATION, Person, Scenario
from surgeplan.scenario.validate import Located, known_ids

LINES_SHOWN = 5
"""Lines of one warning's rows listed before the rest are counted."""


def _rows(rows: Sequence[Located]) -> str:
    """ "row (line 14)" or "7 rows (lines 14, 20, 31, 40, 52 and 2 more)"."""
    if len(rows) == 1:
        return f"row (line {rows[0].line})"
    shown = ", ".join(str(row.line) for row in rows[:LINES_SHOWN])
    more = len(rows) - LINES_SHOWN
    return f"{len(rows)} rows (lines {shown}{f' and {more} more' if more > 0 else ''})"


def unheld_demand(scenario: Scenario, demand: Sequence[Located]) -> list[Issue]:
    """One warning per qualification asked for in some period where no one holds it:
    never held by anyone (a typo?) or held, but by no one for those periods (lapsed)."""
    span = timedelta(days=scenario.period_days - 1)
    holders: dict[str, list[Person]] = {}
    for person in scenario.people:
        for name in {g.name for g in person.qualifications}:
            holders.setdefault(name, []).append(person)
    unheld: dict[str, list[Located]] = {}
    for row in demand:
        d = row.model
        if d.qualification == ANY_QUALIFICATION or d.required == 0:
            continue
        last = d.period_start + span
        if not any(
            p.holds(d.qualification, d.period_start, last) for p in holders.get(d.qualification, ())
        ):
            unheld.setdefault(d.qualification, []).append(row)
    out = []
    for name, rows in unheld.items():
        first = rows[0]
        if name in holders:
            why = (
                f"no one holds {name!r} for the whole period of {_rows(rows)}: its grants "
                "in people lapse before or start after it, so it will be short; extend "
                "the grants or drop the demand"
            )
        else:
            why = (
                f"no one in people holds {name!r}, so its {_rows(rows)} will be short; "
                f"check the spelling (held: {known_ids(holders) or 'none'})"
            )
        out.append(Issue(first.file, why, first.line, field="qualification"))
    return out
