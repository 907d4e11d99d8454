"""Shared material for the Curtois tests: the benchmark files, a tiny instance, drawn rosters."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from surgeplan.curtois import Instance, Roster, read_instance
from surgeplan.curtois.roster import off_roster

BENCH = Path(__file__).parents[4] / "shared" / "benchmarks" / "curtois"
ROSTERS = Path(__file__).parent / "rosters"
# No skip when the folder is missing: CI lays ../shared beside the clone, and a test that
# silently skipped would hide a broken layout.


@cache
def instance(number: int) -> Instance:
    """Published instance `number`, parsed once per test session."""
    return read_instance(BENCH / f"Instance{number}.txt")


def drawn(inst: Instance, patterns: dict[str, str]) -> Roster:
    """A roster drawn one character per day: a one-letter shift ID, or '.' for off.

    Employees not in `patterns` are off all horizon, so a test isolates one person's rules.
    """
    rows = list(off_roster(inst))
    for employee_id, pattern in patterns.items():
        assert len(pattern) == inst.horizon, pattern
        rows[inst.employee_index[employee_id]] = tuple(
            None if c == "." else inst.shift_index[c] for c in pattern
        )
    return tuple(rows)


def tiny_text(cover: str | None = None) -> str:
    """A valid one-week instance exercising the format's corners.

    Shift D forbids N, which is defined later (a forward reference); N forbids itself and D.
    Employee N shares its ID with shift N (separate namespaces). Employee N has no days-off line.
    """
    if cover is None:
        cover = "".join(f"{d},D,1,100,1\n{d},N,0,100,1\n" for d in range(7))
    return (
        "# A comment before everything\n"
        "SECTION_HORIZON\n"
        "# comments may sit inside a section\n"
        "7\n"
        "\n"
        "SECTION_SHIFTS\n"
        "D,480,N\n"
        "N,600,N|D\n"
        "\n"
        "SECTION_STAFF\n"
        "A,D=7|N=2,3000,960,5,2,2,1\n"
        "N,N=0|D=7,3000,0,5,1,1,0\n"
        "\n"
        "SECTION_DAYS_OFF\n"
        "A,6\n"
        "\n"
        "SECTION_SHIFT_ON_REQUESTS\n"
        "A,0,D,2\n"
        "\n"
        "SECTION_SHIFT_OFF_REQUESTS\n"
        "N,1,D,3\n"
        "\n"
        "SECTION_COVER\n" + cover
    )


def line_of(text: str, fragment: str) -> int:
    """1-based number of the first line of `text` equal to `fragment`."""
    return text.split("\n").index(fragment) + 1
