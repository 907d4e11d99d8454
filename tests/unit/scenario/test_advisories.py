"""Warnings on valid scenarios: a demand row for a qualification no one holds in its period
is named with its file, line and the likely fix, and never refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import inline_yaml
from surgeplan.cli import app
from surgeplan.scenario.load import load_with_warnings

TINY = Path(__file__).parents[2] / "fixtures" / "tiny"


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A writable copy of the tiny bundle (lead: P1 always, P3 until 2020-02-12; emt: P3)."""
    target = tmp_path / "bundle"
    shutil.copytree(TINY, target)
    return target


def _demand(bundle: Path, *rows: str) -> None:
    with (bundle / "demand.csv").open("a", encoding="utf-8") as handle:
        handle.writelines(row + "\n" for row in rows)


def test_the_tiny_bundle_has_no_warnings() -> None:
    """Every qualification it asks for is held by someone in every period asked."""
    assert load_with_warnings(TINY)[1] == ()


def test_a_qualification_no_one_holds_is_named_with_its_rows(bundle: Path) -> None:
    """A misspelt name: one warning for all its rows, at the first, with what is held."""
    _demand(bundle, "CHI,2020-02-10,laed,1", "NYC,2020-02-17,laed,2")
    scenario, warnings = load_with_warnings(bundle)
    assert len(scenario.demand) == 6  # kept: the contract allows it
    assert [str(w) for w in warnings] == [
        "demand.csv:6: qualification: no one in people holds 'laed', so its 2 rows "
        "(lines 6, 7) will be short; check the spelling (held: emt, lead)"
    ]


def test_a_lapsed_qualification_is_told_apart_from_a_typo(bundle: Path) -> None:
    """Held by P3 only until 12 February once P1 loses it: the week of the 17th is unheld,
    the week of the 3rd is not, and a row asking for none is no concern."""
    people = bundle / "people.csv"
    people.write_text(people.read_text().replace("P1,Officer One,B1,lead", "P1,Officer One,B1,"))
    _demand(bundle, "NYC,2020-02-17,lead,1", "NYC,2020-02-10,lead,0")
    (warning,) = load_with_warnings(bundle)[1]
    assert (warning.file, warning.line, warning.field) == ("demand.csv", 6, "qualification")
    assert "no one holds 'lead' for the whole period of row (line 6)" in warning.message
    assert "extend the grants or drop the demand" in warning.message


def test_inline_rows_are_located_in_the_yaml(tmp_path: Path) -> None:
    """A single-file scenario's warning names the YAML line of the row."""
    text = inline_yaml(TINY).replace('qualification: "lead"', 'qualification: "leed"', 1)
    single = tmp_path / "surge.yaml"
    single.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if '"leed"' in row)
    (warning,) = load_with_warnings(single)[1]
    assert (warning.file, warning.line) == ("surge.yaml", line)


def test_validate_prints_the_warning_and_succeeds(bundle: Path) -> None:
    """`surgeplan validate` says the scenario is valid, warns on stderr and exits 0."""
    _demand(bundle, "CHI,2020-02-10,laed,1")
    result = CliRunner().invoke(app, ["validate", str(bundle)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.stdout
    assert "warning: demand.csv:6: qualification: no one in people holds 'laed'" in " ".join(
        result.stderr.split()
    )
