"""The solver's world: an immutable, index-based staffing problem.

People, activities (sites of a deployment, shift types of a roster) and periods are
integers here; names live only in the scenario and come back in `decode`. Both front
doors of DESIGN.md §2 compile to this type. Every field is validated once, in
`__post_init__`, with a message naming the offending item; variants come from
`dataclasses.replace`. New fields default to "off".
"""

from __future__ import annotations

from dataclasses import dataclass, field

HOME = -1
ANYONE = -1
ANY_ACTIVITY = -1
"""Request.activity for "any activity": `on` = works, `off` = stays home."""


class ProblemError(ValueError):
    """An internally inconsistent problem (a bug in a front door, not user input)."""


@dataclass(frozen=True, slots=True)
class RunLimits:
    """Bounds on a person's runs of worked periods (rotations) and total load.

    `run_min`/`run_max` bound every maximal run of worked periods; `run_max` also one
    cut by the horizon, `run_min` too unless `run_min_at_ends` is False (rosters assume
    work continues beyond the horizon). `rest_min` is the least number of home periods
    between two runs.
    """

    run_min: int = 1
    run_max: int | None = None
    rest_min: int = 0
    total_max: int | None = None
    run_min_at_ends: bool = True

    def __post_init__(self) -> None:
        if self.run_min < 1:
            raise ProblemError(f"run_min {self.run_min} < 1")
        if self.run_max is not None and self.run_max < self.run_min:
            raise ProblemError(f"run_max {self.run_max} < run_min {self.run_min}")
        if self.rest_min < 0 or (self.total_max is not None and self.total_max < 0):
            raise ProblemError("rest_min and total_max must be >= 0")


@dataclass(frozen=True, slots=True)
class Person:
    """A person: release group (home base), availability and skills per period."""

    name: str
    group: int
    unavailable: frozenset[int] = frozenset()
    skills: tuple[frozenset[int], ...] = ()
    """Per period, the skills this person may fill (valid on every day of the period)."""
    limits: RunLimits = RunLimits()
    max_per_activity: tuple[int | None, ...] = ()
    """Per activity, the most periods on it (0 forbids it); empty: no limit."""
    minutes_min: int = 0
    minutes_max: int | None = None
    """Bounds on the total length (Activity.minutes) of the activities worked."""
    max_weekends: int | None = None
    """Most weekends (Problem.weekends) with any period worked."""

    def allows(self, activity: int) -> bool:
        """False if this person may never work `activity`."""
        return not self.max_per_activity or self.max_per_activity[activity] != 0


@dataclass(frozen=True, slots=True)
class Request:
    """A soft wish: person wants (`on`) or does not want activity in period; miss costs weight.

    `activity` ANY_ACTIVITY means any activity: `on` wants the person to work, `off` to
    stay home. Either way the request is missed exactly when "works `activity`" (or
    "works at all") differs from `on`.
    """

    person: int
    period: int
    activity: int
    on: bool
    weight: int

    def missed(self, at: int) -> bool:
        """Whether the request is not granted when the person's cell holds `at` (or HOME)."""
        there = at != HOME if self.activity == ANY_ACTIVITY else at == self.activity
        return there != self.on


@dataclass(frozen=True, slots=True)
class PinnedCell:
    """A person-period fixed by the planner to an activity, or to HOME."""

    person: int
    period: int
    activity: int


@dataclass(frozen=True, slots=True)
class Group:
    """A release group (home base): at most `max_away` of its people work in a period.

    `caps`, when given, is a per-period cap that replaces `max_away` (a sub-problem whose
    other members are fixed has less room in some periods than in others).
    """

    name: str
    max_away: int | None = None
    caps: tuple[int, ...] = ()

    def cap(self, period: int) -> int | None:
        """Most people of this group who may work in `period` (None: no limit)."""
        return self.caps[period] if self.caps else self.max_away


@dataclass(frozen=True, slots=True)
class Activity:
    """Something a person does in a period: a deployment site or a shift type."""

    name: str
    minutes: int = 0
    """Length of one period of this activity (shift length; 0 where it does not matter)."""


@dataclass(frozen=True, slots=True)
class Cover:
    """Demand: at least `required` people on `activity` in `period` holding `skill`.

    `skill` is ANYONE for plain headcount. Each missing person costs `weight`, each one
    beyond the requirement `over_weight` (0: extra people are free).
    """

    period: int
    activity: int
    skill: int
    required: int
    weight: int = 1
    over_weight: int = 0


