"""Each hard rule of FORMAT.md §3 made to bind, its boundary exemptions, the IP form agreeing."""

from __future__ import annotations

import pytest
from curtois_cases import drawn, instance
from hypothesis import given, settings
from hypothesis import strategies as st

from surgeplan.curtois import HARD_RULES, Employee, Instance, evaluate
from surgeplan.curtois.evaluate import blocks, employee_violations
from surgeplan.curtois.instance import CoverRow, Shift

# Calendar of a 14-day instance: days 5, 6 and 12, 13 are the two weekends.
# Instance1: one shift D (480 min); every employee: MaxShifts 14, minutes 3360..4320
# (7..9 shifts), consecutive shifts 2..5, at least 2 days off in a row, 1 weekend.
# Fixed days off: A 0, B 5, C 8, D 2, E 9, F 5, G 1, H 7.
Broken = list[tuple[str, tuple[int, ...]]]
INSTANCE1_CASES: list[tuple[str, str, str, Broken]] = [
    # (what, employee, pattern, [(rule, days)])
    ("feasible baseline", "B", "DDDDD..DDD....", []),
    ("9 shifts = 4320 min binds", "B", "DDDDD..DDDD...", []),
    (
        "10 shifts exceed 4320 min",
        "B",
        "DDDDD..DDDDD..",
        [("max-minutes", (0, 1, 2, 3, 4, 7, 8, 9, 10, 11))],
    ),
    ("7 shifts = 3360 min binds", "B", "DDDDD..DD.....", []),
    ("6 shifts fall short", "B", "DDDD...DD.....", [("min-minutes", (0, 1, 2, 3, 7, 8))]),
    ("5 in a row binds", "H", "DDDDD...DDD...", []),
    ("6 in a row from day 0", "H", "DDDDDD..DD....", [("max-consecutive", (0, 1, 2, 3, 4, 5))]),
    ("6 in a row inside", "H", ".DDDDDD..DD...", [("max-consecutive", (1, 2, 3, 4, 5, 6))]),
    (
        "6 in a row to the last day",
        "A",
        "...DD...DDDDDD",
        [("max-consecutive", (8, 9, 10, 11, 12, 13))],
    ),
    ("interior 1-day block", "B", "DDDDD..D..DD..", [("min-consecutive", (7,))]),
    ("1-day block on day 0 exempt", "H", "D..DDDD..DDD..", []),
    ("1-day block on last day exempt", "B", "DDDDD..DDD...D", []),
    ("interior 1-day off block", "B", "DDDDD.DDD.....", [("min-days-off", (5,))]),
    ("1-day off block on day 0 exempt", "A", ".DDDDD..DDD...", []),
    ("1-day off block on last day exempt", "B", "DDDDD.....DDD.", []),
    ("Saturday and Sunday count once", "C", "DDD..DD..DDD..", []),
    ("two weekends", "C", "DDD..DD..DD..D", [("max-weekends", (5, 6, 13))]),
    ("working a fixed day off", "A", "DDDDD..DDD....", [("days-off", (0,))]),
]


@pytest.mark.parametrize(
    ("employee", "pattern", "expected"),
    [c[1:] for c in INSTANCE1_CASES],
    ids=[c[0] for c in INSTANCE1_CASES],
)
def test_instance1_rule(employee: str, pattern: str, expected: Broken) -> None:
    """One employee's drawn row on Instance1 breaks exactly the expected rules, on those days."""
    inst = instance(1)
    ev = evaluate(inst, drawn(inst, {employee: pattern}))
    assert [(v.rule, v.days) for v in ev.violations if v.employee == employee] == expected


# Instance2: shifts E, L; L may not be followed by E. Employee D has MaxShifts L=0, B is off
# on day 1, D on day 12. Instance3: H (off day 12) may work at most 5 L shifts.
OTHER_CASES: list[tuple[str, int, str, str, Broken]] = [
    ("E then L is allowed", 2, "B", "..EELLL..EEE..", []),
    ("L then E is not", 2, "B", "..LLEEE..EEE..", [("rotation", (3, 4))]),
    ("an L shift for D (limit 0)", 2, "D", "..EEEEL..EEE..", [("max-shifts", (6,))]),
    ("5 L shifts bind", 3, "H", "LLLLL..DDD....", []),
    ("8 L shifts exceed 5", 3, "H", "LLLLL..LLL....", [("max-shifts", (0, 1, 2, 3, 4, 7, 8, 9))]),
]


