"""The planner's world: a surge scenario in names, dates and dollars (contract v1.1).

Contract v1.1 adds, backward compatibly, the optional `requests` table and the
`fairness` and `requests` weights; every v1 scenario is a v1.1 scenario that means the
same (fairness off, no requests).

These frozen pydantic models are the single source of truth for what a valid row is;
the loaders add *where* a bad value came from. Cross-table rules (unknown ids,
completeness of optional tables) live in `surgeplan.scenario.validate`.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

IDENT = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
ANY_QUALIFICATION = "*"
ANY_SITE = "*"
"""`site_id` of a request about any site: `on *` = deployed anywhere, `off *` = at home."""


def _two_decimals(value: Decimal) -> Decimal:
    """Money is exact to the cent: refuse fractions of a cent instead of rounding silently."""
    if not value.is_finite():
        raise ValueError(f"{value} is not an amount; give a number like 12.35")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"{value} has more than two decimals; give whole cents, e.g. 12.35")
    if value < 0:
        raise ValueError(f"{value} is negative; amounts must be zero or more")
    return value.quantize(Decimal("0.01"))


Money = Annotated[Decimal, AfterValidator(_two_decimals)]
Ident = Annotated[str, Field(pattern=IDENT, max_length=64)]


class Frozen(BaseModel):
    """Base of every scenario object: immutable, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Grant(Frozen):
    """A qualification held by a person, optionally only within an inclusive date interval."""

    name: Ident
    valid_from: date | None = None
    valid_to: date | None = None

    @model_validator(mode="after")
    def _interval_ordered(self) -> Grant:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(
                f"qualification {self.name!r} is valid from {self.valid_from} to "
                f"{self.valid_to}: the interval ends before it starts; swap the dates"
            )
        return self

    def covers(self, first: date, last: date) -> bool:
        """True if the grant is valid on every day from `first` to `last`."""
        return (self.valid_from is None or self.valid_from <= first) and (
            self.valid_to is None or last <= self.valid_to
        )


GRANT_RE = re.compile(r"^([^@]+?)(?:@(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2}))?$")


def parse_grants(text: str) -> tuple[Grant, ...]:
    """Parse `name;name@YYYY-MM-DD..YYYY-MM-DD` (the people.csv `qualifications` cell)."""
    grants = []
    for raw in text.split(";"):
        item = raw.strip()
        if not item:
            continue
        match = GRANT_RE.match(item)
        if match is None:
            raise ValueError(
                f"{item!r} is not a qualification; write 'name' or 'name@2020-01-01..2020-12-31'"
            )
        name, first, last = match.groups()
        try:
            valid_from = date.fromisoformat(first) if first else None
            valid_to = date.fromisoformat(last) if last else None
        except ValueError as exc:
            raise ValueError(f"{item!r}: {exc}; dates are YYYY-MM-DD") from None
        grants.append(Grant(name=name.strip(), valid_from=valid_from, valid_to=valid_to))
    return tuple(grants)


class Person(Frozen):
    """One officer of the deploying agency (never a member of the public)."""

    person_id: Ident
    name: Annotated[str, Field(min_length=1, max_length=200)]
    base_id: Ident
    qualifications: tuple[Grant, ...] = ()

    @field_validator("qualifications", mode="before")
    @classmethod
    def _from_cell(cls, value: object) -> object:
        return parse_grants(value) if isinstance(value, str) else value

    def holds(self, qualification: str, first: date, last: date) -> bool:
        """True if any grant of `qualification` covers every day from `first` to `last`.

        Two grants of one name are a union of intervals (DESIGN.md §5); a period is
        covered only if a single grant covers it or adjoining grants do together.
        """
        day = first
        while day <= last:
            grant = next(
                (g for g in self.qualifications if g.name == qualification and g.covers(day, day)),
                None,
            )
            if grant is None:
                return False
            if grant.valid_to is None or grant.valid_to >= last:
                return True
            day = grant.valid_to + timedelta(days=1)
        return True


class Base(Frozen):
    """A home station; `max_away` caps how many of its people are deployed at once."""

    base_id: Ident
    name: Annotated[str, Field(min_length=1, max_length=200)]
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    max_away: Annotated[int, Field(ge=0)] | None = None


class Site(Frozen):
    """A deployment city; `priority` multiplies its shortfall in the objective."""

    site_id: Ident
    name: Annotated[str, Field(min_length=1, max_length=200)]
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    priority: Annotated[int, Field(ge=1, le=1_000_000)] = 1


