"""The objective (FORMAT.md §4) on hand-computed rosters of Instance1–3 and stored optima."""

from __future__ import annotations

import random

import pytest
from curtois_cases import ROSTERS, drawn, instance

from surgeplan.curtois import Evaluation, Instance, Penalty, Roster, evaluate, read_roster
from surgeplan.curtois.roster import off_roster


def sum_form(inst: Instance, roster: Roster) -> int:
    """The objective straight from FORMAT.md §4's formula, as a second opinion on the ledger."""
    on = sum(r.weight for r in inst.on_requests if roster[r.employee][r.day] != r.shift)
    off = sum(r.weight for r in inst.off_requests if roster[r.employee][r.day] == r.shift)
    cover = 0
    for c in inst.cover:
        n = sum(1 for row in roster if row[c.day] == c.shift)
        cover += c.weight_under * max(0, c.requirement - n) + c.weight_over * max(
            0, n - c.requirement
        )
    return on + off + cover


def rules_by_employee(evaluation: Evaluation) -> dict[str, list[str]]:
    """Broken rule names per employee, in report order."""
    found: dict[str, list[str]] = {}
    for v in evaluation.violations:
        found.setdefault(v.employee, []).append(v.rule)
    return found


def test_instance1_all_off() -> None:
    """All off on Instance1 costs every under-cover unit and every on-request, nothing else."""
    # Requirements of the single shift D over days 0..13: 5+7+6+4+5+5+5+6+7+4+2+5+6+4 = 71,
    # at 100 each = 7100. On-request weights: A 2+2, B 5×3, C 5×1, D 2+2, F 2+2, H 5×1 = 37.
    # Off-requests cost nothing when off. Total 7137.
    ev = evaluate(instance(1), off_roster(instance(1)))
    assert ev.total == 7137
    assert ev.by_term() == {
        "on-request": 37,
        "off-request": 0,
        "cover-under": 7100,
        "cover-over": 0,
    }
    # Everyone's only problem is too few minutes (0 < 3360): no work block exists, and the one
    # off block touches both ends of the horizon, so the minimum-days-off rule is exempt.
    assert rules_by_employee(ev) == {e: ["min-minutes"] for e in "ABCDEFGH"}
    assert ev.by_rule()["min-minutes"] == 8 and not ev.feasible


@pytest.mark.parametrize(("number", "total"), [(2, 10_882), (3, 15_474)])
def test_all_off_is_under_cover_plus_on_requests(number: int, total: int) -> None:
    """All off costs Σ under-weight × requirement + Σ on-request weights (Instance2: 10800 + 82)."""
    inst = instance(number)
    expected = sum(c.weight_under * c.requirement for c in inst.cover) + sum(
        r.weight for r in inst.on_requests
    )
    ev = evaluate(inst, off_roster(inst))
    assert ev.total == expected == total
    assert ev.by_term()["off-request"] == ev.by_term()["cover-over"] == 0


def test_instance1_one_employee_works_her_requests() -> None:
    """B works D on days 0–4, exactly her five on-requests of weight 3."""
    # Cover: 71 − 5 = 66 units short → 6600. On-requests: 37 − 15 (B's, met) = 22. Total 6622.
    inst = instance(1)
    ev = evaluate(inst, drawn(inst, {"B": "DDDDD........."}))
    assert ev.total == 6622
    assert not any(p.employee == "B" for p in ev.penalties)


def test_instance2_hand_built_roster() -> None:
    """A mixed roster on Instance2 hitting every soft term, priced by hand."""
    inst = instance(2)
    roster = drawn(
        inst,
        {
            "A": ".....ELL......",  # on-requests A 5..9 L (w1): 6, 7 met; 5 (E worked) and 8, 9 not
            "G": "...EE.........",  # off-requests G 3, 4 E (w2): both hit → 4
            "H": ".L............",  # off-request H 1 L (w2): hit → 2
            "K": ".......LLL....",  # on-requests K 7..9 L (w1): all met
            "M": ".......L......",  # on-requests M 3..7 L (w1): only 7 met
            "N": "EEE...........",  # on-requests N 0..2 E (w2): all met
        },
    )
    # Cover E: requirements sum 53; 6 worked (days 0-5, one each, none above requirement)
    #   → 47 short → 4700.
    # Cover L: requirements sum 55; worked day 1: 1, day 6: 1, day 7: 3 (requirement 2: one
    #   over, counts 2 towards cover), days 8, 9: 1 each → 55 − 6 = 49 short → 4900; over 1 → 1.
    # On-requests: all 82 minus met (A 6, 7: 2; K: 3; M 7: 1; N: 6) = 82 − 12 = 70.
    # Off-requests: G 2 + 2, H 2 = 6.  Total 4700 + 4900 + 1 + 70 + 6 = 9677.
    ev = evaluate(inst, roster)
    assert ev.by_term() == {
        "on-request": 70,
        "off-request": 6,
        "cover-under": 9600,
        "cover-over": 1,
    }
    assert ev.total == 9677 == sum_form(inst, roster)
    assert Penalty("cover-over", None, 7, "L", 1, 1, 1) in ev.penalties
    assert Penalty("on-request", "A", 5, "L", 1, 1, 1) in ev.penalties
    assert Penalty("off-request", "H", 1, "L", 1, 2, 2) in ev.penalties
    assert Penalty("cover-under", None, 7, "E", 3, 100, 300) in ev.penalties
    # Hard rules: A–J and L, M work under their minimum minutes (K's and N's 3 × 480 = 1440
    # reach their 1200); H's one-day block on day 1 is interior and below MinConsecutive 2.
    assert rules_by_employee(ev) == {
        **{e: ["min-minutes"] for e in "ABCDEFGIJLM"},
        "H": ["min-minutes", "min-consecutive"],
    }


@pytest.mark.parametrize(("number", "optimum"), [(1, 607), (2, 828), (3, 1001)])
def test_stored_optimal_rosters(number: int, optimum: int) -> None:
    """The stored rosters are feasible at the published optima (FORMAT.md §5 regression values).

    They came from a separate CP-SAT model of the IP form in FORMAT.md §3, so agreement here
    ties the run-length evaluator to the window formulation.
    """
    inst = instance(number)
    roster = read_roster(ROSTERS / f"Instance{number}.csv", inst)
    ev = evaluate(inst, roster)
    assert ev.violations == ()
    assert ev.total == optimum == sum_form(inst, roster)
    assert ev.total == sum(p.penalty for p in ev.penalties)


@pytest.mark.parametrize("number", [1, 2, 3, 7])
def test_ledger_equals_sum_form_on_random_rosters(number: int) -> None:
    """On random rosters the ledger total equals the formula of FORMAT.md §4."""
    inst = instance(number)
    rng = random.Random(number)
    for _ in range(20):
        roster = tuple(
            tuple(rng.choice([None, *range(len(inst.shifts))]) for _ in range(inst.horizon))
            for _ in inst.employees
        )
        ev = evaluate(inst, roster)
        assert ev.total == sum_form(inst, roster)
        assert all(p.penalty == p.amount * p.weight and p.amount > 0 for p in ev.penalties)


def test_wrong_shape_is_refused() -> None:
    """evaluate refuses a roster that does not fit the instance."""
    with pytest.raises(ValueError, match="rows"):
        evaluate(instance(1), off_roster(instance(2)))
