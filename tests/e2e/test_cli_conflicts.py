"""`surgeplan plan --pins` with pins the rules forbid: exit 3, and one plain sentence per
conflicting set naming the officer, the dates and the rule; no plan files are written."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from surgeplan.cli import app
from surgeplan.service import BUILTIN

runner = CliRunner()


def test_pins_that_break_rotation_min_exit_3_with_the_reason(tmp_path: Path) -> None:
    """The built-in scenario's rotation_min is 2: a one-week rotation pinned by hand."""
    pins = tmp_path / "pins.csv"
    pins.write_text(
        "person_id,period_start,site_id\nBP001,2020-02-03,CHI\nBP001,2020-02-10,HOME\n",
        encoding="utf-8",
    )
    target = tmp_path / "plan"
    args = ["plan", str(BUILTIN), "--pins", str(pins), "--out", str(target), "--quiet"]
    result = runner.invoke(app, [*args, "--time-limit", "30"])
    assert result.exit_code == 3, result.output
    text = " ".join(result.output.split())
    assert "The hard rules conflict:" in text
    assert (
        "- BP001 is pinned to Chicago in the week of 2020-02-03 and pinned at home in the "
        "week of 2020-02-10, but rotation_min is 2 (a rotation must last at least 2 weeks)."
    ) in text
    assert "time ran out" not in text
    assert not (target / "summary.json").exists()
