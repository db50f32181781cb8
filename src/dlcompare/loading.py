"""Finding and reading data folders: the only code that opens data files.

A data folder holds `criteria.yaml`, `editions.yaml` and `toolkits/ID.yaml`. Every problem in
a folder is collected and reported together (file › key path: problem), never one per run.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import cache, yamlio
from .dataset import Dataset, leaves_of
from .errors import DataError, Problem
from .schema import CriteriaFile, Criterion, Edition, EditionsFile, Scale, Toolkit

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


def _describe(error: dict[str, Any], model: type[BaseModel]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _fields_at(model, error["loc"][:-1])
        hint = f"; allowed here: {', '.join(allowed)}" if allowed else ""
        return f"unknown key{hint}"
    if kind == "missing":
        return "required key is missing"
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if kind == "string_pattern_mismatch":
        message = "must be a slug: lower-case letters and digits joined by single hyphens"
    got = error.get("input")
    if kind not in {"missing", "extra_forbidden"} and isinstance(got, str | int | float | bool):
        message += f" (got {got!r})"
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


def _format_loc(loc: Iterable[Any]) -> str:
    return " › ".join(str(part) for part in loc)


def validate_document(data: Any, model: type[BaseModel], file: str) -> tuple[Any, list[Problem]]:
    """Validate one parsed document; returns (model or None, problems)."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        return None, [Problem(file, "", f"expected a mapping of keys to values, found {kind}")]
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        problems = [
            Problem(file, _format_loc(e["loc"]), _describe(dict(e), model)) for e in error.errors()
        ]
        return None, problems


def _read(
    path: Path,
    model: type[BaseModel],
    label: str,
    known: dict[str, Any],
    validated: dict[str, Any],
) -> tuple[Any, list[Problem]]:
    """The validated model of one file: from `known` (the cache) if there, else parsed and
    validated. Every valid model is also put in `validated`, for the cache."""
    name = str(path)
    found = known.get(name)
    if not isinstance(found, model):
        try:
            data = yamlio.load(path)
        except yamlio.YamlError as error:
            return None, [Problem(label, "", error.problem)]
        found, problems = validate_document(data, model, label)
        if problems:
            return None, problems
    validated[name] = found
    return found, []


def load_dataset(folder: Path | None = None) -> Dataset:
    """Load and check a data folder (default: the bundled data). Raises DataError listing every
    problem found. Files read before and unchanged since come from the cache (see `cache`)."""
    folder = bundled_data_dir() if folder is None else folder
    if not folder.is_dir():
        raise DataError([Problem(str(folder), "", "no such data folder")])
    toolkit_dir = folder / TOOLKITS_DIR
    toolkit_paths = sorted(toolkit_dir.glob("*.yaml")) + sorted(toolkit_dir.glob("*.yml"))
    files = [folder / CRITERIA_FILE, folder / EDITIONS_FILE, *toolkit_paths]
    with _without_cycle_collection():
        digests = cache.file_digests(files)
        if digests is None:
            return _read_folder(folder, toolkit_dir, toolkit_paths, {}, {})
        whole = cache.folder_digest(folder, files, digests)
        stored = cache.read(folder)
        if stored.folder == whole:
            found = _cached_dataset(stored.dataset)
            if found is not None:
                return found
        known = {
            name: model
            for name, (digest, model) in stored.files.items()
            if digests.get(name) == digest
        }
        validated: dict[str, Any] = {}
        try:
            dataset = _read_folder(folder, toolkit_dir, toolkit_paths, known, validated)
        except DataError:
            _store(
                folder,
                files,
                digests=digests,
                validated=validated,
                stored=stored,
                dataset=None,
                whole=whole,
            )
            raise
        _store(
            folder,
            files,
            digests=digests,
            validated=validated,
            stored=stored,
            dataset=dataset,
            whole=whole,
        )
    return dataset


def _store(
    folder: Path,
    files: list[Path],
    *,
    digests: dict[str, bytes],
    validated: dict[str, Any],
    stored: cache.Stored,
    dataset: Dataset | None,
    whole: bytes,
) -> None:
    """Update the cache with what this load validated, unless it holds that already."""
    # Keep only what was built from the bytes the digests describe: a file that changed while
    # it was being read is left out, and so is the folder.
    now = cache.file_digests(files) or {}
    entries = {
        name: (digests[name], model)
        for name, model in validated.items()
        if name in digests and now.get(name) == digests[name]
    }
    complete = dataset is not None and now == digests
    same_files = {n: d for n, (d, _) in entries.items()} == {
        n: d for n, (d, _) in stored.files.items()
    }
    if same_files and complete == (stored.folder == whole):
        return
    parts = None
    if dataset is not None and complete:
        parts = (
            dataset.scale,
            dataset.criteria,
            dataset.editions,
            dataset.toolkits,
            dataset.origins,
        )
    cache.write(folder, cache.Stored(whole if parts else b"", parts, entries))


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Loading builds a great many objects and no reference cycles. The cyclic garbage collector,
    triggered by every few hundred new objects, would walk them all again and again: on a large
    folder that costs more than the validation itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _cached_dataset(found: Any) -> Dataset | None:
    """The Dataset from what the cache held, or None if it is not what `_store` stores."""
    if not (isinstance(found, tuple) and len(found) == 5):
        return None
    scale, criteria, editions, toolkits, origins = found
    shapes = (
        isinstance(scale, Scale)
        and isinstance(criteria, tuple)
        and all(isinstance(c, Criterion) for c in criteria)
        and isinstance(editions, tuple)
        and all(isinstance(e, Edition) for e in editions)
        and isinstance(toolkits, tuple)
        and all(isinstance(t, Toolkit) for t in toolkits)
        and isinstance(origins, dict)
    )
    if not shapes:
        return None
    return Dataset(
        scale=scale, criteria=criteria, editions=editions, toolkits=toolkits, origins=origins
    )


def _read_folder(
    folder: Path,
    toolkit_dir: Path,
    toolkit_paths: list[Path],
    known: dict[str, Any],
    validated: dict[str, Any],
) -> Dataset:
    problems: list[Problem] = []
    criteria_file, found = _read(
        folder / CRITERIA_FILE, CriteriaFile, _label(folder, CRITERIA_FILE), known, validated
    )
    problems += found
    editions_file, found = _read(
        folder / EDITIONS_FILE, EditionsFile, _label(folder, EDITIONS_FILE), known, validated
    )
    problems += found

    toolkits: list[Toolkit] = []
    origins: dict[str, str] = {}
    if not toolkit_dir.is_dir():
        problems.append(Problem(_label(folder, TOOLKITS_DIR), "", "no such folder"))
    for path in toolkit_paths:
        label = _label(folder, f"{TOOLKITS_DIR}/{path.name}")
        toolkit, found = _read(path, Toolkit, label, known, validated)
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
            where = f"ratings › {path}"
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
