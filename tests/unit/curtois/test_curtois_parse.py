"""The Curtois instance reader: all 24 published files, the format's corners, malformed input."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from curtois_cases import BENCH, instance, line_of, tiny_text

from surgeplan.curtois import CoverRow, Employee, Instance, Request, Shift, read_instance
from surgeplan.scenario.errors import InputError


def published_sizes() -> list[tuple[int, int, int, int]]:
    """(instance number, days, staff, shift types) from best_known.csv."""
    path = BENCH / "best_known.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [
            (int(r["instance"][8:]), int(r["days"]), int(r["staff"]), int(r["shift_types"]))
            for r in csv.DictReader(handle)
        ]


def write(tmp_path: Path, text: str, name: str = "Tiny.txt") -> Path:
    """Write `text` as an instance file and return its path."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def issues_of(path: Path) -> list[tuple[int | None, str | None, str]]:
    """(line, field, message) of every issue reading `path` raises."""
    with pytest.raises(InputError) as caught:
        read_instance(path)
    assert all(issue.file == str(path) for issue in caught.value.issues)
    return [(i.line, i.field, i.message) for i in caught.value.issues]


def test_every_published_size_table_row_is_read() -> None:
    """best_known.csv lists all 24 instances, so the size test below covers every file."""
    assert [n for n, *_ in published_sizes()] == list(range(1, 25))


@pytest.mark.parametrize(("number", "days", "staff", "shift_types"), published_sizes())
def test_published_instance_has_published_size(
    number: int, days: int, staff: int, shift_types: int
) -> None:
    """Every instance parses, with the days, staff and shift types of best_known.csv."""
    inst = instance(number)
    assert (inst.horizon, len(inst.employees), len(inst.shifts)) == (days, staff, shift_types)
    assert inst.name == f"Instance{number}"
    assert len(inst.cover) == days * shift_types


def test_instance24_counts_match_the_readme() -> None:
    """Instance24 has 5400 fixed days off and 13,809 requests, as README.md quotes."""
    inst = instance(24)
    assert sum(len(e.days_off) for e in inst.employees) == 5400
    assert len(inst.on_requests) + len(inst.off_requests) == 13_809
    n3 = inst.shifts[inst.shift_index["n3"]]
    assert n3.minutes == 720 and inst.shift_index["n3"] in n3.forbidden_next


def test_instance1_contents() -> None:
    """Instance1's first employee, requests and cover rows are read field by field."""
    inst = instance(1)
    assert inst.shifts == (Shift("D", 480, ()),)
    assert inst.employees[0] == Employee("A", (14,), 4320, 3360, 5, 2, 2, 1, (0,))
    assert inst.employees[7].days_off == (7,)
    assert inst.on_requests[0] == Request(0, 2, 0, 2)
    assert inst.off_requests[-1] == Request(7, 3, 0, 3)
    assert inst.cover_at(1, 0) == CoverRow(1, 0, 7, 100, 1)
    assert (len(inst.on_requests), len(inst.off_requests)) == (21, 5)


def test_instance2_shift_and_employee_namespaces_are_separate() -> None:
    """Instance2 has both an employee E and a shift E; each is read by position."""
    inst = instance(2)
    e, l_ = inst.shift_index["E"], inst.shift_index["L"]
    assert inst.shifts[l_].forbidden_next == (e,)
    assert inst.employees[inst.employee_index["E"]].max_shifts == (0, 14)
    assert inst.employees[inst.employee_index["D"]].max_shifts == (14, 0)


@pytest.mark.parametrize("newline", ["\n", "\r"])
def test_other_line_ends_read_the_same(tmp_path: Path, newline: str) -> None:
    """The CRLF original read with LF or bare-CR line ends gives the same instance."""
    data = (BENCH / "Instance3.txt").read_bytes().replace(b"\r\n", newline.encode())
    (tmp_path / "Instance3.txt").write_bytes(data)
    assert read_instance(tmp_path / "Instance3.txt") == instance(3)


def test_tiny_instance_corners(tmp_path: Path) -> None:
    """Forward and self references in Forbidden, a shared employee/shift ID, no days-off line."""
    inst = read_instance(write(tmp_path, tiny_text()))
    assert inst.shifts == (Shift("D", 480, (1,)), Shift("N", 600, (0, 1)))
    assert inst.employees[1] == Employee("N", (7, 0), 3000, 0, 5, 1, 1, 0, ())
    assert inst.off_requests == (Request(1, 1, 0, 3),)
    assert inst.weeks == 1


def test_cover_rows_are_ordered_by_day_then_shift(tmp_path: Path) -> None:
    """Cover rows in any file order are stored at index day * S + shift."""
    cover = "".join(f"{d},N,0,100,1\n{d},D,{d},100,1\n" for d in reversed(range(7)))
    inst = read_instance(write(tmp_path, tiny_text(cover)))
    assert [(c.day, c.shift, c.requirement) for c in inst.cover[:3]] == [
        (0, 0, 0),
        (0, 1, 0),
        (1, 0, 1),
    ]


