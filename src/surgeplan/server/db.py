"""Database engines and schema migration: SQLite by default, PostgreSQL by URL.

SQLite runs in WAL mode with foreign keys on. Its Python driver opens transactions
lazily, which lets two writers read the same state and collide at commit; so the
driver's own transaction handling is turned off and every unit of work that writes
starts with BEGIN IMMEDIATE (the SQLAlchemy-documented recipe), which serialises
writers without blocking readers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

MIGRATIONS = Path(__file__).parent / "migrations"
WRITE = {"surgeplan_write": True}
"""Execution option that marks a connection as a writer (BEGIN IMMEDIATE on SQLite)."""


def make_engine(url: str) -> Engine:
    """An engine for `url` with the per-backend settings the server relies on."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, pool_pre_ping=False
        )
        _sqlite_transactions(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _sqlite_transactions(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        writer = connection.get_execution_options().get("surgeplan_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")


def alembic_config(url: str) -> Config:
    """Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Bring the schema of `url` to the newest migration (from empty, too)."""
    command.upgrade(alembic_config(url), "head")
