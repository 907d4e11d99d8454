"""Cost tier: hand-priced stretches (travel, lodging, M&IE) and their ledger entries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from checker_scenarios import at, build, fare, rate, site, week

from surgeplan.checker import TIER_COST, check
from surgeplan.checker.costs import three_quarters
from surgeplan.scenario.model import Rules, Scenario, Weights

FEB_A = rate("A", "2020-02", "125", "76")


def test_two_week_stretch_in_february() -> None:
    """A 2-week stretch is 14 days: one fare, 13 nights, 12 full + 2 three-quarter M&IE days."""
    scenario = build(per_diem=(FEB_A,), travel=(fare("B1", "A", "400"),))
    report = check(scenario, at("P1", "A", week(0), week(1)))
    (stretch,) = report.stretches
    # 400 + 13×125 + (12×76 + 2×57.00) = 400 + 1625 + (912 + 114) = 3051.00
    assert stretch.travel_usd == Decimal("400.00")
    assert stretch.lodging_usd == Decimal("1625.00")
    assert stretch.mie_usd == Decimal("1026.00")
    assert report.cost_usd == Decimal("3051.00")
    assert (stretch.start, stretch.end, stretch.periods) == (
        date(2020, 2, 3),
        date(2020, 2, 16),
        2,
    )


def test_night_is_charged_at_the_month_it_begins() -> None:
    """The night of Jan 31 → Feb 1 is a January night; the stay's last night is unpaid."""
    start = date(2020, 1, 27)  # Monday; the week runs Jan 27 .. Feb 2
    scenario = build(
        start=start,
        periods=1,
        per_diem=(rate("A", "2020-01", "100", "60"), rate("A", "2020-02", "200", "80")),
    )
    (stretch,) = check(scenario, at("P1", "A", start)).stretches
    # nights begin Jan 27, 28, 29, 30, 31 (Jan) and Feb 1 (Feb): 5×100 + 1×200 = 700
    assert stretch.lodging_usd == Decimal("700.00")
    # M&IE days: Jan 27 (75% of 60 = 45.00), Jan 28-31 (4×60 = 240), Feb 1 (80),
    # Feb 2 (75% of 80 = 60.00): 45 + 240 + 80 + 60 = 425.00
    assert stretch.mie_usd == Decimal("425.00")


def test_day_periods_three_day_stretch() -> None:
    """Day periods: three days on site are 2 nights and M&IE at 75%, 100%, 75%."""
    scenario = build(period="day", periods=10, per_diem=(FEB_A,), travel=(fare("B1", "A", "300"),))
    days = (date(2020, 2, 4), date(2020, 2, 5), date(2020, 2, 6))
    (stretch,) = check(scenario, at("P1", "A", *days, days=1)).stretches
    # 300 + 2×125 + (57.00 + 76 + 57.00) = 300 + 250 + 190 = 740.00
    assert (stretch.travel_usd, stretch.lodging_usd, stretch.mie_usd) == (
        Decimal("300.00"),
        Decimal("250.00"),
        Decimal("190.00"),
    )
    assert stretch.periods == 3


def test_one_day_stretch_pays_three_quarter_mie_once() -> None:
    """A one-day stretch: one fare, no night, its single day's M&IE at 75% once."""
    scenario = build(period="day", periods=5, per_diem=(FEB_A,), travel=(fare("B1", "A", "300"),))
    (stretch,) = check(scenario, at("P1", "A", date(2020, 2, 5), days=1)).stretches
    # 300 + 0×125 + 75% × 76 = 300 + 0 + 57.00 = 357.00
    assert stretch.lodging_usd == Decimal("0")
    assert stretch.mie_usd == Decimal("57.00")
    assert stretch.cost_usd == Decimal("357.00")