MALFORMED = [
    # (what, line to replace, replacement, field, fragment of the message)
    ("unknown section", "SECTION_DAYS_OFF", "SECTION_HOLIDAYS", "section", "unknown section"),
    (
        "staff field count",
        "A,D=7|N=2,3000,960,5,2,2,1",
        "A,D=7|N=2,3000,960,5,2,2",
        "SECTION_STAFF",
        "expected 8",
    ),
    ("no Forbidden comma", "N,600,N|D", "N,600", "SECTION_SHIFTS", "needs its comma"),
    ("non-integer length", "N,600,N|D", "N,6h,N|D", "LengthMinutes", "not a whole number"),
    (
        "negative limit",
        "A,D=7|N=2,3000,960,5,2,2,1",
        "A,D=7|N=2,3000,-960,5,2,2,1",
        "MinTotalMinutes",
        "out of range",
    ),
    ("unknown Forbidden", "N,600,N|D", "N,600,N|X", "Forbidden", "unknown shift 'X'"),
    ("empty Forbidden item", "N,600,N|D", "N,600,N||D", "Forbidden", "unknown shift ''"),
    ("shift IDs are case-sensitive", "A,0,D,2", "A,0,d,2", "ShiftID", "unknown shift 'd'"),
    (
        "unknown MaxShifts shift",
        "A,D=7|N=2,3000,960,5,2,2,1",
        "A,D=7|X=2,3000,960,5,2,2,1",
        "MaxShifts",
        "unknown shift 'X'",
    ),
    (
        "MaxShifts without =",
        "A,D=7|N=2,3000,960,5,2,2,1",
        "A,D=7|N2,3000,960,5,2,2,1",
        "MaxShifts",
        "not ShiftID=limit",
    ),
    (
        "MaxShifts incomplete",
        "A,D=7|N=2,3000,960,5,2,2,1",
        "A,D=7,3000,960,5,2,2,1",
        "MaxShifts",
        "no limit for shift(s) N",
    ),
    (
        "MaxShifts twice",
        "A,D=7|N=2,3000,960,5,2,2,1",
        "A,D=7|D=2,3000,960,5,2,2,1",
        "MaxShifts",
        "two limits",
    ),
    (
        "duplicate employee",
        "N,N=0|D=7,3000,0,5,1,1,0",
        "A,N=0|D=7,3000,0,5,1,1,0",
        "ID",
        "defined twice",
    ),
    ("duplicate shift", "N,600,N|D", "D,600,", "ShiftID", "defined twice"),
    ("bad shift ID", "N,600,N|D", "N N,600,", "ShiftID", "contains a space"),
    ("days-off day out of range", "A,6", "A,7", "Day", "outside the horizon"),
    ("days-off trailing comma", "A,6", "A,6,", "Day", "stray comma"),
    ("days-off day twice", "A,6", "A,6,6", "Day", "listed twice"),
    ("days-off unknown employee", "A,6", "Z,6", "EmployeeID", "unknown employee 'Z'"),
    ("request day out of range", "A,0,D,2", "A,-1,D,2", "Day", "out of range"),
    ("request field count", "N,1,D,3", "N,1,D", "SECTION_SHIFT_OFF_REQUESTS", "expected 4"),
    ("request unknown employee", "N,1,D,3", "n,1,D,3", "EmployeeID", "unknown employee 'n'"),
    ("cover duplicate row", "3,N,0,100,1", "3,D,0,100,1", "ShiftID", "already has a cover row"),
    ("cover non-integer", "3,N,0,100,1", "3,N,0,1e2,1", "WeightUnder", "not a whole number"),
    ("horizon not whole weeks", "7", "10", "Horizon", "multiples of 7"),
    ("horizon not a number", "7", "seven", "Horizon", "not a whole number"),
]


