"""Plan files: assignments.csv round-trips through the checker's reader; cells a spreadsheet
would evaluate are neutralised; files are written whole or not at all."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import scenario
from surgeplan.checker import Assignment, Stretch, read_assignments
from surgeplan.reports.exports import assignments_csv, rotations_csv, safe_cell, write_atomic
from surgeplan.scenario.model import Person


def test_assignments_round_trip(tmp_path: Path) -> None:
    """Written assignments read back identical (sorted by person and period)."""
    s = scenario(weeks=2, people=2, demand=[("S1", 0, "*", 1)])
    rows = (
        Assignment("P2", "S1", date(2020, 2, 10), date(2020, 2, 16)),
        Assignment("P1", "S1", date(2020, 2, 3), date(2020, 2, 9)),
    )
    path = tmp_path / "assignments.csv"
    path.write_text(assignments_csv(rows), encoding="utf-8")
    assert read_assignments(path, s) == tuple(sorted(rows, key=lambda a: a.person_id))


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+1", "-2+3", "@SUM(A1)"])
def test_formula_cells_neutralised(text: str) -> None:
    """A cell that starts like a formula is written as text."""
    assert safe_cell(text) == "'" + text


def test_rotations_csv_neutralises_names() -> None:
    """An officer name beginning with '=' cannot become a formula in rotations.csv."""
    person = Person(person_id="P1", name="=cmd|'/c calc'!A1", base_id="B1")
    s = scenario(weeks=1, people=[person])
    zero = Decimal(0)
    stretch = Stretch("P1", "S1", date(2020, 2, 3), date(2020, 2, 9), 1, zero, zero, zero)
    rows = list(csv.reader(rotations_csv(s, [stretch]).splitlines()))
    assert rows[1][1] == "'=cmd|'/c calc'!A1"


def test_atomic_write_keeps_old_file_on_failure(tmp_path: Path) -> None:
    """A write that fails midway leaves the previous file intact and no temporary behind."""
    target = tmp_path / "summary.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "new \udcff")  # a lone surrogate cannot be encoded
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.json"]
