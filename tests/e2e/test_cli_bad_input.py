"""Bad input, tried as a new user would: one clear message naming file, line and field,
exit code 2, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from surgeplan.cli import app

TINY = Path(__file__).parents[1] / "fixtures" / "tiny"
runner = CliRunner()


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A writable copy of the tiny bundle."""
    target = tmp_path / "bundle"
    shutil.copytree(TINY, target)
    return target


def replace(path: Path, old: str, new: str) -> None:
    """Edit one file of a bundle in place."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def validate(bundle: Path) -> str:
    """Run `surgeplan validate` and return its output, asserting exit 2 and no traceback."""
    result = runner.invoke(app, ["validate", str(bundle / "scenario.yaml")])
    output = result.output
    assert result.exit_code == 2, output
    assert "Traceback" not in output
    return " ".join(output.split())


def test_missing_table_file(bundle: Path) -> None:
    """A table named in scenario.yaml but absent is named with the fix."""
    (bundle / "sites.csv").unlink()
    assert "sites.csv: file not found" in validate(bundle)


def test_wrong_column(bundle: Path) -> None:
    """A misspelt header column is reported on line 1 with the expected header."""
    replace(bundle / "people.csv", "base_id", "base")
    out = validate(bundle)
    assert "people.csv:1:" in out
    assert "missing column(s) base_id" in out
    assert "unknown column(s) 'base'" in out


def test_unknown_id(bundle: Path) -> None:
    """A demand row naming an unknown site gives file, line, field and the known ids."""
    replace(bundle / "demand.csv", "NYC,2020-02-10", "NYX,2020-02-10")
    assert "demand.csv:4: site_id: site_id 'NYX' is not in sites (known: CHI, NYC)" in validate(
        bundle
    )


def test_end_before_start(bundle: Path) -> None:
    """A campaign ending before it starts is refused."""
    replace(bundle / "scenario.yaml", "end: 2020-02-23", "end: 2020-01-05")
    assert "end 2020-01-05 is before start 2020-02-03" in validate(bundle)


def test_negative_number(bundle: Path) -> None:
    """A negative requirement names its line and field."""
    replace(bundle / "demand.csv", "CHI,2020-02-03,*,2", "CHI,2020-02-03,*,-2")
    assert "demand.csv:2: required: '-2' is too small; the minimum is 0" in validate(bundle)


def test_negative_money(bundle: Path) -> None:
    """A negative fare is refused with its line."""
    replace(bundle / "travel.csv", "B1,CHI,400", "B1,CHI,-400")
    assert "travel.csv:2: round_trip_usd:" in validate(bundle)


def test_qualification_interval_reversed(bundle: Path) -> None:
    """A qualification valid until before it starts is refused with the fix."""
    replace(bundle / "people.csv", "lead@2020-02-01..2020-02-12", "lead@2020-02-12..2020-02-01")
    assert "people.csv:4: qualifications:" in (out := validate(bundle))
    assert "ends before it starts" in out


def test_non_monday_start(bundle: Path) -> None:
    """A weekly campaign must start on a Monday; the message offers one."""
    replace(bundle / "scenario.yaml", "start: 2020-02-03", "start: 2020-02-04")
    assert "start 2020-02-04 is a Tuesday; weekly campaigns start on a Monday" in validate(bundle)


def test_empty_roster(bundle: Path) -> None:
    """A roster with a header and no rows is refused."""
    (bundle / "people.csv").write_text("person_id,name,base_id,qualifications\n")
    assert "the roster is empty" in validate(bundle)


def test_huge_binary_file(bundle: Path) -> None:
    """A 50 MB binary file named people.csv is refused without being read."""
    with (bundle / "people.csv").open("wb") as handle:
        handle.truncate(50_000_000)
    assert "people.csv: is 50.0 MB" in validate(bundle)


def test_binary_file(bundle: Path) -> None:
    """A small binary file is refused as not text."""
    (bundle / "people.csv").write_bytes(b"PK\x03\x04\x00\x00binary")
    assert "people.csv: is a binary file" in validate(bundle)


def test_wrong_encoding(bundle: Path) -> None:
    """A Latin-1 file is refused with the line of the bad byte and the fix."""
    text = (bundle / "people.csv").read_text(encoding="utf-8").replace("Officer Two", "José")
    (bundle / "people.csv").write_bytes(text.encode("latin-1"))
    assert "people.csv:3: is not UTF-8 text (byte 0xE9)" in validate(bundle)


def test_path_escaping_the_bundle(bundle: Path) -> None:
    """A table path leading out of the bundle folder is refused."""
    replace(bundle / "scenario.yaml", "people: people.csv", "people: ../people.csv")
    assert "uses '..'" in validate(bundle)


def test_duplicate_yaml_key(bundle: Path) -> None:
    """A key given twice in scenario.yaml is refused with its line."""
    replace(bundle / "scenario.yaml", "period: week", "period: week\nperiod: day")
    assert "scenario.yaml:5:1: key 'period' is given twice" in validate(bundle)


def test_unknown_rule(bundle: Path) -> None:
    """An unknown rule key is refused."""
    replace(bundle / "scenario.yaml", "rest_min: 1", "rest_min: 1\n  rest_max: 3")
    assert "rules.rest_max: is not a known key" in validate(bundle)


def test_several_problems_reported_together(bundle: Path) -> None:
    """Row problems in different files are reported in one run."""
    replace(bundle / "demand.csv", "NYC,2020-02-10,*,1", "NYC,2020-02-10,*,x")
    replace(bundle / "travel.csv", "B1,CHI,400", "B1,CHI,abc")
    out = validate(bundle)
    assert "demand.csv" in out
    assert "travel.csv" in out


def test_missing_scenario() -> None:
    """A scenario path that does not exist is exit 2 with a message."""
    result = runner.invoke(app, ["validate", "/nonexistent/scenario.yaml"])
    assert result.exit_code == 2
    assert "not found" in result.output


def test_duplicate_rows(bundle: Path) -> None:
    """A demand row and a per diem row given twice are each named at their second line."""
    with (bundle / "demand.csv").open("a", encoding="utf-8") as handle:
        handle.write("CHI,2020-02-03,*,5\n")
    with (bundle / "per_diem.csv").open("a", encoding="utf-8") as handle:
        handle.write("CHI,2020-02,130,76\n")
    out = validate(bundle)
    assert (
        "demand.csv:6: qualification: site_id CHI, period_start 2020-02-03, qualification * "
        "is given twice (first on line 2); merge the rows"
    ) in out
    assert "per_diem.csv:4: month: site_id CHI, month 2020-02 is given twice" in out


def test_incomplete_fares(bundle: Path) -> None:
    """A travel table missing a base-site pair is refused, naming the pair."""
    replace(bundle / "travel.csv", "B2,NYC,520\n", "")
    assert "no fare for B2-NYC" in validate(bundle)
