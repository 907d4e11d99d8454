"""Reading untrusted files of a bundle: confined paths, size caps, text only, UTF-8.

Every failure becomes an Issue naming the file and the fix; nothing here raises
anything else, so no traceback reaches a user.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from surgeplan.scenario.errors import InputError, IssueLog

MAX_TABLE_BYTES = 20_000_000


@dataclass(frozen=True, slots=True)
class Rows:
    """A table's data rows with the line each came from (header is line 1 for CSV)."""

    file: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]


def confined_path(folder: Path, relative: str, shown_in: str, log: IssueLog) -> Path | None:
    """Resolve a table path given in `shown_in`; refuse anything that leaves `folder`."""
    pure = PurePosixPath(relative.replace("\\", "/"))
    if pure.is_absolute() or ":" in relative.split("/", maxsplit=1)[0]:
        log.add(
            shown_in,
            f"table path {relative!r} is absolute; give it relative to the "
            "scenario folder, e.g. people.csv",
        )
        return None
    if ".." in pure.parts:
        log.add(
            shown_in,
            f"table path {relative!r} uses '..'; tables must sit inside the scenario folder",
        )
        return None
    root = folder.resolve()
    path = (root / pure).resolve()
    if not path.is_relative_to(root):
        log.add(
            shown_in,
            f"table path {relative!r} leads outside the scenario folder "
            "(a symbolic link?); copy the file into the folder",
        )
        return None
    return path


def read_text(path: Path, shown: str, log: IssueLog, limit: int = MAX_TABLE_BYTES) -> str | None:
    """Read a UTF-8 text file, refusing missing, huge, binary or mis-encoded files."""
    if not path.exists():
        log.add(shown, "file not found; check the name and that it sits beside scenario.yaml")
        return None
    if not path.is_file():
        log.add(shown, "is not a regular file")
        return None
    size = path.stat().st_size
    if size > limit:
        log.add(
            shown,
            f"is {size / 1e6:.1f} MB, more than the {limit / 1e6:.0f} MB a table "
            "may be; is this the right file?",
        )
        return None
    data = path.read_bytes()
    if b"\x00" in data:
        log.add(shown, "is a binary file, not CSV/YAML text; export the table as CSV (UTF-8)")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        log.add(
            shown,
            f"is not UTF-8 text (byte 0x{data[exc.start]:02X}); save it as "
            "'CSV UTF-8' in your spreadsheet",
            line=line,
        )
        return None


def parse_csv(
    text: str, shown: str, required: tuple[str, ...], optional: tuple[str, ...], log: IssueLog
) -> Rows | None:
    """Split CSV text into rows keyed by column; check the header against the contract."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = tuple(cell.strip() for cell in next(reader))
    except StopIteration:
        log.add(shown, f"is empty; it needs a header row: {','.join(required)}", line=1)
        return None
    except csv.Error as exc:
        log.add(shown, f"is not valid CSV: {exc}", line=1)
        return None
    known = required + optional
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in known]
    doubled = sorted({c for c in header if header.count(c) > 1})
    if missing or unknown or doubled:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(repr(c) for c in unknown)}")
        if doubled:
            parts.append(f"column(s) given twice: {', '.join(doubled)}")
        log.add(shown, "; ".join(parts) + f"; the header must be {','.join(known)}", line=1)
        return None
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                log.add(
                    shown,
                    f"has {len(cells)} cells but the header has {len(header)}; "
                    "check for a stray comma or a missing quote",
                    line=line,
                )
                continue
            rows.append((line, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
    except csv.Error as exc:
        log.add(shown, f"is not valid CSV: {exc}", line=reader.line_num)
        return None
    return Rows(shown, header, tuple(rows))


def parse_table(
    text: str, shown: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> tuple[Rows, IssueLog]:
    """CSV text (e.g. an upload) as rows with its header checked, and the log for its rows.

    Raises
    ------
    InputError
        When the header is wrong or the text is not CSV.
    """
    log = IssueLog()
    rows = parse_csv(text, shown, required, optional, log)
    if rows is None:
        raise InputError(log.issues)
    return rows, log


def read_table(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> tuple[Rows, IssueLog]:
    """A CSV file's rows with its header checked, and the log its rows' problems go to.

    Raises
    ------
    InputError
        When the file itself cannot be read (missing, binary, encoding, header).
    """
    log = IssueLog()
    shown = str(path)
    text = read_text(path, shown, log)
    rows = parse_csv(text, shown, required, optional, log) if text is not None else None
    if rows is None:
        raise InputError(log.issues)
    return rows, log
