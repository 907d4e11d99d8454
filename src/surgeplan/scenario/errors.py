"""Input problems as data: every issue names its file, line, field and the fix.

Loaders collect issues instead of raising on the first one, so a planner fixes a whole
spreadsheet in one pass; interfaces print them and exit with code 2.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_REPORTED = 50


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in the input, located as precisely as the format allows."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class InputError(Exception):
    """Raised with every issue found, once collection is done (or the cap is reached)."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = tuple(issues)
        super().__init__(self.render())

    def render(self) -> str:
        """All issues, one per line, with a count when some were cut off."""
        shown = self.issues[:MAX_REPORTED]
        lines = [str(issue) for issue in shown]
        if len(self.issues) > MAX_REPORTED:
            lines.append(f"... and {len(self.issues) - MAX_REPORTED} more problems")
        return "\n".join(lines)


class IssueLog:
    """Collects issues; `check()` raises once at the end of a loading step."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def add(
        self,
        file: str,
        message: str,
        line: int | None = None,
        field: str | None = None,
        column: int | None = None,
    ) -> None:
        """Record one problem."""
        self.issues.append(Issue(file, message, line, column, field))

    def check(self) -> None:
        """Raise InputError if anything was recorded."""
        if self.issues:
            raise InputError(self.issues)

    @property
    def full(self) -> bool:
        """True once enough issues are known that more would only be noise."""
        return len(self.issues) > MAX_REPORTED
