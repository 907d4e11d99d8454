"""Campaign outcome tracking: aggregate counts per site and period against the target.

Layer below the interfaces and beside the plan (DESIGN.md §3): it reads `outcomes.csv`
(aggregate counts only — row-level data about people is refused), the target from an
optional `tracking.yaml`, and writes `tracking.json` and `tracking.html`.
"""

from surgeplan.tracking.outcomes import Count, Outcomes, load_outcomes
from surgeplan.tracking.service import track, write_tracking
from surgeplan.tracking.simulate import Simulation, SimulationSpec, simulate
from surgeplan.tracking.target import Shock, Target, builtin_target, read_target

__all__ = [
    "Count",
    "Outcomes",
    "Shock",
    "Simulation",
    "SimulationSpec",
    "Target",
    "builtin_target",
    "load_outcomes",
    "read_target",
    "simulate",
    "track",
    "write_tracking",
]
