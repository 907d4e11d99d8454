"""A Curtois & Qu staff-scheduling instance as immutable data, validated once at construction.

Everything refers to shifts and employees by their index in file order, so a roster, an engine
model and the evaluator agree on numbering without looking IDs up again; the IDs are kept for
reading and writing files. `Instance.__post_init__` checks every invariant the evaluator relies
on, so code that holds an `Instance` never re-validates it. The parser reports bad files as
`InputError` with line numbers before it ever builds one; the `ValueError` raised here only
catches instances built wrongly in code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

DAYS_PER_WEEK = 7
SATURDAY = 5
SUNDAY = 6
MAX_HORIZON = 10_000
RESERVED_ID_CHARACTERS = frozenset(",|=#\r\n\t ")


@dataclass(frozen=True, slots=True)
class Shift:
    """One shift type: its length and the shift types that may not be worked the next day."""

    id: str
    minutes: int
    forbidden_next: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Employee:
    """One employee's hard limits (FORMAT.md §3) and fixed days off.

    `max_shifts[t]` is the limit for shift index t (0 forbids the type); `days_off` is sorted.
    """

    id: str
    max_shifts: tuple[int, ...]
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_consecutive_days_off: int
    max_weekends: int
    days_off: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Request:
    """A shift-on or shift-off wish of one employee for one shift type on one day."""

    employee: int
    day: int
    shift: int
    weight: int


@dataclass(frozen=True, slots=True)
class CoverRow:
    """The staffing target of one shift type on one day, with its own penalty weights."""

    day: int
    shift: int
    requirement: int
    weight_under: int
    weight_over: int


@dataclass(frozen=True, slots=True)
class Instance:
    """A whole instance. `cover` holds one row per (day, shift), at index day * S + shift."""

    name: str
    horizon: int
    shifts: tuple[Shift, ...]
    employees: tuple[Employee, ...]
    on_requests: tuple[Request, ...]
    off_requests: tuple[Request, ...]
    cover: tuple[CoverRow, ...]
    shift_index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    employee_index: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Refuse an inconsistent instance, then build the read-only ID lookups."""
        _check_horizon(self.horizon)
        _check_shifts(self.shifts)
        _check_employees(self.employees, len(self.shifts), self.horizon)
        for kind, requests in (("on", self.on_requests), ("off", self.off_requests)):
            _check_requests(kind, requests, len(self.employees), len(self.shifts), self.horizon)
        _check_cover(self.cover, len(self.shifts), self.horizon)
        shifts = {s.id: t for t, s in enumerate(self.shifts)}
        employees = {e.id: i for i, e in enumerate(self.employees)}
        object.__setattr__(self, "shift_index", MappingProxyType(shifts))
        object.__setattr__(self, "employee_index", MappingProxyType(employees))

    @property
    def weeks(self) -> int:
        """Number of whole weeks; weekend k is days 7k+5 and 7k+6."""
        return self.horizon // DAYS_PER_WEEK

    def cover_at(self, day: int, shift: int) -> CoverRow:
        """The cover row of a (day, shift index) pair."""
        return self.cover[day * len(self.shifts) + shift]


def valid_id(text: str) -> bool:
    """An ID must survive the text and CSV formats unchanged: non-empty, no separators."""
    return bool(text) and not RESERVED_ID_CHARACTERS.intersection(text)


def _fail(message: str) -> None:
    """Invariant broken by code that built the instance: a programming error."""
    raise ValueError(f"invalid Curtois instance: {message}")


def _check_horizon(horizon: int) -> None:
    """Whole weeks only, so weekend k is always days 7k+5 and 7k+6 inside the horizon."""
    if not 1 <= horizon <= MAX_HORIZON or horizon % DAYS_PER_WEEK:
        _fail(f"horizon {horizon} is not a whole number of weeks between 7 and {MAX_HORIZON}")


def _check_shifts(shifts: tuple[Shift, ...]) -> None:
    """At least one shift, unique IDs, lengths >= 0, successors that exist."""
    if not shifts:
        _fail("no shift types")
    _check_ids("shift", [s.id for s in shifts])
    for shift in shifts:
        if shift.minutes < 0:
            _fail(f"shift {shift.id} has negative length {shift.minutes}")
        _check_indexes(f"forbidden successors of {shift.id}", shift.forbidden_next, len(shifts))


def _check_employees(employees: tuple[Employee, ...], shifts: int, horizon: int) -> None:
    """Unique IDs, one MaxShifts limit per shift, no negative limit, days off inside."""
    _check_ids("employee", [e.id for e in employees])
    for e in employees:
        if len(e.max_shifts) != shifts:
            _fail(f"employee {e.id} has {len(e.max_shifts)} MaxShifts limits for {shifts} shifts")
        limits = (
            *e.max_shifts,
            e.max_minutes,
            e.min_minutes,
            e.max_consecutive,
            e.min_consecutive,
            e.min_consecutive_days_off,
            e.max_weekends,
        )
        if min(limits) < 0:
            _fail(f"employee {e.id} has a negative limit")
        _check_indexes(f"days off of {e.id}", e.days_off, horizon)


def _check_requests(
    kind: str, requests: tuple[Request, ...], employees: int, shifts: int, horizon: int
) -> None:
    """Requests point at existing employees, shifts and days, with weights >= 0."""
    for r in requests:
        if not (0 <= r.employee < employees and 0 <= r.shift < shifts and 0 <= r.day < horizon):
            _fail(f"shift-{kind} request {r} refers to an unknown employee, shift or day")
        if r.weight < 0:
            _fail(f"shift-{kind} request {r} has a negative weight")


def _check_cover(cover: tuple[CoverRow, ...], shifts: int, horizon: int) -> None:
    """Exactly one row per (day, shift), in day-major order, so `cover_at` is an index."""
    if len(cover) != shifts * horizon:
        _fail(f"{len(cover)} cover rows, expected one per (day, shift) = {shifts * horizon}")
    for k, row in enumerate(cover):
        if (row.day, row.shift) != divmod(k, shifts):
            _fail(f"cover row {k} is for {(row.day, row.shift)}, expected {divmod(k, shifts)}")
        if min(row.requirement, row.weight_under, row.weight_over) < 0:
            _fail(f"cover row {row} has a negative value")


def _check_ids(kind: str, ids: list[str]) -> None:
    """IDs that round-trip through the text format and the roster CSV, each used once."""
    for text in ids:
        if not valid_id(text):
            _fail(f"{kind} ID {text!r} is empty or contains a separator")
    if len(set(ids)) != len(ids):
        _fail(f"{kind} IDs are not unique")


def _check_indexes(what: str, values: tuple[int, ...], bound: int) -> None:
    """Sorted, distinct indexes in 0..bound-1: one canonical form, so equal means equal."""
    if list(values) != sorted(set(values)) or any(not 0 <= v < bound for v in values):
        _fail(f"{what} must be sorted, distinct and in 0..{bound - 1}: {values}")
