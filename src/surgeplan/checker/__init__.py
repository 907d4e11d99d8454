"""The independent checker: read a plan export, recompute hard rules and the ledger.

It shares no code with the engine (DESIGN.md §3); it depends only on the scenario layer.
"""

from surgeplan.checker.check import check
from surgeplan.checker.ledger import (
    COST_CATEGORIES,
    TIER_CHANGES,
    TIER_COST,
    TIER_FAIRNESS,
    TIER_REQUESTS,
    TIER_SHORTFALL,
    TIERS,
    Assignment,
    CheckReport,
    LedgerEntry,
    Stretch,
    Violation,
)
from surgeplan.checker.read import read_assignments
from surgeplan.checker.rules import HARD_RULES

__all__ = [
    "COST_CATEGORIES",
    "HARD_RULES",
    "TIERS",
    "TIER_CHANGES",
    "TIER_COST",
    "TIER_FAIRNESS",
    "TIER_REQUESTS",
    "TIER_SHORTFALL",
    "Assignment",
    "CheckReport",
    "LedgerEntry",
    "Stretch",
    "Violation",
    "check",
    "read_assignments",
]