@pytest.mark.parametrize(
    ("number", "employee", "pattern", "expected"),
    [c[1:] for c in OTHER_CASES],
    ids=[c[0] for c in OTHER_CASES],
)
def test_rotation_and_max_shifts(
    number: int, employee: str, pattern: str, expected: Broken
) -> None:
    """Rotation across adjacent days and per-type shift limits on Instance2 and 3."""
    inst = instance(number)
    ev = evaluate(inst, drawn(inst, {employee: pattern}))
    assert [(v.rule, v.days) for v in ev.violations if v.employee == employee] == expected


def test_every_rule_is_exercised() -> None:
    """The tables above break every hard rule at least once."""
    expected = [case[-1] for case in INSTANCE1_CASES] + [case[-1] for case in OTHER_CASES]
    broken = {rule for violations in expected for rule, _ in violations}
    assert broken == set(HARD_RULES)


def test_messages_name_the_numbers() -> None:
    """A violation message says what happened and what the limit is."""
    inst = instance(2)
    [v] = [
        v
        for v in evaluate(inst, drawn(inst, {"B": "..LLEEE..EEE.."})).violations
        if v.employee == "B"
    ]
    assert v.message == "works L on day 3 then E on day 4; E may not follow L"


# ---- the run-length rules against the IP (window) forms of FORMAT.md §3.6–3.9 ----------------


def one_shift_instance(weeks: int, limits: tuple[int, int, int, int]) -> Instance:
    """A one-employee, one-shift instance with the given run and weekend limits."""
    max_run, min_run, min_off, max_weekends = limits
    horizon = 7 * weeks
    employee = Employee("e", (horizon,), 10**6, 0, max_run, min_run, min_off, max_weekends, ())
    cover = tuple(CoverRow(d, 0, 0, 100, 1) for d in range(horizon))
    return Instance("oracle", horizon, (Shift("D", 480, ()),), (employee,), (), (), cover)


def window_form(work: list[int], limits: tuple[int, int, int, int]) -> set[str]:
    """Rules broken by a 0/1 work row, by the IP formulation's forbidden patterns."""
    max_run, min_run, min_off, max_weekends = limits
    H = len(work)
    broken = set()
    if any(sum(work[d : d + max_run + 1]) > max_run for d in range(H - max_run)):
        broken.add("max-consecutive")
    for s in range(1, min_run):  # off, s worked, off — fully inside the horizon
        if any(
            not work[d] and all(work[d + 1 : d + s + 1]) and not work[d + s + 1]
            for d in range(H - s - 1)
        ):
            broken.add("min-consecutive")
    for s in range(1, min_off):  # worked, s off, worked
        if any(
            work[d] and not any(work[d + 1 : d + s + 1]) and work[d + s + 1]
            for d in range(H - s - 1)
        ):
            broken.add("min-days-off")
    if sum(work[7 * k + 5] or work[7 * k + 6] for k in range(H // 7)) > max_weekends:
        broken.add("max-weekends")
    return broken


@settings(max_examples=300, deadline=None)
@given(
    weeks=st.integers(1, 3),
    limits=st.tuples(st.integers(0, 7), st.integers(0, 5), st.integers(0, 5), st.integers(0, 3)),
    data=st.data(),
)
def test_run_lengths_agree_with_window_form(
    weeks: int, limits: tuple[int, int, int, int], data: st.DataObject
) -> None:
    """Block-based checks and the IP's window patterns break the same rules on any row."""
    work = data.draw(st.lists(st.integers(0, 1), min_size=7 * weeks, max_size=7 * weeks))
    inst = one_shift_instance(weeks, limits)
    row = tuple(0 if w else None for w in work)
    found = {v.rule for v in employee_violations(inst, inst.employees[0], row)}
    assert found == window_form(work, limits)
    assert sum(b.length for b in blocks(row)) == len(row)
