"""Repositories over the ORM and the unit of work that commits them together.

Services open one unit of work per use case: everything it changes, including the
audit entry that records the change, commits in one transaction or not at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm.exc import StaleDataError

from surgeplan.server import orm
from surgeplan.server.audit import GENESIS, Link, entry_hash, hashed_fields
from surgeplan.server.clock import now
from surgeplan.server.db import WRITE
from surgeplan.server.errors import ConflictError

TERMINAL = ("done", "failed", "cancelled")
"""Job states that never change again."""


def sha256(text: str) -> str:
    """Content address of a text blob."""
    return hashlib.sha256(text.encode()).hexdigest()


class Blobs:
    """Content-addressed texts: put once, shared by reference."""

    def __init__(self, session: OrmSession) -> None:
        self.s = session

    def put(self, text: str) -> str:
        """Store `text` unless present; its hash."""
        key = sha256(text)
        if self.s.get(orm.Blob, key) is None:
            self.s.add(orm.Blob(sha256=key, content=text))
            self.s.flush()
        return key

    def get(self, key: str) -> str:
        """The text stored under `key`."""
        blob = self.s.get(orm.Blob, key)
        if blob is None:
            raise LookupError(f"blob {key} is missing")
        return blob.content


class Scenarios:
    """Scenarios and their immutable versions."""

    def __init__(self, session: OrmSession, blobs: Blobs) -> None:
        self.s, self.blobs = session, blobs

    def list(self) -> Sequence[orm.Scenario]:
        """Every scenario not archived, newest first."""
        query = select(orm.Scenario).where(orm.Scenario.archived.is_(False))
        return self.s.scalars(query.order_by(orm.Scenario.id.desc())).all()

    def get(self, scenario_id: int) -> orm.Scenario | None:
        """A scenario by id (archived ones too)."""
        return self.s.get(orm.Scenario, scenario_id)

    def create(
        self, name: str, files: Mapping[str, str], user_id: int | None, note: str
    ) -> orm.ScenarioVersion:
        """A new scenario whose version 1 holds `files`."""
        stamp = now()
        scenario = orm.Scenario(name=name, version=1, created_at=stamp, updated_at=stamp)
        self.s.add(scenario)
        self.s.flush()
        return self._version(scenario, 1, files, user_id, note)

    def add_version(
        self, scenario: orm.Scenario, files: Mapping[str, str], user_id: int | None, note: str
    ) -> orm.ScenarioVersion:
        """Version n+1 with `files`; the UPDATE fails if another edit got there first."""
        number, scenario_id = scenario.version + 1, scenario.id
        scenario.version = number
        scenario.updated_at = now()
        try:
            self.s.flush()  # UPDATE ... WHERE version = old: no row if another edit won
        except StaleDataError:
            raise ConflictError(
                f"another edit of scenario {scenario_id} was saved at the same moment; "
                "reload and apply your change again",
                {"your_version": number - 1},
            ) from None
        return self._version(scenario, number, files, user_id, note)

    def _version(
        self,
        scenario: orm.Scenario,
        number: int,
        files: Mapping[str, str],
        user_id: int | None,
        note: str,
    ) -> orm.ScenarioVersion:
        version = orm.ScenarioVersion(
            scenario_id=scenario.id,
            number=number,
            note=note[:500],
            created_by=user_id,
            created_at=now(),
        )
        self.s.add(version)
        self.s.flush()
        for name, text in sorted(files.items()):
            self.s.add(
                orm.VersionFile(version_id=version.id, name=name, sha256=self.blobs.put(text))
            )
        self.s.flush()
        return version

    def version(self, scenario_id: int, number: int) -> orm.ScenarioVersion | None:
        """Version `number` of a scenario."""
        query = select(orm.ScenarioVersion).where(
            orm.ScenarioVersion.scenario_id == scenario_id, orm.ScenarioVersion.number == number
        )
        return self.s.scalars(query).one_or_none()

    def version_by_id(self, version_id: int) -> orm.ScenarioVersion | None:
        """A version by its own id."""
        return self.s.get(orm.ScenarioVersion, version_id)

    def versions(self, scenario_id: int) -> Sequence[orm.ScenarioVersion]:
        """All versions of a scenario, oldest first."""
        query = select(orm.ScenarioVersion).where(orm.ScenarioVersion.scenario_id == scenario_id)
        return self.s.scalars(query.order_by(orm.ScenarioVersion.number)).all()

    def file_hashes(self, version_id: int) -> dict[str, str]:
        """File name → content hash of a version."""
        query = select(orm.VersionFile).where(orm.VersionFile.version_id == version_id)
        return {f.name: f.sha256 for f in self.s.scalars(query)}

    def files(self, version_id: int) -> dict[str, str]:
        """File name → text of a version."""
        return {name: self.blobs.get(key) for name, key in self.file_hashes(version_id).items()}


class Plans:
    """Checked plans."""

    def __init__(self, session: OrmSession) -> None:
        self.s = session

    def add(self, plan: orm.Plan) -> orm.Plan:
        """Store a plan."""
        self.s.add(plan)
        self.s.flush()
        return plan

    def get(self, plan_id: int) -> orm.Plan | None:
        """A plan by id."""
        return self.s.get(orm.Plan, plan_id)

    def count(self, scenario_id: int) -> int:
        """How many plans a scenario has."""
        query = select(func.count(orm.Plan.id)).where(orm.Plan.scenario_id == scenario_id)
        return int(self.s.scalar(query) or 0)

    def latest(self, scenario_id: int) -> orm.Plan | None:
        """A scenario's newest plan."""
        query = select(orm.Plan).where(orm.Plan.scenario_id == scenario_id)
        return self.s.scalars(query.order_by(orm.Plan.id.desc()).limit(1)).first()

    def list(self, scenario_id: int | None = None) -> Sequence[orm.Plan]:
        """Plans, newest first, optionally of one scenario."""
        query = select(orm.Plan)
        if scenario_id is not None:
            query = query.where(orm.Plan.scenario_id == scenario_id)
        return self.s.scalars(query.order_by(orm.Plan.id.desc())).all()


