"""The Curtois front door through the one engine: solved rosters pass the independent
evaluator, whose objective equals the engine's, and Instance1 reaches its proven optimum."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from surgeplan.cli import app
from surgeplan.curtois.evaluate import evaluate
from surgeplan.curtois.parse import read_instance
from surgeplan.curtois.roster import read_roster
from surgeplan.curtois.to_problem import compile_instance, roster_of
from surgeplan.engine import Progress, SolveOptions, Status, solve

CURTOIS = Path(__file__).parents[2].parent / "shared" / "benchmarks" / "curtois"


@pytest.mark.parametrize(("number", "seconds"), [(1, 20), (2, 5), (4, 5)])
def test_engine_agrees_with_evaluator(number: int, seconds: float) -> None:
    """The engine's penalty is the evaluator's objective, and the roster breaks no rule."""
    instance = read_instance(CURTOIS / f"Instance{number}.txt")
    result = solve(compile_instance(instance), SolveOptions(time_limit=seconds, workers=2))
    assert result.solution is not None and result.objective is not None
    evaluation = evaluate(instance, roster_of(result.solution))
    assert evaluation.violations == ()
    assert evaluation.total == result.objective.penalty
    if number == 1:
        assert result.status is Status.OPTIMAL
        assert evaluation.total == 607  # published optimum (best_known.csv)


def test_roster_progress_only_improves() -> None:
    """A roster is searched by two solvers at once (a portfolio); the progress shown never
    goes back: each plan better than the last, bounds never lower, and the last plan is
    the one returned. Instance2 is proven optimal (828) within the limit."""
    events: list[Progress] = []
    problem = compile_instance(read_instance(CURTOIS / "Instance2.txt"))
    result = solve(problem, SolveOptions(time_limit=30, workers=2), events.append)
    assert result.objective is not None and events
    penalty = [e.objective for e in events if e.stage == "penalty"]
    bounds = [e.bound for e in events if e.stage == "penalty"]
    assert penalty == sorted(penalty, reverse=True) and bounds == sorted(bounds)
    assert penalty[-1] == result.objective.penalty == 828
    assert result.status is Status.OPTIMAL


def test_bench_command_writes_contract_files(tmp_path: Path) -> None:
    """`surgeplan bench curtois` writes results.csv in contract form and a roster that
    re-evaluates to the reported objective."""
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "curtois",
            str(CURTOIS),
            "--instances",
            "1",
            "--time-limit",
            "20",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    with (tmp_path / "results.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "instance",
        "objective",
        "best_known",
        "gap_pct",
        "status",
        "seconds",
        "workers",
        "seed",
        "checked",
    ]
    assert rows[0]["instance"] == "Instance1"
    assert (rows[0]["objective"], rows[0]["best_known"], rows[0]["checked"]) == (
        "607",
        "607",
        "true",
    )
    instance = read_instance(CURTOIS / "Instance1.txt")
    roster = read_roster(tmp_path / "Instance1.roster.csv", instance)
    assert evaluate(instance, roster).total == 607


def test_bench_refuses_bad_selection(tmp_path: Path) -> None:
    """A malformed --instances gives exit 2 and the fix."""
    result = CliRunner().invoke(
        app, ["bench", "curtois", str(CURTOIS), "--instances", "3-1", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "runs backwards; write 1-3" in result.output


def test_held_floor_proves_instance3() -> None:
    """Instance3's floor (`bounds.missing_floor`) is its optimum's shortfall: searched with
    the floor held, the optimum (1,001) is proven, because a roster missing one more
    person pays more than 1,001 (`solve._hold_floor`). Without the hold no run of ours had
    proven it, not even in 600 s (BENCHMARKS.md §2)."""
    problem = compile_instance(read_instance(CURTOIS / "Instance3.txt"))
    result = solve(problem, SolveOptions(time_limit=30, workers=2))
    assert result.objective is not None
    assert (result.status, result.objective.penalty, result.bound.penalty) == (
        Status.OPTIMAL,
        1001,
        1001,
    )
