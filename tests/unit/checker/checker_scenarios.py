"""Tiny scenarios built in code for the checker tests (no files, no engine)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from surgeplan.checker import Assignment
from surgeplan.scenario.model import (
    Base,
    Demand,
    Fare,
    PerDiem,
    Period,
    Person,
    Request,
    Rules,
    Scenario,
    Site,
    Unavailable,
    Weights,
)

MON = date(2020, 2, 3)  # a Monday; the tiny campaigns start here unless told otherwise


def week(n: int, first: date = MON) -> date:
    """Start of the n-th week (0-based) of a campaign starting `first`."""
    return first + timedelta(days=7 * n)


def build(
    *,
    start: date = MON,
    periods: int = 4,
    period: Period = "week",
    people: tuple[Person, ...] = (),
    bases: tuple[Base, ...] = (),
    sites: tuple[Site, ...] = (),
    demand: tuple[Demand, ...] = (),
    unavailable: tuple[Unavailable, ...] = (),
    per_diem: tuple[PerDiem, ...] | None = None,
    travel: tuple[Fare, ...] | None = None,
    requests: tuple[Request, ...] = (),
    rules: Rules | None = None,
    weights: Weights | None = None,
) -> Scenario:
    """A scenario of `periods` periods; one person P1 at base B1 and site A by default."""
    days = 7 if period == "week" else 1
    return Scenario(
        name="test",
        start=start,
        end=start + timedelta(days=days * periods - 1),
        period=period,
        people=people or (person("P1"),),
        bases=bases or (base("B1"),),
        sites=sites or (site("A"),),
        demand=demand,
        unavailable=unavailable,
        per_diem=per_diem,
        travel=travel,
        requests=requests,
        rules=rules or Rules(),
        weights=weights or Weights(),
    )


def person(person_id: str, base_id: str = "B1", qualifications: str = "") -> Person:
    """A person; `qualifications` as in people.csv."""
    return Person.model_validate(
        {
            "person_id": person_id,
            "name": f"Officer {person_id}",
            "base_id": base_id,
            "qualifications": qualifications,
        }
    )


def base(base_id: str, max_away: int | None = None) -> Base:
    """A base at an arbitrary place."""
    return Base(base_id=base_id, name=base_id, lat=31.7, lon=-106.4, max_away=max_away)


def site(site_id: str, priority: int = 1) -> Site:
    """A site at an arbitrary place."""
    return Site(site_id=site_id, name=site_id, lat=41.8, lon=-87.6, priority=priority)


def rate(site_id: str, month: str, lodging: str, mie: str) -> PerDiem:
    """A per diem row; amounts as text so they stay exact."""
    return PerDiem(site_id=site_id, month=month, lodging_usd=Decimal(lodging), mie_usd=Decimal(mie))


def fare(base_id: str, site_id: str, usd: str) -> Fare:
    """A travel row."""
    return Fare(base_id=base_id, site_id=site_id, round_trip_usd=Decimal(usd))


def at(person_id: str, site_id: str, *starts: date, days: int = 7) -> list[Assignment]:
    """Rows placing a person at a site in the periods starting on `starts`."""
    return [Assignment(person_id, site_id, s, s + timedelta(days=days - 1)) for s in starts]
