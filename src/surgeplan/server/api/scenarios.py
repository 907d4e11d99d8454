"""Scenarios, their versions, tables, rules, pins, proposals, solves and plan checks."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Path, Response, UploadFile
from fastapi.responses import JSONResponse

from surgeplan.scenario.load import TABLES
from surgeplan.scenario.model import Rules
from surgeplan.server.api.deps import ActorDep, Key, OptionalKey, StoreDep, VersionDep
from surgeplan.server.api.files import XLSX, Format, csv_download, download
from surgeplan.server.services import jobs, plans, proposals, scenarios

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"])
TABLE = "^(" + "|".join(TABLES) + ")$"
Upload = Annotated[UploadFile, File(description="the file to upload")]
TableName = Annotated[
    str, Path(pattern=TABLE, description="a scenario table (contract v1, or requests of v1.1)")
]


def _etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


@router.get("")
def list_scenarios(store: StoreDep, actor: ActorDep) -> list[dict[str, Any]]:
    """Scenarios with their latest plan's totals."""
    return scenarios.list_scenarios(store, actor)


@router.post("", status_code=201)
def import_bundle(store: StoreDep, actor: ActorDep, file: Upload) -> dict[str, Any]:
    """A new scenario from a .zip bundle (scenario.yaml + CSVs) or one self-contained .yaml."""
    scenario_id = scenarios.import_bundle(store, actor, file.filename or "upload", file.file.read())
    return scenarios.get_scenario(store, actor, scenario_id)


@router.get("/{scenario_id}")
def get_scenario(store: StoreDep, actor: ActorDep, scenario_id: Key) -> JSONResponse:
    """Header, rules and table sizes; the ETag is the version to send back in If-Match."""
    data = scenarios.get_scenario(store, actor, scenario_id)
    return JSONResponse(data, headers=_etag(data["version"]))


@router.delete("/{scenario_id}", status_code=204)
def archive(store: StoreDep, actor: ActorDep, scenario_id: Key, version: VersionDep) -> None:
    """Archive (versions, plans and audit are kept)."""
    scenarios.archive_scenario(store, actor, scenario_id, version)


@router.get("/{scenario_id}/versions")
def versions(store: StoreDep, actor: ActorDep, scenario_id: Key) -> list[dict[str, Any]]:
    """Every version with who made it and why."""
    return scenarios.list_versions(store, actor, scenario_id)


@router.get("/{scenario_id}/bundle")
def export_bundle(store: StoreDep, actor: ActorDep, scenario_id: Key) -> Response:
    """The current version as a contract-v1 bundle (.zip)."""
    name, data = scenarios.export_bundle(store, actor, scenario_id)
    return download(data, name, "application/zip")


@router.get("/{scenario_id}/tables/{table}")
def get_table(
    store: StoreDep,
    actor: ActorDep,
    scenario_id: Key,
    table: TableName,
    format: Format = "csv",
    version: OptionalKey = None,
) -> Response:
    """One table in its contract columns, as CSV or XLSX (header only when empty)."""
    text, number = scenarios.read_table(store, actor, scenario_id, table, version)
    stem = f"{table}-s{scenario_id}-v{number}"
    if format == "xlsx":
        response = download(scenarios.table_xlsx(table, text), f"{stem}.xlsx", XLSX)
    else:
        response = csv_download(text, f"{stem}.csv")
    response.headers.update(_etag(number))
    return response


@router.post("/{scenario_id}/tables/{table}")
def put_table(
    store: StoreDep,
    actor: ActorDep,
    scenario_id: Key,
    table: TableName,
    file: Upload,
    version: VersionDep,
) -> JSONResponse:
    """Replace a table from a CSV or XLSX upload; 422 names row and column, nothing written."""
    number = scenarios.write_table(
        store, actor, scenario_id, table, file.filename or "upload.csv", file.file.read(), version
    )
    return JSONResponse({"version": number}, headers=_etag(number))


@router.get("/{scenario_id}/rules")
def get_rules(store: StoreDep, actor: ActorDep, scenario_id: Key) -> JSONResponse:
    """The rules of the current version."""
    data = scenarios.get_scenario(store, actor, scenario_id)
    return JSONResponse(data["rules"], headers=_etag(data["version"]))


@router.put("/{scenario_id}/rules")
def put_rules(
    store: StoreDep, actor: ActorDep, scenario_id: Key, rules: Rules, version: VersionDep
) -> JSONResponse:
    """Replace the rules."""
    number = scenarios.update_rules(store, actor, scenario_id, rules.model_dump(), version)
    return JSONResponse({"version": number}, headers=_etag(number))


@router.get("/{scenario_id}/pins")
def get_pins(store: StoreDep, actor: ActorDep, scenario_id: Key) -> Response:
    """pins.csv (person_id,period_start,site_id; site HOME keeps a person home)."""
    return csv_download(scenarios.read_pins(store, actor, scenario_id), "pins.csv")


@router.post("/{scenario_id}/pins")
def put_pins(
    store: StoreDep, actor: ActorDep, scenario_id: Key, file: Upload, version: VersionDep
) -> JSONResponse:
    """Replace the pins from a pins.csv upload."""
    text = scenarios.decode_upload(file.filename or "pins.csv", file.file.read())
    number = scenarios.write_pins(store, actor, scenario_id, text, version)
    return JSONResponse({"version": number}, headers=_etag(number))


@router.post("/{scenario_id}/solve", status_code=202)
def solve(
    store: StoreDep, actor: ActorDep, scenario_id: Key, params: jobs.SolveParams | None = None
) -> dict[str, Any]:
    """Queue a solve of the current version; poll /api/jobs/{id} or stream its events."""
    job_id = jobs.submit_solve(store, actor, scenario_id, params or jobs.SolveParams())
    return jobs.get_job(store, actor, job_id)


@router.post("/{scenario_id}/check")
def check_plan(store: StoreDep, actor: ActorDep, scenario_id: Key, file: Upload) -> dict[str, Any]:
    """Check an uploaded assignments.csv with the independent checker."""
    return plans.check_upload(
        store, actor, scenario_id, file.filename or "assignments.csv", file.file.read()
    )


@router.get("/{scenario_id}/proposals")
def list_proposals(store: StoreDep, actor: ActorDep, scenario_id: Key) -> list[dict[str, Any]]:
    """Demand proposals (a site lead sees those of their sites)."""
    return proposals.list_proposals(store, actor, scenario_id)


@router.post("/{scenario_id}/proposals", status_code=201)
def propose(
    store: StoreDep, actor: ActorDep, scenario_id: Key, body: proposals.ProposalIn
) -> dict[str, Any]:
    """Propose new demand cells for one site."""
    return proposals.propose(store, actor, scenario_id, body)
