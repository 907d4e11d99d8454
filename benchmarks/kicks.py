"""Iterated best responses alone: kicks a second, and where they end.

`python benchmarks/kicks.py SCENARIO [--kicks 3000 --seed 0]`
From the constructive plan settled by best responses (`best_response.Search`), runs a fixed
number of kicks and prints their rate, the plan's (shortfall, cost) and a hash of the plan,
so that a faster version can be shown to make the very same moves.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time
from pathlib import Path

from surgeplan.compile import compile_scenario
from surgeplan.engine.best_response import Search
from surgeplan.engine.construct import construct
from surgeplan.scenario.load import load_scenario


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", type=Path)
    parser.add_argument("--kicks", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    problem = compile_scenario(load_scenario(args.scenario))
    search, rng = Search(problem, construct(problem)), random.Random(args.seed)
    search.settle(time.monotonic() + 60, rng)
    began = time.monotonic()
    for _ in range(args.kicks):
        search.kick(rng)
    seconds = time.monotonic() - began
    plan = hashlib.md5(repr(search.solution().activity).encode()).hexdigest()[:12]
    shortfall, cost = search.value()
    print(
        f"{args.kicks} kicks in {seconds:.1f} s: {args.kicks / seconds:,.0f} a second; "
        f"shortfall {shortfall}, cost {cost} cents, plan {plan}"
    )


if __name__ == "__main__":
    main()
