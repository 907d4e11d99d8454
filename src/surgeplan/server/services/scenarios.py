"""Scenarios: import, versions, tables, rules, pins, proposals (all audited).

A version's files are the canonical contract-v1 bundle (see `scenario.bundle`), so the
one scenario loader validates every upload and names file, line and field in its
errors; a rejected edit writes nothing.
"""

from __future__ import annotations

import csv
import difflib
import io
import zipfile
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from surgeplan.reports.workbook import table_workbook
from surgeplan.scenario.bundle import (
    bundle_files,
    load_bundle_files,
    load_bundle_files_with_warnings,
    table_header,
    with_table,
)
from surgeplan.scenario.errors import InputError
from surgeplan.scenario.load import TABLES
from surgeplan.scenario.model import Rules, Scenario
from surgeplan.scenario.pins import parse_pins
from surgeplan.scenario.xlsx import workbook_csv
from surgeplan.server import orm
from surgeplan.server.clock import iso
from surgeplan.server.errors import ConflictError, ForbiddenError, InvalidError, NotFoundError
from surgeplan.server.policy import NAME_TABLES, Actor, Can
from surgeplan.server.repository import UnitOfWork
from surgeplan.server.services.accounts import SYSTEM, require
from surgeplan.server.store import Store
from surgeplan.service import BUILTIN

PINS = "pins.csv"
MAX_UPLOAD = 20_000_000
MAX_DIFF_LINES = 40


def issues_detail(
    error: InputError, rename: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Each input problem as a JSON object (file renamed to what the user uploaded)."""
    names = rename or {}
    return [
        {
            "file": names.get(i.file, i.file),
            "line": i.line,
            "column": i.column,
            "field": i.field,
            "message": i.message,
        }
        for i in error.issues[:200]
    ]


def _invalid(error: InputError, rename: Mapping[str, str] | None = None) -> InvalidError:
    detail = issues_detail(error, rename)
    first = detail[0]
    where = first["file"] + (f":{first['line']}" if first["line"] else "")
    return InvalidError(
        f"{len(detail)} problem(s) in the upload, first: {where}: {first['message']}", detail
    )


@lru_cache(maxsize=32)
def _parsed(
    version_id: int, files: tuple[tuple[str, str], ...]
) -> tuple[Scenario, tuple[str, ...]]:
    scenario, warnings = load_bundle_files_with_warnings(dict(files))
    return scenario, tuple(str(w) for w in warnings)


def _loaded(uow: UnitOfWork, version_id: int) -> tuple[Scenario, tuple[str, ...]]:
    """A version's validated scenario and its warnings (cached: versions never change)."""
    files = {k: v for k, v in uow.scenarios.files(version_id).items() if k != PINS}
    return _parsed(version_id, tuple(sorted(files.items())))


def scenario_of(uow: UnitOfWork, version_id: int) -> Scenario:
    """The validated scenario of a version."""
    return _loaded(uow, version_id)[0]


def current_version(uow: UnitOfWork, scenario_id: int) -> tuple[orm.Scenario, orm.ScenarioVersion]:
    row = uow.scenarios.get(scenario_id)
    version = uow.scenarios.version(scenario_id, row.version) if row and not row.archived else None
    if row is None or version is None:
        raise NotFoundError(f"no scenario {scenario_id}")
    return row, version


def _check_base(uow: UnitOfWork, row: orm.Scenario, base_version: int | None) -> None:
    """Refuse an edit made on an older version, saying what changed since."""
    if base_version is None or base_version == row.version:
        return
    old = uow.scenarios.version(row.id, base_version)
    current = uow.scenarios.version(row.id, row.version)
    assert current is not None
    changed: list[str] = []
    if old is not None:
        before, after = uow.scenarios.file_hashes(old.id), uow.scenarios.file_hashes(current.id)
        changed = sorted(n for n in before.keys() | after.keys() if before.get(n) != after.get(n))
    since = [v.note for v in uow.scenarios.versions(row.id) if v.number > base_version]
    raise ConflictError(
        f"scenario {row.id} is at version {row.version}, your edit was made on version "
        f"{base_version}; reload, re-apply your change and save again",
        {
            "current_version": row.version,
            "your_version": base_version,
            "changed_files": changed,
            "changes": since,
        },
    )


def _line_diff(before: str, after: str) -> dict[str, Any]:
    """Lines removed and added (capped), so the audit shows what an edit did."""
    removed: list[str] = []
    added: list[str] = []
    for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm=""):
        if line.startswith(("---", "+++", "@@")):
            continue
        (removed if line.startswith("-") else added).append(line[1:])
    return {
        "removed": removed[:MAX_DIFF_LINES],
        "added": added[:MAX_DIFF_LINES],
        "removed_count": len(removed),
        "added_count": len(added),
    }


