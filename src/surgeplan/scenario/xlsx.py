"""Read a table from an uploaded workbook as CSV text, so one loader validates both.

Only the first sheet is read; row n of the sheet becomes line n of the CSV, so the
loader's line numbers are the spreadsheet's row numbers. Formulas are refused rather
than evaluated: a cell must hold the value the planner means.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from surgeplan.scenario.errors import InputError, Issue

MAX_CELLS = 2_000_000


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    return str(value)


def workbook_csv(data: bytes, shown: str) -> str:
    """The first sheet of an .xlsx file as CSV text; InputError naming `shown` if unreadable."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(
            [
                Issue(
                    shown,
                    f"is not a readable .xlsx workbook ({exc}); save it as Excel .xlsx or CSV",
                )
            ]
        ) from None
    sheet = book.worksheets[0]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    issues: list[Issue] = []
    cells = 0
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        cells += len(values)
        if cells > MAX_CELLS:
            raise InputError([Issue(shown, f"has more than {MAX_CELLS} cells; split the table")])
        for column, value in enumerate(values, start=1):
            if isinstance(value, str) and value.startswith("="):
                issues.append(
                    Issue(
                        shown,
                        f"cell {get_column_letter(column)}{number} holds a formula; "
                        "paste its value instead",
                        number,
                        column,
                    )
                )
        writer.writerow([_text(v) for v in values])
    book.close()
    if issues:
        raise InputError(issues)
    return out.getvalue()
