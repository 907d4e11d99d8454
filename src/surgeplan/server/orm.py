"""Tables of the team server (SQLAlchemy 2 declarative, explicit constraint names).

Scenario versions are immutable: an edit adds a version whose files point at
content-addressed blobs, so an unchanged 5,000-officer roster is stored once however
many versions share it. Plans point at the version they were solved from. The audit
log is append-only (a trigger refuses UPDATE and DELETE) and hash-chained.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Id = BigInteger().with_variant(Integer(), "sqlite")
"""64-bit keys; SQLite needs INTEGER for its rowid alias."""


class Base(DeclarativeBase):
    """Declarative base with the naming convention Alembic relies on."""

    metadata = MetaData(naming_convention=NAMING)


def _stamp() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), nullable=False)


class User(Base):
    """A local account; `sites` limits a site lead to those site ids."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    sites: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = _stamp()


class Session(Base):
    """A sign-in: browser cookie or API bearer token, stored as a keyed hash only."""

    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    csrf_hash: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)
    created_at: Mapped[datetime] = _stamp()
    expires_at: Mapped[datetime] = _stamp()


class LoginAttempt(Base):
    """Failed sign-ins, counted per user name and per client for rate limiting."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    client: Mapped[str] = mapped_column(String(64), nullable=False)
    at: Mapped[datetime] = _stamp()
    __table_args__ = (Index("ix_login_attempts_username_at", "username", "at"),)


class Blob(Base):
    """File content addressed by its SHA-256, shared by every version that has it."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[str] = mapped_column(Text, nullable=False)


class Scenario(Base):
    """A named scenario; `version` counts edits and is the optimistic-lock token."""

    __tablename__ = "scenarios"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    archived: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    accepted_plan_id: Mapped[int | None] = mapped_column(Id)
    """The plan the team works to (no foreign key: plans already refer to scenarios)."""
    created_at: Mapped[datetime] = _stamp()
    updated_at: Mapped[datetime] = _stamp()
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012


class ScenarioVersion(Base):
    """One immutable state of a scenario: its bundle files and pins."""

    __tablename__ = "scenario_versions"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = _stamp()
    __table_args__ = (UniqueConstraint("scenario_id", "number"),)


class VersionFile(Base):
    """A file of a version (scenario.yaml, a table CSV, pins.csv) pointing at its blob."""

    __tablename__ = "version_files"
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), nullable=False)


class Plan(Base):
    """A checked plan, tied to the scenario version it was solved from."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), nullable=False)
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"), nullable=False)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    previous_plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    shortfall: Mapped[int] = mapped_column(Integer, nullable=False)
    cost_usd: Mapped[str] = mapped_column(String(24), nullable=False)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, deferred=True)
    ledger: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, deferred=True)
    """Deferred: megabytes for a large plan, read only by the views that show them."""
    assignments_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), nullable=False)
    impact_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"))
    view_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"))
    """The workspace's JSON picture of the plan (reports.view), computed when stored."""
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = _stamp()
    __table_args__ = (Index("ix_plans_scenario_id_created_at", "scenario_id", "created_at"),)


class Job(Base):
    """A queued, running or finished solve; the queue survives restarts."""

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), nullable=False)
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"), nullable=False)
    base_plan_id: Mapped[int | None] = mapped_column(Id)
    """The plan a re-plan departs from (no foreign key: plans already refer to jobs)."""
    plan_id: Mapped[int | None] = mapped_column(Id)
    """The plan this job produced."""
    params: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    progress: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    worker_pid: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = _stamp()
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Proposal(Base):
    """A demand change proposed by a site lead, for a planner to accept or decline."""

    __tablename__ = "proposals"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), nullable=False)
    base_version: Mapped[int] = mapped_column(Integer, nullable=False)
    site_id: Mapped[str] = mapped_column(String(64), nullable=False)
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = _stamp()


class AuditEntry(Base):
    """One change: who, when, what, before/after, chained to the previous entry's hash."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    at: Mapped[datetime] = _stamp()
    actor: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[str] = mapped_column(String(64), nullable=False)
    target: Mapped[str] = mapped_column(String(128), nullable=False)
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)


class AuditHead(Base):
    """The single row locked while appending, so concurrent writers chain in order."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int] = mapped_column(Id, nullable=False, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), nullable=False)