def _canonical(
    files: Mapping[str, str], rename: Mapping[str, str] | None = None
) -> tuple[Scenario, dict[str, str]]:
    """Validate bundle files with the one loader; the scenario and its canonical files
    (pins.csv carried as given). `rename` maps bundle names to what the user uploaded."""
    try:
        scenario = load_bundle_files({k: v for k, v in files.items() if k != PINS})
    except InputError as error:
        raise _invalid(error, rename) from None
    canonical = bundle_files(scenario)
    if PINS in files:
        try:
            parse_pins(files[PINS], PINS, scenario)
        except InputError as error:
            raise _invalid(error, rename) from None
        canonical[PINS] = files[PINS]
    return scenario, canonical


def _within_limit(filename: str, data: bytes) -> None:
    """Refuse an upload larger than MAX_UPLOAD before reading it."""
    if len(data) > MAX_UPLOAD:
        raise InvalidError(f"{filename} is larger than {MAX_UPLOAD // 1_000_000} MB")


def save_files(
    uow: UnitOfWork,
    actor: Actor | None,
    row: orm.Scenario,
    files: dict[str, str],
    note: str,
    action: str,
    rename: Mapping[str, str] | None = None,
) -> orm.ScenarioVersion:
    """Validate `files`, store their canonical form as the next version, audit the changes.

    `rename` maps bundle file names to what the user uploaded, for error messages.
    """
    scenario, canonical = _canonical(files, rename)
    current = uow.scenarios.version(row.id, row.version)
    assert current is not None
    old = uow.scenarios.files(current.id)
    version = uow.scenarios.add_version(row, canonical, actor.id if actor else None, note)
    row.name = scenario.name[:200]
    changes = {
        n: _line_diff(old.get(n, ""), canonical.get(n, ""))
        for n in sorted(old.keys() | canonical.keys())
        if old.get(n) != canonical.get(n)
    }
    uow.audit.append(
        actor.username if actor else SYSTEM,
        action,
        f"scenario:{row.id}",
        {"version": version.number - 1},
        {"version": version.number, "note": note, "files": changes},
    )
    return version


def create_scenario(
    store: Store,
    actor: Actor | None,
    files: Mapping[str, str],
    note: str,
    rename: Mapping[str, str] | None = None,
) -> int:
    """A new scenario from bundle files (validated, stored canonical); its id."""
    if actor is not None:
        require(actor, Can.EDIT)
    scenario, canonical = _canonical(files, rename)
    with store.write() as uow:
        version = uow.scenarios.create(
            scenario.name[:200], canonical, actor.id if actor else None, note
        )
        uow.audit.append(
            actor.username if actor else SYSTEM,
            "scenario.create",
            f"scenario:{version.scenario_id}",
            None,
            {"name": scenario.name, "version": 1, "note": note, "files": sorted(canonical)},
        )
        return version.scenario_id


def ensure_builtin(store: Store) -> int | None:
    """Load the built-in 2020 scenario into an empty database; its id, or None."""
    with store.read() as uow:
        if uow.scenarios.list():
            return None
    files = {
        p.name: p.read_text(encoding="utf-8")
        for p in BUILTIN.iterdir()
        if p.suffix in (".csv", ".yaml")  # the bundle, not its README
    }
    return create_scenario(store, None, files, "built-in 2020 scenario")


def import_bundle(store: Store, actor: Actor, filename: str, data: bytes) -> int:
    """A new scenario from an uploaded .zip (scenario.yaml and CSVs) or one .yaml; its id."""
    require(actor, Can.EDIT)
    _within_limit(filename, data)
    note = f"imported from {filename}"
    if filename.lower().endswith((".yaml", ".yml")):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidError(f"{filename} is not UTF-8 text; save it as UTF-8") from None
        files = {"scenario.yaml": text}
        return create_scenario(store, actor, files, note, {"scenario.yaml": filename})
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InvalidError(f"{filename} is neither a .zip bundle nor a .yaml scenario") from None
    files = {}
    total = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        name = info.filename.rsplit("/", 1)[-1]
        total += info.file_size
        if total > MAX_UPLOAD:
            raise InvalidError(f"{filename} unpacks to more than {MAX_UPLOAD // 1_000_000} MB")
        try:
            files[name] = archive.read(info).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidError(f"{filename}: {info.filename} is not UTF-8 text") from None
    if "scenario.yaml" not in files:
        raise InvalidError(f"{filename} has no scenario.yaml; zip the bundle folder's files")
    return create_scenario(store, actor, files, note)


