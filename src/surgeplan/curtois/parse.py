"""Read a Curtois & Qu instance file (FORMAT.md §2) into an `Instance`, or say what is wrong.

The reader is deliberately strict: it accepts the published files and anything written to the
same rules, and refuses everything else with the file, line, field and a fix, collected in one
pass (`InputError`), never a traceback. It reads in stages (horizon and shifts, then staff,
then the day-indexed sections) and stops after a stage with errors, because an unknown shift
or a bad horizon would otherwise make every later line look wrong too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from surgeplan.curtois.instance import (
    DAYS_PER_WEEK,
    MAX_HORIZON,
    CoverRow,
    Employee,
    Instance,
    Request,
    Shift,
    valid_id,
)
from surgeplan.scenario.errors import InputError, IssueLog
from surgeplan.scenario.files import read_text

SECTIONS = (
    "HORIZON",
    "SHIFTS",
    "STAFF",
    "DAYS_OFF",
    "SHIFT_ON_REQUESTS",
    "SHIFT_OFF_REQUESTS",
    "COVER",
)
FIELDS = {
    "HORIZON": ("Horizon",),
    "SHIFTS": ("ShiftID", "LengthMinutes", "Forbidden"),
    "STAFF": (
        "ID",
        "MaxShifts",
        "MaxTotalMinutes",
        "MinTotalMinutes",
        "MaxConsecutiveShifts",
        "MinConsecutiveShifts",
        "MinConsecutiveDaysOff",
        "MaxWeekends",
    ),
    "SHIFT_ON_REQUESTS": ("EmployeeID", "Day", "ShiftID", "Weight"),
    "SHIFT_OFF_REQUESTS": ("EmployeeID", "Day", "ShiftID", "Weight"),
    "COVER": ("Day", "ShiftID", "Requirement", "WeightUnder", "WeightOver"),
}
MAX_VALUE = 1_000_000_000
INTEGER = re.compile(r"-?[0-9]+")
HEADER = "SECTION_"


@dataclass(frozen=True, slots=True)
class Line:
    """One data line of a section: its 1-based line number and its stripped fields."""

    number: int
    fields: tuple[str, ...]


def read_instance(path: Path) -> Instance:
    """Parse an instance file; raise InputError listing every problem found."""
    shown = str(path)
    log = IssueLog()
    text = read_file(path, shown, log, "instance file")
    log.check()
    assert text is not None
    sections = split_sections(text, shown, log)
    log.check()
    return _Builder(shown, log, sections).build(path.stem)


def read_file(path: Path, shown: str, log: IssueLog, what: str) -> str | None:
    """Read untrusted text through the size, binary and encoding guards of `read_text`."""
    if not path.exists():
        log.add(shown, f"{what} not found; check the path")
        return None
    return read_text(path, shown, log)


def lines_of(text: str) -> list[str]:
    """Split on CRLF, LF or CR only, so line numbers match what an editor shows."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def split_sections(text: str, shown: str, log: IssueLog) -> dict[str, list[Line]]:
    """Group data lines by section (FORMAT.md §2: header line, ends at the first empty line)."""
    sections: dict[str, list[Line]] = {}
    current: str | None = None
    skipping = False
    for number, raw in enumerate(lines_of(text), start=1):
        line = raw.strip()
        if line.startswith("#"):
            continue
        if not line:
            current, skipping = None, False
        elif line.startswith(HEADER):
            current = _open_section(line[len(HEADER) :], number, sections, shown, log)
            skipping = current is None
        elif current is not None:
            fields = tuple(part.strip() for part in line.split(","))
            sections[current].append(Line(number, fields))
        elif not skipping:
            log.add(
                shown,
                f"data line {line[:40]!r} is outside any section; sections end at an empty "
                "line, so remove the empty line above it or add a SECTION_ header",
                line=number,
                field="section",
            )
    for name in SECTIONS:
        if name not in sections:
            log.add(shown, f"has no SECTION_{name}; add it (see FORMAT.md §2)", field="section")
    return sections


