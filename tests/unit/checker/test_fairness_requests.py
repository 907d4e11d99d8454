"""Fairness (tier 4) and requests (tier 5), contract v1.1: hand-computed ledger entries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from checker_scenarios import at, build, person, site, week

from surgeplan.checker import (
    TIER_CHANGES,
    TIER_COST,
    TIER_FAIRNESS,
    TIER_REQUESTS,
    TIER_SHORTFALL,
    TIERS,
    Assignment,
    LedgerEntry,
    check,
)
from surgeplan.scenario.model import Demand, Request, Scenario, Unavailable, Weights

# A 4-week campaign: weeks of 2020-02-03, 02-10, 02-17 and 02-24 (ends Sunday 03-01).
SITES = (site("CHI"), site("NYC"))


def request(person_id: str, start: date, site_id: str, kind: str, weight: int = 1) -> Request:
    """One row of the v1.1 `requests` table."""
    return Request.model_validate(
        {
            "person_id": person_id,
            "period_start": start,
            "site_id": site_id,
            "kind": kind,
            "weight": weight,
        }
    )


def with_v11(
    scenario: Scenario, requests: tuple[Request, ...] = (), fairness: int = 0, scale: int = 1
) -> Scenario:
    """`scenario` with v1.1 requests and weights.fairness / weights.requests."""
    weights = Weights.model_validate(
        {**dict(scenario.weights), "fairness": fairness, "requests": scale}
    )
    return Scenario.model_validate({**dict(scenario), "requests": requests, "weights": weights})


def tier(entries: tuple[LedgerEntry, ...], name: str) -> list[LedgerEntry]:
    """The entries of one tier, in ledger order."""
    return [e for e in entries if e.tier == name]


def summary(e: LedgerEntry) -> tuple[object, ...]:
    """Every field of an entry, for exact comparison."""
    return (
        e.tier,
        e.rule,
        e.scope,
        e.amount,
        e.weight,
        e.penalty,
        e.person_id,
        e.site_id,
        e.period_start,
    )


# P1 at CHI in weeks 0 and 1; P2 home all campaign.
PLAN = at("P1", "CHI", week(0), week(1))


@pytest.mark.parametrize(
    ("who", "start", "site_id", "kind", "is_granted"),
    [
        ("P1", week(0), "CHI", "on", True),  # at CHI
        ("P1", week(0), "NYC", "on", False),  # at CHI, not NYC
        ("P1", week(1), "*", "on", True),  # at a site
        ("P2", week(1), "*", "on", False),  # home
        ("P1", week(0), "NYC", "off", True),  # not at NYC
        ("P1", week(1), "CHI", "off", False),  # at CHI
        ("P2", week(0), "CHI", "off", True),  # home is not CHI either
        ("P1", week(2), "*", "off", True),  # home in week 2
        ("P1", week(0), "*", "off", False),  # at CHI
    ],
)
def test_each_request_kind_granted_or_not(
    who: str, start: date, site_id: str, kind: str, is_granted: bool
) -> None:
    """on S / on * / off S / off * are granted exactly as contract v1.1 says."""
    base = build(people=(person("P1"), person("P2")), sites=SITES)
    scenario = with_v11(base, (request(who, start, site_id, kind),))
    entries = tier(check(scenario, PLAN).ledger, TIER_REQUESTS)
    assert len(entries) == (0 if is_granted else 1)


def test_ungranted_requests_ledger() -> None:
    """Every ungranted kind, hand-written: amount 1, weight = row weight × weights.requests."""
    base = build(people=(person("P1"), person("P2")), sites=SITES)
    requests = (
        request("P1", week(0), "CHI", "on", 5),  # granted: no entry
        request("P1", week(0), "NYC", "on", 2),  # ungranted: 2 × 3 = 6
        request("P2", week(1), "*", "on"),  # ungranted: 1 × 3 = 3
        request("P1", week(1), "CHI", "off", 4),  # ungranted: 4 × 3 = 12
        request("P1", week(0), "*", "off"),  # ungranted: 1 × 3 = 3
        request("P2", week(3), "*", "off", 7),  # granted: no entry
    )
    report = check(with_v11(base, requests, scale=3), PLAN)
    d = Decimal
    assert [summary(e) for e in tier(report.ledger, TIER_REQUESTS)] == [
        ("requests", "request-on", "P1, week of 2020-02-03, NYC", d(1), d(6), d(6), "P1", "NYC",
         week(0)),
        ("requests", "request-on", "P2, week of 2020-02-10, *", d(1), d(3), d(3), "P2", None,
         week(1)),
        ("requests", "request-off", "P1, week of 2020-02-10, CHI", d(1), d(12), d(12), "P1",
         "CHI", week(1)),
        ("requests", "request-off", "P1, week of 2020-02-03, *", d(1), d(3), d(3), "P1", None,
         week(0)),
    ]  # fmt: skip
    assert report.requests == Decimal(24)  # 6 + 3 + 12 + 3
    assert report.tier_total(TIER_REQUESTS) == Decimal(24)


def test_request_weights_default_and_zero() -> None:
    """weights.requests defaults to 1 (penalty = row weight); at 0 no request has an entry."""
    base = build(sites=SITES)
    requests = (request("P1", week(2), "CHI", "on", 4),)  # P1 is home in week 2
    (entry,) = tier(check(with_v11(base, requests), PLAN).ledger, TIER_REQUESTS)
    assert (entry.amount, entry.weight, entry.penalty) == (Decimal(1), Decimal(4), Decimal(4))
    assert tier(check(with_v11(base, requests, scale=0), PLAN).ledger, TIER_REQUESTS) == []


def test_request_scope_in_a_day_campaign() -> None:
    """Day periods are named by their date alone."""
    base = build(period="day", periods=3, sites=SITES)
    requests = (request("P1", date(2020, 2, 4), "*", "on"),)
    (entry,) = tier(check(with_v11(base, requests), []).ledger, TIER_REQUESTS)
    assert entry.scope == "P1, 2020-02-04, *"


def test_no_requests_no_entries() -> None:
    """A scenario without requests has no requests tier at all."""
    report = check(with_v11(build(sites=SITES)), PLAN)
    assert tier(report.ledger, TIER_REQUESTS) == []
    assert report.requests == Decimal(0)


# Fairness. P1 deployed 3 weeks (0-2), P2 1 week (3), P3 home all campaign.
FAIR_PLAN = [*at("P1", "CHI", week(0), week(1), week(2)), *at("P2", "NYC", week(3))]
THREE = (person("P1"), person("P2"), person("P3"))


def leave(person_id: str, first: str, last: str) -> Unavailable:
    """An unavailable interval, dates inclusive."""
    return Unavailable(
        person_id=person_id, start=date.fromisoformat(first), end=date.fromisoformat(last)
    )


def fairness_of(unavailable: tuple[Unavailable, ...], weight: int = 5) -> list[LedgerEntry]:
    """The fairness entries of FAIR_PLAN for three people with some leave."""
    base = build(people=THREE, sites=SITES, unavailable=unavailable)
    return tier(check(with_v11(base, fairness=weight), FAIR_PLAN).ledger, TIER_FAIRNESS)


def test_fairness_excludes_officer_on_leave_all_campaign() -> None:
    """P3 unavailable every week is not eligible: spread 3 − 1 = 2, × 5 = 10."""
    (entry,) = fairness_of((leave("P3", "2020-02-01", "2020-03-01"),))
    assert summary(entry) == (
        "fairness",
        "fairness",
        "deployed weeks per eligible officer: max 3 (P1) − min 1",
        Decimal(2),
        Decimal(5),
        Decimal(10),
        None,
        None,
        None,
    )


def test_fairness_leave_touching_every_week_by_one_day() -> None:
    """A leave ending on the last week's Monday still touches that week: P3 is ineligible."""
    (entry,) = fairness_of((leave("P3", "2020-02-03", "2020-02-24"),))
    assert (entry.amount, entry.penalty) == (Decimal(2), Decimal(10))


