"""`surgeplan advise`: every one-step relaxation re-solved and checked, ranked in advice.csv."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from helpers import scenario
from surgeplan.advise import advise, candidates
from surgeplan.cli import app
from surgeplan.engine import SolveOptions
from surgeplan.executor import LocalPool
from surgeplan.scenario.model import Base

TINY = Path(__file__).parents[1] / "fixtures" / "tiny"


def test_rest_relaxation_removes_the_shortfall() -> None:
    """Weeks 0 and 2 wanted of one officer with rotation_max 1, rest_min 2: 1 short; the
    rest_min 2 → 1 option (each evaluated by a real solve) brings it to 0 and ranks first."""
    s = scenario(
        weeks=3,
        demand=[("S1", 0, "*", 1), ("S1", 2, "*", 1)],
        rules={"rotation_max": 1, "rest_min": 2},
    )
    labels = [label for label, _ in candidates(s)]
    assert "rest_min 2 → 1" in labels
    base, found = advise(s, SolveOptions(time_limit=10, workers=1), LocalPool(2))
    assert base.shortfall == 1
    best = found[0]
    assert best.shortfall == 0
    assert best.change in {"rest_min 2 → 1", "rotation_max 1 → 2", "one more officer like P1 (B1)"}
    assert {o.change: o.shortfall for o in found}["rest_min 2 → 1"] == 0
    assert all(o.shortfall <= base.shortfall for o in found)  # started from the baseline


def test_advise_command_writes_advice_csv(tmp_path: Path) -> None:
    """The command writes the contract columns with one ranked row per candidate."""
    result = CliRunner().invoke(
        app, ["advise", str(TINY), "--time-limit", "5", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    with (tmp_path / "advice.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "rank",
        "change",
        "shortfall_before",
        "shortfall_after",
        "cost_delta_usd",
    ]
    assert [r["rank"] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    assert len(rows) >= 4


def test_floor_shows_a_release_cap_relaxation() -> None:
    """Base cap 1 with demand 2: only max_away +1 lowers the capacity floor (1 → 0)."""
    base = Base(base_id="B1", name="Base", lat=31, lon=-106, max_away=1)
    s = scenario(weeks=1, people=2, bases=[base], demand=[("S1", 0, "*", 2)], rules={"rest_min": 1})
    baseline, found = advise(s, SolveOptions(time_limit=5, workers=1), LocalPool(1))
    assert baseline.floor == 1
    floors = {o.change: o.floor for o in found}
    assert floors["Base: max_away 1 → 2"] == 0
    assert floors["rest_min 1 → 0"] == 1
    assert found[0].change == "Base: max_away 1 → 2"
