"""Why a demand is not met: for each shortfall, what every officer who could fill it is doing.

A planner does not trust "1 short" without knowing who could have gone and why they did
not. For a short site-period-qualification, every officer holding the qualification for the
whole period is accounted for by the first rule that keeps them away: leave, a rotation
elsewhere, rest after or before a rotation (rest_min), the deployable-period cap
(deployed_max), their base's release cap (max_away), or a rotation_min that cannot fit.
Officers bound by none of these are "free": sending them would cost more elsewhere (a longer
shortfall, or a rotation rule broken in their own schedule), which is the optimiser's call.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from surgeplan.checker.ledger import TIER_SHORTFALL, Assignment, CheckReport
from surgeplan.reports.exports import csv_text
from surgeplan.scenario.model import ANY_QUALIFICATION, Person, Scenario

EXPLAIN_COLUMNS = ("site_id", "period_start", "qualification", "short", "holders", "reason")


@dataclass(frozen=True, slots=True)
class Explanation:
    """One shortfall and its reason in the planner's words."""

    site_id: str
    period_start: date
    qualification: str
    short: int
    holders: int
    reason: str


class _Plan:
    """Who is where, per person and period, with rotations as maximal deployed runs."""

    def __init__(self, scenario: Scenario, assignments: Sequence[Assignment]) -> None:
        self.scenario = scenario
        self.starts = scenario.period_starts()
        self.index = {d: t for t, d in enumerate(self.starts)}
        self.site: dict[str, dict[int, str]] = defaultdict(dict)
        for a in assignments:
            self.site[a.person_id][self.index[a.period_start]] = a.site_id
        self.names = {s.site_id: s.name for s in scenario.sites}
        self.leave = scenario.leave_periods()
        self.bases = {b.base_id: b for b in scenario.bases}
        base_of = {p.person_id: p.base_id for p in scenario.people}
        self.away = Counter(
            (base_of[person], t) for person, cells in self.site.items() for t in cells
        )

    def run(self, person: str, t: int) -> tuple[int, int]:
        """First and last period of the deployed run through t."""
        cells = self.site[person]
        first = last = t
        while first - 1 in cells:
            first -= 1
        while last + 1 in cells:
            last += 1
        return first, last


def _weeks(n: int, scenario: Scenario) -> str:
    return f"{n}-{scenario.period}"


DETAIL_UP_TO = 8
"""Up to this many officers away, each is described; beyond, they are counted by rule."""
GROUP_WORDS = {
    "leave": "on leave",
    "elsewhere": "at other sites",
    "rest": "resting between rotations (rest_min {rest_min})",
    "deployed_max": "out of deployable {period}s (deployed_max)",
    "base_cap": "held by their base's release cap (max_away)",
    "rotation_min": "unable to fit rotation_min before the campaign ends",
    "free": "free, but sending them would cost more elsewhere in the plan",
}


def _adjacent(plan: _Plan, person: Person, t: int, site: str) -> tuple[str, str] | None:
    """A rotation ending just before t or starting just after it: joining it would move the
    officer between sites with no rest (same_site_only) or stretch it past rotation_max."""
    rules, cells = plan.scenario.rules, plan.site[person.person_id]
    for neighbour in (t - 1, t + 1):
        if neighbour not in cells:
            continue
        first, last = plan.run(person.person_id, neighbour)
        if rules.same_site_only and cells[neighbour] != site:
            return "rest", (
                f"would have to go straight {'from' if neighbour < t else 'to'} "
                f"{plan.names[cells[neighbour]]} with no rest (same_site_only)"
            )
        if rules.rotation_max is not None and last - first + 2 > rules.rotation_max:
            return "rest", (
                f"their rotation {plan.starts[first]} to {plan.starts[last]} would "
                f"exceed rotation_max {rules.rotation_max}"
            )
    return None


