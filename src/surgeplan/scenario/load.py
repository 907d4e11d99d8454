"""Load a scenario bundle (scenario.yaml + CSV tables) or one self-contained YAML file.

Contract v1.1: v1 plus the optional `requests` table and two more weights.

Three passes, each collecting every issue before stopping: the files (paths, encoding,
headers), the rows (pydantic, one model per row), then the cross-table rules of
contract v1 (`surgeplan.scenario.validate`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from surgeplan.scenario.advisories import unheld_demand
from surgeplan.scenario.errors import InputError, Issue, IssueLog
from surgeplan.scenario.files import Rows, confined_path, parse_csv, read_text
from surgeplan.scenario.model import (
    Base,
    Demand,
    Fare,
    PerDiem,
    Person,
    Request,
    Rules,
    Scenario,
    Site,
    Unavailable,
    Weights,
)
from surgeplan.scenario.safeyaml import LineMap, YamlError, load_yaml
from surgeplan.scenario.validate import Located, validate_scenario

TABLES: dict[str, tuple[type[BaseModel], tuple[str, ...], tuple[str, ...]]] = {
    "people": (Person, ("person_id", "name", "base_id", "qualifications"), ()),
    "bases": (Base, ("base_id", "name", "lat", "lon"), ("max_away",)),
    "sites": (Site, ("site_id", "name", "lat", "lon"), ("priority",)),
    "demand": (Demand, ("site_id", "period_start", "qualification", "required"), ()),
    "unavailable": (Unavailable, ("person_id", "start", "end"), ()),
    "per_diem": (PerDiem, ("site_id", "month", "lodging_usd", "mie_usd"), ()),
    "travel": (Fare, ("base_id", "site_id", "round_trip_usd"), ()),
    "requests": (Request, ("person_id", "period_start", "site_id", "kind", "weight"), ()),
}
"""Per table: row model, required and optional columns. `requests` is contract v1.1."""
REQUIRED_TABLES = ("people", "bases", "sites", "demand")
SCALARS = ("name", "start", "end", "period")
TOP_KEYS = (*SCALARS, *TABLES, "rules", "weights")


def describe(error: Mapping[str, Any]) -> str:
    """Turn one pydantic error into a sentence that says what to write instead."""
    kind = str(error["type"])
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "is empty; give a value"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind.startswith("int_"):
        return f"{value!r} is not a whole number"
    if kind.startswith(("float_", "decimal_")):
        return f"{value!r} is not a number"
    if kind.startswith(("date_", "datetime_")):
        return f"{value!r} is not a date; write YYYY-MM-DD"
    if kind.startswith("bool_"):
        return f"{value!r} is not true or false"
    if kind == "string_pattern_mismatch":
        return f"{value!r} is not a valid id; use letters, digits, '_', '-' or '.'"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{value!r} is too small; the minimum is {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"{value!r} is too large; the maximum is {ctx.get('le', ctx.get('lt'))}"
    if kind == "extra_forbidden":
        return "is not a known key; remove it or check its spelling"
    if kind == "string_too_short":
        return "is empty; give a value"
    if kind == "literal_error":
        return f"{value!r} is not allowed; write {ctx.get('expected', 'one of the listed values')}"
    return str(error["msg"])


class _Loader:
    """One load: the issue log, the line map and the folder tables are read from."""

    def __init__(self, yaml_path: Path) -> None:
        self.yaml_path = yaml_path
        self.shown = yaml_path.name
        self.folder = yaml_path.parent
        self.log = IssueLog()
        self.lines = LineMap({})
        self.warnings: list[Issue] = []

    def run(self) -> Scenario:
        text = read_text(self.yaml_path, str(self.yaml_path), self.log)
        self.log.check()
        assert text is not None
        try:
            doc, self.lines = load_yaml(text)
        except YamlError as exc:
            self.log.add(self.shown, exc.message, exc.line, column=exc.column)
            self.log.check()
        if not isinstance(doc, dict):
            self.log.add(
                self.shown,
                "must be a YAML mapping of keys (name, start, end, "
                "people, ...); see `surgeplan schema`",
                line=1,
            )
            self.log.check()
        for key in doc:
            if key not in TOP_KEYS:
                self.log.add(
                    self.shown,
                    f"unknown key {key!r}; known keys: {', '.join(TOP_KEYS)}",
                    self.lines.of(doc, str(key)),
                )
        for table in REQUIRED_TABLES:
            if table not in doc:
                self.log.add(
                    self.shown,
                    f"the {table!r} table is missing; add "
                    f"'{table}: {table}.csv' (columns {','.join(TABLES[table][1])})",
                )
        tables = {name: self._table(doc, name) for name in TABLES if name in doc}
        fields: dict[str, Any] = {k: doc[k] for k in SCALARS if k in doc}
        fields["rules"] = self._section(doc, "rules", Rules)
        fields["weights"] = self._section(doc, "weights", Weights)
        self._scalars(doc, fields)
        self.log.check()
        models = {name: tuple(item.model for item in rows) for name, rows in tables.items()}
        scenario = Scenario.model_validate(fields | models)
        validate_scenario(scenario, tables, self.shown, self.log)
        self.log.check()
        self.warnings = unheld_demand(scenario, tables.get("demand", []))
        return scenario

    def _scalars(self, doc: dict[str, Any], fields: dict[str, Any]) -> None:
        """Validate name/start/end/period alone, to point at their lines."""
        probe = {k: fields[k] for k in SCALARS if k in fields}
        try:
            Scenario.model_validate(probe | {"people": (), "bases": (), "sites": ()})
        except ValidationError as exc:
            for err in exc.errors():
                key = str(err["loc"][0])
                self.log.add(self.shown, describe(err), self.lines.of(doc, key), field=key)

    def _section(self, doc: dict[str, Any], key: str, model: type[BaseModel]) -> Any:
        value = doc.get(key) or {}
        if not isinstance(value, dict):
            self.log.add(
                self.shown, "must be a mapping of name: value", self.lines.of(doc, key), field=key
            )
            return None
        try:
            return model.model_validate(value)
        except ValidationError as exc:
            for err in exc.errors():
                name = ".".join(str(p) for p in err["loc"])
                line = self.lines.of(value, name.split(".")[0]) or self.lines.of(doc, key)
                self.log.add(
                    self.shown, describe(err), line, field=f"{key}.{name}" if name else key
                )
            return None

    def _table(self, doc: dict[str, Any], name: str) -> list[Located]:
        """Read a table given as a CSV path or inline as a list of rows."""
        model, required, optional = TABLES[name]
        value = doc[name]
        line = self.lines.of(doc, name)
        rows: Rows | None
        if isinstance(value, str):
            path = confined_path(self.folder, value, self.shown, self.log)
            text = read_text(path, value, self.log) if path else None
            rows = (
                parse_csv(text, value, required, optional, self.log) if text is not None else None
            )
        elif isinstance(value, list):
            rows = self._inline(value, name, required, optional)
        else:
            self.log.add(
                self.shown, f"{name} must be a CSV file name or a list of rows", line, field=name
            )
            rows = None
        return [] if rows is None else self._models(rows, model)

    def _inline(
        self, value: list[Any], name: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> Rows | None:
        cells: list[tuple[int, dict[str, str]]] = []
        for index, row in enumerate(value, start=1):
            line = self.lines.of(row) or 0
            if not isinstance(row, dict):
                self.log.add(
                    self.shown,
                    f"{name} row {index} must be a mapping of {', '.join(required)}",
                    line,
                )
                continue
            unknown = [k for k in row if k not in required + optional]
            if unknown:
                self.log.add(
                    self.shown,
                    f"{name} row {index}: unknown field(s) "
                    f"{', '.join(map(str, unknown))}; known: "
                    f"{', '.join(required + optional)}",
                    line,
                )
                continue
            cells.append((line, {str(k): _cell(v) for k, v in row.items()}))
        return Rows(self.shown, required + optional, tuple(cells))

    def _models(self, rows: Rows, model: type[BaseModel]) -> list[Located]:
        located = []
        for line, cells in rows.rows:
            if self.log.full:
                break
            values = {k: v for k, v in cells.items() if v != ""}
            try:
                located.append(Located(rows.file, line, model.model_validate(values)))
            except ValidationError as exc:
                for err in exc.errors():
                    field = str(err["loc"][0]) if err["loc"] else None
                    self.log.add(rows.file, describe(err), line, field=field)
        return located


def _cell(value: Any) -> str:
    """An inline YAML value as the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario from a bundle folder, its scenario.yaml, or one YAML file.

    Raises
    ------
    InputError
        With every problem found, each naming file, line, field and fix.
    """
    return load_with_warnings(path)[0]


def load_with_warnings(path: str | Path) -> tuple[Scenario, tuple[Issue, ...]]:
    """`load_scenario`, and the warnings about rows that are valid but probably not meant
    (`advisories`), located as errors are."""
    target = Path(path)
    if target.is_dir():
        target = target / "scenario.yaml"
    if not target.exists():
        raise InputError([Issue(str(target), "not found; give a scenario.yaml or a bundle folder")])
    loader = _Loader(target)
    scenario = loader.run()
    return scenario, tuple(loader.warnings)
