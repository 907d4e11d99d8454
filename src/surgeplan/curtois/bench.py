"""`surgeplan bench curtois`: solve instances, verify each roster independently, record.

The objective written to results.csv is the independent evaluator's value, never the
solver's claim, and `checked` is true only when the evaluator finds no hard violation
(DESIGN.md §5, "Benchmark results").
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from surgeplan.curtois.evaluate import evaluate
from surgeplan.curtois.parse import read_instance
from surgeplan.curtois.roster import write_roster
from surgeplan.curtois.to_problem import compile_instance, roster_of
from surgeplan.engine import SolveOptions, solve
from surgeplan.reports.exports import csv_text, write_atomic

RESULT_COLUMNS = (
    "instance",
    "objective",
    "best_known",
    "gap_pct",
    "status",
    "seconds",
    "workers",
    "seed",
    "checked",
)


@dataclass(frozen=True, slots=True)
class BenchRow:
    """One line of results.csv."""

    instance: str
    objective: int | None
    best_known: int | None
    status: str
    seconds: float
    workers: int
    seed: int
    checked: bool

    @property
    def gap_pct(self) -> float | None:
        """Percent above the best known upper bound."""
        if self.objective is None or not self.best_known:
            return None
        return round(100 * (self.objective - self.best_known) / self.best_known, 2)

    def cells(self) -> tuple[object, ...]:
        """The row in RESULT_COLUMNS order (empty where unknown)."""
        gap = self.gap_pct
        return (
            self.instance,
            "" if self.objective is None else self.objective,
            "" if self.best_known is None else self.best_known,
            "" if gap is None else gap,
            self.status,
            round(self.seconds, 2),
            self.workers,
            self.seed,
            "true" if self.checked else "false",
        )


def parse_selection(text: str) -> list[int]:
    """'1-24', '1,3,5-7' → sorted instance numbers; ValueError with the fix otherwise."""
    numbers: set[int] = set()
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if match is None:
            raise ValueError(f"{part!r} is not an instance number or range; write e.g. 1-24 or 1,3")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first:
            raise ValueError(f"range {part.strip()!r} runs backwards; write {last}-{first}")
        numbers.update(range(first, last + 1))
    return sorted(numbers)


def best_known(folder: Path) -> dict[str, int]:
    """Best known upper bounds from best_known.csv beside the instances (empty if absent)."""
    path = folder / "best_known.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return {row["instance"]: int(row["best_known_upper"]) for row in csv.DictReader(handle)}


def run_instance(
    folder: Path, number: int, options: SolveOptions, out: Path, known: dict[str, int]
) -> BenchRow:
    """Solve one instance, write its roster, evaluate it independently."""
    name = f"Instance{number}"
    instance = read_instance(folder / f"{name}.txt")
    result = solve(compile_instance(instance), options)
    objective, checked = None, False
    if result.solution is not None:
        roster = roster_of(result.solution)
        write_atomic(out / f"{name}.roster.csv", write_roster(instance, roster))
        evaluation = evaluate(instance, roster)
        objective, checked = evaluation.total, not evaluation.violations
    return BenchRow(
        name,
        objective,
        known.get(name),
        result.status.value,
        result.seconds,
        options.workers,
        options.seed,
        checked,
    )


def run_benchmark(
    folder: Path,
    numbers: Sequence[int],
    options: SolveOptions,
    out: Path,
    on_done: Callable[[BenchRow], None] | None = None,
) -> list[BenchRow]:
    """Every selected instance in turn; results.csv and results.md are rewritten after each."""
    known = best_known(folder)
    rows: list[BenchRow] = []
    for number in numbers:
        rows.append(run_instance(folder, number, options, out, known))
        write_atomic(out / "results.csv", csv_text(RESULT_COLUMNS, (r.cells() for r in rows)))
        write_atomic(out / "results.md", markdown(rows))
        if on_done is not None:
            on_done(rows[-1])
    return rows


def markdown(rows: Sequence[BenchRow]) -> str:
    """The results as a markdown table with the gap to best-known."""
    lines = ["| " + " | ".join(RESULT_COLUMNS) + " |", "|" + "---|" * len(RESULT_COLUMNS)]
    lines += ["| " + " | ".join(str(c) for c in row.cells()) + " |" for row in rows]
    return "\n".join(lines) + "\n"