@pytest.mark.parametrize(
    ("old", "new", "field", "fragment"),
    [case[1:] for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_malformed_line_names_line_and_field(
    tmp_path: Path, old: str, new: str, field: str, fragment: str
) -> None:
    """Each kind of malformed line gives an InputError naming its line, its field and a fix."""
    text = tiny_text()
    number = line_of(text, old)
    lines = text.split("\n")
    lines[number - 1] = new
    issues = issues_of(write(tmp_path, "\n".join(lines)))
    assert any(
        line == number and f == field and fragment in message for line, f, message in issues
    ), issues


def test_duplicate_days_off_line_names_both_lines(tmp_path: Path) -> None:
    """A second days-off line for the same employee points back at the first."""
    text = tiny_text().replace("A,6\n", "A,6\nA,5\n")
    [(line, field, message)] = issues_of(write(tmp_path, text))
    assert (line, field) == (line_of(text, "A,5"), "EmployeeID")
    assert f"line {line_of(text, 'A,6')}" in message


def test_missing_cover_rows_are_summarised(tmp_path: Path) -> None:
    """Missing (day, shift) cover rows give one issue naming the first and the count."""
    text = tiny_text().replace("4,N,0,100,1\n", "").replace("5,D,1,100,1\n", "")
    [(line, field, message)] = issues_of(write(tmp_path, text))
    assert (line, field) == (None, "SECTION_COVER")
    assert "day 4 shift 'N' and 1 other" in message


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (lambda t: t.replace("SECTION_STAFF", "SECTION_STAFF\n\n"), "outside any section"),
        (lambda t: t.replace("SECTION_COVER", "SECTION_SHIFTS"), "second time"),
        (lambda t: t.replace("\nSECTION_COVER\n", "\n\n"), "has no SECTION_COVER"),
        (lambda t: t.replace("SECTION_SHIFTS\n", "SECTION_STAFFX\n"), "unknown section"),
    ],
    ids=["blank line splits a section", "duplicate section", "missing section", "renamed"],
)
def test_section_structure_errors(
    tmp_path: Path, edit: Callable[[str], str], fragment: str
) -> None:
    """Broken section structure is reported as such, with the section as the field."""
    issues = issues_of(write(tmp_path, edit(tiny_text())))
    assert any(f == "section" and fragment in m for _, f, m in issues), issues


def test_sections_out_of_order(tmp_path: Path) -> None:
    """The seven sections must come in FORMAT.md's order."""
    text = tiny_text()
    head, cover = text.split("SECTION_COVER\n")
    staff_start = head.index("SECTION_STAFF")
    moved = head[:staff_start] + "SECTION_COVER\n" + cover + "\n" + head[staff_start:]
    issues = issues_of(write(tmp_path, moved))
    assert any("the sections must appear in the order" in m for _, _, m in issues), issues


def test_all_problems_of_a_stage_are_reported_together(tmp_path: Path) -> None:
    """Two bad requests and a bad cover row come back in one InputError."""
    text = tiny_text().replace("A,0,D,2", "A,0,D,x\nA,99,D,1").replace("3,N,0,100,1", "3,N")
    issues = issues_of(write(tmp_path, text))
    assert [(f, line) for line, f, _ in issues] == [
        ("Weight", line_of(text, "A,0,D,x")),
        ("Day", line_of(text, "A,99,D,1")),
        ("SECTION_COVER", line_of(text, "3,N")),
    ]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "has no SECTION_HORIZON"),
        (b"SECTION_HORIZON\n7\x00\n", "binary file"),
        (b"SECTION_HORIZON\n\xff7\n", "not UTF-8"),
    ],
    ids=["empty", "binary", "not UTF-8"],
)
def test_unreadable_files(tmp_path: Path, data: bytes, fragment: str) -> None:
    """Empty, binary and mis-encoded files are refused with a message, not a traceback."""
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    assert any(fragment in m for _, _, m in issues_of(path))


def test_missing_file(tmp_path: Path) -> None:
    """A missing instance file is an InputError naming the path."""
    [(_, _, message)] = issues_of(tmp_path / "nope.txt")
    assert "not found" in message


def test_malformed_shift_line_is_reported_once(tmp_path: Path) -> None:
    """A shift line with a bad field count does not make references to that shift look unknown."""
    text = tiny_text().replace("N,600,N|D", "N,600")
    [(line, field, _)] = issues_of(write(tmp_path, text))
    assert (line, field) == (line_of(text, "N,600"), "SECTION_SHIFTS")


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"horizon": 10}, "whole number of weeks"),
        ({"shifts": (Shift("D", 480, (2,)), Shift("N", 600, ()))}, "successors of D"),
        ({"shifts": (Shift("D", 480, ()), Shift("D", 600, ()))}, "not unique"),
        ({"cover": ()}, "cover rows"),
        ({"on_requests": (Request(5, 0, 0, 1),)}, "unknown employee"),
    ],
    ids=["horizon", "successor", "duplicate shift", "cover", "request"],
)
def test_instance_built_in_code_is_validated(
    tmp_path: Path, change: dict[str, object], fragment: str
) -> None:
    """An Instance built wrongly in code is refused at construction with ValueError."""
    good = read_instance(write(tmp_path, tiny_text()))
    fields = {
        "name": good.name,
        "horizon": good.horizon,
        "shifts": good.shifts,
        "employees": good.employees,
        "on_requests": good.on_requests,
        "off_requests": good.off_requests,
        "cover": good.cover,
    }
    with pytest.raises(ValueError, match=fragment):
        Instance(**{**fields, **change})  # type: ignore[arg-type]
