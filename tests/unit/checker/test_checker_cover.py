"""Shortfall tier: headcount and skill cover, qualification validity, site priority."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from checker_scenarios import MON, at, build, person, site, week

from surgeplan.checker import TIER_SHORTFALL, check
from surgeplan.checker.cover import qualified
from surgeplan.scenario.model import Demand, Weights


def need(qualification: str, required: int, start: date = MON, site_id: str = "A") -> Demand:
    """A demand row (first week at site A unless told)."""
    return Demand(
        site_id=site_id, period_start=start, qualification=qualification, required=required
    )


def test_qualification_ending_mid_period_does_not_count() -> None:
    """A grant valid to Wednesday does not cover the Monday..Sunday week."""
    p = person("P1", qualifications="lead@2020-01-01..2020-02-05")
    assert not qualified(p, "lead", date(2020, 2, 3), date(2020, 2, 9))
    assert qualified(p, "lead", date(2020, 1, 27), date(2020, 2, 2))


def test_qualification_valid_to_last_day_counts() -> None:
    """Validity bounds are inclusive: a grant ending on Sunday covers that week."""
    p = person("P1", qualifications="lead@2020-02-03..2020-02-09")
    assert qualified(p, "lead", date(2020, 2, 3), date(2020, 2, 9))
    assert not qualified(p, "lead", date(2020, 2, 2), date(2020, 2, 8))


def test_qualification_listed_twice_is_a_union_of_intervals() -> None:
    """Adjoining grants of one name cover a week together; a one-day gap does not."""
    joined = person("P1", "B1", "lead@2020-01-01..2020-02-05;lead@2020-02-06..2020-03-01")
    gapped = person("P1", "B1", "lead@2020-01-01..2020-02-05;lead@2020-02-07..2020-03-01")
    overlapping = person("P1", "B1", "lead@2020-02-01..2020-02-07;lead@2020-02-04..2020-02-12")
    assert qualified(joined, "lead", date(2020, 2, 3), date(2020, 2, 9))
    assert not qualified(gapped, "lead", date(2020, 2, 3), date(2020, 2, 9))
    assert qualified(overlapping, "lead", date(2020, 2, 3), date(2020, 2, 9))


def test_unbounded_grant_and_other_names() -> None:
    """A grant without dates is always valid; another qualification's grant never counts."""
    p = person("P1", qualifications="emt;lead@2020-02-10..2020-02-16")
    assert qualified(p, "emt", date(2020, 2, 3), date(2020, 2, 9))
    assert not qualified(p, "lead", date(2020, 2, 3), date(2020, 2, 9))
    assert not qualified(p, "sniper", date(2020, 2, 3), date(2020, 2, 9))


def test_headcount_shortfall_times_priority_and_weight() -> None:
    """Shortfall = max(0, required − present) × site priority × weights.shortfall."""
    scenario = build(
        sites=(site("A", priority=3),), demand=(need("*", 2),), weights=Weights(shortfall=2)
    )
    report = check(scenario, at("P1", "A", week(0)))
    (entry,) = report.ledger[:1]
    # required 2, present 1: amount 1, weight 3 × 2 = 6, penalty 6
    assert (entry.tier, entry.rule, entry.scope) == (TIER_SHORTFALL, "cover", "site A, 2020-02-03")
    assert (entry.amount, entry.weight, entry.penalty) == (Decimal(1), Decimal(6), Decimal(6))
    assert (entry.site_id, entry.period_start, entry.person_id) == ("A", week(0), None)
    assert report.shortfall == Decimal(6)


def test_met_or_exceeded_demand_has_no_entry() -> None:
    """Headcount at or above required adds nothing (no reward for extra people)."""
    scenario = build(people=(person("P1"), person("P2")), demand=(need("*", 1),))
    report = check(scenario, [*at("P1", "A", week(0)), *at("P2", "A", week(0))])
    assert report.shortfall == Decimal(0)
    assert not [e for e in report.ledger if e.tier == TIER_SHORTFALL]


def test_skill_cover_counts_only_valid_holders() -> None:
    """A holder whose grant ends mid-week counts toward headcount but not the skill."""
    scenario = build(
        people=(person("P1", qualifications="lead@2020-01-01..2020-02-05"), person("P2")),
        demand=(need("*", 2), need("lead", 1)),
    )
    report = check(scenario, [*at("P1", "A", week(0)), *at("P2", "A", week(0))])
    shortfall = [e for e in report.ledger if e.tier == TIER_SHORTFALL]
    assert [(e.rule, e.scope, e.amount) for e in shortfall] == [
        ("skill cover", "site A, 2020-02-03, lead", Decimal(1)),
    ]


def test_a_person_counts_toward_each_demanded_qualification() -> None:
    """One person holding lead and emt fills both skill rows and the headcount."""
    scenario = build(
        people=(person("P1", qualifications="lead;emt"),),
        demand=(need("*", 1), need("lead", 1), need("emt", 1)),
    )
    assert check(scenario, at("P1", "A", week(0))).shortfall == Decimal(0)


def test_shortfall_only_counts_the_right_site_and_period() -> None:
    """People elsewhere or in another week do not fill a demand row."""
    scenario = build(
        sites=(site("A"), site("B", priority=2)),
        demand=(need("*", 1, week(1), "B"),),
    )
    report = check(scenario, at("P1", "A", week(1)) + at("P1", "B", week(2)))
    assert [(e.scope, e.penalty) for e in report.ledger if e.tier == TIER_SHORTFALL] == [
        ("site B, 2020-02-10", Decimal(2)),
    ]


def test_no_plan_means_every_demand_row_is_short() -> None:
    """With nobody deployed each row is short by its full requirement."""
    scenario = build(
        sites=(site("A", priority=5),),
        demand=(need("*", 3), need("lead", 1), need("*", 0, week(1))),
    )
    report = check(scenario, [])
    # 5 × 3 + 5 × 1 = 20; the zero row adds nothing
    assert [e.rule for e in report.ledger] == ["cover", "skill cover"]
    assert report.shortfall == Decimal(20)
