"""Sweep building blocks: --vary parsing and validation, seeded perturbations, the
statistics and the frontier, each against hand-worked values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from helpers import scenario
from surgeplan.sweep import Run as SweepRun
from surgeplan.sweep import (
    SweepError,
    Vary,
    parse_vary,
    perturb,
    stat,
    summarise,
    variants,
)


def test_parse_vary_reads_rule_and_values() -> None:
    """`rest_min=1, 2,3` is rest_min with three values, spaces ignored."""
    assert parse_vary("rest_min=1, 2,3") == Vary("rest_min", ("1", "2", "3"))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("rest=1", "RULE one of rotation_min"),
        ("rest_min", "RULE=V1,V2"),
        ("rest_min=", "at least one value"),
    ],
)
def test_parse_vary_refuses_with_the_fix(text: str, says: str) -> None:
    """An unknown rule, no '=' or no value each name the fix."""
    with pytest.raises(SweepError, match=says):
        parse_vary(text)


def test_variants_are_the_grid_validated_like_the_rules() -> None:
    """2 × 2 values make four variants in order; rotation_max below rotation_min is refused
    with the scenario's own rule message; the same rule twice is refused."""
    s = scenario(rules={"rotation_min": 2, "rotation_max": 3})
    grid = variants(s, [parse_vary("rest_min=0,1"), parse_vary("rotation_max=3,4")])
    assert [v.label for v in grid] == [
        "rest_min=0 rotation_max=3",
        "rest_min=0 rotation_max=4",
        "rest_min=1 rotation_max=3",
        "rest_min=1 rotation_max=4",
    ]
    assert grid[3].scenario.rules.rotation_max == 4
    assert grid[3].scenario.rules.rest_min == 1
    with pytest.raises(SweepError, match="rotation_max 1 is below rotation_min 2"):
        variants(s, [parse_vary("rotation_max=1")])
    with pytest.raises(SweepError, match="same rule twice"):
        variants(s, [parse_vary("rest_min=1"), parse_vary("rest_min=2")])
    assert [v.label for v in variants(s, [])] == ["as given"]


def test_perturb_is_seeded_and_bounded() -> None:
    """No draw keeps the scenario as is; attrition 1 loses every officer from a period
    start to the end; the same seed draws the same; noise never makes demand negative."""
    s = scenario(weeks=4, people=5, demand=[("S1", k, "*", 2) for k in range(4)])
    assert perturb(s, 0, 0.0, 0.0) is s
    lost = perturb(s, 7, 1.0, 0.0)
    assert sorted(u.person_id for u in lost.unavailable) == [p.person_id for p in s.people]
    assert all(u.end == s.end and u.start in s.period_starts() for u in lost.unavailable)
    assert perturb(s, 3, 0.5, 2.0) == perturb(s, 3, 0.5, 2.0)
    noisy = perturb(s, 3, 0.0, 2.0)
    assert all(d.required >= 0 for d in noisy.demand)
    assert [d.required for d in noisy.demand] != [2, 2, 2, 2]  # sd 4 moves some row
    with pytest.raises(SweepError, match="between 0 and 1"):
        perturb(s, 0, 1.5, 0.0)


def test_stat_is_the_student_t_interval() -> None:
    """[10, 12, 14]: mean 12, sd 2, half-width t(0.975, 2) × 2 / √3 = 4.3027 × 1.1547
    = 4.968; one value has no spread; a low end below 0 is clipped (counts are ≥ 0)."""
    s = stat([10, 12, 14])
    assert s.mean == 12
    assert s.sd == pytest.approx(2)
    assert s.low == pytest.approx(7.032, abs=1e-3)
    assert s.high == pytest.approx(16.968, abs=1e-3)
    assert stat([5]).sd is None
    assert stat([0, 2]).low == 0


def _run(variant: int, shortfall: int, cost: str) -> SweepRun:
    return SweepRun(variant, 0, 0, 0, 0, shortfall, 0, Decimal(cost), "OPTIMAL", True, 0.1)


def test_frontier_keeps_the_variants_nobody_beats_on_both() -> None:
    """Means (shortfall, cost): A (1, 100), B (2, 50), C (2, 120), D (3, 50). C is beaten
    by A on both, D by B; A and B are the frontier."""
    s = scenario()
    grid = variants(s, [parse_vary("rest_min=0,1,2,3")])
    runs = [_run(0, 1, "100"), _run(1, 2, "50"), _run(2, 2, "120"), _run(3, 3, "50")]
    assert [v.on_frontier for v in summarise(grid, runs)] == [True, True, False, False]