def _open_section(
    name: str, number: int, sections: dict[str, list[Line]], shown: str, log: IssueLog
) -> str | None:
    """Start section `name`, or report why it cannot be started (its lines are then skipped)."""
    order = ", ".join(HEADER + s for s in SECTIONS)
    if name not in SECTIONS:
        log.add(
            shown,
            f"unknown section {HEADER}{name}; the sections are {order}",
            line=number,
            field="section",
        )
        return None
    if name in sections:
        log.add(
            shown,
            f"{HEADER}{name} appears a second time; merge its lines into the first one",
            line=number,
            field="section",
        )
        return None
    later = [s for s in sections if SECTIONS.index(s) > SECTIONS.index(name)]
    if later:
        log.add(
            shown,
            f"{HEADER}{name} comes after {HEADER}{later[0]}; the sections must appear in the "
            f"order {order}",
            line=number,
            field="section",
        )
    sections[name] = []
    return name


class _Builder:
    """Turns the grouped lines into an Instance, one stage at a time."""

    def __init__(self, shown: str, log: IssueLog, sections: dict[str, list[Line]]) -> None:
        self.shown = shown
        self.log = log
        self.sections = sections
        self.horizon = 0
        self.shift_ids: dict[str, int] = {}
        self.employee_ids: dict[str, int] = {}

    def build(self, name: str) -> Instance:
        """Parse every section in dependency order; raise InputError after a failing stage."""
        self.horizon = self._horizon()
        shifts = self._shifts()
        self.log.check()
        employees = self._staff()
        self.log.check()
        days_off = self._days_off()
        on_requests = self._requests("SHIFT_ON_REQUESTS")
        off_requests = self._requests("SHIFT_OFF_REQUESTS")
        cover = self._cover()
        self.log.check()
        staff = tuple(
            _with_days_off(employee, days_off.get(i, ())) for i, employee in enumerate(employees)
        )
        try:
            return Instance(name, self.horizon, shifts, staff, on_requests, off_requests, cover)
        except ValueError as exc:  # the checks above should make this unreachable
            self.log.add(self.shown, str(exc))
            raise InputError(self.log.issues) from None

    # ---- field helpers -------------------------------------------------------------------

    def issue(self, line: Line | None, field: str, message: str) -> None:
        """Record one problem at a line and field."""
        self.log.add(self.shown, message, line=line.number if line else None, field=field)

    def lines(self, section: str) -> list[Line]:
        """The data lines of a section whose field count is right; report the others."""
        names = FIELDS[section]
        good = []
        for line in self.sections.get(section, []):
            if len(line.fields) == len(names):
                good.append(line)
                continue
            hint = " (an empty Forbidden list still needs its comma: E,480,)"
            self.issue(
                line,
                HEADER + section,
                f"has {len(line.fields)} comma-separated fields, expected {len(names)}: "
                f"{', '.join(names)}{hint if section == 'SHIFTS' else ''}",
            )
        return good

    def integer(self, line: Line, field: str, text: str, low: int = 0) -> int | None:
        """A whole number in [low, MAX_VALUE], or None after reporting it."""
        if not INTEGER.fullmatch(text):
            if not text:
                message = "is empty; write a whole number, or remove a stray comma"
            else:
                message = f"{text!r} is not a whole number; write digits only, e.g. 5"
            self.issue(line, field, message)
            return None
        value = int(text)
        if not low <= value <= MAX_VALUE:
            self.issue(line, field, f"{value} is out of range; it must be {low}..{MAX_VALUE}")
            return None
        return value

    def day(self, line: Line, field: str, text: str) -> int | None:
        """A day index inside the horizon."""
        value = self.integer(line, field, text)
        if value is not None and value >= self.horizon:
            self.issue(
                line,
                field,
                f"day {value} is outside the horizon; days run 0..{self.horizon - 1}",
            )
            return None
        return value

    def shift(self, line: Line, field: str, text: str) -> int | None:
        """A known shift ID (case-sensitive)."""
        if text in self.shift_ids:
            return self.shift_ids[text]
        known = ", ".join(self.shift_ids)
        self.issue(line, field, f"unknown shift {text!r}; the shifts are {known} (case matters)")
        return None

    def employee(self, line: Line, field: str, text: str) -> int | None:
        """A known employee ID (case-sensitive; a separate namespace from shifts)."""
        if text in self.employee_ids:
            return self.employee_ids[text]
        self.issue(
            line,
            field,
            f"unknown employee {text!r}; use an ID from SECTION_STAFF (case matters)",
        )
        return None

    def new_id(self, line: Line, field: str, text: str, seen: dict[str, int], kind: str) -> bool:
        """Register a new ID, refusing empty, separator-laden and repeated ones."""
        if not valid_id(text):
            self.issue(
                line,
                field,
                f"{kind} ID {text!r} is empty or contains a space or one of , | = #; rename it",
            )
            return False
        if text in seen:
            self.issue(line, field, f"{kind} {text!r} is defined twice; keep one line")
            return False
        seen[text] = len(seen)
        return True

    # ---- sections ------------------------------------------------------------------------

    def _horizon(self) -> int:
        """SECTION_HORIZON: one line, one whole number of weeks (0 after reporting)."""
        lines = self.lines("HORIZON")
        if len(self.sections.get("HORIZON", [])) != 1:
            self.issue(None, "SECTION_HORIZON", "must hold exactly one line: the number of days")
            return 0
        if not lines:
            return 0
        line = lines[0]
        value = self.integer(line, "Horizon", line.fields[0], low=1)
        if value is None:
            return 0
        if value % DAYS_PER_WEEK or value > MAX_HORIZON:
            self.issue(
                line,
                "Horizon",
                f"{value} days is not a whole number of weeks up to {MAX_HORIZON}; "
                "the benchmark's horizons are multiples of 7",
            )
            return 0
        return value

    def _shifts(self) -> tuple[Shift, ...]:
        """SECTION_SHIFTS: ShiftID, LengthMinutes, Forbidden (a possibly empty |-list)."""
        # IDs first, from every line, so a Forbidden list may name a later shift and a
        # malformed line does not make every reference to its shift look unknown too.
        for line in self.sections.get("SHIFTS", []):
            self.new_id(line, "ShiftID", line.fields[0], self.shift_ids, "shift")
        if not self.shift_ids:
            self.issue(None, "SECTION_SHIFTS", "defines no shift type; add e.g. D,480,")
        shifts = []
        for line in self.lines("SHIFTS"):
            minutes = self.integer(line, "LengthMinutes", line.fields[1])
            forbidden = self._forbidden(line, line.fields[2])
            if minutes is not None:
                shifts.append(Shift(line.fields[0], minutes, forbidden))
        return tuple(shifts)

    def _forbidden(self, line: Line, text: str) -> tuple[int, ...]:
        """The shifts that may not follow this one on the next day, as sorted indexes."""
        if not text:
            return ()
        found: set[int] = set()
        for token in (part.strip() for part in text.split("|")):
            index = self.shift(line, "Forbidden", token)
            if index is not None and index in found:
                self.issue(line, "Forbidden", f"shift {token!r} is listed twice; keep one")
            elif index is not None:
                found.add(index)
        return tuple(sorted(found))

    def _staff(self) -> tuple[Employee, ...]:
        """SECTION_STAFF: one employee per line; days off are attached later."""
        staff = []
        for line in self.lines("STAFF"):
            eid = line.fields[0]
            limits = self._max_shifts(line, line.fields[1])
            numbers = [self.integer(line, name, text) for name, text in _named(line, "STAFF", 2)]
            if not self.new_id(line, "ID", eid, self.employee_ids, "employee"):
                continue
            if limits is None or None in numbers:
                continue
            a, b, c, d, e, f = (n for n in numbers if n is not None)
            staff.append(Employee(eid, limits, a, b, c, d, e, f, ()))
        if not self.employee_ids:
            self.issue(None, "SECTION_STAFF", "lists no employee; add one line per employee")
        return tuple(staff)

    def _max_shifts(self, line: Line, text: str) -> tuple[int, ...] | None:
        """MaxShifts as one limit per shift index; every shift type must be listed, since
        a missing one has no defined meaning (unlimited or forbidden?)."""
        limits: dict[int, int] = {}
        ok = True
        for item in (part.strip() for part in text.split("|")):
            sid, equals, value = (part.strip() for part in item.partition("="))
            if not equals:
                self.issue(line, "MaxShifts", f"{item!r} is not ShiftID=limit, e.g. D=14")
                ok = False
                continue
            index, limit = (
                self.shift(line, "MaxShifts", sid),
                self.integer(line, "MaxShifts", value),
            )
            if index is not None and index in limits:
                self.issue(line, "MaxShifts", f"shift {sid!r} has two limits; keep one")
            if index is None or limit is None or index in limits:
                ok = False
                continue
            limits[index] = limit
        missing = [sid for sid, t in self.shift_ids.items() if t not in limits]
        if ok and missing:
            self.issue(
                line,
                "MaxShifts",
                f"gives no limit for shift(s) {', '.join(missing)}; list every shift type, "
                f"e.g. {missing[0]}=0 to forbid it",
            )
            ok = False
        return tuple(limits[t] for t in range(len(self.shift_ids))) if ok else None

    def _days_off(self) -> dict[int, tuple[int, ...]]:
        """SECTION_DAYS_OFF: at most one line per employee; an employee without one has none."""
        result: dict[int, tuple[int, ...]] = {}
        first: dict[int, int] = {}
        for line in self.sections.get("DAYS_OFF", []):
            employee = self.employee(line, "EmployeeID", line.fields[0])
            days = [self.day(line, "Day", text) for text in line.fields[1:]]
            if len(line.fields) < 2:
                self.issue(line, "SECTION_DAYS_OFF", "lists no day; write EmployeeID,d1,d2,...")
            if employee is None:
                continue
            if employee in first:
                self.issue(
                    line,
                    "EmployeeID",
                    f"employee {line.fields[0]!r} already has a days-off line (line "
                    f"{first[employee]}); merge the two",
                )
                continue
            first[employee] = line.number
            valid = [d for d in days if d is not None]
            for day in sorted({d for d in valid if valid.count(d) > 1}):
                self.issue(line, "Day", f"day {day} is listed twice; keep one")
            result[employee] = tuple(sorted(set(valid)))
        return result

    def _requests(self, section: str) -> tuple[Request, ...]:
        """A request section, kept in file order; each request is its own objective term."""
        requests = []
        for line in self.lines(section):
            eid, day, sid, weight = line.fields
            values = (
                self.employee(line, "EmployeeID", eid),
                self.day(line, "Day", day),
                self.shift(line, "ShiftID", sid),
                self.integer(line, "Weight", weight),
            )
            e, d, t, w = values
            if e is not None and d is not None and t is not None and w is not None:
                requests.append(Request(e, d, t, w))
        return tuple(requests)

    def _cover(self) -> tuple[CoverRow, ...]:
        """SECTION_COVER: exactly one row per (day, shift), stored at day * S + shift."""
        rows: dict[tuple[int, int], tuple[Line, CoverRow]] = {}
        before = len(self.log.issues)
        for line in self.lines("COVER"):
            day, sid = line.fields[:2]
            d, t = self.day(line, "Day", day), self.shift(line, "ShiftID", sid)
            r, u, o = (self.integer(line, n, text) for n, text in _named(line, "COVER", 2))
            if d is None or t is None or r is None or u is None or o is None:
                continue
            if (d, t) in rows:
                self.issue(
                    line,
                    "ShiftID",
                    f"day {d} shift {sid!r} already has a cover row (line "
                    f"{rows[d, t][0].number}); keep one",
                )
                continue
            rows[d, t] = (line, CoverRow(d, t, r, u, o))
        if len(self.log.issues) == before:  # a bad row may be the "missing" one: say it once
            self._report_missing_cover(set(rows))
        return tuple(row for _, row in (rows[k] for k in sorted(rows)))

    def _report_missing_cover(self, present: set[tuple[int, int]]) -> None:
        """One issue for all missing (day, shift) pairs, naming the first."""
        ids = list(self.shift_ids)
        missing = [
            (d, sid)
            for d in range(self.horizon)
            for t, sid in enumerate(ids)
            if (d, t) not in present
        ]
        if missing:
            d, sid = missing[0]
            self.issue(
                None,
                "SECTION_COVER",
                f"has no row for day {d} shift {sid!r}"
                + (f" and {len(missing) - 1} other (day, shift) pairs" if len(missing) > 1 else "")
                + f"; every pair needs exactly one row, e.g. {d},{sid},0,100,1",
            )


def _named(line: Line, section: str, start: int) -> list[tuple[str, str]]:
    """Pair the fields of a line from position `start` with their FORMAT.md names."""
    return list(zip(FIELDS[section][start:], line.fields[start:], strict=True))


def _with_days_off(employee: Employee, days_off: tuple[int, ...]) -> Employee:
    """Attach the fixed days off, which come from a later section than the employee."""
    return replace(employee, days_off=days_off)
