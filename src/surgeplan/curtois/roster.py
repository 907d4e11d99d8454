"""Rosters for a Curtois instance, in memory and as the CSV `employee_id,day,shift_id`.

In memory a roster is a `Roster`: one tuple per employee, in the instance's file order, holding
for each day 0..H-1 the index of the shift worked (into `Instance.shifts`) or None for a day
off. It is the decision of FORMAT.md §1 and nothing more: exactly one shift or off per day is
built into the type, so the evaluator never has to check it.

On disk there is one CSV row per worked day (days 0-based, off days omitted), employees in file
order and days ascending, so two equal rosters give byte-identical files.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from surgeplan.curtois.instance import Instance
from surgeplan.curtois.parse import INTEGER, read_file
from surgeplan.scenario.errors import IssueLog
from surgeplan.scenario.files import parse_csv

Roster = tuple[tuple[int | None, ...], ...]
"""roster[e][d] = index of the shift employee e works on day d, or None when e is off."""

COLUMNS = ("employee_id", "day", "shift_id")


def off_roster(instance: Instance) -> Roster:
    """The roster in which every employee is off every day."""
    return tuple((None,) * instance.horizon for _ in instance.employees)


def check_roster(instance: Instance, roster: Roster) -> None:
    """Raise ValueError unless the roster has the instance's shape and only valid shift indexes.

    A roster read from a file is always valid; this catches rosters built wrongly in code.
    """
    if len(roster) != len(instance.employees):
        raise ValueError(f"roster has {len(roster)} rows for {len(instance.employees)} employees")
    shifts = len(instance.shifts)
    for employee, row in zip(instance.employees, roster, strict=True):
        if len(row) != instance.horizon:
            raise ValueError(
                f"roster row of {employee.id} has {len(row)} days, not {instance.horizon}"
            )
        for day, shift in enumerate(row):
            if shift is not None and (type(shift) is not int or not 0 <= shift < shifts):
                raise ValueError(
                    f"roster of {employee.id} day {day}: {shift!r} is not a shift index"
                )


def write_roster(instance: Instance, roster: Roster) -> str:
    """The roster as CSV text (LF line ends), one row per worked day."""
    check_roster(instance, roster)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for employee, row in zip(instance.employees, roster, strict=True):
        for day, shift in enumerate(row):
            if shift is not None:
                writer.writerow((employee.id, day, instance.shifts[shift].id))
    return out.getvalue()


def read_roster(path: Path, instance: Instance) -> Roster:
    """Read a roster CSV for `instance`; raise InputError listing every bad row."""
    shown = str(path)
    log = IssueLog()
    text = read_file(path, shown, log, "roster file")
    log.check()
    assert text is not None
    table = parse_csv(text, shown, COLUMNS, (), log)
    log.check()
    assert table is not None
    grid: list[list[int | None]] = [[None] * instance.horizon for _ in instance.employees]
    first: dict[tuple[int, int], int] = {}
    for line, cells in table.rows:
        if log.full:
            break
        cell = _resolve(instance, line, cells, shown, log)
        if cell is None:
            continue
        employee, day, shift = cell
        if (employee, day) in first:
            log.add(
                shown,
                f"employee {cells['employee_id']!r} already has a shift on day {day} (line "
                f"{first[employee, day]}); an employee works at most one shift a day, keep one row",
                line=line,
                field="day",
            )
        else:
            first[employee, day] = line
            grid[employee][day] = shift
    log.check()
    return tuple(tuple(row) for row in grid)


def _resolve(
    instance: Instance, line: int, cells: dict[str, str], shown: str, log: IssueLog
) -> tuple[int, int, int] | None:
    """The (employee, day, shift) indexes of one CSV row, or None after reporting each bad cell."""
    employee = instance.employee_index.get(cells["employee_id"])
    day = _day(cells["day"], instance.horizon)
    shift = instance.shift_index.get(cells["shift_id"])
    if employee is None:
        log.add(
            shown,
            f"unknown employee {cells['employee_id']!r}; use an ID from the instance's "
            "SECTION_STAFF (case matters)",
            line=line,
            field="employee_id",
        )
    if day is None:
        log.add(
            shown,
            f"{cells['day']!r} is not a day of the horizon; days are whole numbers "
            f"0..{instance.horizon - 1}",
            line=line,
            field="day",
        )
    if shift is None:
        log.add(
            shown,
            f"unknown shift {cells['shift_id']!r}; the shifts are "
            f"{', '.join(instance.shift_index)} (case matters; leave days off out of the file)",
            line=line,
            field="shift_id",
        )
    if employee is None or day is None or shift is None:
        return None
    return employee, day, shift


def _day(text: str, horizon: int) -> int | None:
    """A day index in 0..horizon-1, or None."""
    if not INTEGER.fullmatch(text) or len(text) > 9:
        return None
    value = int(text)
    return value if 0 <= value < horizon else None
