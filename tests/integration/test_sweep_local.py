"""A sweep end to end on local processes: every run solved and checked, the figures worked
out by hand, and the files a planner opens (runs.csv, summary.csv, sweep.html)."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from helpers import scenario
from surgeplan.cli import app
from surgeplan.engine import SolveOptions
from surgeplan.executor import LocalPool
from surgeplan.sweep import Design, parse_vary, summarise, sweep

TINY = Path(__file__).parents[1] / "fixtures" / "tiny"


def test_rest_rule_sweep_matches_the_hand_worked_shortfall() -> None:
    """One officer, wanted in weeks 0 and 2, rotation_max 1: with rest_min 2 the second
    week goes short (1), with rest_min 1 both are met (0). Two replicates without draws
    agree exactly (sd 0), and only rest_min=1 is on the frontier."""
    s = scenario(weeks=3, demand=[("S1", 0, "*", 1), ("S1", 2, "*", 1)], rules={"rotation_max": 1})
    chosen, runs = sweep(
        s,
        [parse_vary("rest_min=1,2")],
        Design(replicates=2),
        SolveOptions(time_limit=10, workers=1),
        LocalPool(2),
    )
    assert [(r.variant, r.replicate, r.shortfall) for r in runs] == [
        (0, 0, 0),
        (0, 1, 0),
        (1, 0, 1),
        (1, 1, 1),
    ]
    assert all(r.checked and r.status == "OPTIMAL" for r in runs)
    summaries = summarise(chosen, runs)
    assert [s.shortfall.mean for s in summaries] == [0, 1]
    assert summaries[1].shortfall.sd == 0
    assert [s.on_frontier for s in summaries] == [True, False]


def rows(path: Path) -> list[dict[str, str]]:
    """CSV rows as dicts."""
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_sweep_command_writes_runs_summary_and_chart(tmp_path: Path) -> None:
    """`surgeplan sweep` with two variants × 3 replicates and attrition: 6 checked runs,
    the same officers lost in each variant's replicate r (common random numbers), a
    summary row per variant and a self-contained chart."""
    result = CliRunner().invoke(
        app,
        [
            "sweep",
            str(TINY),
            "--vary",
            "rest_min=0,1",
            "--replicates",
            "3",
            "--attrition",
            "0.3",
            "--time-limit",
            "5",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    runs = rows(tmp_path / "runs.csv")
    assert len(runs) == 6
    assert {r["checked"] for r in runs} == {"true"}
    lost = {(r["variant"], r["replicate"]): r["officers_lost"] for r in runs}
    assert all(lost["rest_min=0", k] == lost["rest_min=1", k] for k in ("0", "1", "2"))
    summary = rows(tmp_path / "summary.csv")
    assert [s["variant"] for s in summary] == ["rest_min=0", "rest_min=1"]
    assert all(s["runs"] == "3" for s in summary)
    page = (tmp_path / "sweep.html").read_text(encoding="utf-8")
    assert "<svg" in page
    assert "http" not in page
    assert "wrote" in result.output


def test_bad_vary_exits_2_with_the_fix(tmp_path: Path) -> None:
    """A value the rule cannot take is refused before any solve, naming rule and reason."""
    result = CliRunner().invoke(
        app, ["sweep", str(TINY), "--vary", "rotation_max=0", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "rotation_max" in result.output
    assert "greater than or equal to 1" in result.output
    assert not (tmp_path / "runs.csv").exists()
