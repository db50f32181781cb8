"""The JSON Schema of each command's JSON output (`dlcompare schema output [COMMAND]`),
generated from the result models the JSON is a dump of.

A dump always holds every field of its model (null or empty when an option did not ask for
it), so the schemas mark every property required and forbid any other: options add values,
never keys that move. Imported only by `schema output` and the tests: the result models stay
off the start-up path of the other commands."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _models() -> dict[str, type[BaseModel]]:
    from .measure.results import Measurement
    from .results.catalog import Catalog, EditionList, ValidationReport
    from .results.history import EditionChanges, ToolkitHistory
    from .results.ranking import Ranking
    from .results.report import Report
    from .results.views import RatingsView, ToolkitDiff

    return {
        "list": Catalog,
        "editions": EditionList,
        "validate": ValidationReport,
        "show": RatingsView,
        "diff": ToolkitDiff,
        "rank": Ranking,
        "history": ToolkitHistory,
        "changes": EditionChanges,
        "report": Report,
        "measure": Measurement,
    }


COMMANDS = (
    "list",
    "editions",
    "validate",
    "show",
    "diff",
    "rank",
    "history",
    "changes",
    "report",
    "measure",
)
"""The commands with JSON output (`--format json`), in the order `--help` lists them."""


def _closed(node: Any) -> None:
    """Every object with declared properties: all of them required, no others allowed."""
    if isinstance(node, dict):
        properties = node.get("properties")
        if node.get("type") == "object" and isinstance(properties, dict):
            node["required"] = list(properties)
            node["additionalProperties"] = False
        for value in node.values():
            _closed(value)
    elif isinstance(node, list):
        for value in node:
            _closed(value)


def output_schema(command: str) -> dict[str, Any]:
    """The JSON Schema of `dlcompare COMMAND --format json` (KeyError: no such command)."""
    model = _models()[command]
    schema = model.model_json_schema(mode="serialization")
    _closed(schema)
    return {"$schema": DRAFT, **schema, "title": f"dlcompare {command} --format json"}


def output_schemas() -> dict[str, dict[str, Any]]:
    """Every command's output schema, by command."""
    return {command: output_schema(command) for command in COMMANDS}
