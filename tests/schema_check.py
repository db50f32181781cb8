"""A small JSON Schema validator for the subset of draft 2020-12 that pydantic emits, so the
tests need no extra dependency. A keyword outside the subset is an error, never ignored: a
schema it cannot check fully fails the test instead of passing it."""

from __future__ import annotations

import datetime as dt
import operator
import re
from typing import Any

ANNOTATIONS = frozenset(
    {"$schema", "$defs", "title", "description", "default", "examples", "deprecated"}
)
CHECKED = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "prefixItems",
        "minItems",
        "maxItems",
        "anyOf",
        "oneOf",
        "allOf",
        "enum",
        "const",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "pattern",
        "$ref",
    }
)
TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _uri(value: str) -> None:
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value):
        raise ValueError(value)


FORMATS: dict[str, Any] = {
    "date": dt.date.fromisoformat,
    "date-time": dt.datetime.fromisoformat,
    "uri": _uri,
}


class Invalid(AssertionError):
    pass


def validate(document: Any, schema: dict[str, Any]) -> None:
    """Raise Invalid, naming the path, where `document` breaks `schema`."""
    _check(document, schema, schema, "$")


def _check(value: Any, schema: dict[str, Any] | bool, root: dict[str, Any], path: str) -> None:
    if schema is True:
        return
    if schema is False:
        raise Invalid(f"{path}: nothing is allowed here")
    unknown = set(schema) - ANNOTATIONS - CHECKED
    if unknown:
        raise Invalid(f"{path}: the checker does not know {sorted(unknown)}")
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            raise Invalid(f"{path}: only local $defs references are supported, not {ref}")
        _check(value, root["$defs"][ref.removeprefix("#/$defs/")], root, path)
    if "type" in schema:
        allowed = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[t](value) for t in allowed):
            raise Invalid(f"{path}: {value!r:.80} is not of type {allowed}")
    if "enum" in schema and value not in schema["enum"]:
        raise Invalid(f"{path}: {value!r:.80} is not one of {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        raise Invalid(f"{path}: {value!r:.80} is not {schema['const']!r}")
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            matched = 0
            for option in schema[keyword]:
                try:
                    _check(value, option, root, path)
                except Invalid:
                    continue
                matched += 1
            if matched == 0 or (keyword == "oneOf" and matched > 1):
                raise Invalid(f"{path}: {value!r:.80} matches {matched} of {keyword}")
    for option in schema.get("allOf", ()):
        _check(value, option, root, path)
    if isinstance(value, dict):
        _object(value, schema, root, path)
    if isinstance(value, list):
        _array(value, schema, root, path)
    if isinstance(value, str):
        _string(value, schema, path)
    if TYPES["number"](value):
        _number(value, schema, path)


def _object(value: dict[str, Any], schema: dict[str, Any], root: dict[str, Any], path: str) -> None:
    properties = schema.get("properties", {})
    for key in schema.get("required", ()):
        if key not in value:
            raise Invalid(f"{path}: the key {key!r} is missing")
    for key, item in value.items():
        where = f"{path}.{key}"
        if key in properties:
            _check(item, properties[key], root, where)
        elif "additionalProperties" in schema:
            _check(item, schema["additionalProperties"], root, where)


def _array(value: list[Any], schema: dict[str, Any], root: dict[str, Any], path: str) -> None:
    if "minItems" in schema and len(value) < schema["minItems"]:
        raise Invalid(f"{path}: fewer than {schema['minItems']} items")
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        raise Invalid(f"{path}: more than {schema['maxItems']} items")
    prefix = schema.get("prefixItems", [])
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        if index < len(prefix):
            _check(item, prefix[index], root, where)
        elif "items" in schema:
            _check(item, schema["items"], root, where)


def _string(value: str, schema: dict[str, Any], path: str) -> None:
    if "minLength" in schema and len(value) < schema["minLength"]:
        raise Invalid(f"{path}: shorter than {schema['minLength']}")
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        raise Invalid(f"{path}: longer than {schema['maxLength']}")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        raise Invalid(f"{path}: {value!r:.80} does not match {schema['pattern']}")
    if "format" in schema:
        check = FORMATS.get(schema["format"])
        if check is None:
            raise Invalid(f"{path}: the checker does not know the format {schema['format']}")
        try:
            check(value)
        except ValueError:
            raise Invalid(f"{path}: {value!r:.80} is not a {schema['format']}") from None


def _number(value: float, schema: dict[str, Any], path: str) -> None:
    checks = {
        "minimum": operator.ge,
        "maximum": operator.le,
        "exclusiveMinimum": operator.gt,
        "exclusiveMaximum": operator.lt,
    }
    for keyword, holds in checks.items():
        if keyword in schema and not holds(value, schema[keyword]):
            raise Invalid(f"{path}: {value} breaks {keyword} {schema[keyword]}")
