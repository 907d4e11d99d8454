"""`surgeplan track`: the built-in scenario with simulated outcomes writes both files;
a row-level outcomes file is refused with exit 2 and the offending column named."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from surgeplan.cli import app
from surgeplan.service import BUILTIN

runner = CliRunner()


def test_track_builtin(tmp_path: Path) -> None:
    """No arguments: SIMULATED outcomes of the built-in scenario, one sentence per site."""
    result = runner.invoke(app, ["track", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "tracking.json").read_text())
    assert "SIMULATED" in (tmp_path / "tracking.html").read_text()
    assert result.output.count("SIMULATED data") == 10
    assert data["simulated"] is True
    assert len(data["sites"]) == 10


def test_track_refuses_row_level_file(tmp_path: Path) -> None:
    """An export with one row per arrested person is rejected: exit 2, column named."""
    rows = tmp_path / "outcomes.csv"
    rows.write_text(
        "site_id,period_start,metric,value,subject_id\nCHI,2020-02-03,arrests_total,1,A123\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["track", str(BUILTIN / "scenario.yaml"), str(rows), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert "subject_id" in result.output
    assert not (tmp_path / "out" / "tracking.json").exists()
