"""Read `outcomes.csv` (DESIGN.md §5): aggregate counts per site, period and metric, nothing else.

Data scope is a product rule, not a preference: surgeplan never holds records about members of
the public. So the loader refuses a file that looks row-level — a name, identifier, date of
birth, address or contact column, or two rows for one site, period and metric (a row per
arrest or per person) — with a message that says how to aggregate it. Like every loader it
collects all issues and raises one InputError (interfaces exit with code 2).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from surgeplan.reports.exports import csv_text
from surgeplan.scenario.errors import InputError, IssueLog
from surgeplan.scenario.files import parse_csv, read_text
from surgeplan.scenario.model import IDENT, Scenario
from surgeplan.tracking.target import Target

COLUMNS = ("site_id", "period_start", "metric", "value")
MAX_VALUE = 1_000_000_000
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
COUNT = re.compile(r"^\d{1,10}$")
METRIC = re.compile(IDENT)

# Header words that mark a record about a person; matched against the words of a column name.
PERSONAL: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "an identifier of a person",
        frozenset(
            {"id", "ids", "uid", "uuid", "identifier", "subject", "person", "people",
             "individual", "alien", "anumber", "ssn", "passport", "fin", "fins", "case",
             "booking", "detainee", "arrestee", "eid", "license"}
        ),
    ),
    ("a name", frozenset({"name", "names", "surname", "forename", "fullname", "alias"})),
    ("a date of birth or age", frozenset({"dob", "birth", "birthdate", "birthday", "born", "age"})),
    (
        "an address",
        frozenset({"address", "addr", "street", "zip", "zipcode", "postcode", "postal",
                   "residence"}),
    ),
    ("contact details", frozenset({"phone", "telephone", "mobile", "email"})),
)  # fmt: skip
A_NUMBER = re.compile(r"(^|_)a_?(no|num|number)(_|$)")
# Columns about the site, period or metric are not about people ("site_name" is just unknown).
NOT_PERSONAL = frozenset({"site", "metric", "period", "aor", "office"})


@dataclass(frozen=True, slots=True)
class Count:
    """One aggregate count: `value` events of `metric` at a site in the period starting then."""

    site_id: str
    period_start: date
    metric: str
    value: int


@dataclass(frozen=True, slots=True)
class Outcomes:
    """All counts of one outcomes file (or one simulation), in file order."""

    source: str
    counts: tuple[Count, ...]
    simulated: bool = False

    def values(self, site_id: str, metric: str) -> dict[date, int]:
        """Counts of one site and metric by period start; a period without a row is absent."""
        return {
            c.period_start: c.value
            for c in self.counts
            if c.site_id == site_id and c.metric == metric
        }

    def metrics(self) -> tuple[str, ...]:
        """Every metric in the file, in first-seen order."""
        return tuple(dict.fromkeys(c.metric for c in self.counts))


def outcomes_csv(outcomes: Outcomes) -> str:
    """The counts as an outcomes.csv text (e.g. simulated data as a template to edit)."""
    return csv_text(
        COLUMNS, ((c.site_id, c.period_start, c.metric, c.value) for c in outcomes.counts)
    )


def personal_kind(column: str) -> str | None:
    """What a header cell looks like if it names data about a person, else None."""
    norm = re.sub(r"[^a-z0-9]+", "_", column.strip().lower()).strip("_")
    if norm in COLUMNS or norm.split("_")[0] in NOT_PERSONAL:
        return None
    if A_NUMBER.search(norm):
        return "an identifier of a person"
    words = set(norm.split("_")) | {norm}
    for kind, marks in PERSONAL:
        if words & marks:
            return kind
    return None


def _guard_header(text: str, shown: str, log: IssueLog) -> None:
    """Refuse, with a specific message, columns that would hold records about people."""
    try:
        header = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        return  # parse_csv reports the broken CSV
    for cell in header:
        kind = personal_kind(cell)
        if kind is not None:
            log.add(
                shown,
                f"column {cell.strip()!r} looks like {kind}: outcomes.csv takes aggregate counts "
                f"per site and period only ({','.join(COLUMNS)}), never records about people; "
                "remove the column and sum the rows per site_id, period_start and metric",
                line=1,
                field=cell.strip(),
            )


def load_outcomes(path: Path, scenario: Scenario, target: Target) -> Outcomes:
    """Read and check `outcomes.csv` for a scenario and its target.

    Raises
    ------
    InputError
        With every problem found, each naming file, line, field and the fix.
    """
    log = IssueLog()
    shown = str(path)
    text = read_text(path, shown, log)
    if text is None:
        raise InputError(log.issues)
    _guard_header(text, shown, log)
    log.check()
    rows = parse_csv(text, shown, COLUMNS, (), log)
    if rows is None:
        raise InputError(log.issues)
    periods = _Periods(scenario, target)
    sites = {s.site_id for s in scenario.sites} | set(target.comparison_sites)
    first_line: dict[tuple[str, date, str], int] = {}
    counts: list[Count] = []
    for line, cells in rows.rows:
        if log.full:
            break
        found = _problems(cells, sites, periods)
        for field, message in found:
            log.add(shown, message, line, field)
        if found:
            continue
        count = Count(
            cells["site_id"], date.fromisoformat(cells["period_start"]), cells["metric"],
            int(cells["value"]),
        )  # fmt: skip
        key = (count.site_id, count.period_start, count.metric)
        if key in first_line:
            log.add(
                shown,
                f"a second row for site {key[0]}, period {key[1]}, metric {key[2]} (the first "
                f"is on line {first_line[key]}): outcomes.csv holds one aggregate count per "
                "site, period and metric; a row per arrest or per person is row-level data "
                "and is refused; sum such rows into one count",
                line,
                "site_id,period_start,metric",
            )
            continue
        first_line[key] = line
        counts.append(count)
    if not log.issues and target.metric not in {c.metric for c in counts}:
        log.add(
            shown,
            f"has no rows for the target metric {target.metric!r}; metrics in the file: "
            f"{', '.join(sorted({c.metric for c in counts})) or 'none'}; fix the metric "
            "names or the target in tracking.yaml",
            field="metric",
        )
    log.check()
    return Outcomes(shown, tuple(counts))


class _Periods:
    """Which period starts a row may carry: a baseline period or a campaign period."""

    def __init__(self, scenario: Scenario, target: Target) -> None:
        self.campaign = scenario.period_starts()
        self.baseline = target.baseline_periods(scenario.period_days)
        self.allowed = set(self.campaign) | set(self.baseline)
        self.unit = scenario.period

    def problem(self, day: date) -> str | None:
        if day in self.allowed:
            return None
        return (
            f"{day} is not the start of a baseline or campaign {self.unit}; baseline "
            f"{self.unit}s start {_span(self.baseline)}, "
            f"campaign {self.unit}s {_span(self.campaign)}"
        )


def _span(starts: tuple[date, ...]) -> str:
    if not starts:
        return "nowhere (empty window)"
    step = (starts[1] - starts[0]).days if len(starts) > 1 else 0
    every = f" every {step} days" if step else ""
    return f"{starts[0]} to {starts[-1]}{every}"


def _problems(cells: dict[str, str], sites: set[str], periods: _Periods) -> list[tuple[str, str]]:
    """Every problem of one data row, as (field, message)."""
    found: list[tuple[str, str]] = []
    site = cells["site_id"]
    if site not in sites:
        found.append(
            (
                "site_id",
                f"unknown site {site!r}; use a site of the scenario or a comparison site "
                f"of tracking.yaml ({', '.join(sorted(sites))})",
            )
        )
    day = cells["period_start"]
    parsed: date | None = None
    if ISO_DAY.match(day):
        try:
            parsed = date.fromisoformat(day)
        except ValueError:
            parsed = None
    if parsed is None:
        found.append(("period_start", f"{day!r} is not a date; write YYYY-MM-DD"))
    else:
        problem = periods.problem(parsed)
        if problem:
            found.append(("period_start", problem))
    if not METRIC.match(cells["metric"]) or len(cells["metric"]) > 64:
        found.append(("metric", f"{cells['metric']!r} is not a metric name; e.g. arrests_total"))
    value = cells["value"]
    if not COUNT.match(value) or int(value) > MAX_VALUE:
        found.append(
            (
                "value",
                f"{value!r} is not a count; give a whole number from 0 to {MAX_VALUE:,}",
            )
        )
    return found