def test_fairness_partial_leave_keeps_officer_eligible() -> None:
    """P3 on leave weeks 0-2 only (free in week 3) counts with 0 weeks: spread 3, × 5 = 15."""
    (entry,) = fairness_of((leave("P3", "2020-02-05", "2020-02-20"),))
    assert entry.scope == "deployed weeks per eligible officer: max 3 (P1) − min 0"
    assert (entry.amount, entry.weight, entry.penalty) == (Decimal(3), Decimal(5), Decimal(15))


def test_fairness_off_by_default() -> None:
    """weights.fairness 0 (the default): no fairness entry at all, not even a zero one."""
    assert fairness_of((), weight=0) == []
    report = check(build(people=THREE, sites=SITES), FAIR_PLAN)
    assert tier(report.ledger, TIER_FAIRNESS) == []
    assert report.fairness == Decimal(0)


@pytest.mark.parametrize(
    "unavailable",
    [
        (leave("P2", "2020-01-01", "2020-12-31"), leave("P3", "2020-01-01", "2020-12-31")),
        (
            leave("P1", "2020-01-01", "2020-12-31"),
            leave("P2", "2020-01-01", "2020-12-31"),
            leave("P3", "2020-01-01", "2020-12-31"),
        ),
    ],
    ids=["one eligible", "none eligible"],
)
def test_fairness_fewer_than_two_eligible_is_zero(unavailable: tuple[Unavailable, ...]) -> None:
    """With fewer than two eligible officers the spread is 0, still one entry when on."""
    (entry,) = fairness_of(unavailable)
    assert (entry.amount, entry.weight, entry.penalty) == (Decimal(0), Decimal(5), Decimal(0))
    assert "no spread" in entry.scope


