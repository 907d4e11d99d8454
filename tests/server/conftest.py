"""Fixtures of the server tests (defined in serverkit.py, which tests import by that
unique name: two directories' `conftest` modules would shadow each other)."""

from serverkit import (  # noqa: F401 - fixtures are found by their names here
    database_url,
    make_database_url,
    pg_cluster,
    server,
    solving_server,
)
