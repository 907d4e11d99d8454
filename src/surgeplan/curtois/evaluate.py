"""Independent evaluator: hard-rule violations and the soft objective of FORMAT.md §3–§4.

Written from the definitions, not from any solver model: the run-length rules (consecutive
shifts, consecutive days off) are checked on the maximal work and off blocks of each row, with
the boundary exemptions of §3 and §6 stated once in `interior`, rather than through the sliding
windows of the IP form an engine would use. Agreement between the two is then evidence, not
a tautology. Feasibility and the penalty are reported separately (§4): a roster with violations
still gets its objective, so a report can show both.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import groupby, pairwise

from surgeplan.curtois.instance import DAYS_PER_WEEK, SATURDAY, SUNDAY, Employee, Instance, Request
from surgeplan.curtois.roster import Roster, check_roster

HARD_RULES = (
    "rotation",
    "max-shifts",
    "max-minutes",
    "min-minutes",
    "max-consecutive",
    "min-consecutive",
    "min-days-off",
    "max-weekends",
    "days-off",
)
SOFT_TERMS = ("on-request", "off-request", "cover-under", "cover-over")

Row = tuple[int | None, ...]


@dataclass(frozen=True, slots=True)
class Violation:
    """A broken hard rule (one of HARD_RULES) of one employee, with the days involved."""

    rule: str
    employee: str
    days: tuple[int, ...]
    message: str


@dataclass(frozen=True, slots=True)
class Penalty:
    """One soft term that deviates: `amount` (> 0) units at `weight` each (a 0 weight is listed).

    `employee` is None for cover terms, which belong to a (day, shift) and not to a person.
    """

    term: str
    employee: str | None
    day: int
    shift: str
    amount: int
    weight: int
    penalty: int


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Violations and the objective ledger of one roster; `total` (the objective) is its sum."""

    violations: tuple[Violation, ...]
    penalties: tuple[Penalty, ...]
    total: int

    @property
    def feasible(self) -> bool:
        """True when no hard rule is broken."""
        return not self.violations

    def by_term(self) -> dict[str, int]:
        """The objective split by soft term (every term present, zeros included)."""
        totals = dict.fromkeys(SOFT_TERMS, 0)
        for p in self.penalties:
            totals[p.term] += p.penalty
        return totals

    def by_rule(self) -> dict[str, int]:
        """Number of violations per hard rule (every rule present, zeros included)."""
        counts = dict.fromkeys(HARD_RULES, 0)
        for v in self.violations:
            counts[v.rule] += 1
        return counts


@dataclass(frozen=True, slots=True)
class Block:
    """A maximal run of worked (or of off) days: days start .. start+length-1."""

    start: int
    length: int
    worked: bool

    @property
    def end(self) -> int:
        """Last day of the block."""
        return self.start + self.length - 1

    @property
    def days(self) -> tuple[int, ...]:
        """Every day of the block."""
        return tuple(range(self.start, self.start + self.length))


def evaluate(instance: Instance, roster: Roster) -> Evaluation:
    """Check every hard rule and price every soft term of `roster` on `instance`.

    Raises ValueError only for a roster of the wrong shape (see `check_roster`).
    """
    check_roster(instance, roster)
    violations = [
        violation
        for employee, row in zip(instance.employees, roster, strict=True)
        for violation in employee_violations(instance, employee, row)
    ]
    penalties = request_penalties(instance, roster) + cover_penalties(instance, roster)
    return Evaluation(tuple(violations), tuple(penalties), sum(p.penalty for p in penalties))


def blocks(row: Row) -> list[Block]:
    """Split a row into maximal work and off blocks, in day order."""
    result = []
    start = 0
    for worked, run in groupby(shift is not None for shift in row):
        length = sum(1 for _ in run)
        result.append(Block(start, length, worked))
        start += length
    return result


def interior(block: Block, horizon: int) -> bool:
    """A block that neither starts on day 0 nor ends on day H-1 (FORMAT.md §3, §6).

    Only interior blocks are held to the minimum-length rules: the days beyond the horizon are
    assumed to continue a boundary block for as long as needed.
    """
    return block.start > 0 and block.end < horizon - 1


def employee_violations(instance: Instance, employee: Employee, row: Row) -> list[Violation]:
    """Every hard-rule violation of one employee's row, in HARD_RULES order."""
    runs = blocks(row)
    return [
        *rotation(instance, employee, row),
        *max_shifts(instance, employee, row),
        *minutes(instance, employee, row),
        *max_consecutive(employee, runs),
        *min_consecutive(employee, runs, instance.horizon),
        *min_days_off(employee, runs, instance.horizon),
        *max_weekends(instance, employee, row),
        *days_off(employee, row),
    ]


def rotation(instance: Instance, employee: Employee, row: Row) -> list[Violation]:
    """§3.2: on adjacent days inside the horizon, the second shift may not be forbidden."""
    found = []
    for day, (today, tomorrow) in enumerate(pairwise(row)):
        if today is None or tomorrow is None:
            continue
        if tomorrow in instance.shifts[today].forbidden_next:
            first, second = instance.shifts[today].id, instance.shifts[tomorrow].id
            found.append(
                Violation(
                    "rotation",
                    employee.id,
                    (day, day + 1),
                    f"works {first} on day {day} then {second} on day {day + 1}; "
                    f"{second} may not follow {first}",
                )
            )
    return found