class Jobs:
    """The persistent solve queue."""

    def __init__(self, session: OrmSession) -> None:
        self.s = session

    def add(self, job: orm.Job) -> orm.Job:
        """Queue a job."""
        self.s.add(job)
        self.s.flush()
        return job

    def get(self, job_id: int) -> orm.Job | None:
        """A job by id."""
        return self.s.get(orm.Job, job_id)

    def list(self, scenario_id: int | None = None, limit: int = 200) -> Sequence[orm.Job]:
        """Jobs, newest first."""
        query = select(orm.Job)
        if scenario_id is not None:
            query = query.where(orm.Job.scenario_id == scenario_id)
        return self.s.scalars(query.order_by(orm.Job.id.desc()).limit(limit)).all()

    def with_status(self, *status: str) -> Sequence[orm.Job]:
        """Jobs in any of these states, oldest first."""
        query = select(orm.Job).where(orm.Job.status.in_(status)).order_by(orm.Job.id)
        return self.s.scalars(query).all()

    def claim(self, job_id: int, pid: int) -> bool:
        """Move a queued job to running for process `pid`; False if someone else did."""
        result = self.s.execute(
            update(orm.Job)
            .where(orm.Job.id == job_id, orm.Job.status == "queued")
            .values(status="running", worker_pid=pid, started_at=now())
        )
        return bool(getattr(result, "rowcount", 0))

    def set_progress(self, job_id: int, progress: dict[str, Any]) -> bool:
        """Record progress; the job's cancel flag (so the worker learns of a cancel)."""
        self.s.execute(update(orm.Job).where(orm.Job.id == job_id).values(progress=progress))
        flag = self.s.scalar(select(orm.Job.cancel_requested).where(orm.Job.id == job_id))
        return bool(flag)

    def finish(
        self, job_id: int, status: str, plan_id: int | None = None, error: str | None = None
    ) -> bool:
        """Close a job unless it is already closed; True if this call closed it."""
        result = self.s.execute(
            update(orm.Job)
            .where(orm.Job.id == job_id, orm.Job.status.not_in(TERMINAL))
            .values(status=status, plan_id=plan_id, error=error, finished_at=now())
        )
        return bool(getattr(result, "rowcount", 0))


class Users:
    """Accounts."""

    def __init__(self, session: OrmSession) -> None:
        self.s = session

    def by_name(self, username: str) -> orm.User | None:
        """An account by user name."""
        return self.s.scalars(select(orm.User).where(orm.User.username == username)).one_or_none()

    def get(self, user_id: int) -> orm.User | None:
        """An account by id."""
        return self.s.get(orm.User, user_id)

    def add(self, user: orm.User) -> orm.User:
        """Create an account."""
        self.s.add(user)
        self.s.flush()
        return user

    def list(self) -> Sequence[orm.User]:
        """All accounts by name."""
        return self.s.scalars(select(orm.User).order_by(orm.User.username)).all()

    def count(self) -> int:
        """How many accounts exist."""
        return int(self.s.scalar(select(func.count(orm.User.id))) or 0)


class Sessions:
    """Sign-ins (cookie or bearer), by keyed token hash."""

    def __init__(self, session: OrmSession) -> None:
        self.s = session

    def add(self, record: orm.Session) -> None:
        """Store a sign-in."""
        self.s.add(record)
        self.s.flush()

    def by_token(self, token_hash: str, at: datetime) -> orm.Session | None:
        """A live sign-in by token hash."""
        query = select(orm.Session).where(
            orm.Session.token_hash == token_hash, orm.Session.expires_at > at
        )
        return self.s.scalars(query).one_or_none()

    def remove(self, token_hash: str) -> None:
        """Sign out."""
        self.s.execute(delete(orm.Session).where(orm.Session.token_hash == token_hash))

    def remove_user(self, user_id: int) -> None:
        """Sign a user out everywhere (e.g. when deactivated)."""
        self.s.execute(delete(orm.Session).where(orm.Session.user_id == user_id))


