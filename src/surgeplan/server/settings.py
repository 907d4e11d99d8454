"""Server settings from the environment (`SURGEPLAN_*`), validated at start-up.

A deployment must not run on a secret anybody can read in this file: outside
`development` the default key is refused, so a forgotten variable stops the server
instead of silently weakening every session.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_KEY = "development-only-not-secret"


class Settings(BaseSettings):
    """Everything the server reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="SURGEPLAN_", frozen=True, extra="ignore")

    env: Literal["development", "production"] = "development"
    database_url: str = "sqlite:///surgeplan.db"
    secret_key: str = DEVELOPMENT_KEY
    max_solves: int = Field(default_factory=lambda: max(1, os.cpu_count() or 1), ge=1)
    """Solve jobs running at once (each in its own process); default one per core."""
    solve_workers: int = Field(default=1, ge=1)
    """CP-SAT workers per solve job."""
    session_hours: float = Field(default=12.0, gt=0)
    login_attempts: int = Field(default=5, ge=1)
    """Failed sign-ins per user name and per client within `login_window_s` before refusal."""
    login_window_s: int = Field(default=300, ge=1)
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=8192)
    """Password hashing cost (RFC 9106's second recommended option by default)."""
    secure_cookies: bool = True
    """Mark cookies `Secure`; browsers still send them to http://127.0.0.1 and localhost."""
    load_builtin: bool = True
    """Load the built-in 2020 scenario into an empty database at start-up."""

    @model_validator(mode="after")
    def _real_secret_outside_development(self) -> Settings:
        if self.env != "development" and self.secret_key == DEVELOPMENT_KEY:
            raise ValueError(
                "SURGEPLAN_SECRET_KEY is the development default; set a long random value "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        if len(self.secret_key) < 16:
            raise ValueError("SURGEPLAN_SECRET_KEY is shorter than 16 characters; use 32 or more")
        return self


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