def list_scenarios(store: Store, actor: Actor) -> list[dict[str, Any]]:
    """Scenarios with their latest plan's totals."""
    require(actor, Can.READ_SUMMARY)
    with store.read() as uow:
        out = []
        for row in uow.scenarios.list():
            latest = uow.plans.latest(row.id)
            out.append(
                {
                    "id": row.id,
                    "name": row.name,
                    "version": row.version,
                    "updated_at": iso(row.updated_at),
                    "plans": uow.plans.count(row.id),
                    "accepted_plan_id": row.accepted_plan_id,
                    "latest_plan": None
                    if latest is None
                    else {
                        "id": latest.id,
                        "status": latest.status,
                        "shortfall": latest.shortfall,
                        "cost_usd": latest.cost_usd,
                    },
                }
            )
        return out


def get_scenario(store: Store, actor: Actor, scenario_id: int) -> dict[str, Any]:
    """A scenario's header, rules and table sizes."""
    require(actor, Can.READ_SUMMARY)
    with store.read() as uow:
        row, version = current_version(uow, scenario_id)
        scenario, warnings = _loaded(uow, version.id)
        return {
            "id": row.id,
            "name": row.name,
            "version": row.version,
            "start": scenario.start.isoformat(),
            "end": scenario.end.isoformat(),
            "period": scenario.period,
            "periods": len(scenario.period_starts()),
            "rules": scenario.rules.model_dump(mode="json"),
            "counts": {t: len(getattr(scenario, t) or ()) for t in TABLES},
            "sites": [s.site_id for s in scenario.sites],
            "updated_at": iso(row.updated_at),
            "warnings": list(warnings),
        }


def list_versions(store: Store, actor: Actor, scenario_id: int) -> list[dict[str, Any]]:
    """Every version with who made it and why."""
    require(actor, Can.READ_SUMMARY)
    with store.read() as uow:
        current_version(uow, scenario_id)
        users = {u.id: u.username for u in uow.users.list()}
        return [
            {
                "number": v.number,
                "note": v.note,
                "created_at": iso(v.created_at),
                "created_by": users.get(v.created_by, SYSTEM) if v.created_by else SYSTEM,
            }
            for v in uow.scenarios.versions(scenario_id)
        ]


def _site_people(uow: UnitOfWork, scenario_id: int, sites: frozenset[str]) -> set[str]:
    """Officers deployed to any of `sites` in the accepted plan, else the latest one."""
    row = uow.scenarios.get(scenario_id)
    accepted = uow.plans.get(row.accepted_plan_id) if row and row.accepted_plan_id else None
    chosen = accepted or uow.plans.latest(scenario_id)
    if chosen is None:
        return set()
    text = uow.blobs.get(chosen.assignments_sha256)
    return {r["person_id"] for r in csv.DictReader(io.StringIO(text)) if r["site_id"] in sites}


def filter_rows(text: str, keep: set[str] | frozenset[str], column: str) -> str:
    """CSV text keeping the header and the rows whose `column` is in `keep`."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return text
    at = rows[0].index(column)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([rows[0], *(r for r in rows[1:] if r and r[at] in keep)])
    return out.getvalue()


def _known(table: str) -> None:
    if table not in TABLES:
        raise NotFoundError(f"no table {table!r}; tables are {', '.join(TABLES)}")


def read_table(
    store: Store, actor: Actor, scenario_id: int, table: str, version: int | None = None
) -> tuple[str, int]:
    """A table's CSV in contract columns, header only when the version has none (a site
    lead's officer tables: their sites' officers only)."""
    _known(table)
    require(actor, Can.READ_NAMES if table in NAME_TABLES else Can.READ_TABLES)
    with store.read() as uow:
        _, current = current_version(uow, scenario_id)
        chosen = current if version is None else uow.scenarios.version(scenario_id, version)
        if chosen is None:
            raise NotFoundError(f"scenario {scenario_id} has no version {version}")
        text = uow.scenarios.files(chosen.id).get(f"{table}.csv") or table_header(table)
        if table in NAME_TABLES and actor.scoped:
            text = filter_rows(text, _site_people(uow, scenario_id, actor.sites), "person_id")
        return text, chosen.number


def decode_upload(filename: str, data: bytes) -> str:
    """An uploaded text file as str (UTF-8, a BOM allowed), or a clear 422."""
    _within_limit(filename, data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = (
            f"is not UTF-8 text (byte {exc.start}); save it as 'CSV UTF-8' in your spreadsheet"
        )
        raise InvalidError(
            f"{filename} {message}",
            [{"file": filename, "line": None, "column": None, "field": None, "message": message}],
        ) from None


def table_xlsx(table: str, text: str) -> bytes:
    """A table's CSV as a workbook download."""
    return table_workbook(table, text)


