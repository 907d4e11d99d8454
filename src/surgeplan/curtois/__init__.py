"""The Curtois & Qu staff-scheduling benchmark: instance reader, roster CSV, independent evaluator.

This package is the benchmark's front door and its referee. It imports only the standard
library and `surgeplan.scenario.errors` / `surgeplan.scenario.files`, never the optimisation
engine, so a roster the engine produces is checked by code that shares none of its mistakes.
"""

from surgeplan.curtois.evaluate import (
    HARD_RULES,
    SOFT_TERMS,
    Evaluation,
    Penalty,
    Violation,
    evaluate,
)
from surgeplan.curtois.instance import CoverRow, Employee, Instance, Request, Shift
from surgeplan.curtois.parse import read_instance
from surgeplan.curtois.roster import Roster, read_roster, write_roster

__all__ = [
    "HARD_RULES",
    "SOFT_TERMS",
    "CoverRow",
    "Employee",
    "Evaluation",
    "Instance",
    "Penalty",
    "Request",
    "Roster",
    "Shift",
    "Violation",
    "evaluate",
    "read_instance",
    "read_roster",
    "write_roster",
]
