"""Re-plan after leave vs planning from scratch: how many officers get new orders.

`python benchmarks/replan_leave.py [SCENARIO] --from 2020-03-16 --officers 5
 --plan-limit 20 --time-limit 40`
Plans the scenario, marks the first `--officers` officers deployed in the week of `--from`
unavailable from then to the end, then re-plans (`service.replan`) and plans the changed
scenario from scratch with the same time; prints one table row for each, changes counted
against the first plan by the checker. Every plan is checked
(the service raises if the engine and the checker disagree).
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

from surgeplan.checker.ledger import Assignment
from surgeplan.engine import SolveOptions
from surgeplan.scenario.load import load_scenario
from surgeplan.scenario.model import Scenario, Unavailable
from surgeplan.service import BUILTIN, Moves, plan, replan


def on_leave(scenario: Scenario, previous: tuple[Assignment, ...], since: date, n: int) -> Scenario:
    """The scenario with the first `n` officers deployed in the period of `since` on leave."""
    chosen = sorted({a.person_id for a in previous if a.period_start == since})[:n]
    leave = tuple(Unavailable(person_id=p, start=since, end=scenario.end) for p in chosen)
    return scenario.model_copy(update={"unavailable": (*scenario.unavailable, *leave)})


def row(label: str, m: Moves, seconds: float) -> str:
    """One table row."""
    return (
        f"| {label} | {m.person_periods} | {m.officers} | {m.shortfall} | {m.cost_usd:,} | "
        f"{seconds:.0f} |"
    )


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", type=Path, nargs="?", default=BUILTIN / "scenario.yaml")
    parser.add_argument("--from", dest="since", type=date.fromisoformat, default="2020-03-16")
    parser.add_argument("--officers", type=int, default=5)
    parser.add_argument("--plan-limit", type=float, default=20)
    parser.add_argument("--time-limit", type=float, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    first = plan(scenario, SolveOptions(args.plan_limit, args.workers, args.seed))
    previous = first.assignments
    changed = on_leave(scenario, previous, args.since, args.officers)
    options = SolveOptions(args.time_limit, args.workers, args.seed)
    began = time.monotonic()
    again = replan(changed, previous, args.since, options, compare_fresh=True)
    assert again.fresh is not None
    assert again.outcome.report.feasible
    print(
        "| run | person-periods changed | officers with new orders | shortfall | cost USD "
        "| wall s |"
    )
    print("|---|---|---|---|---|---|")
    print(row("`replan`", again.moved, again.outcome.result.seconds))
    print(row("fresh `plan` of the changed scenario", again.fresh, args.time_limit))
    print(f"wall {time.monotonic() - began:.0f} s for both")


if __name__ == "__main__":
    main()