class Demand(Frozen):
    """Required headcount (`*`) or minimum holders of a qualification at a site in a period."""

    site_id: Ident
    period_start: date
    qualification: Annotated[str, Field(pattern=r"^(\*|[A-Za-z0-9][A-Za-z0-9_.\-]*)$")]
    required: Annotated[int, Field(ge=0, le=1_000_000)]


class Unavailable(Frozen):
    """A person cannot deploy on any day of this inclusive interval (leave, court, training)."""

    person_id: Ident
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Unavailable:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}; swap the dates")
        return self


class Request(Frozen):
    """A person's soft wish (contract v1.1) to be (`on`) or not to be (`off`) at a site,
    or at any site (`*`), in the period starting `period_start`.

    `on S` is granted if the person is at S that period, `on *` if deployed anywhere,
    `off S` if not at S, `off *` if at home. An ungranted request costs
    `weight` × `weights.requests` in the requests tier.
    """

    person_id: Ident
    period_start: date
    site_id: Annotated[str, Field(pattern=r"^(\*|[A-Za-z0-9][A-Za-z0-9_.\-]*)$", max_length=64)]
    kind: Literal["on", "off"]
    weight: Annotated[int, Field(ge=1, le=1_000_000)]


class PerDiem(Frozen):
    """GSA-style rates for a site in a month: lodging per night, M&IE per day."""

    site_id: Ident
    month: Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
    lodging_usd: Money
    mie_usd: Money


class Fare(Frozen):
    """Round-trip travel cost between a home base and a site."""

    base_id: Ident
    site_id: Ident
    round_trip_usd: Money


class Rules(Frozen):
    """Hard rules of contract v1; an absent rule is off."""

    rotation_min: Annotated[int, Field(ge=1)] = 1
    rotation_max: Annotated[int, Field(ge=1)] | None = None
    rest_min: Annotated[int, Field(ge=0)] = 0
    deployed_max: Annotated[int, Field(ge=0)] | None = None
    same_site_only: bool = True
    budget_usd: Money | None = None

    @model_validator(mode="after")
    def _rotation_bounds(self) -> Rules:
        if self.rotation_max is not None and self.rotation_max < self.rotation_min:
            raise ValueError(
                f"rotation_max {self.rotation_max} is below rotation_min {self.rotation_min}; "
                "raise rotation_max or lower rotation_min"
            )
        return self


class Weights(Frozen):
    """Weights inside each objective tier (tiers themselves are lexicographic).

    `fairness` (v1.1) multiplies the spread of deployed periods across eligible people;
    0, the default, turns the tier off. `requests` (v1.1) multiplies every request's own
    weight; it matters only when the scenario has requests.
    """

    shortfall: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    cost: Annotated[int, Field(ge=1, le=1_000)] = 1
    fairness: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    requests: Annotated[int, Field(ge=0, le=1_000_000)] = 1


Period = Literal["week", "day"]


class Scenario(Frozen):
    """A whole surge: campaign dates, roster, sites, demand, costs and rules.

    `per_diem` and `travel` are None when the table is absent (costs nothing),
    which differs from an empty table. `requests` (v1.1) is empty when absent.
    """

    name: Annotated[str, Field(min_length=1, max_length=200)]
    start: date
    end: date
    period: Period = "week"
    people: tuple[Person, ...]
    bases: tuple[Base, ...]
    sites: tuple[Site, ...]
    demand: tuple[Demand, ...] = ()
    unavailable: tuple[Unavailable, ...] = ()
    per_diem: tuple[PerDiem, ...] | None = None
    travel: tuple[Fare, ...] | None = None
    requests: tuple[Request, ...] = ()
    rules: Rules = Rules()
    weights: Weights = Weights()

    @property
    def period_days(self) -> int:
        """Length of one period in days."""
        return 7 if self.period == "week" else 1

    def leave_periods(self) -> dict[str, frozenset[int]]:
        """Per person, the indices of the periods they cannot work: any day of the period
        lies in one of their unavailable intervals (inclusive)."""
        starts = self.period_starts()
        span = timedelta(days=self.period_days - 1)
        leave: dict[str, set[int]] = {}
        for u in self.unavailable:
            leave.setdefault(u.person_id, set()).update(
                t for t, first in enumerate(starts) if u.start <= first + span and first <= u.end
            )
        return {person: frozenset(periods) for person, periods in leave.items()}

    def period_starts(self) -> tuple[date, ...]:
        """Start date of every period of the campaign, in order."""
        step = timedelta(days=self.period_days)
        count = ((self.end - self.start).days + 1) // self.period_days
        return tuple(self.start + i * step for i in range(count))