def write_table(
    store: Store,
    actor: Actor,
    scenario_id: int,
    table: str,
    filename: str,
    data: bytes,
    base_version: int | None,
) -> int:
    """Replace one table from an uploaded CSV or XLSX; the new version number."""
    require(actor, Can.EDIT)
    _known(table)
    target = f"{table}.csv"
    _within_limit(filename, data)
    if filename.lower().endswith(".xlsx"):
        try:
            text = workbook_csv(data, filename)
        except InputError as error:
            raise _invalid(error) from None
    else:
        text = decode_upload(filename, data)
    with store.write() as uow:
        row, version = current_version(uow, scenario_id)
        _check_base(uow, row, base_version)
        files = with_table(uow.scenarios.files(version.id), table, text)
        note = f"{table} uploaded from {filename}"
        saved = save_files(uow, actor, row, files, note, "table.replace", {target: filename})
        return saved.number


def update_rules(
    store: Store, actor: Actor, scenario_id: int, rules: dict[str, Any], base_version: int | None
) -> int:
    """Replace the rules (validated like scenario.yaml); the new version number."""
    require(actor, Can.EDIT)
    with store.write() as uow:
        row, version = current_version(uow, scenario_id)
        _check_base(uow, row, base_version)
        files = uow.scenarios.files(version.id)
        scenario = scenario_of(uow, version.id)
        try:
            new_rules = Rules.model_validate(rules)
        except ValueError as error:
            raise InvalidError(f"rules: {error}") from None
        changed = scenario.model_copy(update={"rules": new_rules})
        files["scenario.yaml"] = bundle_files(changed)["scenario.yaml"]
        return save_files(uow, actor, row, files, "rules edited", "rules.update").number


def export_bundle(store: Store, actor: Actor, scenario_id: int) -> tuple[str, bytes]:
    """The current version as a .zip bundle (roster included: not for site leads)."""
    require(actor, Can.READ_NAMES)
    if actor.scoped:
        raise ForbiddenError("a site lead may not export the whole roster; download tables instead")
    with store.read() as uow:
        row, version = current_version(uow, scenario_id)
        files = uow.scenarios.files(version.id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(files.items()):
            archive.writestr(name, text)
    return f"scenario-{row.id}-v{row.version}.zip", buffer.getvalue()


def archive_scenario(
    store: Store, actor: Actor, scenario_id: int, base_version: int | None
) -> None:
    """Hide a scenario from lists (its versions, plans and audit stay)."""
    require(actor, Can.EDIT)
    with store.write() as uow:
        row, _ = current_version(uow, scenario_id)
        _check_base(uow, row, base_version)
        row.archived = True
        uow.audit.append(
            actor.username,
            "scenario.archive",
            f"scenario:{row.id}",
            {"archived": False},
            {"archived": True},
        )


def read_pins(store: Store, actor: Actor, scenario_id: int) -> str:
    """pins.csv of the current version (header only when none)."""
    require(actor, Can.READ_NAMES)
    with store.read() as uow:
        _, version = current_version(uow, scenario_id)
        text = uow.scenarios.files(version.id).get(PINS, "person_id,period_start,site_id\n")
    if actor.scoped:
        return filter_rows(text, set(actor.sites), "site_id")
    return text


def write_pins(
    store: Store, actor: Actor, scenario_id: int, text: str, base_version: int | None
) -> int:
    """Replace the pins (validated against the scenario); the new version number."""
    require(actor, Can.EDIT)
    with store.write() as uow:
        row, version = current_version(uow, scenario_id)
        _check_base(uow, row, base_version)
        scenario = scenario_of(uow, version.id)
        try:
            parse_pins(text, PINS, scenario)
        except InputError as error:
            raise _invalid(error) from None
        files = uow.scenarios.files(version.id)
        files[PINS] = text
        return save_files(uow, actor, row, files, "pins edited", "pins.replace").number