def max_shifts(instance: Instance, employee: Employee, row: Row) -> list[Violation]:
    """§3.3: at most MaxShifts(e, t) days on each shift type t (0 forbids the type)."""
    found = []
    for t, shift in enumerate(instance.shifts):
        worked = tuple(day for day, s in enumerate(row) if s == t)
        if len(worked) > employee.max_shifts[t]:
            found.append(
                Violation(
                    "max-shifts",
                    employee.id,
                    worked,
                    f"works {len(worked)} {shift.id} shifts; at most {employee.max_shifts[t]}",
                )
            )
    return found


def minutes(instance: Instance, employee: Employee, row: Row) -> list[Violation]:
    """§3.4–5: total worked minutes within [MinTotalMinutes, MaxTotalMinutes], both hard."""
    worked = tuple(day for day, s in enumerate(row) if s is not None)
    total = sum(instance.shifts[s].minutes for s in row if s is not None)
    if total > employee.max_minutes:
        rule, limit, word = "max-minutes", employee.max_minutes, "at most"
    elif total < employee.min_minutes:
        rule, limit, word = "min-minutes", employee.min_minutes, "at least"
    else:
        return []
    return [Violation(rule, employee.id, worked, f"works {total} minutes; {word} {limit}")]


def max_consecutive(employee: Employee, runs: list[Block]) -> list[Violation]:
    """§3.6: every work block, boundary blocks included, has at most MaxConsecutiveShifts days."""
    return [
        Violation(
            "max-consecutive",
            employee.id,
            block.days,
            f"works {block.length} days in a row (days {block.start}–{block.end}); "
            f"at most {employee.max_consecutive}",
        )
        for block in runs
        if block.worked and block.length > employee.max_consecutive
    ]


def min_consecutive(employee: Employee, runs: list[Block], horizon: int) -> list[Violation]:
    """§3.7: every interior work block has at least MinConsecutiveShifts days."""
    return [
        Violation(
            "min-consecutive",
            employee.id,
            block.days,
            f"works only {block.length} day(s) in a row (days {block.start}–{block.end}); "
            f"at least {employee.min_consecutive}",
        )
        for block in runs
        if block.worked and interior(block, horizon) and block.length < employee.min_consecutive
    ]


def min_days_off(employee: Employee, runs: list[Block], horizon: int) -> list[Violation]:
    """§3.8: every interior off block has at least MinConsecutiveDaysOff days."""
    return [
        Violation(
            "min-days-off",
            employee.id,
            block.days,
            f"is off only {block.length} day(s) in a row (days {block.start}–{block.end}); "
            f"at least {employee.min_consecutive_days_off}",
        )
        for block in runs
        if not block.worked
        and interior(block, horizon)
        and block.length < employee.min_consecutive_days_off
    ]


def max_weekends(instance: Instance, employee: Employee, row: Row) -> list[Violation]:
    """§3.9: weekend k (days 7k+5, 7k+6) counts once if either day is worked."""
    worked_days = []
    weekends = 0
    for k in range(instance.weeks):
        days = [
            d
            for d in (DAYS_PER_WEEK * k + SATURDAY, DAYS_PER_WEEK * k + SUNDAY)
            if row[d] is not None
        ]
        weekends += bool(days)
        worked_days += days
    if weekends <= employee.max_weekends:
        return []
    return [
        Violation(
            "max-weekends",
            employee.id,
            tuple(worked_days),
            f"works {weekends} weekends; at most {employee.max_weekends}",
        )
    ]


def days_off(employee: Employee, row: Row) -> list[Violation]:
    """§3.10: no shift on a fixed day off."""
    return [
        Violation("days-off", employee.id, (day,), f"works on day {day}, a fixed day off")
        for day in employee.days_off
        if row[day] is not None
    ]


def request_penalties(instance: Instance, roster: Roster) -> list[Penalty]:
    """§4: an on-request costs its weight unless that exact shift is worked; an off-request
    costs its weight only if that shift is worked."""
    ledger = []
    for request in instance.on_requests:
        if roster[request.employee][request.day] != request.shift:
            ledger.append(_request_penalty(instance, "on-request", request))
    for request in instance.off_requests:
        if roster[request.employee][request.day] == request.shift:
            ledger.append(_request_penalty(instance, "off-request", request))
    return ledger


def _request_penalty(instance: Instance, term: str, request: Request) -> Penalty:
    """A request's ledger line: one unit of its weight."""
    return Penalty(
        term,
        instance.employees[request.employee].id,
        request.day,
        instance.shifts[request.shift].id,
        1,
        request.weight,
        request.weight,
    )


def cover_penalties(instance: Instance, roster: Roster) -> list[Penalty]:
    """§4: per (day, shift), never pooled: under·(r−n)⁺ + over·(n−r)⁺."""
    counts: Counter[tuple[int, int]] = Counter(
        (day, shift) for row in roster for day, shift in enumerate(row) if shift is not None
    )
    ledger = []
    for row in instance.cover:
        n = counts[row.day, row.shift]
        shift = instance.shifts[row.shift].id
        if n < row.requirement:
            amount = row.requirement - n
            ledger.append(
                Penalty(
                    "cover-under",
                    None,
                    row.day,
                    shift,
                    amount,
                    row.weight_under,
                    amount * row.weight_under,
                )
            )
        elif n > row.requirement:
            amount = n - row.requirement
            ledger.append(
                Penalty(
                    "cover-over",
                    None,
                    row.day,
                    shift,
                    amount,
                    row.weight_over,
                    amount * row.weight_over,
                )
            )
    return ledger
