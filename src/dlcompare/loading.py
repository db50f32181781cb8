"""Finding and reading data folders: the only code that opens data files.

A data folder holds `criteria.yaml`, `editions.yaml` and `toolkits/ID.yaml`. Every problem in
a folder is collected and reported together (file › key path: problem), never one per run.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import yamlio
from .dataset import Dataset, leaves_of
from .errors import DataError, Problem, kind_of, printable, shown
from .schema import CriteriaFile, EditionsFile, Toolkit

CRITERIA_FILE = "criteria.yaml"
EDITIONS_FILE = "editions.yaml"
TOOLKITS_DIR = "toolkits"


def bundled_data_dir() -> Path:
    """The data shipped with dlcompare: inside the installed package (a wheel), or the
    checkout's `data/` folder for an editable install or a source tree."""
    package = Path(__file__).resolve().parent
    installed = package / "_data"
    if installed.is_dir():
        return installed
    return package.parent.parent / "data"


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
        message += ", not text in quotes"
    if not isinstance(got, dict | BaseModel):
        message += f" (got {shown(got)})"
    return message


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


def _format_loc(loc: Iterable[Any]) -> str:
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
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        problems = [
            Problem(file, _format_loc(e["loc"]), _describe(dict(e), model)) for e in error.errors()
        ]
        return None, problems


def _read(path: Path, model: type[BaseModel], label: str) -> tuple[Any, list[Problem]]:
    try:
        data = yamlio.load(path)
    except yamlio.YamlError as error:
        return None, [Problem(label, "", error.problem)]
    return validate_document(data, model, label)


def load_dataset(folder: Path | None = None) -> Dataset:
    """Load and check a data folder (default: the bundled data). Raises DataError listing every
    problem found."""
    folder = bundled_data_dir() if folder is None else folder
    problems: list[Problem] = []
    if not folder.is_dir():
        problem = "is a file, expected a data folder" if folder.exists() else "no such data folder"
        raise DataError([Problem(str(folder), "", problem)])

    criteria_file, found = _read(
        folder / CRITERIA_FILE, CriteriaFile, _label(folder, CRITERIA_FILE)
    )
    problems += found
    editions_file, found = _read(
        folder / EDITIONS_FILE, EditionsFile, _label(folder, EDITIONS_FILE)
    )
    problems += found

    toolkits: list[Toolkit] = []
    origins: dict[str, str] = {}
    toolkit_dir = folder / TOOLKITS_DIR
    paths = sorted(toolkit_dir.glob("*.yaml")) + sorted(toolkit_dir.glob("*.yml"))
    if not toolkit_dir.is_dir():
        problem = "is a file, expected a folder" if toolkit_dir.exists() else "no such folder"
        problems.append(Problem(_label(folder, TOOLKITS_DIR), "", problem))
    for path in paths:
        label = _label(folder, f"{TOOLKITS_DIR}/{path.name}")
        toolkit, found = _read(path, Toolkit, label)
        problems += found
        if toolkit is None:
            continue
        if toolkit.id != path.stem:
            problems.append(
                Problem(label, "id", f"'{toolkit.id}' must equal the file name '{path.stem}'")
            )
        if toolkit.id in origins:
            problems.append(
                Problem(label, "id", f"'{toolkit.id}' is already defined in {origins[toolkit.id]}")
            )
            continue
        origins[toolkit.id] = label
        toolkits.append(toolkit)

    if criteria_file is not None and editions_file is not None:
        problems += cross_check(criteria_file, editions_file, toolkits, origins, folder)
    if problems:
        raise DataError(problems)
    assert criteria_file is not None and editions_file is not None
    return Dataset(
        scale=criteria_file.scale,
        criteria=criteria_file.criteria,
        editions=tuple(sorted(editions_file.editions, key=lambda e: e.date)),
        toolkits=tuple(sorted(toolkits, key=lambda t: t.id)),
        origins=origins,
    )


