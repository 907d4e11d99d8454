"""The roster CSV `employee_id,day,shift_id`: exact output, round trips, bad files."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from curtois_cases import ROSTERS, drawn, instance, tiny_text

from surgeplan.curtois import Instance, Roster, read_instance, read_roster, write_roster
from surgeplan.curtois.roster import check_roster, off_roster
from surgeplan.scenario.errors import InputError


@pytest.fixture
def tiny(tmp_path: Path) -> Instance:
    """The tiny one-week instance (shifts D, N; employees A, N)."""
    path = tmp_path / "Tiny.txt"
    path.write_text(tiny_text(), encoding="utf-8")
    return read_instance(path)


def random_roster(inst: Instance, seed: int) -> Roster:
    """A roster with each day off or a uniformly random shift: not feasible, just varied."""
    rng = random.Random(seed)
    choices = [None, *range(len(inst.shifts))]
    return tuple(tuple(rng.choice(choices) for _ in range(inst.horizon)) for _ in inst.employees)


def test_write_exact_text(tiny: Instance) -> None:
    """One row per worked day, employees in file order, days ascending, LF line ends."""
    roster = drawn(tiny, {"N": "N.....D", "A": "D.N...."})
    assert write_roster(tiny, roster) == ("employee_id,day,shift_id\nA,0,D\nA,2,N\nN,0,N\nN,6,D\n")


def test_off_roster_is_header_only(tiny: Instance, tmp_path: Path) -> None:
    """An all-off roster writes just the header, and reads back as all off."""
    text = write_roster(tiny, off_roster(tiny))
    assert text == "employee_id,day,shift_id\n"
    (tmp_path / "r.csv").write_text(text)
    assert read_roster(tmp_path / "r.csv", tiny) == off_roster(tiny)


@pytest.mark.parametrize(("number", "seed"), [(1, 0), (2, 1), (3, 2), (13, 3), (24, 4)])
def test_round_trip_random(tmp_path: Path, number: int, seed: int) -> None:
    """Writing then reading a random roster gives the same roster (and the same text again)."""
    inst = instance(number)
    roster = random_roster(inst, seed)
    text = write_roster(inst, roster)
    (tmp_path / "r.csv").write_text(text, encoding="utf-8")
    again = read_roster(tmp_path / "r.csv", inst)
    assert again == roster
    assert write_roster(inst, again) == text


@pytest.mark.parametrize("number", [1, 2, 3])
def test_round_trip_stored_rosters(number: int) -> None:
    """The stored optimal rosters read and write back byte for byte."""
    path = ROSTERS / f"Instance{number}.csv"
    assert write_roster(instance(number), read_roster(path, instance(number))) == path.read_text()


def test_rows_in_any_order_and_crlf(tiny: Instance, tmp_path: Path) -> None:
    """Row order, column order and CRLF line ends do not matter when reading."""
    path = tmp_path / "r.csv"
    path.write_bytes(b"day,shift_id,employee_id\r\n6,D,N\r\n0,D,A\r\n\r\n2,N,A\r\n")
    assert read_roster(path, tiny) == drawn(tiny, {"A": "D.N....", "N": "......D"})


BAD_ROWS = [
    ("unknown employee", "B,0,D", "employee_id", "unknown employee 'B'"),
    ("employee case", "a,0,D", "employee_id", "unknown employee 'a'"),
    ("unknown shift", "A,0,X", "shift_id", "unknown shift 'X'"),
    ("empty shift", "A,0,", "shift_id", "leave days off out"),
    ("day out of range", "A,7,D", "day", "0..6"),
    ("negative day", "A,-1,D", "day", "not a day"),
    ("non-integer day", "A,one,D", "day", "not a day"),
]


@pytest.mark.parametrize(
    ("row", "field", "fragment"), [c[1:] for c in BAD_ROWS], ids=[c[0] for c in BAD_ROWS]
)
def test_bad_row(tiny: Instance, tmp_path: Path, row: str, field: str, fragment: str) -> None:
    """A bad row is an InputError naming its line and column."""
    path = tmp_path / "r.csv"
    path.write_text(f"employee_id,day,shift_id\nA,1,D\n{row}\n")
    with pytest.raises(InputError) as caught:
        read_roster(path, tiny)
    [issue] = caught.value.issues
    assert (issue.file, issue.line, issue.field) == (str(path), 3, field)
    assert fragment in issue.message


def test_employee_twice_on_a_day(tiny: Instance, tmp_path: Path) -> None:
    """Two shifts for one employee on one day are refused, naming both lines."""
    path = tmp_path / "r.csv"
    path.write_text("employee_id,day,shift_id\nA,1,D\nN,1,D\nA,1,N\n")
    with pytest.raises(InputError) as caught:
        read_roster(path, tiny)
    [issue] = caught.value.issues
    assert (issue.line, issue.field) == (4, "day")
    assert "line 2" in issue.message


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        ("employee,day,shift", "missing column(s) employee_id"),
        ("employee_id,day,shift_id,note", "unknown column(s) 'note'"),
        ("employee_id,day,day,shift_id", "given twice: day"),
        ("", "empty"),
    ],
    ids=["renamed", "extra", "doubled", "empty file"],
)
def test_bad_header(tiny: Instance, tmp_path: Path, header: str, fragment: str) -> None:
    """A header that is not employee_id,day,shift_id is refused on line 1."""
    path = tmp_path / "r.csv"
    path.write_text(header + ("\n" if header else ""))
    with pytest.raises(InputError) as caught:
        read_roster(path, tiny)
    [issue] = caught.value.issues
    assert issue.line == 1 and fragment in issue.message


def test_missing_and_binary_roster_files(tiny: Instance, tmp_path: Path) -> None:
    """A missing or binary roster file is an InputError, not a traceback."""
    with pytest.raises(InputError, match="roster file not found"):
        read_roster(tmp_path / "none.csv", tiny)
    (tmp_path / "bin.csv").write_bytes(b"employee_id,day,shift_id\n\x00\x01")
    with pytest.raises(InputError, match="binary"):
        read_roster(tmp_path / "bin.csv", tiny)


@pytest.mark.parametrize(
    "roster",
    [
        ((None,) * 7,),
        ((None,) * 7, (None,) * 6),
        ((None,) * 7, (None,) * 6 + (2,)),
        ((None,) * 7, (None,) * 6 + (True,)),
    ],
    ids=["one row short", "one day short", "shift index out of range", "bool is not an index"],
)
def test_wrongly_shaped_roster_is_a_programming_error(tiny: Instance, roster: Roster) -> None:
    """A roster built wrongly in code raises ValueError before anything is written."""
    with pytest.raises(ValueError, match="roster"):
        check_roster(tiny, roster)
    with pytest.raises(ValueError, match="roster"):
        write_roster(tiny, roster)
