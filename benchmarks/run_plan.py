"""Solve one scenario and print one BENCHMARKS.md table row, with peak memory.

`python benchmarks/run_plan.py SCENARIO --time-limit 60 [--workers 2 --seed 0 --trace]`
Times load+compile, the solve and the check separately; the figures are the checker's.
`--trace` also prints, as it comes, every better plan or bound of each stage (elapsed s,
stage, objective, bound), which says where a run's time goes.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from surgeplan.engine import SolveOptions
from surgeplan.engine.solve import Progress
from surgeplan.scenario.load import load_scenario
from surgeplan.service import plan, usd


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", type=Path)
    parser.add_argument("--time-limit", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    began = time.monotonic()
    scenario = load_scenario(args.scenario)
    options = SolveOptions(args.time_limit, args.workers, args.seed)
    outcome = plan(scenario, options, _Trace() if args.trace else None)
    total = time.monotonic() - began
    result, report = outcome.result, outcome.report
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    gap_s, gap_c = result.gap_pct("shortfall"), result.gap_pct("cost")
    print(
        "| scenario | people×sites×periods | status | shortfall (bound) | cost USD (bound) "
        "| gap shortfall / cost | shortfall stage ends s | solve s | total s | peak MB | checked |"
    )
    print(
        f"| {scenario.name} | {len(scenario.people)}×{len(scenario.sites)}×"
        f"{len(scenario.period_starts())} | {result.status.value} | {report.shortfall} "
        f"({result.bound.shortfall}) | {report.cost_usd:,} ({usd(result.bound.cost):,}) | "
        f"{gap_s if gap_s is None else round(gap_s, 2)}% / "
        f"{gap_c if gap_c is None else round(gap_c, 2)}% | "
        f"{result.stage_seconds.get('shortfall', '-')} "
        f"({result.stage_status.get('shortfall', '-')})"
        f" | {result.seconds:.1f} | {total:.1f} | "
        f"{peak_mb:,.0f} | {report.feasible} |"
    )


class _Trace:
    """Prints each stage's better plans and bounds as they come."""

    def __init__(self) -> None:
        self.best: dict[str, tuple[float, float]] = {}

    def __call__(self, progress: Progress) -> None:
        seen = self.best.get(progress.stage)
        if seen is None or progress.objective < seen[0] or progress.bound > seen[1]:
            self.best[progress.stage] = (progress.objective, progress.bound)
            print(
                f"{progress.elapsed:7.1f} s  {progress.stage}  {progress.objective}"
                f"  (bound {progress.bound})",
                flush=True,
            )


if __name__ == "__main__":
    main()
