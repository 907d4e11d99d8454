"""A validated Scenario as a contract-v1.1 bundle (file name → text), and back.

Bundles are how a scenario travels (download, upload, attach to a ticket), so writing one
must be the exact inverse of `surgeplan.scenario.load`: `load_bundle_files(bundle_files(s))
== s`. Reading goes through the real loader on disk, never a second parser, so an edited
bundle gets the same checks and the same `demand.csv:14: ...` messages as a folder.

Limits of the round trip, all from what the loader accepts:

- A qualification valid from a date with no end (or up to a date with no start) has no
  v1 spelling; it is written with `0001-01-01` / `9999-12-31` as the open end. It reloads
  as a grant that covers exactly the same days, but is not `==` to the original.
- `per_diem` / `travel` of None (absent: costs nothing) are left out of the bundle,
  since an empty table would mean "present and incomplete" and be refused.
- Contract v1.1 parts are written only when used: no `requests.csv` (nor reference)
  without requests, and the `fairness` / `requests` weights only when not default. A
  scenario that uses none of v1.1 is written as the same v1 bundle as before.
- Text containing NUL cannot be written: the loader refuses such files as binary.
- Cells are written as they are, not neutralised with a leading `'` like plan exports:
  a bundle is loader input, and a prefix would change the names it reloads.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from surgeplan.scenario.errors import InputError, Issue
from surgeplan.scenario.files import MAX_TABLE_BYTES
from surgeplan.scenario.load import TABLES, load_with_warnings
from surgeplan.scenario.model import Grant, Scenario, Weights

V1_1_TABLES = frozenset({"requests"})
"""Tables of contract v1.1: written only when they have rows (absent = empty)."""
BUNDLE_TABLES: tuple[str, ...] = tuple(t for t in TABLES if t not in V1_1_TABLES)
"""The contract-v1 tables, each written whenever present (v1.1's only when not empty)."""
SCENARIO_FILE = "scenario.yaml"
OPEN_START = date.min
OPEN_END = date.max
HEADER_COMMENT = "# Scenario bundle, contract v1 (DESIGN.md §5), written by surgeplan.\n"
HEADER_COMMENT_V1_1 = "# Scenario bundle, contract v1.1 (DESIGN.md §5), written by surgeplan.\n"
V1_1_WEIGHTS = ("fairness", "requests")
"""Weights of contract v1.1: written only when not default."""


def _written(scenario: Scenario, table: str) -> bool:
    """Whether a table gets its file: present, and (a v1.1 table) not empty."""
    rows = getattr(scenario, table)
    return rows is not None and (table not in V1_1_TABLES or bool(rows))


def uses_v1_1(scenario: Scenario) -> bool:
    """True if the scenario uses a part of contract v1.1 (requests, non-default weights)."""
    default = Weights()
    return bool(scenario.requests) or any(
        getattr(scenario.weights, key) != getattr(default, key) for key in V1_1_WEIGHTS
    )


def _grant(grant: Grant) -> str:
    """`name` or `name@FROM..TO`: the loader only knows closed intervals, so an open end
    becomes the first or last representable day (same coverage, see module docstring)."""
    if grant.valid_from is None and grant.valid_to is None:
        return grant.name
    first = grant.valid_from or OPEN_START
    last = grant.valid_to or OPEN_END
    return f"{grant.name}@{first.isoformat()}..{last.isoformat()}"


def _cell(value: object) -> str:
    """One CSV cell in the loader's syntax: exact money, ISO dates, shortest exact floats."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, tuple):
        return ";".join(_grant(grant) for grant in value)
    return str(value)


def _csv(columns: Sequence[str], rows: Iterable[Any]) -> str:
    """CSV with `\\n` line ends and minimal quoting.

    Python 3.11's minimal quoting does not quote a bare `\\r` when the line end is `\\n`,
    and the loader would split the row there, so a row holding one is quoted in full.
    """
    buffer = io.StringIO(newline="")
    minimal = csv.writer(buffer, lineterminator="\n")
    full = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    minimal.writerow(columns)
    for row in rows:
        cells = [_cell(getattr(row, column)) for column in columns]
        (full if any("\r" in cell for cell in cells) else minimal).writerow(cells)
    return buffer.getvalue()


def _scenario_yaml(scenario: Scenario) -> str:
    """scenario.yaml: scalars, table references, the rules that are set, non-default weights.

    Dates go in as `date` objects (plain `2020-02-03`, which the loader reads as text);
    strings go through `yaml.safe_dump`, which quotes any that YAML would read as another
    type ("yes", "null", "2020-01-01"). The budget is a quoted decimal, exact to the cent.
    The only free text here is the scenario name; the tables' text lives in the CSVs.
    """
    doc: dict[str, Any] = {
        "name": scenario.name,
        "start": scenario.start,
        "end": scenario.end,
        "period": scenario.period,
    }
    for table in TABLES:
        if _written(scenario, table):
            doc[table] = f"{table}.csv"
    rules = {k: v for k, v in scenario.rules.model_dump().items() if v is not None}
    if "budget_usd" in rules:
        rules["budget_usd"] = f"{rules['budget_usd']:.2f}"
    doc["rules"] = rules
    if scenario.weights != Weights():
        default = Weights()
        doc["weights"] = {
            key: value
            for key, value in scenario.weights.model_dump().items()
            if key not in V1_1_WEIGHTS or value != getattr(default, key)
        }
    # PyYAML writes NEL (U+0085) raw inside a single-quoted scalar but reads it back as a
    # folded line break, i.e. a space; escaping non-ASCII forces "\N" instead.
    readable = "\x85" not in scenario.name
    body = yaml.safe_dump(doc, sort_keys=False, allow_unicode=readable, width=1_000_000)
    return (HEADER_COMMENT_V1_1 if uses_v1_1(scenario) else HEADER_COMMENT) + body


def bundle_files(scenario: Scenario) -> dict[str, str]:
    """The canonical bundle of a validated scenario: scenario.yaml and one CSV per table.

    Every present table gets its file (header only when empty), with exactly the
    contract columns, optional ones included (empty cell when None). Absent
    `per_diem` / `travel` (None) and an empty `requests` get no file and no reference.
    """
    files = {SCENARIO_FILE: _scenario_yaml(scenario)}
    for table in TABLES:
        rows = getattr(scenario, table)
        if _written(scenario, table):
            _, required, optional = TABLES[table]
            files[f"{table}.csv"] = _csv(required + optional, rows)
    return files


def table_header(table: str) -> str:
    """The CSV of an empty table: its contract columns only."""
    _, required, optional = TABLES[table]
    return _csv(required + optional, [])


def with_table(files: Mapping[str, str], table: str, text: str) -> dict[str, str]:
    """Bundle files with `table` replaced by `text`, referenced from scenario.yaml.

    A canonical scenario.yaml (`bundle_files`) names only the tables it has; a table
    given for the first time (requests, a per-diem table) gets its `table: table.csv`
    line, a top-level key appended to the mapping.
    """
    out = dict(files)
    out[f"{table}.csv"] = text
    doc = out[SCENARIO_FILE]
    if not any(line.startswith(f"{table}:") for line in doc.splitlines()):
        out[SCENARIO_FILE] = doc.rstrip("\n") + f"\n{table}: {table}.csv\n"
    return out


def _refusals(files: Mapping[str, str]) -> list[Issue]:
    """Names that are not plain file names, and contents the loader could never read.

    Checked before anything touches the disk: names come from untrusted uploads, and an
    oversized file would only be written to be refused.
    """
    issues = []
    for name, text in files.items():
        if name in ("", ".") or any(bad in name for bad in ("/", "\\", "\x00", "..")):
            issues.append(
                Issue(name, "is not a plain file name; use names like people.csv (no '/', '..')")
            )
        elif len(text) > MAX_TABLE_BYTES:
            issues.append(
                Issue(name, f"is more than the {MAX_TABLE_BYTES / 1e6:.0f} MB a bundle file may be")
            )
    if SCENARIO_FILE not in files:
        issues.append(Issue(SCENARIO_FILE, "is missing; a bundle needs its scenario.yaml"))
    return issues


def _shown(issue: Issue, folder: Path) -> Issue:
    """The issue with the private folder cut from its file name (the loader names
    scenario.yaml by full path when it cannot read it)."""
    path = Path(issue.file)
    if path.parent in (folder, folder.resolve()):
        return Issue(path.name, issue.message, issue.line, issue.column, issue.field)
    return issue


def load_bundle_files(files: Mapping[str, str]) -> Scenario:
    """`load_bundle_files_with_warnings` without the warnings."""
    return load_bundle_files_with_warnings(files)[0]


def load_bundle_files_with_warnings(
    files: Mapping[str, str],
) -> tuple[Scenario, tuple[Issue, ...]]:
    """Load a bundle held in memory with the real loader, so it is checked like a folder,
    with its warnings (`load_with_warnings`).

    The files go into a fresh private temporary directory (mode 0700, from
    `tempfile.mkdtemp`) that is removed afterwards, whatever happens; problems name the
    bundle's own file names, e.g. `demand.csv:14: ...`.

    Raises
    ------
    InputError
        For a name that is not a plain file name, a missing scenario.yaml, or anything
        the loader refuses.
    """
    issues = _refusals(files)
    if issues:
        raise InputError(issues)
    with tempfile.TemporaryDirectory(prefix="surgeplan-bundle-") as temporary:
        folder = Path(temporary)
        for name, text in files.items():
            try:
                data = text.encode("utf-8")
            except UnicodeEncodeError as exc:
                issues.append(Issue(name, f"cannot be written as UTF-8 text: {exc.reason}"))
                continue
            with (folder / name).open("xb") as out:
                out.write(data)
        if issues:
            raise InputError(issues)
        try:
            scenario, warnings = load_with_warnings(folder)
        except InputError as exc:
            raise InputError([_shown(i, folder) for i in exc.issues]) from None
        return scenario, tuple(_shown(w, folder) for w in warnings)
