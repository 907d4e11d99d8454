"""Price every same-site stretch of the plan (DESIGN.md §5, contract v1), exactly.

A stretch of n periods of d days is d·n days on site: one round trip base↔site, lodging
for the d·n − 1 nights (each at the rate of the month the night begins in), M&IE for the
d·n days with the first and last day at 75% (a one-day stretch pays 75% once). The 75%
amount of a day is rounded half-up to the cent, per day — our documented choice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from surgeplan.checker.ledger import TIER_COST, LedgerEntry, Stretch
from surgeplan.checker.periods import days, month_of, period_end
from surgeplan.checker.plan import Plan
from surgeplan.scenario.model import Scenario

CENT = Decimal("0.01")
FIRST_LAST_DAY = Decimal("0.75")
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Tariff:
    """Fares and per diem rates by key; None when the table is absent (costs nothing)."""

    fares: Mapping[tuple[str, str], Decimal] | None
    rates: Mapping[tuple[str, str], tuple[Decimal, Decimal]] | None

    def fare(self, base_id: str, site_id: str) -> Decimal:
        """Round trip between a base and a site."""
        if self.fares is None:
            return ZERO
        try:
            return self.fares[(base_id, site_id)]
        except KeyError:
            raise ValueError(
                f"the travel table has no fare for {base_id}-{site_id}; "
                "a present table must price every base-site pair"
            ) from None

    def lodging(self, site_id: str, day: date) -> Decimal:
        """Lodging rate of the night that begins on `day`."""
        return self._rate(site_id, day)[0]

    def mie(self, site_id: str, day: date) -> Decimal:
        """Full-day M&IE rate of `day`."""
        return self._rate(site_id, day)[1]

    def _rate(self, site_id: str, day: date) -> tuple[Decimal, Decimal]:
        if self.rates is None:
            return ZERO, ZERO
        try:
            return self.rates[(site_id, month_of(day))]
        except KeyError:
            raise ValueError(
                f"the per diem table has no row for {site_id} in {month_of(day)}; "
                "a present table must cover every site and campaign month"
            ) from None


def tariff_of(scenario: Scenario) -> Tariff:
    """Index the scenario's optional cost tables."""
    fares = None
    if scenario.travel is not None:
        fares = MappingProxyType(
            {(f.base_id, f.site_id): f.round_trip_usd for f in scenario.travel}
        )
    rates = None
    if scenario.per_diem is not None:
        rates = MappingProxyType(
            {(r.site_id, r.month): (r.lodging_usd, r.mie_usd) for r in scenario.per_diem}
        )
    return Tariff(fares, rates)


def three_quarters(rate: Decimal) -> Decimal:
    """75% of a day's M&IE, rounded half-up to the cent."""
    return (rate * FIRST_LAST_DAY).quantize(CENT, rounding=ROUND_HALF_UP)


def lodging_usd(tariff: Tariff, site_id: str, first: date, last: date) -> Decimal:
    """Nights beginning on `first` .. the day before `last` (the last night is unpaid)."""
    nights = days(first, last - timedelta(days=1))
    return sum((tariff.lodging(site_id, night) for night in nights), ZERO)


def mie_usd(tariff: Tariff, site_id: str, first: date, last: date) -> Decimal:
    """M&IE for every day on site, first and last day at 75% (once if they coincide)."""
    total = ZERO
    for day in days(first, last):
        rate = tariff.mie(site_id, day)
        total += three_quarters(rate) if day in (first, last) else rate
    return total


def stretches(scenario: Scenario, plan: Plan) -> tuple[Stretch, ...]:
    """Every same-site stretch, priced; by person (scenario order), start, then site."""
    tariff = tariff_of(scenario)
    site_ids = sorted(s.site_id for s in scenario.sites)
    found: list[Stretch] = []
    for person in scenario.people:
        mine = [
            (run, site_id)
            for site_id in site_ids
            for run in plan.at_site(person.person_id, site_id)
        ]
        for run, site_id in sorted(mine, key=lambda item: (item[0].first, item[1])):
            first = plan.starts[run.first]
            last = period_end(scenario, plan.starts[run.last])
            found.append(
                Stretch(
                    person.person_id,
                    site_id,
                    first,
                    last,
                    run.length,
                    tariff.fare(person.base_id, site_id),
                    lodging_usd(tariff, site_id, first, last),
                    mie_usd(tariff, site_id, first, last),
                )
            )
    return tuple(found)


def cost_entries(scenario: Scenario, priced: tuple[Stretch, ...]) -> tuple[LedgerEntry, ...]:
    """Three ledger entries (travel, lodging, mie) per stretch, weighted by weights.cost."""
    weight = Decimal(scenario.weights.cost)
    entries: list[LedgerEntry] = []
    for s in priced:
        scope = f"person {s.person_id}, site {s.site_id}, {s.start} to {s.end}"
        for rule, amount in (
            ("travel", s.travel_usd),
            ("lodging", s.lodging_usd),
            ("mie", s.mie_usd),
        ):
            entries.append(
                LedgerEntry(
                    TIER_COST,
                    rule,
                    scope,
                    amount,
                    weight,
                    amount * weight,
                    site_id=s.site_id,
                    person_id=s.person_id,
                    period_start=s.start,
                )
            )
    return tuple(entries)
