"""`python -m surgeplan` runs the command-line interface."""

from surgeplan.cli import app

app()
