"""Fixtures of the browser tests (defined in webkit.py, imported by that unique name)."""

from webkit import browser, page, workspace  # noqa: F401 - fixtures are found by their names here