@dataclass(frozen=True, slots=True)
class Costs:
    """Money in cents, decomposed so a plan's cost is linear in its stretch structure.

    A same-activity stretch of a person of group g at activity a over periods s..e costs
    `fare[g][a] + Σ_t period[a][t] + first[a][s] + last[a][e]` (+ `single[a][s]` when
    s == e). `first` and `last` are adjustments (≤ 0 in practice) to the full per-period
    rates for the first and last day; `single` corrects a one-period stretch whose first
    and last day coincide.
    """

    fare: tuple[tuple[int, ...], ...]
    period: tuple[tuple[int, ...], ...]
    first: tuple[tuple[int, ...], ...]
    last: tuple[tuple[int, ...], ...]
    single: tuple[tuple[int, ...], ...] | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """A complete, index-based staffing problem."""

    num_periods: int
    people: tuple[Person, ...]
    activities: tuple[Activity, ...]
    groups: tuple[Group, ...]
    skills: tuple[str, ...] = ()
    covers: tuple[Cover, ...] = ()
    costs: Costs | None = None
    same_activity_runs: bool = True
    """A run of worked periods stays on one activity (same_site_only)."""
    budget: int | None = None
    """Hard cap on total cost in cents."""
    cost_weight: int = 1
    period_labels: tuple[str, ...] = field(default=())
    forbidden: frozenset[tuple[int, int]] = frozenset()
    """(a, b): activity a may not be followed by activity b in the next period."""
    requests: tuple[Request, ...] = ()
    weekends: tuple[tuple[int, ...], ...] = ()
    """Groups of periods that count as one weekend for Person.max_weekends."""
    single_objective: bool = False
    """Minimise cover penalties plus request penalties as one sum (a roster benchmark's
    objective) instead of the lexicographic tiers."""
    pins: tuple[PinnedCell, ...] = ()
    previous: tuple[tuple[int, ...], ...] | None = None
    """A previous plan (activity or HOME per person and period): changes from it are the
    last tier, each costing `change_weight`, and at most `max_changes` when given."""
    change_weight: int = 1
    max_changes: int | None = None
    fairness_weight: int = 0
    """Weight of the spread (most − fewest periods worked) across `fairness_people`;
    0 turns the fairness tier off."""

    def __post_init__(self) -> None:
        T, A = self.num_periods, len(self.activities)
        if T < 1:
            raise ProblemError("a problem needs at least one period")
        for index, person in enumerate(self.people):
            if not 0 <= person.group < len(self.groups):
                raise ProblemError(f"person {index} ({person.name}): unknown group {person.group}")
            if person.skills and len(person.skills) != T:
                raise ProblemError(
                    f"person {index} ({person.name}): skills for "
                    f"{len(person.skills)} periods, expected {T}"
                )
            if any(not 0 <= t < T for t in person.unavailable):
                raise ProblemError(f"person {index} ({person.name}): unavailable out of range")
            if person.max_per_activity and len(person.max_per_activity) != A:
                raise ProblemError(
                    f"person {index} ({person.name}): max_per_activity for "
                    f"{len(person.max_per_activity)} activities, expected {A}"
                )
        for cover in self.covers:
            if not (0 <= cover.period < T and 0 <= cover.activity < A):
                raise ProblemError(f"cover {cover}: period or activity out of range")
            if cover.skill != ANYONE and not 0 <= cover.skill < len(self.skills):
                raise ProblemError(f"cover {cover}: unknown skill")
            if cover.required < 0 or cover.weight < 0:
                raise ProblemError(f"cover {cover}: negative requirement or weight")
        for group in self.groups:
            if group.caps and len(group.caps) != T:
                raise ProblemError(f"group {group.name}: caps for {len(group.caps)} periods")
        for r in self.requests:
            if not (
                0 <= r.person < len(self.people)
                and 0 <= r.period < T
                and (0 <= r.activity < A or r.activity == ANY_ACTIVITY)
                and r.weight >= 0
            ):
                raise ProblemError(f"request {r}: out of range")
        if any(not (0 <= a < A and 0 <= b < A) for a, b in self.forbidden):
            raise ProblemError("forbidden transition with an unknown activity")
        if any(not 0 <= t < T for weekend in self.weekends for t in weekend):
            raise ProblemError("weekend period out of range")
        for pin in self.pins:
            if not (
                0 <= pin.person < len(self.people)
                and 0 <= pin.period < T
                and HOME <= pin.activity < A
            ):
                raise ProblemError(f"pin {pin}: out of range")
        if self.fairness_weight < 0:
            raise ProblemError(f"fairness_weight {self.fairness_weight} < 0")
        if self.previous is not None and (
            len(self.previous) != len(self.people) or any(len(row) != T for row in self.previous)
        ):
            raise ProblemError("previous plan must be people × periods")
        if self.costs is not None:
            self._check_costs(self.costs)

    def _check_costs(self, costs: Costs) -> None:
        A, T = len(self.activities), self.num_periods
        tables = {"period": costs.period, "first": costs.first, "last": costs.last}
        if costs.single is not None:
            tables["single"] = costs.single
        for name, table in tables.items():
            if len(table) != A or any(len(row) != T for row in table):
                raise ProblemError(f"costs.{name} must be {A} activities × {T} periods")
        if len(costs.fare) != len(self.groups) or any(len(r) != A for r in costs.fare):
            raise ProblemError(f"costs.fare must be {len(self.groups)} groups × {A} activities")

    def fairness_people(self) -> tuple[int, ...]:
        """People the fairness spread is taken over: those free in at least one period."""
        return tuple(
            p for p, person in enumerate(self.people) if len(person.unavailable) < self.num_periods
        )

    def has_requests(self) -> bool:
        """Whether any request carries weight (the requests tier is then solved)."""
        return any(r.weight > 0 for r in self.requests)

    def can_fill(self, person: int, period: int, skill: int) -> bool:
        """True if `person` counts toward `skill` (or headcount) in `period`."""
        if skill == ANYONE:
            return True
        skills = self.people[person].skills
        return bool(skills) and skill in skills[period]

    def stretch_cost(self, person: int, activity: int, first: int, last: int) -> int:
        """Cost in cents of one same-activity stretch from period `first` to `last`."""
        costs = self.costs
        if costs is None:
            return 0
        row = costs.period[activity]
        total = costs.fare[self.people[person].group][activity]
        total += sum(row[first : last + 1]) + costs.first[activity][first]
        total += costs.last[activity][last]
        if first == last and costs.single is not None:
            total += costs.single[activity][first]
        return total
