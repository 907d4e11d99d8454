"""A plan as one self-contained HTML page: header, rotations, coverage, cost, load, ledger.

The page opens offline and loads nothing: inline CSS and inline SVG, no script, and a
Content-Security-Policy that forbids fetching anything should a browser ever be tempted.
Every text from the scenario or the plan (names, ids, scopes, messages) is untrusted
input and passes through `html.escape` before it is written; class names and
coordinates are made by this package only. Money stays `Decimal` from the checker's
stretches to the printed `$1,234.56`; floats serve only as pixel coordinates.
"""

from surgeplan.reports.html.page import render_report

__all__ = ["render_report"]
