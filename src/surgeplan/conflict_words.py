"""Hard-rule conflicts in the planner's words: officers, sites, dates and dollars.

`engine.conflicts` finds sets of rule groups that cannot all hold, in the problem's
indices; this module says each set as one sentence naming every member, e.g. "P1 is
pinned to Chicago in the week of 2020-02-03 and pinned at home in the week of
2020-02-10, but rotation_min is 2 (a rotation must last at least 2 weeks)."
`hard_rule_conflicts` is the whole step (compile, search, words) for any front end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from surgeplan.compile import Replan, compile_replan
from surgeplan.engine.conflicts import Conflict, conflicts
from surgeplan.engine.constraints import Family, RuleGroup
from surgeplan.scenario.model import Scenario
from surgeplan.scenario.pins import Pin

CONFLICT_SECONDS = 20.0
"""Default time for the search of conflicting sets."""
_NO_REPLAN = Replan()
_LAST = (Family.UNAVAILABLE, Family.RELEASE, Family.MAX_CHANGES, Family.BUDGET)
"""Said after the rule families, in this order."""


@dataclass(frozen=True, slots=True)
class ConflictText:
    """One conflicting set of hard rules, as the planner reads it."""

    sentence: str
    minimal: bool
    """Proven irreducible: dropping any one member lets a plan keep all the others."""
    members: tuple[str, ...]
    """One short label per member, e.g. "pin P1 2020-02-03 CHI", "rotation_min 2"."""


def hard_rule_conflicts(
    scenario: Scenario,
    replan: Replan = _NO_REPLAN,
    seconds: float = CONFLICT_SECONDS,
    kept_before: date | None = None,
) -> tuple[ConflictText, ...]:
    """Why no plan keeps every hard rule of `scenario` with `replan`'s pins and caps;
    () if the rules do not conflict (or no conflict was shown within `seconds`).

    `kept_before`: in a re-plan, pins before this date keep the plan in force and are
    said so ("kept in Chicago … as already planned").
    """
    found = conflicts(compile_replan(scenario, replan), seconds)
    return describe(scenario, replan, found, kept_before)


def describe(
    scenario: Scenario,
    replan: Replan,
    found: Sequence[Conflict],
    kept_before: date | None = None,
) -> tuple[ConflictText, ...]:
    """Each conflict of `compile_replan(scenario, replan)` as a sentence."""
    words = _Words(scenario, replan, kept_before)
    return tuple(words.conflict(c) for c in found)


def _join(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" + ("" if n == 1 else "s")


class _Words:
    """Names, dates and amounts of one scenario and re-plan."""

    def __init__(self, scenario: Scenario, replan: Replan, kept_before: date | None) -> None:
        self.scenario, self.replan, self.kept_before = scenario, replan, kept_before
        self.unit = scenario.period
        self.sites = {s.site_id: s.name for s in scenario.sites}

    def conflict(self, conflict: Conflict) -> ConflictText:
        members = conflict.members
        pins = [self.replan.pins[m.index] for m in members if m.family is Family.PIN]
        rest = [m for m in members if m.family is not Family.PIN]
        rest.sort(key=lambda m: _LAST.index(m.family) + 1 if m.family in _LAST else 0)
        facts = self._pins(pins)
        rules = _join([self._rule(m, pins) for m in rest])
        if facts and rules:
            sentence = f"{facts}, but {rules}."
        elif facts:
            sentence = f"{facts}, which no plan can keep together."
        else:
            sentence = f"These rules cannot all hold: {rules}."
        labels = tuple(self._label(m) for m in members)
        return ConflictText(sentence[0].upper() + sentence[1:], conflict.minimal, labels)

    def _when(self, first: date, last: date) -> str:
        if self.unit == "day":
            return f"on {first}" if first == last else f"from {first} to {last}"
        if first == last:
            return f"in the {self.unit} of {first}"
        return f"from the {self.unit} of {first} to the {self.unit} of {last}"

    def _pins(self, pins: Sequence[Pin]) -> str:
        """Per officer, runs of consecutive periods pinned alike: "P1 is pinned to …"."""
        step = timedelta(days=self.scenario.period_days)
        clauses = []
        for person in dict.fromkeys(p.person_id for p in pins):
            own = sorted((p for p in pins if p.person_id == person), key=lambda p: p.period_start)
            runs: list[list[Pin]] = []
            for pin in own:
                last = runs[-1][-1] if runs else None
                if (
                    last is not None
                    and last.site_id == pin.site_id
                    and last.period_start + step == pin.period_start
                    and self._kept(last) == self._kept(pin)
                ):
                    runs[-1].append(pin)
                else:
                    runs.append([pin])
            kept = [self._place(run, "in") for run in runs if self._kept(run[0])]
            parts = [f"kept {_join(kept)} as already planned"] if kept else []
            parts += [f"pinned {self._place(run, 'to')}" for run in runs if not self._kept(run[0])]
            clauses.append(f"{person} is {', and '.join(parts) if kept else _join(parts)}")
        return _join(clauses)

    def _kept(self, pin: Pin) -> bool:
        return self.kept_before is not None and pin.period_start < self.kept_before

    def _place(self, run: Sequence[Pin], preposition: str) -> str:
        """Where and when a run of pins puts the officer: "to Chicago in the week of …"."""
        first, last = run[0], run[-1]
        where = "at home" if first.home else f"{preposition} {self.sites[first.site_id]}"
        return f"{where} {self._when(first.period_start, last.period_start)}"

    def _rule(self, group: RuleGroup, pins: Sequence[Pin]) -> str:
        rules, unit = self.scenario.rules, self.unit
        family = group.family
        if family is Family.RUN_MIN:
            n = rules.rotation_min
            return f"rotation_min is {n} (a rotation must last at least {_count(n, unit)})"
        if family is Family.RUN_MAX:
            n = rules.rotation_max or 0
            return f"rotation_max is {n} (a rotation may last at most {_count(n, unit)})"
        if family is Family.REST_MIN:
            n = rules.rest_min
            return f"rest_min is {n} (at least {_count(n, unit)} at home between rotations)"
        if family is Family.TOTAL_MAX:
            n = rules.deployed_max or 0
            return f"deployed_max is {n} (at most {_count(n, unit)} deployed in all)"
        if family is Family.SAME_ACTIVITY:
            return "same_site_only is on (a rotation stays at one site)"
        if family is Family.UNAVAILABLE:
            return self._leave(group.index, pins)
        if family is Family.RELEASE:
            base = self.scenario.bases[group.index]
            n = base.max_away or 0
            return (
                f"{base.name} ({base.base_id}) lets at most {_count(n, 'officer')} away at "
                "once (max_away)"
            )
        if family is Family.MAX_CHANGES:
            n = self.replan.max_changes or 0
            return (
                f"at most {_count(n, 'officer-' + unit)} may change from the previous plan "
                "(max_changes)"
            )
        if family is Family.BUDGET:
            budget = rules.budget_usd
            cost = "the pinned rotations" if pins else "the rotations they require"
            return f"the budget of ${budget:,.2f} is below the cost of {cost}"
        if family is Family.TRANSITIONS:
            return "some sites may not follow one another"
        return "the officers' per-site and workload limits"  # Family.ACTIVITY_LIMITS

    def _leave(self, person: int, pins: Sequence[Pin]) -> str:
        """ "P1 is unavailable from … to …": the intervals that touch the officer's pins in
        the set, else all of them."""
        person_id = self.scenario.people[person].person_id
        span = timedelta(days=self.scenario.period_days - 1)
        pinned = [p.period_start for p in pins if p.person_id == person_id]
        intervals = [u for u in self.scenario.unavailable if u.person_id == person_id]
        touching = [u for u in intervals if any(u.start <= d + span and d <= u.end for d in pinned)]
        shown = sorted(touching or intervals, key=lambda u: u.start)
        spans = [
            f"on {u.start}" if u.start == u.end else f"from {u.start} to {u.end}" for u in shown
        ]
        return f"{person_id} is unavailable {_join(spans)}"

    def _label(self, group: RuleGroup) -> str:
        rules, family = self.scenario.rules, group.family
        if family is Family.PIN:
            pin = self.replan.pins[group.index]
            return f"pin {pin.person_id} {pin.period_start} {pin.site_id}"
        if family is Family.UNAVAILABLE:
            return f"unavailable {self.scenario.people[group.index].person_id}"
        if family is Family.RELEASE:
            base = self.scenario.bases[group.index]
            return f"max_away {base.base_id} {base.max_away}"
        values: dict[Family, object] = {
            Family.RUN_MIN: rules.rotation_min,
            Family.RUN_MAX: rules.rotation_max,
            Family.REST_MIN: rules.rest_min,
            Family.TOTAL_MAX: rules.deployed_max,
            Family.SAME_ACTIVITY: "on",
            Family.BUDGET: rules.budget_usd,
            Family.MAX_CHANGES: self.replan.max_changes,
        }
        names = {
            Family.RUN_MIN: "rotation_min",
            Family.RUN_MAX: "rotation_max",
            Family.TOTAL_MAX: "deployed_max",
            Family.SAME_ACTIVITY: "same_site_only",
            Family.BUDGET: "budget_usd",
        }
        name = names.get(family, family.value)
        return f"{name} {values[family]}" if family in values else name