class LoginAttempts:
    """Failed sign-ins for rate limiting."""

    def __init__(self, session: OrmSession) -> None:
        self.s = session

    def add(self, username: str, client: str) -> None:
        """Record a failure."""
        self.s.add(orm.LoginAttempt(username=username[:64], client=client[:64], at=now()))

    def recent(self, username: str, client: str, since: datetime) -> tuple[int, int]:
        """Failures since `since` for this user name, and from this client."""
        by_name = self.s.scalar(
            select(func.count(orm.LoginAttempt.id)).where(
                orm.LoginAttempt.username == username[:64], orm.LoginAttempt.at > since
            )
        )
        by_client = self.s.scalar(
            select(func.count(orm.LoginAttempt.id)).where(
                orm.LoginAttempt.client == client[:64], orm.LoginAttempt.at > since
            )
        )
        return int(by_name or 0), int(by_client or 0)


class Proposals:
    """Demand changes proposed by site leads."""

    def __init__(self, session: OrmSession) -> None:
        self.s = session

    def add(self, proposal: orm.Proposal) -> orm.Proposal:
        """Store a proposal."""
        self.s.add(proposal)
        self.s.flush()
        return proposal

    def get(self, proposal_id: int) -> orm.Proposal | None:
        """A proposal by id."""
        return self.s.get(orm.Proposal, proposal_id)

    def list(self, scenario_id: int) -> Sequence[orm.Proposal]:
        """Proposals of a scenario, newest first."""
        query = select(orm.Proposal).where(orm.Proposal.scenario_id == scenario_id)
        return self.s.scalars(query.order_by(orm.Proposal.id.desc())).all()


class AuditLog:
    """The append-only, hash-chained change log."""

    def __init__(self, session: OrmSession, key: str) -> None:
        self.s, self.key = session, key

    def append(self, actor: str, action: str, target: str, before: Any, after: Any) -> None:
        """Add one entry, chained to the last (the head row is locked until commit)."""
        head = self.s.scalars(
            select(orm.AuditHead).where(orm.AuditHead.id == 1).with_for_update()
        ).one()  # the migration creates the one head row
        at, next_id = now(), head.last_id + 1
        fields = hashed_fields(next_id, at, actor, action, target, before, after)
        digest = entry_hash(self.key, head.last_hash, fields)
        self.s.add(
            orm.AuditEntry(
                id=next_id,
                at=at,
                actor=actor,
                action=action,
                target=target,
                before=before,
                after=after,
                prev_hash=head.last_hash,
                hash=digest,
            )
        )
        head.last_id, head.last_hash = next_id, digest
        self.s.flush()

    def links(self, batch: int = 1000) -> Iterator[Link]:
        """Every entry in id order, as chain links."""
        query = select(orm.AuditEntry).order_by(orm.AuditEntry.id)
        for e in self.s.scalars(query.execution_options(yield_per=batch)):
            yield Link(
                e.id, e.at, e.actor, e.action, e.target, e.before, e.after, e.prev_hash, e.hash
            )

    def head(self) -> tuple[int, str]:
        """Id and hash of the last entry the head row records."""
        head = self.s.get(orm.AuditHead, 1)
        return (head.last_id, head.last_hash) if head else (0, GENESIS)

    def recent(self, limit: int, target: str | None = None) -> Sequence[orm.AuditEntry]:
        """The newest entries, optionally about one target."""
        query = select(orm.AuditEntry)
        if target is not None:
            query = query.where(orm.AuditEntry.target == target)
        return self.s.scalars(query.order_by(orm.AuditEntry.id.desc()).limit(limit)).all()


class UnitOfWork:
    """One transaction with every repository; commits on success, rolls back otherwise."""

    def __init__(self, engine: Engine, key: str, write: bool) -> None:
        bind = engine.execution_options(**WRITE) if write else engine
        self.session = OrmSession(bind=bind, expire_on_commit=False, autoflush=True)
        self.blobs = Blobs(self.session)
        self.scenarios = Scenarios(self.session, self.blobs)
        self.plans = Plans(self.session)
        self.jobs = Jobs(self.session)
        self.users = Users(self.session)
        self.sessions = Sessions(self.session)
        self.logins = LoginAttempts(self.session)
        self.proposals = Proposals(self.session)
        self.audit = AuditLog(self.session, key)
        self.write = write

    def end_job(
        self, job_id: int, status: str, plan_id: int | None = None, error: str | None = None
    ) -> None:
        """Close a job and audit its end (unless it had already ended)."""
        if self.jobs.finish(job_id, status, plan_id, error):
            after = {"status": status, "plan_id": plan_id, "error": error}
            self.audit.append("system", "job.end", f"job:{job_id}", None, after)

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if kind is None and self.write:
                self.session.commit()
            elif self.write:
                self.session.rollback()
        finally:
            self.session.close()  # ends a read transaction too; loaded objects stay readable