def test_fairness_names_at_most_three_people_at_the_max() -> None:
    """Four officers deployed 1 week and one home: max 1 (first three, and 1 more) − min 0."""
    people = tuple(person(f"P{i}") for i in range(1, 6))
    base = build(people=people, sites=SITES)
    plan = [r for i in range(1, 5) for r in at(f"P{i}", "CHI", week(i - 1))]
    (entry,) = tier(check(with_v11(base, fairness=2), plan).ledger, TIER_FAIRNESS)
    assert entry.scope == (
        "deployed weeks per eligible officer: max 1 (P1, P2, P3 and 1 more) − min 0"
    )
    assert (entry.amount, entry.penalty) == (Decimal(1), Decimal(2))


def test_fairness_counts_a_doubly_listed_period_once() -> None:
    """A person at two sites in one week (a one-activity violation) has 1 deployed week."""
    base = build(people=(person("P1"), person("P2")), sites=SITES)
    plan = [*at("P1", "CHI", week(0)), *at("P1", "NYC", week(0))]
    (entry,) = tier(check(with_v11(base, fairness=1), plan).ledger, TIER_FAIRNESS)
    assert (entry.amount, entry.penalty) == (Decimal(1), Decimal(1))


def test_ledger_lists_tiers_in_design_order() -> None:
    """shortfall, cost, fairness, requests, changes: DESIGN.md §4 order (tier 2 is hard)."""
    assert TIERS == (TIER_SHORTFALL, TIER_COST, TIER_FAIRNESS, TIER_REQUESTS, TIER_CHANGES)
    base = build(
        people=(person("P1"), person("P2")),
        sites=SITES,
        demand=(Demand(site_id="NYC", period_start=week(0), qualification="*", required=1),),
    )
    scenario = with_v11(base, (request("P2", week(0), "*", "on"),), fairness=1)
    previous = [Assignment("P2", "CHI", week(3), date(2020, 3, 1))]
    report = check(scenario, PLAN, previous=previous)
    seen = list(dict.fromkeys(e.tier for e in report.ledger))
    assert seen == [TIER_SHORTFALL, TIER_COST, TIER_FAIRNESS, TIER_REQUESTS, TIER_CHANGES]
    # shortfall NYC 1; cost 0 (no tables); fairness 2 − 0; one ungranted request; 3 changes
    assert report.shortfall == Decimal(1)
    assert report.fairness == Decimal(2)
    assert report.requests == Decimal(1)
    assert report.tier_total(TIER_CHANGES) == Decimal(3)
