"""What the checker reports: assignments read from a plan file, violations and the ledger.

These types are the checker's output contract, shared by reports and interfaces; the
checker's *logic* shares nothing with the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

TIER_SHORTFALL = "shortfall"
TIER_COST = "cost"
TIER_FAIRNESS = "fairness"
TIER_REQUESTS = "requests"
TIER_CHANGES = "changes"
TIERS = (TIER_SHORTFALL, TIER_COST, TIER_FAIRNESS, TIER_REQUESTS, TIER_CHANGES)
"""The tiers the checker reports, in the lexicographic order of DESIGN.md §4 (tier 2,
budget excess, does not exist in v1: the budget is a hard rule)."""
COST_CATEGORIES = ("travel", "lodging", "mie")


@dataclass(frozen=True, slots=True)
class Assignment:
    """One row of assignments.csv: a person deployed to a site for one period."""

    person_id: str
    site_id: str
    period_start: date
    period_end: date


@dataclass(frozen=True, slots=True)
class Violation:
    """A broken hard rule, in the planner's words."""

    rule: str
    scope: str
    message: str


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One objective term: which rule, where, how much, at what weight.

    `amount` is officers short (shortfall tier), US dollars (cost tier), the spread of
    deployed periods (fairness tier), 1 per ungranted request (requests tier) or 1 per
    changed person-period (changes tier); `penalty` = `amount` × `weight`.
    """

    tier: str
    rule: str
    scope: str
    amount: Decimal
    weight: Decimal
    penalty: Decimal
    site_id: str | None = None
    person_id: str | None = None
    period_start: date | None = None


@dataclass(frozen=True, slots=True)
class Stretch:
    """A same-site run of deployed periods of one person, as priced (DESIGN.md §5)."""

    person_id: str
    site_id: str
    start: date
    end: date
    periods: int
    travel_usd: Decimal
    lodging_usd: Decimal
    mie_usd: Decimal

    @property
    def cost_usd(self) -> Decimal:
        """Total cost of the stretch."""
        return self.travel_usd + self.lodging_usd + self.mie_usd


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Everything the checker recomputed for one plan."""

    violations: tuple[Violation, ...]
    ledger: tuple[LedgerEntry, ...]
    stretches: tuple[Stretch, ...] = field(default=())

    @property
    def feasible(self) -> bool:
        """True when no hard rule is broken."""
        return not self.violations

    def tier_total(self, tier: str) -> Decimal:
        """Sum of penalties of one tier."""
        return sum((e.penalty for e in self.ledger if e.tier == tier), Decimal(0))

    @property
    def shortfall(self) -> Decimal:
        """Priority-weighted shortfall (tier 1)."""
        return self.tier_total(TIER_SHORTFALL)

    @property
    def fairness(self) -> Decimal:
        """Weighted spread of deployed periods across eligible officers (tier 4)."""
        return self.tier_total(TIER_FAIRNESS)

    @property
    def requests(self) -> Decimal:
        """Weighted count of ungranted requests (tier 5)."""
        return self.tier_total(TIER_REQUESTS)

    @property
    def cost_usd(self) -> Decimal:
        """Total cost in US dollars (sum of all stretch costs)."""
        return sum((s.cost_usd for s in self.stretches), Decimal(0))
