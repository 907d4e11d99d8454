"""YAML read as untrusted input: plain data only, no aliases, no duplicate keys.

PyYAML's SafeLoader already refuses object-building tags; we also refuse anchors and
aliases (the "billion laughs" expansion bomb) and keys given twice, which YAML itself
silently resolves to the last one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node

MAX_YAML_BYTES = 5_000_000


class YamlError(Exception):
    """A YAML document that cannot be accepted, with a 1-based line and column."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and duplicate mapping keys, and keeps dates as text."""

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise YamlError(
                "YAML aliases (*name) are not accepted in a scenario; write the value out",
                event.start_mark.line + 1,
                event.start_mark.column + 1,
            )
        return super().compose_node(parent, index)  # type: ignore[arg-type]

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.lines: dict[int, dict[str, int]] = {}
        self.node_lines: dict[int, dict[str, int]] = {}

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise YamlError(
                    f"key {key!r} is given twice (first on line {seen[key]}); keep one",
                    line,
                    key_node.start_mark.column + 1,
                )
            seen[key] = line
        self.node_lines[id(node)] = {"": node.start_mark.line + 1} | {
            str(key): line for key, line in seen.items()
        }
        return super().construct_mapping(node, deep=deep)

    def construct_located_map(self, node: MappingNode) -> Iterator[dict[Any, Any]]:
        """Build a mapping and remember where it and each of its keys started."""
        data: dict[Any, Any] = {}
        yield data
        data.update(self.construct_mapping(node))
        self.lines[id(data)] = self.node_lines.pop(id(node), {})


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_located_map)

# Dates stay strings so that pydantic reports a bad date with the field's name.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class LineMap:
    """Where each mapping of a parsed document and each of its keys started (1-based)."""

    def __init__(self, lines: dict[int, dict[str, int]]) -> None:
        self._lines = lines

    def of(self, mapping: object, key: str = "") -> int | None:
        """Line of `key` in `mapping` ("" for the mapping itself), if known."""
        return self._lines.get(id(mapping), {}).get(key)


def load_yaml(text: str) -> tuple[Any, LineMap]:
    """Parse one YAML document as plain data; raise YamlError with a location."""
    if len(text) > MAX_YAML_BYTES:
        raise YamlError(
            f"is {len(text):,} characters; a scenario file is at most {MAX_YAML_BYTES:,}"
        )
    try:
        loader = _StrictLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
        return data, LineMap(loader.lines)
    except YamlError:
        raise
    except ConstructorError as exc:
        mark = exc.problem_mark
        raise YamlError(
            f"{exc.problem}: only plain YAML data (maps, lists, text, numbers) is accepted",
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise YamlError(
            f"is not valid YAML: {exc.problem}",
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"is not valid YAML: {exc}") from None
