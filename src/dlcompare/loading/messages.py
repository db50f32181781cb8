"""How a parsed document's validation errors become messages (file › key path: problem), and
which line of its file each problem is on."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem, kind_of, printable, shown

_PLAIN_MESSAGES = {
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "finite_number": "must be a finite number, not nan or infinity",
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "dict_type": "must be a mapping of keys to values",
    "model_type": "must be a mapping of keys to values",
    "model_attributes_type": "must be a mapping of keys to values",
    "date_type": "must be a date (YYYY-MM-DD)",
    "date_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "must be a date (YYYY-MM-DD) without a time",
    "string_pattern_mismatch": "must be a slug: lower-case letters and digits joined by "
    "single hyphens",
}


def _describe(error: dict[str, Any], model: type[BaseModel]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _fields_at(model, error["loc"][:-1])
        hint = f"; allowed here: {', '.join(allowed)}" if allowed else ""
        return f"unknown key{hint}"
    if kind == "missing":
        return "required key is missing"
    message = _PLAIN_MESSAGES.get(kind) or str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    got = error.get("input")
    if kind in {"float_type", "int_type"} and isinstance(got, str):
        # YAML reads a plain 4 or 4.5 as a number: text that looks like one was quoted
        if _NUMBER_TEXT.fullmatch(got.strip()):
            return f"{message}, not text in quotes (got {shown(got)})"
        return f"{message} (found the text {printable(got[:60], newlines=False)})"
    if not isinstance(got, dict | BaseModel):
        message += f" (got {shown(got)})"
    return message


_NUMBER_TEXT = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model found by walking `loc` through nested models."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        is_model = isinstance(current, type) and issubclass(current, BaseModel)
        field = current.model_fields.get(part) if is_model else None
        if field is None:
            # dict keys (criterion paths, dates) lead to the value model
            current = _value_model(current)
            continue
        current = _value_model(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _value_model(annotation: Any) -> Any:
    """The innermost pydantic model inside an annotation like tuple[X, ...] or dict[K, dict[D, X]]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _value_model(arg)
        if found is not None:
            return found
    return None


_DATE_REPR = re.compile(r"^datetime\.date\((\d+), (\d+), (\d+)\)$")


def format_loc(loc: Iterable[Any]) -> str:
    """`ratings › interfaces › 2015-12-07 › score`; pydantic names a date key by its repr."""
    parts = []
    for part in loc:
        text = str(part)
        date = _DATE_REPR.match(text)
        if date:
            year, month, day = (int(g) for g in date.groups())
            text = f"{year:04d}-{month:02d}-{day:02d}"
        parts.append(printable(text if len(text) <= 80 else text[:79] + "…", newlines=False))
    return " › ".join(parts)


def validate_document(data: Any, model: type[BaseModel], file: str) -> tuple[Any, list[Problem]]:
    """Validate one parsed document; returns (model or None, problems)."""
    if data is None:
        return None, [Problem(file, "", "the file is empty; expected a mapping of keys to values")]
    if not isinstance(data, dict):
        found = f"found {kind_of(data)}"
        return None, [Problem(file, "", f"expected a mapping of keys to values, {found}")]
    if data and not set(map(str, data)) & set(model.model_fields):
        # Not a data file at all (a file linked here by mistake, maybe a secret one): one
        # problem quoting one key, not a problem quoting each of its lines.
        first = shown(next(iter(data)))
        return None, [
            Problem(
                file,
                "",
                f"is not a {model.__name__.removesuffix('File')} file: none of its {len(data)} key(s) is one "
                f"(the first is {first}); expected {', '.join(model.model_fields)}",
            )
        ]
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        errors = error.errors()
        # "a list must have at least 1 item" is only noise when one of its items is wrong
        inner = [e["loc"] for e in errors if e["type"] != "too_short"]
        problems = [
            Problem(file, format_loc(e["loc"]), _describe(dict(e), model))
            for e in errors
            if not (
                e["type"] == "too_short"
                and any(loc[: len(e["loc"])] == e["loc"] and loc != e["loc"] for loc in inner)
            )
        ]
        return None, problems


def with_lines(problems: list[Problem]) -> list[Problem]:
    """The problems with the line of each one's key path, found by reading each file with a
    problem once more (only when there are problems, so a clean load costs nothing)."""
    from .. import yamlio

    found: dict[str, Any] = {}
    located = []
    for problem in problems:
        if problem.where and problem.line is None:
            if problem.file not in found:
                try:
                    found[problem.file] = yamlio.compose(yamlio.read_text(Path(problem.file)))
                except yamlio.YamlError:
                    found[problem.file] = None
            line = yamlio.line_of(found[problem.file], problem.where.split(" › "))
            located.append(problem._replace(line=line))
        else:
            located.append(problem)
    # file by file, top to bottom (problems without a line first: they concern the whole file)
    order = {file: n for n, file in enumerate(dict.fromkeys(p.file for p in located))}
    return sorted(located, key=lambda p: (order[p.file], p.line or 0))
