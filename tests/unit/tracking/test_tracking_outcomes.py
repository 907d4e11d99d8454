"""outcomes.csv: aggregate counts load; row-level files and bad cells are refused with an
InputError (exit code 2) naming file, line and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tracking_helpers import BASELINE, CAMPAIGN, full_rows, outcomes_text, tiny, tiny_target, write

from surgeplan.scenario.errors import InputError
from surgeplan.tracking.outcomes import load_outcomes, personal_kind

HEADER = "site_id,period_start,metric,value"


def refused(path: Path) -> InputError:
    """The InputError that loading `path` for the tiny scenario raises."""
    with pytest.raises(InputError) as caught:
        load_outcomes(path, tiny(), tiny_target())
    return caught.value


def test_aggregate_file_loads_with_baseline_campaign_and_comparison_rows(tmp_path: Path) -> None:
    """A good file loads every row; baseline and campaign rows are told apart by date."""
    path = write(tmp_path / "outcomes.csv", outcomes_text(full_rows()))
    outcomes = load_outcomes(path, tiny(), tiny_target())
    assert len(outcomes.counts) == 3 * (len(BASELINE) + len(CAMPAIGN))
    chi = outcomes.values("CHI", "arrests_total")
    assert chi[BASELINE[0]] == 20 and chi[CAMPAIGN[0]] == 30
    assert not outcomes.simulated


def test_file_with_person_columns_is_refused_naming_each_column(tmp_path: Path) -> None:
    """A row-level export (subject_id, name, date_of_birth, home address) is refused on line 1,
    one issue per personal column, each saying the file must be aggregate."""
    text = (
        "subject_id,name,date_of_birth,home_address,site_id,period_start,metric,value\n"
        "A123456789,Jane Roe,1988-04-02,12 Elm St,CHI,2020-02-03,arrests_total,1\n"
    )
    error = refused(write(tmp_path / "arrests.csv", text))
    fields = [issue.field for issue in error.issues]
    assert fields == ["subject_id", "name", "date_of_birth", "home_address"]
    for issue in error.issues:
        assert issue.line == 1 and issue.file.endswith("arrests.csv")
        assert "aggregate counts per site and period only" in issue.message
    assert "Jane Roe" not in error.render()


@pytest.mark.parametrize(
    ("column", "kind"),
    [
        ("name", "a name"),
        ("Last Name", "a name"),
        ("subject_id", "an identifier of a person"),
        ("A-Number", "an identifier of a person"),
        ("DOB", "a date of birth or age"),
        ("zip_code", "an address"),
        ("email", "contact details"),
        ("site_name", None),
        ("value", None),
    ],
)
def test_personal_columns_are_recognised(column: str, kind: str | None) -> None:
    """Header words that name people are recognised; site or metric columns are not."""
    assert personal_kind(column) == kind


def test_a_single_name_column_is_refused(tmp_path: Path) -> None:
    """Even one extra `name` column beside valid ones makes the file row-level and refused."""
    text = "site_id,period_start,metric,value,name\nCHI,2020-02-03,arrests_total,1,J. Doe\n"
    error = refused(write(tmp_path / "outcomes.csv", text))
    assert len(error.issues) == 1
    assert error.issues[0].field == "name" and "a name" in error.issues[0].message


def test_one_row_per_arrest_is_refused_as_row_level(tmp_path: Path) -> None:
    """A file with a row per arrest (same site, week and metric repeated) is refused on every
    repeated line, naming the first line of that site-week-metric."""
    rows = [("CHI", CAMPAIGN[0], "arrests_total", 1)] * 3 + [
        ("NYC", CAMPAIGN[1], "arrests_total", 4)
    ]
    error = refused(write(tmp_path / "outcomes.csv", outcomes_text(rows)))
    assert [issue.line for issue in error.issues] == [3, 4]
    first = error.issues[0]
    assert first.field == "site_id,period_start,metric"
    assert "first is on line 2" in first.message and "row-level" in first.message


def test_two_rows_for_one_site_week_metric_are_refused(tmp_path: Path) -> None:
    """Two different counts for CHI, 2020-02-10, arrests_total: the second is refused."""
    rows = [
        ("CHI", CAMPAIGN[1], "arrests_total", 14),
        ("CHI", CAMPAIGN[1], "arrests_convicted", 9),
        ("CHI", CAMPAIGN[1], "arrests_total", 15),
    ]
    error = refused(write(tmp_path / "outcomes.csv", outcomes_text(rows)))
    assert len(error.issues) == 1 and error.issues[0].line == 4
    assert "CHI, period 2020-02-10, metric arrests_total" in error.issues[0].message


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("XYZ,2020-02-03,arrests_total,4", "site_id", "unknown site 'XYZ'"),
        ("CHI,2020-02-05,arrests_total,4", "period_start", "not the start of a baseline"),
        ("CHI,2019-06-03,arrests_total,4", "period_start", "not the start of a baseline"),
        ("CHI,03/02/2020,arrests_total,4", "period_start", "is not a date"),
        ("CHI,2020-02-03,arrests total,4", "metric", "not a metric name"),
        ("CHI,2020-02-03,arrests_total,-3", "value", "not a count"),
        ("CHI,2020-02-03,arrests_total,2.5", "value", "not a count"),
        ("CHI,2020-02-03,arrests_total,", "value", "not a count"),
    ],
)
def test_bad_cells_name_line_and_field(tmp_path: Path, row: str, field: str, words: str) -> None:
    """Each bad cell is reported on its line and field with what to write instead."""
    good = "CHI,2020-02-10,arrests_total,5"
    error = refused(write(tmp_path / "outcomes.csv", f"{HEADER}\n{good}\n{row}\n"))
    assert len(error.issues) == 1
    issue = error.issues[0]
    assert (issue.line, issue.field) == (3, field)
    assert words in issue.message


def test_missing_target_metric_is_refused(tmp_path: Path) -> None:
    """A file without the target's metric cannot be tracked and says which metrics it has."""
    rows = [("CHI", CAMPAIGN[0], "arrests_convicted", 3)]
    error = refused(write(tmp_path / "outcomes.csv", outcomes_text(rows)))
    assert "no rows for the target metric 'arrests_total'" in error.render()
    assert "arrests_convicted" in error.render()


def test_unreadable_files_are_input_errors(tmp_path: Path) -> None:
    """Missing, empty, binary and wrongly headed files are InputErrors, not tracebacks."""
    for name, content in (("empty.csv", ""), ("binary.csv", "a\x00b"), ("cols.csv", "a,b\n1,2\n")):
        error = refused(write(tmp_path / name, content))
        assert error.issues[0].file.endswith(name)
    assert "not found" in refused(tmp_path / "absent.csv").render()


def test_missing_weeks_are_absent_not_zero(tmp_path: Path) -> None:
    """A week without a row is simply absent from the values (tracking leaves it out)."""
    rows = [r for r in full_rows() if r[1] != date(2020, 2, 10)]
    outcomes = load_outcomes(write(tmp_path / "o.csv", outcomes_text(rows)), tiny(), tiny_target())
    assert date(2020, 2, 10) not in outcomes.values("CHI", "arrests_total")