def test_three_quarter_day_rounds_half_up_to_the_cent() -> None:
    """75% of $55.50 is 41.625, paid as 41.63 (ROUND_HALF_UP, not half-even 41.62), per day."""
    assert three_quarters(Decimal("55.50")) == Decimal("41.63")
    scenario = build(period="day", periods=2, per_diem=(rate("A", "2020-02", "0", "55.50"),))
    (stretch,) = check(scenario, at("P1", "A", week(0), date(2020, 2, 4), days=1)).stretches
    # two days: 41.63 + 41.63 = 83.26 (not round(2 × 41.625) = 83.25)
    assert stretch.mie_usd == Decimal("83.26")


def test_a_then_b_is_priced_as_two_stretches_whatever_same_site_only() -> None:
    """A→B with no home week: each same-site stretch pays its own fare, ends and last night."""

    def scenario(rules: Rules) -> Scenario:
        return build(
            sites=(site("A"), site("B")),
            per_diem=(FEB_A, rate("B", "2020-02", "163", "76")),
            travel=(fare("B1", "A", "400"), fare("B1", "B", "450.50")),
            rules=rules,
        )

    plan = [*at("P1", "A", week(0)), *at("P1", "B", week(1))]
    strict = check(scenario(Rules()), plan)
    loose = check(scenario(Rules(same_site_only=False)), plan)
    # A: 400 + 6×125 + (5×76 + 2×57.00) = 400 + 750 + 494 = 1644.00
    # B: 450.50 + 6×163 + (5×76 + 2×57.00) = 450.50 + 978 + 494 = 1922.50
    # total 3566.50 in both modes; only the strict one is a violation
    for report in (strict, loose):
        assert [(s.site_id, s.cost_usd) for s in report.stretches] == [
            ("A", Decimal("1644.00")),
            ("B", Decimal("1922.50")),
        ]
        assert report.cost_usd == Decimal("3566.50")
    assert [v.rule for v in strict.violations] == ["same_site_only"]
    assert loose.feasible


def test_home_week_splits_a_site_into_two_stretches() -> None:
    """A, home, A pays two round trips."""
    scenario = build(travel=(fare("B1", "A", "400"),))
    report = check(scenario, at("P1", "A", week(0), week(2)))
    assert [s.start for s in report.stretches] == [week(0), week(2)]
    assert report.cost_usd == Decimal("800.00")


def test_absent_tables_cost_nothing() -> None:
    """Without per diem and travel tables a stretch costs 0 but is still listed."""
    report = check(build(), at("P1", "A", week(0)))
    assert report.cost_usd == Decimal("0")
    assert [e.rule for e in report.ledger] == ["travel", "lodging", "mie"]


def test_cost_ledger_entries_are_weighted_per_stretch() -> None:
    """Each stretch gives travel, lodging and mie entries: amount in USD × weights.cost."""
    scenario = build(per_diem=(FEB_A,), travel=(fare("B1", "A", "400"),), weights=Weights(cost=3))
    report = check(scenario, at("P1", "A", week(1)))
    entries = [e for e in report.ledger if e.tier == TIER_COST]
    # 400, 6×125 = 750, 5×76 + 2×57.00 = 494; each × 3
    assert [(e.rule, e.amount, e.weight, e.penalty) for e in entries] == [
        ("travel", Decimal("400.00"), Decimal(3), Decimal("1200.00")),
        ("lodging", Decimal("750.00"), Decimal(3), Decimal("2250.00")),
        ("mie", Decimal("494.00"), Decimal(3), Decimal("1482.00")),
    ]
    assert all((e.person_id, e.site_id, e.period_start) == ("P1", "A", week(1)) for e in entries)
    assert entries[0].scope == "person P1, site A, 2020-02-10 to 2020-02-16"
    assert report.tier_total(TIER_COST) == Decimal("4932.00")
    assert report.cost_usd == Decimal("1644.00")


def test_duplicate_row_is_priced_once() -> None:
    """An identical duplicate row is a one-activity violation but not a second stretch."""
    scenario = build(travel=(fare("B1", "A", "400"),))
    report = check(scenario, [*at("P1", "A", week(0)), *at("P1", "A", week(0))])
    assert len(report.stretches) == 1
    assert report.cost_usd == Decimal("400.00")
