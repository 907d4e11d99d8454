"""The README's commands run as a user would: plan writes the contract files, check reads any
plan file with exit codes 0 (no hard violation), 1 (violations) and 2 (unreadable input)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

TINY = Path(__file__).parents[1] / "fixtures" / "tiny" / "scenario.yaml"


def surgeplan(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed command in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "surgeplan", *args], capture_output=True, text=True, check=False
    )


def test_plan_then_check(tmp_path: Path) -> None:
    """plan writes assignments/rotations/summary/report; check accepts the plan with exit 0."""
    done = surgeplan("plan", str(TINY), "--out", str(tmp_path), "--time-limit", "20", "--quiet")
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["status"] == "OPTIMAL"
    assert summary["checked"] is True
    # Hand-checked optimum: CHI 1 week ×2 at $1,644 + NYC 1 week $1,922.50 + NYC 2 weeks
    # $3,665 (fare + 6 or 13 nights + M&IE with 75% ends) = $8,875.50, no shortfall.
    assert summary["objective"] == {"shortfall": 0, "cost_usd": "8875.50", "changes": 0}
    with (tmp_path / "assignments.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert set(rows[0]) == {"person_id", "site_id", "period_start", "period_end"}
    assert len(rows) == 5
    assert (tmp_path / "rotations.csv").read_text().startswith("person_id,name,site_id,start")
    assert "<svg" in (tmp_path / "report.html").read_text()
    checked = surgeplan("check", str(TINY), str(tmp_path / "assignments.csv"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "cost $8,875.50" in checked.stdout


def test_check_reports_violation_with_exit_1(tmp_path: Path) -> None:
    """A plan sending P2 out in the week of their leave is a hard violation: exit 1."""
    plan = tmp_path / "assignments.csv"
    plan.write_text(
        "person_id,site_id,period_start,period_end\nP2,CHI,2020-02-10,2020-02-16\n",
        encoding="utf-8",
    )
    checked = surgeplan("check", str(TINY), str(plan))
    assert checked.returncode == 1
    assert "VIOLATION unavailable" in checked.stdout


def test_check_unreadable_plan_exit_2(tmp_path: Path) -> None:
    """A plan naming an unknown officer cannot be read: exit 2, file and line named."""
    plan = tmp_path / "assignments.csv"
    plan.write_text(
        "person_id,site_id,period_start,period_end\nP9,CHI,2020-02-03,2020-02-09\n",
        encoding="utf-8",
    )
    checked = surgeplan("check", str(TINY), str(plan))
    assert checked.returncode == 2
    assert "assignments.csv:2" in checked.stderr
    assert "Traceback" not in checked.stderr


def test_export_default_then_validate(tmp_path: Path) -> None:
    """The built-in scenario exports as a bundle that validates as 100 officers, 10 sites."""
    exported = surgeplan("scenario", "export-default", str(tmp_path / "s"))
    assert exported.returncode == 0, exported.stderr
    valid = surgeplan("validate", str(tmp_path / "s" / "scenario.yaml"))
    assert valid.returncode == 0, valid.stderr
    assert "100 people" in valid.stdout
    assert "10 sites" in valid.stdout
    assert "17 weeks" in valid.stdout


def test_schema_is_json_schema() -> None:
    """`surgeplan schema` prints a JSON Schema naming the scenario's tables."""
    done = surgeplan("schema")
    schema = json.loads(done.stdout)
    assert {"people", "sites", "demand", "rules"} <= set(schema["properties"])
