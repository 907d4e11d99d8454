"""JSON Schema of a scenario document (`surgeplan schema`).

The same document may give each table inline (a list of rows) or as the name of a CSV
file beside it, so the published schema accepts both forms.
"""

from __future__ import annotations

import json
from typing import Any

from surgeplan.scenario.model import (
    Base,
    Demand,
    Fare,
    Frozen,
    PerDiem,
    Period,
    Person,
    Request,
    Rules,
    Site,
    Unavailable,
    Weights,
)


class ScenarioDocument(Frozen):
    """scenario.yaml: calendar, tables (CSV file names or inline rows), rules and weights."""

    name: str
    start: str
    end: str
    period: Period = "week"
    people: str | list[Person]
    bases: str | list[Base]
    sites: str | list[Site]
    demand: str | list[Demand]
    unavailable: str | list[Unavailable] | None = None
    per_diem: str | list[PerDiem] | None = None
    travel: str | list[Fare] | None = None
    requests: str | list[Request] | None = None
    rules: Rules = Rules()
    weights: Weights = Weights()


def schema_json() -> str:
    """The JSON Schema, pretty-printed."""
    schema: dict[str, Any] = ScenarioDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "surgeplan scenario (contract v1.1)"
    return json.dumps(schema, indent=2)