def _reason(plan: _Plan, person: Person, t: int, site: str) -> tuple[str, str]:
    """The first rule that keeps `person` from the short site in period t: (rule, words)."""
    scenario, rules = plan.scenario, plan.scenario.rules
    cells = plan.site[person.person_id]
    if t in plan.leave.get(person.person_id, ()):
        return "leave", f"on leave that {scenario.period}"
    if t in cells:
        first, _ = plan.run(person.person_id, t)
        return "elsewhere", (
            f"at {plan.names[cells[t]]} in a rotation that started "
            f"{plan.starts[first]} (rotation_min {rules.rotation_min})"
        )
    adjacent = _adjacent(plan, person, t, site)
    if adjacent is not None:
        return adjacent
    before = [u for u in cells if u < t]
    if before and t - max(before) <= rules.rest_min:
        first, last = plan.run(person.person_id, max(before))
        return "rest", (
            f"resting after a {_weeks(last - first + 1, scenario)} rotation "
            f"(rest_min {rules.rest_min})"
        )
    after = [u for u in cells if u > t]
    if after and min(after) - t <= rules.rest_min:
        return "rest", (
            f"resting before a rotation starting {plan.starts[min(after)]} "
            f"(rest_min {rules.rest_min})"
        )
    if rules.deployed_max is not None and len(cells) >= rules.deployed_max:
        return "deployed_max", (
            f"has used all {rules.deployed_max} deployable {scenario.period}s (deployed_max)"
        )
    base = plan.bases[person.base_id]
    if base.max_away is not None and plan.away[base.base_id, t] >= base.max_away:
        return "base_cap", (
            f"of {base.name}, which already releases its maximum of {base.max_away} (max_away)"
        )
    room = len(plan.starts) - t
    if rules.rotation_min > room:
        return "rotation_min", (
            f"a rotation of rotation_min {rules.rotation_min} would run past the campaign's end"
        )
    return "free", GROUP_WORDS["free"]


def _summarise(scenario: Scenario, reasons: Sequence[tuple[str, str]]) -> str:
    """Each officer's reason when few; counts per rule (sites named) when many."""
    if len(reasons) <= DETAIL_UP_TO:
        counts = Counter(words for _, words in reasons)
        return "; ".join(f"{n} {words}" for words, n in counts.most_common())
    by_rule = Counter(rule for rule, _ in reasons)
    parts = []
    for rule, n in by_rule.most_common():
        words = GROUP_WORDS[rule].format(rest_min=scenario.rules.rest_min, period=scenario.period)
        parts.append(f"{n} {words}")
    return "; ".join(parts)


def explain(
    scenario: Scenario, assignments: Sequence[Assignment], report: CheckReport
) -> list[Explanation]:
    """An explanation for every shortfall entry of the checker's ledger."""
    plan = _Plan(scenario, assignments)
    out = []
    for entry in report.ledger:
        if entry.tier != TIER_SHORTFALL or entry.site_id is None or entry.period_start is None:
            continue
        t = plan.index[entry.period_start]
        qualification = ANY_QUALIFICATION
        if entry.rule != "cover":
            qualification = entry.scope.rsplit(", ", 1)[-1]
        last_day = entry.period_start + timedelta(days=scenario.period_days - 1)
        holders = [
            p
            for p in scenario.people
            if qualification == ANY_QUALIFICATION
            or p.holds(qualification, entry.period_start, last_day)
        ]
        away = [
            _reason(plan, p, t, entry.site_id)
            for p in holders
            if plan.site[p.person_id].get(t) != entry.site_id
        ]
        what = "officers" if qualification == ANY_QUALIFICATION else f"holders of {qualification}"
        site = plan.names[entry.site_id]
        short = int(entry.amount)
        text = (
            f"{site}, {scenario.period} of {entry.period_start}: {short} short of "
            f"{'headcount' if qualification == ANY_QUALIFICATION else qualification}. "
            f"{len(holders)} {what}; " + (_summarise(scenario, away) or "none elsewhere") + "."
        )
        out.append(
            Explanation(entry.site_id, entry.period_start, qualification, short, len(holders), text)
        )
    return out


def explanations_csv(rows: Sequence[Explanation]) -> str:
    """explanations.csv: one row per shortfall with its reason."""
    return csv_text(
        EXPLAIN_COLUMNS,
        ((r.site_id, r.period_start, r.qualification, r.short, r.holders, r.reason) for r in rows),
    )
