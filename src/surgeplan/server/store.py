"""The server's handle on its database: engine, key and units of work."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from surgeplan.server.db import make_engine, upgrade
from surgeplan.server.repository import UnitOfWork
from surgeplan.server.settings import Settings


@dataclass(frozen=True)
class Store:
    """Opens units of work on one database."""

    engine: Engine
    settings: Settings

    @classmethod
    def open(cls, settings: Settings, migrate: bool = True) -> Store:
        """Connect (and bring the schema up to date unless told not to)."""
        if migrate:
            upgrade(settings.database_url)
        return cls(make_engine(settings.database_url), settings)

    def read(self) -> UnitOfWork:
        """A read-only unit of work (rolled back at the end)."""
        return UnitOfWork(self.engine, self.settings.secret_key, write=False)

    def write(self) -> UnitOfWork:
        """A unit of work that commits when its block ends without an error."""
        return UnitOfWork(self.engine, self.settings.secret_key, write=True)
