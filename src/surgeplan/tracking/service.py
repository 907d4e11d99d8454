"""Tracking as a service: read (or simulate) outcomes, measure, write tracking.json and .html.

The CLI and a future API call these functions; they hold no statistics and no rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from surgeplan.checker.ledger import Assignment
from surgeplan.reports.exports import json_text, write_atomic
from surgeplan.scenario.errors import InputError, Issue
from surgeplan.scenario.load import load_scenario
from surgeplan.scenario.model import Scenario
from surgeplan.service import BUILTIN
from surgeplan.tracking.analysis import analyse
from surgeplan.tracking.outcomes import Outcomes, load_outcomes
from surgeplan.tracking.report import render
from surgeplan.tracking.simulate import SEED, SimulationSpec, anchors, simulate
from surgeplan.tracking.summary import as_json
from surgeplan.tracking.target import Target, read_target


def is_builtin(scenario_path: Path | None) -> bool:
    """True for no path or a path to the built-in bundle (folder or its scenario.yaml)."""
    if scenario_path is None:
        return True
    folder = scenario_path if scenario_path.is_dir() else scenario_path.parent
    return folder.resolve() == BUILTIN.resolve()


def track(
    scenario: Path | None,
    outcomes_path: Path | None,
    out_dir: Path,
    assignments: Sequence[Assignment] | None = None,
    seed: int = SEED,
) -> dict[str, Any]:
    """Measure a campaign's outcomes against its target; write tracking.json and tracking.html.

    `scenario` is a bundle folder or scenario.yaml (None: the built-in 2020 scenario); the
    target comes from tracking.yaml beside it, or the defaults. Without `outcomes_path`
    the built-in scenario uses SIMULATED outcomes (seeded by `seed`), labelled as such;
    other scenarios need a file. `assignments` (from `read_assignments`) adds the plan link.
    Returns the contents of tracking.json.

    Raises
    ------
    InputError
        When the scenario, tracking.yaml or outcomes.csv cannot be read (exit code 2).
    """
    builtin = is_builtin(scenario)
    loaded = load_scenario(scenario if scenario is not None else BUILTIN)
    target = read_target(scenario, loaded, builtin=builtin)
    names = {k: name for k, (name, _) in anchors().items()} if builtin else {}
    note = ""
    if outcomes_path is not None:
        outcomes = load_outcomes(outcomes_path, loaded, target)
    elif builtin:
        spec = SimulationSpec(seed=seed)
        outcomes = simulate(loaded, target, spec).outcomes
        note = simulation_note(spec)
    else:
        raise InputError(
            [
                Issue(
                    str(scenario),
                    "no outcomes file given; simulated outcomes exist only for the built-in "
                    "scenario; pass an outcomes.csv (site_id,period_start,metric,value)",
                )
            ]
        )
    return write_tracking(loaded, target, outcomes, out_dir, assignments, names, note)


def write_tracking(
    scenario: Scenario,
    target: Target,
    outcomes: Outcomes,
    out_dir: Path,
    assignments: Sequence[Assignment] | None = None,
    names: dict[str, str] | None = None,
    data_note: str = "",
) -> dict[str, Any]:
    """Analyse loaded inputs and write both files (the entry point for an API server)."""
    analysis = analyse(scenario, target, outcomes, assignments, names, data_note)
    data = as_json(analysis)
    write_atomic(out_dir / "tracking.json", json_text(data))
    write_atomic(out_dir / "tracking.html", render(analysis))
    return data


def simulation_note(spec: SimulationSpec) -> str:
    """One line on how the simulated counts were made, for the report."""
    effects = ", ".join(f"{site} {pct:+.0%}" for site, pct in ((s, e - 1) for s, e in spec.effects))
    return (
        f"Simulator seed {spec.seed}; baseline levels from FY2016–FY2017 per-office arrests "
        f"(MPI via UWCHR); negative-binomial noise (alpha {spec.alpha}); counts after the "
        f"shock scaled by {spec.shock_factor}; invented true effects: {effects}."
    )
