"""Migrations: up from empty on both backends, matching the ORM exactly, reversible."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from surgeplan.server.db import alembic_config, upgrade
from surgeplan.server.orm import Base

TABLES = {
    "alembic_version",
    "audit_head",
    "audit_log",
    "blobs",
    "jobs",
    "login_attempts",
    "plans",
    "proposals",
    "scenario_versions",
    "scenarios",
    "sessions",
    "users",
    "version_files",
}


def test_upgrade_from_empty_creates_the_schema_the_orm_expects(database_url: str) -> None:
    upgrade(database_url)
    engine = create_engine(database_url)
    try:
        assert set(inspect(engine).get_table_names()) == TABLES
        with engine.connect() as db:
            drift = compare_metadata(MigrationContext.configure(db), Base.metadata)
        assert drift == []
        names = {fk["name"] for fk in inspect(engine).get_foreign_keys("plans")}
        assert "fk_plans_version_id_scenario_versions" in names
    finally:
        engine.dispose()


def test_downgrade_to_empty_and_up_again(database_url: str) -> None:
    config = alembic_config(database_url)
    upgrade(database_url)
    command.downgrade(config, "base")
    engine = create_engine(database_url)
    try:
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
        upgrade(database_url)
        assert set(inspect(engine).get_table_names()) == TABLES
    finally:
        engine.dispose()
