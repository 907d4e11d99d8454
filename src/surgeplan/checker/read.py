"""Read a plan export (`assignments.csv`, DESIGN.md §5) produced by any tool.

Only what cannot be *read* is an input error (exit code 2); a plan that reads fine but
breaks a rule — a person listed twice in one period included — is for `check()` to
report as a violation.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from surgeplan.checker.fit import Fit, fit_of
from surgeplan.checker.ledger import Assignment
from surgeplan.scenario.errors import IssueLog
from surgeplan.scenario.files import Rows, parse_table, read_table
from surgeplan.scenario.model import Scenario

COLUMNS = ("person_id", "site_id", "period_start", "period_end")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read_assignments(path: Path, scenario: Scenario) -> tuple[Assignment, ...]:
    """Read `assignments.csv` for `scenario`, one Assignment per data row, in file order.

    Raises
    ------
    InputError
        With every problem found, each naming file, line, field and the fix.
    """
    rows, log = read_table(path, COLUMNS)
    return _assignments(rows, log, scenario)


def parse_assignments(text: str, shown: str, scenario: Scenario) -> tuple[Assignment, ...]:
    """Assignments given as CSV text (e.g. an upload); InputError naming `shown` if bad."""
    rows, log = parse_table(text, shown, COLUMNS)
    return _assignments(rows, log, scenario)


def _assignments(rows: Rows, log: IssueLog, scenario: Scenario) -> tuple[Assignment, ...]:
    shown = rows.file
    fit = fit_of(scenario)
    assignments: list[Assignment] = []
    for line, cells in rows.rows:
        if log.full:
            break
        assignment = _row(cells, fit, shown, line, log)
        if assignment is not None:
            assignments.append(assignment)
    log.check()
    return tuple(assignments)


def _row(
    cells: dict[str, str], fit: Fit, shown: str, line: int, log: IssueLog
) -> Assignment | None:
    """One data row as an Assignment, or None after logging every problem it has."""
    found: list[tuple[str, str]] = []
    person_id, site_id = cells["person_id"], cells["site_id"]
    for field, problem in (
        ("person_id", fit.person(person_id)),
        ("site_id", fit.site(site_id)),
    ):
        if problem is not None:
            found.append((field, problem))
    start = _date(cells["period_start"], "period_start", found)
    end = _date(cells["period_end"], "period_end", found)
    if start is not None:
        problem = fit.start(start)
        if problem is not None:
            found.append(("period_start", problem))
        if end is not None:
            problem = fit.end(start, end)
            if problem is not None:
                found.append(("period_end", problem))
    for field, problem in found:
        log.add(shown, problem, line, field)
    if found or start is None or end is None:
        return None
    return Assignment(person_id, site_id, start, end)


def _date(text: str, field: str, found: list[tuple[str, str]]) -> date | None:
    """An ISO date, or None after noting why the cell is not one."""
    if not text:
        found.append((field, "is empty; give a date as YYYY-MM-DD"))
        return None
    try:
        if ISO_DAY.match(text):  # fromisoformat alone also takes 20200203 and 2020-W06-1
            return date.fromisoformat(text)
    except ValueError:
        pass
    found.append((field, f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2020-02-03"))
    return None
