"""One test per hard rule of contract v1: the smallest plan that makes it bind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from checker_scenarios import at, base, build, fare, person, site, week

from surgeplan.checker import HARD_RULES, Violation, check
from surgeplan.scenario.model import Rules, Unavailable


def rules_of(violations: Sequence[Violation]) -> list[str]:
    """The rule names of some violations, in order."""
    return [v.rule for v in violations]


def test_every_rule_named_in_the_brief_is_checked() -> None:
    """The checker knows exactly the nine v1 hard rules, plus pins (issue 3)."""
    assert HARD_RULES == (
        "one-activity",
        "unavailable",
        "rotation_min",
        "rotation_max",
        "rest_min",
        "deployed_max",
        "same_site_only",
        "max_away",
        "budget",
        "pin",
    )


def test_plan_within_all_rules_is_feasible() -> None:
    """An empty plan and a plain two-week rotation break nothing."""
    scenario = build(sites=(site("A"),))
    assert check(scenario, []).feasible
    assert check(scenario, at("P1", "A", week(0), week(1))).feasible


def test_one_activity_two_sites_in_one_period() -> None:
    """A person listed at two sites in the same week breaks one-activity."""
    scenario = build(sites=(site("A"), site("B")), rules=Rules(same_site_only=False))
    report = check(scenario, [*at("P1", "A", week(1)), *at("P1", "B", week(1))])
    assert rules_of(report.violations) == ["one-activity"]
    assert report.violations[0].scope == "person P1, 2020-02-10"
    assert "A, B" in report.violations[0].message


def test_one_activity_identical_duplicate_row() -> None:
    """The same row twice is one-activity too, not an input error."""
    scenario = build()
    report = check(scenario, [*at("P1", "A", week(0)), *at("P1", "A", week(0))])
    assert rules_of(report.violations) == ["one-activity"]
    assert "listed 2 times" in report.violations[0].message


def test_unavailable_any_day_of_the_period() -> None:
    """Leave on the last day (inclusive) of a deployed week makes the week unavailable."""
    leave = Unavailable(person_id="P1", start=date(2020, 2, 16), end=date(2020, 2, 20))
    scenario = build(unavailable=(leave,))
    report = check(scenario, at("P1", "A", week(1)))  # week 2020-02-10..02-16
    assert rules_of(report.violations) == ["unavailable"]
    assert report.violations[0].scope == "person P1, 2020-02-10"
    # the same leave does not touch the week before nor the one after it ends
    assert check(scenario, at("P1", "A", week(0))).feasible
    assert check(scenario, at("P1", "A", week(3))).feasible


def test_unavailable_ignores_home_periods_and_other_people() -> None:
    """Leave binds only the person on leave, and only when deployed."""
    leave = Unavailable(person_id="P2", start=week(0), end=week(0))
    scenario = build(people=(person("P1"), person("P2")), unavailable=(leave,))
    assert check(scenario, at("P1", "A", week(0))).feasible


def test_rotation_min_binds_mid_campaign() -> None:
    """A one-week rotation is too short when rotation_min is 2."""
    scenario = build(rules=Rules(rotation_min=2))
    report = check(scenario, at("P1", "A", week(1)))
    assert rules_of(report.violations) == ["rotation_min"]
    assert report.violations[0].scope == "person P1, 2020-02-10 to 2020-02-16"


def test_rotation_min_also_binds_rotation_cut_by_campaign_start_or_end() -> None:
    """A run touching the first or last period is checked as it is."""
    scenario = build(rules=Rules(rotation_min=2))
    first = check(scenario, at("P1", "A", week(0)))
    last = check(scenario, at("P1", "A", week(3)))
    assert rules_of(first.violations) == ["rotation_min"]
    assert rules_of(last.violations) == ["rotation_min"]
    assert "campaign's start" in first.violations[0].message


def test_rotation_max_binds() -> None:
    """Three consecutive weeks exceed rotation_max 2; two do not."""
    scenario = build(rules=Rules(rotation_max=2))
    report = check(scenario, at("P1", "A", week(0), week(1), week(2)))
    assert rules_of(report.violations) == ["rotation_max"]
    assert check(scenario, at("P1", "A", week(0), week(1))).feasible


def test_rotation_length_counts_the_whole_run_across_sites() -> None:
    """With same_site_only false, A then B with no home week is one rotation for its length."""
    scenario = build(
        sites=(site("A"), site("B")), rules=Rules(rotation_max=1, same_site_only=False)
    )
    report = check(scenario, [*at("P1", "A", week(0)), *at("P1", "B", week(1))])
    assert rules_of(report.violations) == ["rotation_max"]


def test_rest_min_binds_between_rotations_only() -> None:
    """One home week between rotations is too little rest for rest_min 2."""
    scenario = build(periods=6, rules=Rules(rest_min=2))
    report = check(scenario, at("P1", "A", week(1), week(3)))
    assert rules_of(report.violations) == ["rest_min"]
    assert report.violations[0].scope == "person P1, 2020-02-17 to 2020-02-23"
    # rest before the first and after the last rotation is not required
    assert check(scenario, at("P1", "A", week(0), week(3))).feasible
    assert check(scenario, at("P1", "A", week(5))).feasible


def test_deployed_max_binds_on_total_periods() -> None:
    """Three deployed weeks in two rotations exceed deployed_max 2."""
    scenario = build(rules=Rules(deployed_max=2))
    report = check(scenario, at("P1", "A", week(0), week(2), week(3)))
    assert rules_of(report.violations) == ["deployed_max"]
    assert report.violations[0].scope == "person P1"
    assert check(scenario, at("P1", "A", week(0), week(2))).feasible


def test_same_site_only_refuses_a_to_b_without_home_week() -> None:
    """A then B with no home week between breaks same_site_only when true, not when false."""
    plan = [*at("P1", "A", week(0)), *at("P1", "B", week(1))]
    strict = build(sites=(site("A"), site("B")))
    loose = build(sites=(site("A"), site("B")), rules=Rules(same_site_only=False))
    report = check(strict, plan)
    assert rules_of(report.violations) == ["same_site_only"]
    assert "A then B" in report.violations[0].message
    assert check(loose, plan).feasible


def test_same_site_only_allows_a_home_week_then_another_site() -> None:
    """A, home, B is two rotations, each at one site."""
    scenario = build(sites=(site("A"), site("B")))
    assert check(scenario, [*at("P1", "A", week(0)), *at("P1", "B", week(2))]).feasible


def test_max_away_binds_per_base_and_period() -> None:
    """Two people of a base with max_away 1 deployed the same week break max_away."""
    scenario = build(
        people=(person("P1"), person("P2"), person("P3", "B2")),
        bases=(base("B1", max_away=1), base("B2")),
    )
    plan = [*at("P1", "A", week(0)), *at("P2", "A", week(0)), *at("P3", "A", week(0))]
    report = check(scenario, plan)
    assert rules_of(report.violations) == ["max_away"]
    assert report.violations[0].scope == "base B1, 2020-02-03"
    # different weeks are fine; B2 has no limit
    staggered = [*at("P1", "A", week(0)), *at("P2", "A", week(1)), *at("P3", "A", week(1))]
    assert check(scenario, staggered).feasible


def test_max_away_zero_forbids_any_release() -> None:
    """max_away 0 means the base releases nobody."""
    scenario = build(bases=(base("B1", max_away=0),))
    assert rules_of(check(scenario, at("P1", "A", week(0))).violations) == ["max_away"]


def test_budget_is_hard_and_compared_exactly() -> None:
    """Total cost one cent above the cap breaks budget; exactly at the cap does not."""
    # one week at A, travel only: cost = the fare, 400.00
    at_cap = build(travel=(fare("B1", "A", "400"),), rules=Rules(budget_usd=Decimal("400.00")))
    below = build(travel=(fare("B1", "A", "400"),), rules=Rules(budget_usd=Decimal("399.99")))
    plan = at("P1", "A", week(0))
    assert check(at_cap, plan).feasible
    report = check(below, plan)
    assert rules_of(report.violations) == ["budget"]
    assert "$400.00" in report.violations[0].message


def test_violations_come_in_rule_order() -> None:
    """Several broken rules are listed in the order of HARD_RULES."""
    leave = Unavailable(person_id="P1", start=week(0), end=week(0))
    scenario = build(
        unavailable=(leave,),
        rules=Rules(rotation_min=2, deployed_max=0, budget_usd=Decimal("0")),
        travel=(fare("B1", "A", "1"),),
    )
    report = check(scenario, [*at("P1", "A", week(0)), *at("P1", "A", week(0))])
    assert rules_of(report.violations) == [
        "one-activity",
        "unavailable",
        "rotation_min",
        "deployed_max",
        "budget",
    ]
