"""read_assignments: good files read, every unreadable input is an InputError naming
file, line and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from checker_scenarios import build, person, site

from surgeplan.checker import Assignment, check, read_assignments
from surgeplan.scenario.errors import InputError
from surgeplan.scenario.model import Scenario

HEADER = "person_id,site_id,period_start,period_end\n"


@pytest.fixture
def scenario() -> Scenario:
    """Four weeks from 2020-02-03; people P1, P2; sites A, B."""
    return build(people=(person("P1"), person("P2")), sites=(site("A"), site("B")))


def write(tmp_path: Path, text: str | bytes) -> Path:
    """Write an assignments file and return its path."""
    path = tmp_path / "assignments.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path, scenario: Scenario) -> InputError:
    """The InputError reading `path` raises."""
    with pytest.raises(InputError) as caught:
        read_assignments(path, scenario)
    return caught.value


def test_reads_rows_in_file_order_tolerating_whitespace_and_bom(
    tmp_path: Path, scenario: Scenario
) -> None:
    """Spaces around cells and header, a UTF-8 BOM and blank lines are tolerated."""
    text = (
        "\ufeff person_id , site_id,period_start , period_end\n"
        " P2 , B , 2020-02-10 , 2020-02-16 \n"
        "\n"
        "P1,A,2020-02-03,2020-02-09\n"
    )
    assert read_assignments(write(tmp_path, text), scenario) == (
        Assignment("P2", "B", date(2020, 2, 10), date(2020, 2, 16)),
        Assignment("P1", "A", date(2020, 2, 3), date(2020, 2, 9)),
    )


def test_header_only_is_an_empty_plan(tmp_path: Path, scenario: Scenario) -> None:
    """A file with just the header means everyone stays home."""
    assert read_assignments(write(tmp_path, HEADER), scenario) == ()


def test_person_twice_in_a_period_reads_fine_and_is_a_violation(
    tmp_path: Path, scenario: Scenario
) -> None:
    """Duplicates are not an input error: check() reports them as one-activity."""
    row = "P1,A,2020-02-03,2020-02-09\n"
    assignments = read_assignments(write(tmp_path, HEADER + row + row), scenario)
    assert len(assignments) == 2
    assert [v.rule for v in check(scenario, assignments).violations] == ["one-activity"]


def test_missing_file(tmp_path: Path, scenario: Scenario) -> None:
    """A file that does not exist is refused, naming it."""
    error = refused(tmp_path / "nope.csv", scenario)
    assert "nope.csv" in str(error)
    assert "not found" in str(error)


def test_binary_file(tmp_path: Path, scenario: Scenario) -> None:
    """A binary file (NUL bytes) is refused as not CSV text."""
    error = refused(write(tmp_path, b"PK\x03\x04\x00\x00binary"), scenario)
    assert "binary" in str(error)


def test_huge_file(tmp_path: Path, scenario: Scenario) -> None:
    """A file above the 20 MB table cap is refused before being read."""
    path = tmp_path / "assignments.csv"
    with path.open("wb") as handle:
        handle.truncate(20_000_001)  # sparse: cheap to create
    assert "MB" in str(refused(path, scenario))


def test_non_utf8_names_the_line(tmp_path: Path, scenario: Scenario) -> None:
    """Latin-1 text is refused with the line of the first bad byte."""
    error = refused(write(tmp_path, (HEADER + "P1,Bogotá,x,y\n").encode("latin-1")), scenario)
    (issue,) = error.issues
    assert (Path(issue.file).name, issue.line) == ("assignments.csv", 2)
    assert "UTF-8" in issue.message


def test_missing_and_unknown_columns(tmp_path: Path, scenario: Scenario) -> None:
    """A header without period_end and with an extra column names both, on line 1."""
    error = refused(write(tmp_path, "person_id,site_id,period_start,hours\n"), scenario)
    (issue,) = error.issues
    assert issue.line == 1
    assert "period_end" in issue.message
    assert "'hours'" in issue.message
    assert "assignments.csv:1:" in str(error)


def test_unknown_person_and_site_list_the_known_ones(tmp_path: Path, scenario: Scenario) -> None:
    """Unknown ids are refused with the list of valid ids, field by field."""
    error = refused(write(tmp_path, HEADER + "P9,Z,2020-02-03,2020-02-09\n"), scenario)
    by_field = {issue.field: issue for issue in error.issues}
    assert set(by_field) == {"person_id", "site_id"}
    assert "known: P1, P2" in by_field["person_id"].message
    assert "known: A, B" in by_field["site_id"].message
    assert all(issue.line == 2 for issue in error.issues)
    assert "assignments.csv:2: person_id: 'P9'" in str(error)


def test_bad_dates(tmp_path: Path, scenario: Scenario) -> None:
    """Cells that are not YYYY-MM-DD dates are refused, empty ones too."""
    error = refused(
        write(tmp_path, HEADER + "P1,A,2020-02-30,20200209\nP1,A,,2020-02-09\n"), scenario
    )
    assert [(i.line, i.field) for i in error.issues] == [
        (2, "period_start"),
        (2, "period_end"),
        (3, "period_start"),
    ]
    assert "'2020-02-30' is not a date" in error.issues[0].message
    assert "empty" in error.issues[2].message


def test_period_start_not_a_period_start(tmp_path: Path, scenario: Scenario) -> None:
    """A mid-week start is refused with the week that contains it; outside the campaign too."""
    text = HEADER + "P1,A,2020-02-05,2020-02-11\nP1,A,2020-03-02,2020-03-08\n"
    error = refused(write(tmp_path, text), scenario)
    assert [(i.line, i.field) for i in error.issues] == [(2, "period_start"), (3, "period_start")]
    assert "did you mean 2020-02-03" in error.issues[0].message
    assert "2020-02-24" in error.issues[1].message  # the last week of the campaign


def test_period_end_must_close_the_period(tmp_path: Path, scenario: Scenario) -> None:
    """period_end other than period_start + 6 days (weeks) is refused with the right date."""
    error = refused(write(tmp_path, HEADER + "P1,A,2020-02-03,2020-02-10\n"), scenario)
    (issue,) = error.issues
    assert (issue.line, issue.field) == (2, "period_end")
    assert "2020-02-09" in issue.message


def test_wrong_cell_count(tmp_path: Path, scenario: Scenario) -> None:
    """A row with a stray comma is refused with its line."""
    error = refused(write(tmp_path, HEADER + "P1,A,2020-02-03,2020-02-09,\n"), scenario)
    assert [i.line for i in error.issues] == [2]


def test_all_issues_are_collected_before_raising(tmp_path: Path, scenario: Scenario) -> None:
    """Every bad row is reported in one error, good rows in between are skipped silently."""
    rows = (
        "P9,A,2020-02-03,2020-02-09",
        "P1,A,2020-02-03,2020-02-09",
        "P1,Q,2020-02-10,2020-02-16",
    )
    text = HEADER + "\n".join(rows) + "\n"
    error = refused(write(tmp_path, text), scenario)
    assert [(i.line, i.field) for i in error.issues] == [(2, "person_id"), (4, "site_id")]


def test_check_refuses_assignments_built_in_code_that_do_not_fit(scenario: Scenario) -> None:
    """check() raises InputError for rows read_assignments would have refused."""
    with pytest.raises(InputError) as caught:
        check(scenario, [Assignment("P9", "A", date(2020, 2, 4), date(2020, 2, 11))])
    assert {i.field for i in caught.value.issues} == {"person_id", "period_start", "period_end"}
