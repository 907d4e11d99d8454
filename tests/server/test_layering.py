"""The layers of DESIGN.md: only the interfaces (server, web) import the server stack."""

from __future__ import annotations

import ast
from pathlib import Path

import surgeplan

PACKAGE = Path(surgeplan.__file__).parent
ALLOWED = {PACKAGE / "cli.py": {"surgeplan.server.commands"}}
"""The CLI registers the server's commands (which import the server only when run)."""


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_scenario_engine_and_reports_never_import_the_server_or_the_orm() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if {PACKAGE / "server", PACKAGE / "web"} & set(path.parents):
            continue  # the interfaces: the server and its web workspace
        for name in _imports(path) - ALLOWED.get(path, set()):
            if name.split(".")[0] in {"sqlalchemy", "alembic", "fastapi"} or name.startswith(
                "surgeplan.server"
            ):
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []
    assert len(list(PACKAGE.rglob("*.py"))) > 50  # the walk saw the package
