"""The server's commands: accounts from the command line, refusals of unsafe settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from serverkit import settings_for

from surgeplan.server.api.app import create_app


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    full = {
        **os.environ,
        "SURGEPLAN_ARGON2_TIME_COST": "1",
        "SURGEPLAN_ARGON2_MEMORY_KIB": "8192",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "surgeplan", *args],
        env=full,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_create_user_takes_the_password_from_the_environment_and_it_signs_in(
    database_url: str,
) -> None:
    made = _run(
        [
            "admin",
            "create-user",
            "lee",
            "--role",
            "site_lead",
            "--site",
            "CHI",
            "--database-url",
            database_url,
        ],
        SURGEPLAN_PASSWORD="a long enough secret",
    )
    assert made.returncode == 0, made.stderr
    assert "created lee (site_lead for CHI)" in made.stdout
    app = create_app(settings_for(database_url, argon2_time_cost=1), dispatch=False)
    with TestClient(app, base_url="https://testserver") as client:
        token = client.post(
            "/api/auth/token", data={"username": "lee", "password": "a long enough secret"}
        )
        assert token.status_code == 200
        me = client.get(
            "/api/auth/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"}
        )
        assert me.json() == {"username": "lee", "role": "site_lead", "sites": ["CHI"]}


def test_create_user_refuses_short_passwords_and_duplicates(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/s.db"
    short = _run(
        ["admin", "create-user", "kim", "--role", "planner", "--database-url", url],
        SURGEPLAN_PASSWORD="short",
    )
    assert short.returncode == 2
    assert "at least 12" in short.stderr
    args = ["admin", "create-user", "kim", "--role", "viewer", "--database-url", url]
    assert _run(args, SURGEPLAN_PASSWORD="kim's long password").returncode == 2  # contains name
    assert _run(args, SURGEPLAN_PASSWORD="a long enough secret").returncode == 0
    again = _run(args, SURGEPLAN_PASSWORD="a long enough secret")
    assert again.returncode == 2 and "exists already" in again.stderr
    lead = _run(
        ["admin", "create-user", "sam", "--role", "site_lead", "--database-url", url],
        SURGEPLAN_PASSWORD="a long enough secret",
    )
    assert lead.returncode == 2 and "at least one site" in lead.stderr


def test_production_refuses_the_development_secret_key(tmp_path: Path) -> None:
    result = _run(
        ["serve", "--database-url", f"sqlite:///{tmp_path}/s.db"], SURGEPLAN_ENV="production"
    )
    assert result.returncode == 2
    assert "SURGEPLAN_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_development_mode_refuses_to_listen_beyond_loopback(tmp_path: Path) -> None:
    result = _run(["serve", "--host", "0.0.0.0", "--database-url", f"sqlite:///{tmp_path}/s.db"])
    assert result.returncode == 2
    assert "development mode" in result.stderr
