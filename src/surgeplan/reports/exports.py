"""Plan files in contract form: assignments.csv, rotations.csv and summary.json.

Cells are data, never formulas: a text cell that a spreadsheet would evaluate (it begins
with =, +, - or @) is prefixed with a quote (DESIGN.md §5). Files are written to a
temporary name and renamed, so a crash never leaves half a plan.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from surgeplan.checker.ledger import Assignment, Stretch
from surgeplan.scenario.model import Scenario

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Text of a cell, neutralised if a spreadsheet would read it as a formula.

    Numbers are written as they are (a negative amount is a number, not a formula).
    """
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_START):
        return "'" + text
    return text


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write text (UTF-8) or bytes to `path` via a temporary file beside it, then rename."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV with a header row and neutralised cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def assignments_csv(assignments: Sequence[Assignment]) -> str:
    """assignments.csv: person_id,site_id,period_start,period_end (end inclusive)."""
    ordered = sorted(assignments, key=lambda a: (a.person_id, a.period_start))
    return csv_text(
        ("person_id", "site_id", "period_start", "period_end"),
        ((a.person_id, a.site_id, a.period_start, a.period_end) for a in ordered),
    )


ROTATION_COLUMNS = (
    "person_id",
    "name",
    "site_id",
    "start",
    "end",
    "periods",
    "travel_usd",
    "lodging_usd",
    "mie_usd",
    "cost_usd",
)


def rotation_rows(scenario: Scenario, stretches: Sequence[Stretch]) -> list[tuple[Any, ...]]:
    """One row per priced same-site stretch (ROTATION_COLUMNS), by officer and start."""
    names = {p.person_id: p.name for p in scenario.people}
    return [
        (
            s.person_id,
            names.get(s.person_id, ""),
            s.site_id,
            s.start,
            s.end,
            s.periods,
            s.travel_usd,
            s.lodging_usd,
            s.mie_usd,
            s.cost_usd,
        )
        for s in sorted(stretches, key=lambda s: (s.person_id, s.start))
    ]


def rotations_csv(scenario: Scenario, stretches: Sequence[Stretch]) -> str:
    """rotations.csv: one row per priced same-site stretch, with its cost parts."""
    return csv_text(ROTATION_COLUMNS, rotation_rows(scenario, stretches))


def json_text(data: dict[str, Any]) -> str:
    """Stable, readable JSON."""
    return json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