def _label(folder: Path, name: str) -> str:
    return str(folder / name)


def cross_check(
    criteria_file: CriteriaFile,
    editions_file: EditionsFile,
    toolkits: list[Toolkit],
    origins: dict[str, str],
    folder: Path,
) -> list[Problem]:
    """Rules that span files: unique names, known criteria and editions, scores on the scale."""
    problems: list[Problem] = []
    criteria_label = _label(folder, CRITERIA_FILE)
    editions_label = _label(folder, EDITIONS_FILE)

    names: dict[str, str] = {}  # name -> what owns it, so a name never means two things

    def claim(name: str, owner: str, file: str, where: str) -> None:
        if name in names and names[name] != owner:
            problems.append(Problem(file, where, f"'{name}' already names {names[name]}"))
        else:
            names[name] = owner

    for i, criterion in enumerate(criteria_file.criteria):
        claim(criterion.id, f"criterion {criterion.id}", criteria_label, f"criteria › {i} › id")
        part_ids = [p.id for p in criterion.parts]
        for j, part_id in enumerate(part_ids):
            if part_ids.index(part_id) != j:
                problems.append(
                    Problem(
                        criteria_label,
                        f"criteria › {i} › parts › {j} › id",
                        f"duplicate part '{part_id}'",
                    )
                )
    for toolkit in toolkits:
        label = origins[toolkit.id]
        for where, name in [("id", toolkit.id), *(("aliases", a) for a in toolkit.aliases)]:
            claim(name, f"toolkit {toolkit.id}", label, where)
        for criterion in criteria_file.criteria:
            if any(p.id == toolkit.id for p in criterion.parts):
                problems.append(
                    Problem(label, "id", f"'{toolkit.id}' already names a part of {criterion.id}")
                )

    editions_by_date: dict[dt.date, int] = {}
    commits: set[str] = set()
    for i, edition in enumerate(editions_file.editions):
        if edition.date in editions_by_date:
            problems.append(
                Problem(
                    editions_label, f"editions › {i} › date", f"a second edition on {edition.date}"
                )
            )
        editions_by_date[edition.date] = i
        for commit in (edition.commit, *edition.also):
            if commit is None:
                continue
            if commit in commits:
                problems.append(
                    Problem(editions_label, f"editions › {i}", f"commit {commit} listed twice")
                )
            commits.add(commit)

    leaves = {leaf.path for c in criteria_file.criteria for leaf in leaves_of(c)}
    parents = {c.id: c for c in criteria_file.criteria if c.parts}
    scale = criteria_file.scale
    known_dates = ", ".join(str(d) for d in sorted(editions_by_date))
    for toolkit in toolkits:
        label = origins[toolkit.id]
        for path, entries in toolkit.ratings.items():
            where = _format_loc(("ratings", path))
            if path not in leaves:
                if path in parents:
                    parts = ", ".join(f"{path}.{p.id}" for p in parents[path].parts)
                    problems.append(Problem(label, where, f"'{path}' has parts; rate {parts}"))
                else:
                    problems.append(
                        Problem(label, where, "unknown criterion; see `dlcompare list`")
                    )
                continue
            if not entries:
                problems.append(Problem(label, where, "no assessments"))
            for n, (day, assessment) in enumerate(sorted(entries.items())):
                if day not in editions_by_date:
                    problems.append(
                        Problem(
                            label,
                            f"{where} › {day}",
                            f"no edition on {day} (editions: {known_dates})",
                        )
                    )
                if n == 0 and assessment.withdrawn:
                    problems.append(
                        Problem(label, f"{where} › {day}", "withdrawn before it was ever assessed")
                    )
                score = assessment.score
                if score is not None and not scale.min <= score <= scale.max:
                    problems.append(
                        Problem(
                            label,
                            f"{where} › {day} › score",
                            f"{score:g} is outside the scale {scale.min:g} to {scale.max:g}",
                        )
                    )
    return problems
