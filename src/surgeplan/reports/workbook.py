"""plan.xlsx: assignments and rotations as a workbook planners can open and filter.

Text cells go through the same formula guard as the CSV files (a name beginning with `=`
stays text); dates are real dates and money real numbers, so sums and filters work.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook

from surgeplan.checker.ledger import Assignment, Stretch
from surgeplan.reports.exports import ROTATION_COLUMNS, rotation_rows, safe_cell
from surgeplan.scenario.model import Scenario


def _cell(value: object) -> object:
    return safe_cell(value) if isinstance(value, str) else value


def plan_workbook(
    scenario: Scenario, assignments: Sequence[Assignment], stretches: Sequence[Stretch]
) -> bytes:
    """The workbook's bytes: sheets `assignments` and `rotations` (with cost parts)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "assignments"
    sheet.append(["person_id", "site_id", "period_start", "period_end"])
    for a in sorted(assignments, key=lambda x: (x.person_id, x.period_start)):
        sheet.append([_cell(a.person_id), _cell(a.site_id), a.period_start, a.period_end])
    rotations = book.create_sheet("rotations")
    rotations.append(list(ROTATION_COLUMNS))
    for row in rotation_rows(scenario, stretches):
        rotations.append([float(v) if isinstance(v, Decimal) else _cell(v) for v in row])
    for ws in (sheet, rotations):
        ws.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_workbook(title: str, text: str) -> bytes:
    """One CSV table as a one-sheet workbook of text cells, so ids like `007` survive.

    Only a leading `=` needs a guard here: openpyxl would store it as a formula, while
    other text (a longitude of `-106.5`) is stored as text and never evaluated.
    """
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = title[:31]
    for row in csv.reader(io.StringIO(text)):
        sheet.append(["'" + v if v.startswith("=") else v for v in row])
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
