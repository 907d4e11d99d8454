"""`surgeplan replan` as a planner uses it: plan, an officer goes on leave, re-plan from a
date: the past is kept, impact.csv lists who gets new orders, --compare-fresh says how many
a fresh plan would move; bad inputs exit 2."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from surgeplan.cli import app

TINY = Path(__file__).parents[1] / "fixtures" / "tiny"
runner = CliRunner()


def rows(path: Path) -> list[dict[str, str]]:
    """CSV rows as dicts."""
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_replan_keeps_the_past_and_reports_impact(tmp_path: Path) -> None:
    """P3 goes on leave from 2020-02-10: nothing before changes; P3 is in impact.csv."""
    bundle = tmp_path / "s"
    shutil.copytree(TINY, bundle)
    first = runner.invoke(
        app, ["plan", str(bundle), "--out", str(tmp_path / "p0"), "--time-limit", "10", "--quiet"]
    )
    assert first.exit_code == 0, first.output
    before = rows(tmp_path / "p0" / "assignments.csv")
    assert any(r["person_id"] == "P3" and r["period_start"] >= "2020-02-10" for r in before)
    with (bundle / "unavailable.csv").open("a", encoding="utf-8") as handle:
        handle.write("P3,2020-02-10,2020-02-23\n")
    result = runner.invoke(
        app,
        [
            "replan",
            str(bundle),
            "--previous",
            str(tmp_path / "p0" / "assignments.csv"),
            "--from",
            "2020-02-10",
            "--out",
            str(tmp_path / "r1"),
            "--time-limit",
            "10",
            "--quiet",
            "--compare-fresh",
        ],
    )
    assert result.exit_code == 0, result.output
    after = rows(tmp_path / "r1" / "assignments.csv")
    past = [r for r in before if r["period_start"] < "2020-02-10"]
    assert past == [r for r in after if r["period_start"] < "2020-02-10"]
    assert not any(r["person_id"] == "P3" and r["period_start"] >= "2020-02-10" for r in after)
    impact = rows(tmp_path / "r1" / "impact.csv")
    assert "P3" in {r["person_id"] for r in impact}
    assert f"{len(impact)} officers get new orders" in result.output
    summary = json.loads((tmp_path / "r1" / "summary.json").read_text(encoding="utf-8"))
    assert summary["moved"]["officers_with_new_orders"] == len(impact)
    assert summary["moved"]["person_periods_changed"] == summary["objective"]["changes"]
    fresh = summary["fresh_plan_moved"]
    assert fresh["officers_with_new_orders"] >= 1  # P3's rows after 2020-02-10 must go
    assert "a fresh plan in the same time would give new orders to" in result.output


def test_replan_with_unknown_previous_officer_exits_2(tmp_path: Path) -> None:
    """A previous plan naming an officer not in the scenario cannot be read: exit 2."""
    previous = tmp_path / "assignments.csv"
    previous.write_text(
        "person_id,site_id,period_start,period_end\nP9,CHI,2020-02-03,2020-02-09\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        [
            "replan",
            str(TINY),
            "--previous",
            str(previous),
            "--from",
            "2020-02-10",
            "--out",
            str(tmp_path / "r"),
        ],
    )
    assert result.exit_code == 2
    assert "assignments.csv:2" in result.output


def test_bad_pins_file_exits_2(tmp_path: Path) -> None:
    """A pin on a day that is not a period start, and one on leave, are named with lines."""
    pins = tmp_path / "pins.csv"
    pins.write_text(
        "person_id,period_start,site_id\nP1,2020-02-04,CHI\nP2,2020-02-10,NYC\n", encoding="utf-8"
    )
    result = runner.invoke(
        app, ["plan", str(TINY), "--pins", str(pins), "--out", str(tmp_path / "p")]
    )
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "pins.csv:2: period_start:" in text
    assert "pins.csv:3: site_id: P2 is unavailable" in text
