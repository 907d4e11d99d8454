"""The outcome target of a campaign, read from an optional `tracking.yaml` beside scenario.yaml.

Why a separate file: scenario contract v1 is frozen, and the target, its baseline window, the
comparison sites and an external shock belong to tracking (DESIGN.md §3). The mapping under
`target:` is the one the issue proposes, so it can move into a later scenario contract as is.

`tracking.yaml` (every key optional; shown with the defaults used when it is absent)::

    target:
      metric: arrests_total      # the outcomes.csv metric the target is about
      change_pct: 35             # wanted change against the baseline, in percent (> -100)
      baseline:                  # give one of the three forms:
        weeks_before: 8          #   the N periods just before the campaign (the default)
        # start: 2019-02-04      #   or an explicit window of whole periods that ends
        # end: 2019-06-02        #   before the campaign starts
        # previous_year: true    #   or the campaign's own periods 52 weeks earlier
    comparison_sites: []         # ids (as in outcomes.csv) of sites that got no surge
    shock:                       # an outside event that moves counts everywhere
      date: 2020-03-18           #   shown as a vertical line; pre-shock estimates reported
      label: COVID-19 enforcement posture
    composition: []              # category metrics that split the target metric, e.g.
                                 # [arrests_convicted, arrests_pending, arrests_other]

The built-in scenario has no tracking.yaml; `builtin_target` supplies its defaults.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from surgeplan.scenario.errors import InputError, Issue, IssueLog
from surgeplan.scenario.files import read_text
from surgeplan.scenario.load import describe
from surgeplan.scenario.model import IDENT, Scenario
from surgeplan.scenario.safeyaml import LineMap, YamlError, load_yaml

TRACKING_FILE = "tracking.yaml"
DEFAULT_METRIC = "arrests_total"
DEFAULT_CHANGE_PCT = 35.0
DEFAULT_WEEKS_BEFORE = 8
YEAR_DAYS = 364  # 52 weeks: the same weekday a year earlier

Ident = Annotated[str, Field(pattern=IDENT, max_length=64)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Shock(_Frozen):
    """An outside event (e.g. a pandemic) after which counts may move at every site."""

    date: dt.date
    label: Annotated[str, Field(min_length=1, max_length=200)] = "external shock"


class Target(_Frozen):
    """What the campaign aimed at, against which window, compared with which sites."""

    metric: Ident = DEFAULT_METRIC
    change_pct: Annotated[float, Field(gt=-100, le=10_000)] = DEFAULT_CHANGE_PCT
    baseline_start: date
    baseline_end: date
    comparison_sites: tuple[Ident, ...] = ()
    shock: Shock | None = None
    composition: tuple[Ident, ...] = ()
    origin: str = "defaults"

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        if self.baseline_end < self.baseline_start:
            raise ValueError(
                f"baseline ends {self.baseline_end}, before it starts {self.baseline_start}; "
                "swap the dates"
            )
        lists = (("comparison_sites", self.comparison_sites), ("composition", self.composition))
        for name, values in lists:
            if len(set(values)) != len(values):
                raise ValueError(f"{name} lists an id twice; list each once")
        if self.metric in self.composition:
            raise ValueError(f"composition must not contain the target metric {self.metric!r}")
        return self

    @property
    def ratio(self) -> float:
        """The target as a rate ratio: +35% is 1.35."""
        return 1.0 + self.change_pct / 100.0

    def baseline_periods(self, period_days: int) -> tuple[date, ...]:
        """Start date of every baseline period, in order."""
        count = ((self.baseline_end - self.baseline_start).days + 1) // period_days
        return tuple(self.baseline_start + timedelta(days=period_days * i) for i in range(count))


def default_target(scenario: Scenario) -> Target:
    """Defaults for a scenario without tracking.yaml: +35% arrests against the 8 prior weeks."""
    start, end = _weeks_before(scenario, DEFAULT_WEEKS_BEFORE)
    return Target(baseline_start=start, baseline_end=end)


def builtin_target() -> Target:
    """The built-in 2020 scenario's target (DESIGN.md §6; SOURCES.md §3.1–3.2).

    Baseline: the campaign's weeks a year earlier (2019-02-04 to 2019-06-02), so that the
    season matches. Comparison: three interior field offices that got no CBP detail.
    Shock: ICE's COVID-19 enforcement posture announced on 18 Mar 2020.
    """
    return Target(
        metric=DEFAULT_METRIC,
        change_pct=DEFAULT_CHANGE_PCT,
        baseline_start=date(2019, 2, 4),
        baseline_end=date(2019, 6, 2),
        comparison_sites=("PHI", "SEA", "DEN"),
        shock=Shock(
            date=date(2020, 3, 18),
            label="ICE COVID-19 enforcement posture announced",
        ),
        composition=("arrests_convicted", "arrests_pending", "arrests_other"),
        origin="built-in defaults",
    )


def _weeks_before(scenario: Scenario, count: int) -> tuple[date, date]:
    days = scenario.period_days * count
    return scenario.start - timedelta(days=days), scenario.start - timedelta(days=1)


def read_target(scenario_path: Path | None, scenario: Scenario, builtin: bool = False) -> Target:
    """The target for a scenario: its tracking.yaml if present, else the defaults.

    `scenario_path` is the bundle folder or scenario.yaml (None, or `builtin`, for the
    built-in scenario, which takes `builtin_target`).

    Raises
    ------
    InputError
        With every problem of tracking.yaml, each naming line, field and fix.
    """
    if scenario_path is not None:
        folder = scenario_path if scenario_path.is_dir() else scenario_path.parent
        path = folder / TRACKING_FILE
        if path.exists():
            return _Reader(path, scenario).run()
    builtin = builtin or scenario_path is None
    target = builtin_target() if builtin else default_target(scenario)
    log = IssueLog()
    check_target(target, scenario, target.origin, log)
    log.check()
    return target


def check_target(target: Target, scenario: Scenario, shown: str, log: IssueLog) -> None:
    """Rules that need the scenario: whole baseline periods before the campaign, no surge
    site used as a comparison."""
    days = (target.baseline_end - target.baseline_start).days + 1
    if days % scenario.period_days:
        log.add(
            shown,
            f"the baseline {target.baseline_start}..{target.baseline_end} is {days} days, not "
            f"whole {scenario.period}s; make it a multiple of {scenario.period_days} days",
            field="target.baseline",
        )
    if target.baseline_end >= scenario.start:
        log.add(
            shown,
            f"the baseline ends {target.baseline_end}, not before the campaign starts "
            f"{scenario.start}; a baseline must precede the campaign",
            field="target.baseline",
        )
    surged = {d.site_id for d in scenario.demand if d.required > 0}
    for site in target.comparison_sites:
        if site in surged:
            log.add(
                shown,
                f"comparison site {site!r} has demand in the scenario, so it is not a site "
                "without surge; remove it from comparison_sites",
                field="comparison_sites",
            )


class _Reader:
    """One read of tracking.yaml: the issue log and the line map for its messages."""

    TOP = ("target", "comparison_sites", "shock", "composition")
    TARGET = ("metric", "change_pct", "baseline")
    BASELINE = ("start", "end", "weeks_before", "previous_year")

    def __init__(self, path: Path, scenario: Scenario) -> None:
        self.path = path
        self.shown = str(path)
        self.scenario = scenario
        self.log = IssueLog()
        self.lines = LineMap({})

    def run(self) -> Target:
        text = read_text(self.path, self.shown, self.log, limit=1_000_000)
        self.log.check()
        assert text is not None
        try:
            doc, self.lines = load_yaml(text)
        except YamlError as exc:
            raise InputError([Issue(self.shown, exc.message, exc.line, exc.column)]) from None
        if doc is None:
            doc = {}
        if not isinstance(doc, dict):
            raise InputError([Issue(self.shown, "must be a mapping (target:, shock:, ...)", 1)])
        self._known(doc, self.TOP, "")
        target = self._mapping(doc, "target")
        self._known(target, self.TARGET, "target.")
        fields: dict[str, Any] = {k: target[k] for k in ("metric", "change_pct") if k in target}
        fields.update(self._baseline(doc, target))
        for key in ("comparison_sites", "composition", "shock"):
            if doc.get(key) is not None:
                fields[key] = doc[key]
        self.log.check()
        try:
            result = Target.model_validate(fields | {"origin": self.shown})
        except ValidationError as exc:
            for err in exc.errors():
                key = ".".join(str(p) for p in err["loc"]) or "target"
                top = key.split(".")[0]
                line = self.lines.of(target, top) or self.lines.of(doc, top)
                if top in ("metric", "change_pct"):
                    key = f"target.{key}"
                elif top.startswith("baseline_"):
                    key = "target.baseline"
                    line = self.lines.of(target, "baseline")
                self.log.add(self.shown, describe(err), line, field=key)
            self.log.check()
            raise AssertionError("unreachable") from None
        check_target(result, self.scenario, self.shown, self.log)
        self.log.check()
        return result

    def _mapping(self, doc: dict[str, Any], key: str) -> dict[str, Any]:
        value = doc.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.log.add(self.shown, "must be a mapping", self.lines.of(doc, key), field=key)
            return {}
        return value

    def _known(self, mapping: dict[str, Any], known: tuple[str, ...], prefix: str) -> None:
        for key in mapping:
            if key not in known:
                self.log.add(
                    self.shown,
                    f"unknown key {key!r}; known keys: {', '.join(known)}",
                    self.lines.of(mapping, str(key)),
                    field=f"{prefix}{key}",
                )

    def _baseline(self, doc: dict[str, Any], target: dict[str, Any]) -> dict[str, Any]:
        """The baseline window as dates, from whichever of the three forms was given."""
        base = self._mapping(target, "baseline")
        self._known(base, self.BASELINE, "target.baseline.")
        line = self.lines.of(target, "baseline") or self.lines.of(doc, "target")
        forms = [f for f in ("start", "weeks_before", "previous_year") if f in base]
        if len(forms) > 1 or ("start" in base) != ("end" in base):
            self.log.add(
                self.shown,
                "give the baseline as start and end, or weeks_before, or previous_year: true",
                line,
                field="target.baseline",
            )
            return {}
        if "start" in base:
            return {"baseline_start": base["start"], "baseline_end": base["end"]}
        if "previous_year" in base:
            if base["previous_year"] is not True:
                self.log.add(
                    self.shown,
                    "previous_year takes only the value true; leave it out for the default",
                    line,
                    field="target.baseline.previous_year",
                )
                return {}
            shift = timedelta(days=YEAR_DAYS)
            return {
                "baseline_start": self.scenario.start - shift,
                "baseline_end": self.scenario.end - shift,
            }
        weeks = base.get("weeks_before", DEFAULT_WEEKS_BEFORE)
        if not isinstance(weeks, int) or isinstance(weeks, bool) or not 1 <= weeks <= 520:
            self.log.add(
                self.shown,
                f"{weeks!r} is not a number of periods from 1 to 520",
                line,
                field="target.baseline.weeks_before",
            )
            return {}
        start, end = _weeks_before(self.scenario, weeks)
        return {"baseline_start": start, "baseline_end": end}
