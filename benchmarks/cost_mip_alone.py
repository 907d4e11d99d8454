"""Run the cost MIP alone, at a given weighted shortfall, and print when its plans came.

`python benchmarks/cost_mip_alone.py SCENARIO --shortfall 156 [--seed 0 --time-limit 600
--first-share 0.1]`
The solve runs the MIP beside CP-SAT; this measures the MIP by itself (its LP, then its
reduced-cost rounds on `cost_mip.THREADS` threads), so its own spread across seeds can be
told apart from what sharing the machine costs.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from surgeplan.compile import compile_scenario
from surgeplan.engine import cost_mip
from surgeplan.engine.cost_mip import CostMip
from surgeplan.scenario.errors import InputError
from surgeplan.scenario.load import load_scenario


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", type=Path)
    parser.add_argument("--shortfall", type=int, required=True, help="weighted shortfall held")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=600)
    parser.add_argument(
        "--first-share",
        type=float,
        default=cost_mip.FIRST_SHARE,
        help="share of the columns the first round keeps (to measure other settings)",
    )
    args = parser.parse_args()
    cost_mip.FIRST_SHARE = args.first_share
    try:
        problem = compile_scenario(load_scenario(args.scenario))
    except InputError as error:
        raise SystemExit(error.render()) from None
    began = time.monotonic()

    def show(cost: int, bound: int) -> None:
        seconds = time.monotonic() - began
        print(f"plan {cost / 100:,.2f} USD, bound {bound / 100:,.2f} at {seconds:.1f} s")

    mip = CostMip(problem, args.shortfall, None, args.seed)
    if not (cost_mip.applies(problem) and mip.ready):
        raise SystemExit("the cost MIP does not apply here, or there are too many rotations")
    mip.start(args.time_limit, show)
    if not mip.wait(args.time_limit + 60):
        mip.stop()  # a HiGHS still running at exit would abort the process
        mip.wait(30)
    state = "proven optimal" if mip.proven else "not proven"
    print(
        f"seed {args.seed}: {state}, bound {mip.bound / 100:,.2f} USD, "
        f"{time.monotonic() - began:.1f} s"
    )


if __name__ == "__main__":
    main()
