"""`surgeplan serve`, `surgeplan admin create-user` and `surgeplan audit verify`.

The server stack (FastAPI, SQLAlchemy, Alembic) is imported inside each command, so the
planning commands of the same CLI start without it.
"""

from __future__ import annotations

import ipaddress
import os
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console

from surgeplan.server.policy import Role
from surgeplan.server.settings import Settings

if TYPE_CHECKING:
    from surgeplan.server.store import Store

admin_app = typer.Typer(help="Manage accounts of the team server.", no_args_is_help=True)
audit_app = typer.Typer(help="Inspect the audit log.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL (default: $SURGEPLAN_DATABASE_URL, else sqlite:///surgeplan.db)",
        show_default=False,
    ),
]


def _die(message: str, code: int = 2) -> NoReturn:
    err.print(f"[bold red]{message}[/]", highlight=False)
    raise typer.Exit(code)


def _settings(database_url: str | None) -> Settings:
    try:
        base = Settings()
    except ValidationError as error:
        problems = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in error.errors())
        _die(f"Bad server settings: {problems}")
    return base.model_copy(update={"database_url": database_url}) if database_url else base


def _store(database_url: str | None) -> Store:
    from surgeplan.server.store import Store

    try:
        return Store.open(_settings(database_url))
    except Exception as error:
        _die(f"Cannot open the database: {type(error).__name__}: {error}")


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port")] = 8000,
    database_url: DatabaseOption = None,
) -> None:
    """Serve the REST API (docs at /api/docs) with the built-in scenario loaded."""
    settings = _settings(database_url)
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback and settings.env == "development":
        _die(
            "Refusing to listen beyond this machine in development mode; set "
            "SURGEPLAN_ENV=production and a real SURGEPLAN_SECRET_KEY (behind HTTPS)"
        )
    _store(database_url)  # migrate now, so a bad URL fails here with one line
    import uvicorn

    from surgeplan.server.api.app import create_app

    out.print(f"surgeplan serving http://{host}:{port}/api/docs (database {settings.database_url})")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


@admin_app.command("create-user")
def create_user_command(
    name: Annotated[str, typer.Argument(help="user name")],
    role: Annotated[Role, typer.Option(help="admin, planner, site_lead or viewer")],
    site: Annotated[
        list[str] | None, typer.Option(help="a site a site lead leads (repeat for several)")
    ] = None,
    database_url: DatabaseOption = None,
) -> None:
    """Make an account; the password comes from $SURGEPLAN_PASSWORD or a prompt."""
    from surgeplan.server.errors import ServiceError
    from surgeplan.server.services.accounts import create_user

    store = _store(database_url)
    password = os.environ.get("SURGEPLAN_PASSWORD") or typer.prompt(
        f"Password for {name}", hide_input=True, confirmation_prompt=True
    )
    try:
        made = create_user(store, name, password, role, tuple(site or ()))
    except ServiceError as error:
        _die(f"Cannot create {name}: {error.message}")
    sites = f" for {', '.join(sorted(made.sites))}" if made.sites else ""
    out.print(f"created {made.username} ({made.role.value}{sites})", highlight=False)


@audit_app.command("verify")
def verify_command(database_url: DatabaseOption = None) -> None:
    """Check the audit log's hash chain; exit 1 if any entry was altered or removed."""
    from surgeplan.server.services.audit import audit_report

    report = audit_report(_store(database_url))
    if report["ok"]:
        out.print(f"audit log intact: {report['entries']} entries, chain verified")
        return
    err.print(f"[bold red]audit log damaged[/] ({len(report['problems'])} problem(s)):")
    for problem in report["problems"]:
        err.print(f"  {problem}", highlight=False)
    raise typer.Exit(1)
