"""Finding and reading data folders: the only code that opens data files.

A data folder holds `criteria.yaml`, `editions.yaml` and `toolkits/ID.yaml`. Every problem in
a folder is collected and reported together (file › key path: problem), never one per run.
"""

from __future__ import annotations

import datetime as dt
import errno
import gc
import math
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, fields, replace
from itertools import chain, compress
from operator import ge, lt
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import cache
from .dataset import DESCRIPTION, Conflict, Dataset, Ratings, leaves_of, trusted_assessment
from .errors import (
    DataError,
    DlcompareError,
    Problem,
    UsageError,
    kind_of,
    printable,
    shown,
    shown_path,
)
from .names import suggest
from .schema import (
    METHOD_PATH,
    Assessment,
    CriteriaFile,
    Criterion,
    Edition,
    EditionsFile,
    ProjectStatus,
    RatedToolkit,
    Scale,
    Toolkit,
    ToolkitFile,
)

CRITERIA_FILE = "criteria.yaml"
EDITIONS_FILE = "editions.yaml"
TOOLKITS_DIR = "toolkits"
DATA_VARIABLE = "DLCOMPARE_DATA"
"""A path list of data folders layered over the bundled data, before any --data folder."""


def bundled_data_dir() -> Path:
    """The data shipped with dlcompare: inside the installed package (a wheel), or the
    checkout's `data/` folder for an editable install or a source tree."""
    package = Path(__file__).resolve().parent
    installed = package / "_data"
    if installed.is_dir():
        return installed
    return package.parent.parent / "data"


def bundled_method() -> str:
    """The text of docs/method.md, shipped inside the package (a wheel) or read from the
    checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "_docs" / "method.md"
    path = installed if installed.is_file() else package.parent.parent / METHOD_PATH
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DlcompareError(f"{shown_path(path)}: cannot be read ({error})") from None


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
            Problem(file, _format_loc(e["loc"]), _describe(dict(e), model))
            for e in errors
            if not (
                e["type"] == "too_short"
                and any(loc[: len(e["loc"])] == e["loc"] and loc != e["loc"] for loc in inner)
            )
        ]
        return None, problems


@dataclass
class _Files:
    """Validated files: `known` from the cache (path -> model), `validated` for it."""

    known: dict[str, Any] = field(default_factory=dict)
    validated: dict[str, Any] = field(default_factory=dict)


def _read(
    path: Path,
    model: type[BaseModel],
    label: str,
    files: _Files,
    broken: list[Any] | None = None,
    *,
    folder: Path,
) -> tuple[Any, list[Problem]]:
    """The validated model of one file: from the cache if it holds this file's bytes, else
    parsed and validated. Every valid model is kept for the cache. A file that parses but
    does not validate is appended to `broken` (as parsed), so that the checks across files
    can still look at what it holds: every problem of every file is found in one run.
    A link to a file outside `folder` is not read at all: a message about what it holds
    could quote a file that is no data file (a password hash)."""
    outside = _outside(path, folder)
    if outside is not None:
        return None, [Problem(label, "", outside)]
    name = str(path)
    found = files.known.get(name)
    if not (isinstance(found, model) and _sane(found)):
        from . import yamlio  # here: a run that finds every file in the cache never loads YAML

        try:
            data = yamlio.load(path)
        except yamlio.YamlError as error:
            return None, [Problem(label, "", error.problem)]
        found, problems = validate_document(data, model, label)
        if problems:
            if broken is not None and isinstance(data, dict):
                broken.append((data, label))
            return None, problems
    files.validated[name] = found
    return found, []


def load_dataset(folder: Path | None = None) -> Dataset:
    """Load and check one data folder on its own (default: the bundled data)."""
    if folder is None:
        return load_layers((), bundled=True)
    return load_layers((folder,), bundled=False)


@dataclass
class _Layer:
    """The parsed files of one data folder; None where a file is absent or broken."""

    folder: Path
    criteria: CriteriaFile | None = None
    editions: EditionsFile | None = None
    toolkits: list[tuple[ToolkitFile, str]] = field(default_factory=list)  # (toolkit, file label)
    broken: list[tuple[dict[Any, Any], str]] = field(default_factory=list)
    """Toolkit files that parse but do not validate, as parsed: (document, file label)."""
    broken_editions: list[tuple[dict[Any, Any], str]] = field(default_factory=list)


def _toolkit_files(folder: Path) -> list[Path]:
    """The toolkit files of a data folder; none when `toolkits/` cannot be listed (then
    `_unreadable` names the problem)."""
    toolkit_dir = folder / TOOLKITS_DIR
    try:
        names = os.listdir(toolkit_dir)  # noqa: PTH208 - its errors are wanted here
    except OSError:
        return []
    return [toolkit_dir / name for name in sorted(names) if name.endswith(".yaml")] + [
        toolkit_dir / name for name in sorted(names) if name.endswith(".yml")
    ]


def _unreadable(folder: Path, what: str) -> str | None:
    """Why a folder cannot be used, or None: missing, a file, or not listable (permissions,
    a name too long). A folder that cannot be read is an error, never skipped in silence."""
    try:
        os.listdir(folder)  # noqa: PTH208 - its errors are wanted here
    except FileNotFoundError:
        return f"no such {what}"
    except NotADirectoryError:
        return f"is a file, expected a {what}"
    except OSError as error:
        return f"cannot read this {what} ({error.strerror})"
    return None


def _layer_files(folder: Path) -> list[Path]:
    """Every file a load of this folder may read, in the order it reads them."""
    return [folder / CRITERIA_FILE, folder / EDITIONS_FILE, *_toolkit_files(folder)]


def _outside(path: Path, folder: Path) -> str | None:
    """Why `path` is not read, when it is a link (or sits in a linked folder) to a regular
    file outside `folder`; else None. Anything else is left to `yamlio.read_text`."""
    try:
        real = Path(os.path.realpath(path))
        if not real.is_file() or real.is_relative_to(os.path.realpath(folder)):
            return None
    except (OSError, ValueError):
        return None
    return (
        f"is a link to a file outside the data folder ({shown_path(real)}); it is not read "
        "(copy the file into the folder)"
    )


_LOOK_ALIKES = {
    "criteria": CRITERIA_FILE,
    "criterion": CRITERIA_FILE,
    "editions": EDITIONS_FILE,
    "edition": EDITIONS_FILE,
    "toolkits": f"{TOOLKITS_DIR}/",
    "toolkit": f"{TOOLKITS_DIR}/",
}
"""Names a data file or folder might be given by mistake, and the name dlcompare reads."""
_SUFFIXES = (".yaml", ".yml", ".json")
_TOOLKIT_SUFFIXES = (".yaml", ".yml")


def _link_problem(path: Path) -> str | None:
    """Why a link at `path` leads nowhere (dangling, or looping), or None."""
    if not path.is_symlink():
        return None
    try:
        path.stat()
    except FileNotFoundError:
        return f"is a symbolic link to nothing ({shown_path(path.readlink())})"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "is a symbolic link that loops (it never reaches a file)"
        return f"cannot be read ({error.strerror})"
    return None


def layout_problems(folder: Path) -> list[Problem]:
    """What a data folder holds that a load would otherwise pass over in silence: a link in
    place of `criteria.yaml`, `editions.yaml` or `toolkits/` that leads nowhere, a file or
    folder named like one of them (`editions.yml`, `toolkit/`), a toolkit file with another
    ending (`x.YAML`, `x.json`), and a folder with nothing dlcompare reads. Checked on every
    load, cached or not (a cached load never lists the folder otherwise)."""
    try:
        names = sorted(os.listdir(folder))  # noqa: PTH208 - its errors are wanted here
    except OSError:
        return []  # _read_layer names the folder's own problem
    problems: list[Problem] = []
    for name in names:
        path = folder / name
        if name in (CRITERIA_FILE, EDITIONS_FILE, TOOLKITS_DIR):
            problem = _link_problem(path)
            if problem is not None:
                problems.append(Problem(_label(folder, name), "", problem))
            continue
        stem = name.casefold()
        for suffix in _SUFFIXES:
            stem = stem.removesuffix(suffix)
        meant = _LOOK_ALIKES.get(stem)
        if meant is not None:
            problems.append(
                Problem(_label(folder, name), "", f"is not read; dlcompare reads {meant}")
            )
    toolkit_dir = folder / TOOLKITS_DIR
    toolkit_names = []
    if toolkit_dir.is_dir():
        with suppress(OSError):  # _read_layer names it
            toolkit_names = sorted(os.listdir(toolkit_dir))  # noqa: PTH208
    for name in toolkit_names:
        lower = name.casefold()
        if lower.endswith(_SUFFIXES) and not name.endswith(_TOOLKIT_SUFFIXES):
            problems.append(
                Problem(
                    _label(folder, f"{TOOLKITS_DIR}/{name}"),
                    "",
                    "is not read; a toolkit file's name ends in .yaml",
                )
            )
    loads = (
        os.path.lexists(folder / CRITERIA_FILE)
        or os.path.lexists(folder / EDITIONS_FILE)
        or any(n.endswith(_TOOLKIT_SUFFIXES) for n in toolkit_names)
    )
    if not loads:
        stray = any(n.endswith(_TOOLKIT_SUFFIXES) for n in names)
        problems.append(
            Problem(
                shown_path(folder),
                "",
                f"holds nothing dlcompare reads ({CRITERIA_FILE}, {EDITIONS_FILE} or "
                f"{TOOLKITS_DIR}/ID.yaml)"
                + (f"; a toolkit file belongs in {TOOLKITS_DIR}/" if stray else ""),
            )
        )
    return problems


def _read_layer(folder: Path, problems: list[Problem], files: _Files) -> _Layer:
    problem = _unreadable(folder, "data folder")
    if problem is not None:
        problems.append(Problem(shown_path(folder), "", problem))
        return _Layer(folder)
    layer = _Layer(folder)
    if os.path.lexists(folder / CRITERIA_FILE) and not _link_problem(folder / CRITERIA_FILE):
        layer.criteria, found = _read(
            folder / CRITERIA_FILE,
            CriteriaFile,
            _label(folder, CRITERIA_FILE),
            files,
            folder=folder,
        )
        problems += found
    if os.path.lexists(folder / EDITIONS_FILE) and not _link_problem(folder / EDITIONS_FILE):
        layer.editions, found = _read(
            folder / EDITIONS_FILE,
            EditionsFile,
            _label(folder, EDITIONS_FILE),
            files,
            layer.broken_editions,
            folder=folder,
        )
        problems += found
    toolkit_dir = folder / TOOLKITS_DIR
    problem = _unreadable(toolkit_dir, "folder")
    if problem is not None and not problem.startswith("no such"):
        problems.append(Problem(_label(folder, TOOLKITS_DIR), "", problem))
        return layer
    seen: dict[str, str] = {}
    for path in _toolkit_files(folder):
        label = _label(folder, f"{TOOLKITS_DIR}/{path.name}")
        toolkit, found = _read(path, ToolkitFile, label, files, layer.broken, folder=folder)
        problems += found
        if toolkit is None:
            continue
        if toolkit.id != path.stem:
            problems.append(
                Problem(label, "id", f"'{toolkit.id}' must equal the file name '{path.stem}'")
            )
            continue
        if toolkit.id in seen:
            problems.append(
                Problem(label, "id", f"'{toolkit.id}' is already defined in {seen[toolkit.id]}")
            )
            continue
        seen[toolkit.id] = label
        layer.toolkits.append((toolkit, label))
    return layer


def data_folders(folders: Sequence[Path], *, bundled: bool = True) -> tuple[Path, ...]:
    """The layers in order: the bundled data (unless `bundled` is false), the folders named in
    DLCOMPARE_DATA (a path list), then `folders`. Later layers override earlier ones."""
    from_env = tuple(
        Path(part) for part in os.environ.get(DATA_VARIABLE, "").split(os.pathsep) if part
    )
    return ((bundled_data_dir(),) if bundled else ()) + from_env + tuple(folders)


def load_layers(folders: Sequence[Path], *, bundled: bool = True) -> Dataset:
    """Load data folders layered in order (see `data_folders`) and check them together.

    Criteria and editions are merged by id and date, toolkits by id: a later folder's
    definition replaces an earlier one, and a later toolkit file adds its assessments to the
    earlier ones (replacing any for the same criterion and edition). Every replacement is
    recorded in `Dataset.conflicts`. A later folder may add parts to a criterion that has
    parts (all the earlier ones kept), or parts from an edition on (`parts_from`) to one rated
    whole; a criterion redefined without one of its parts, with parts from the start where it
    had none, or a scale that differs, cannot be resolved and is an error
    naming both files. Raises DataError listing
    every problem found."""
    paths = data_folders(folders, bundled=bundled)
    if not paths:
        raise UsageError("--no-bundled needs at least one --data folder")
    with _without_cycle_collection():
        return _load_cached(paths)


def _load(paths: tuple[Path, ...], files: _Files) -> Dataset:
    problems: list[Problem] = [p for folder in paths for p in layout_problems(folder)]
    layers = [_read_layer(folder, problems, files) for folder in paths]
    merged = _merge(layers, problems)
    if merged is not None:
        problems += cross_check(merged)
    if problems:
        raise DataError(with_lines(problems))
    assert merged is not None
    return merged.dataset(tuple(str(p) for p in paths))


def with_lines(problems: list[Problem]) -> list[Problem]:
    """The problems with the line of each one's key path, found by reading each file with a
    problem once more (only when there are problems, so a clean load costs nothing)."""
    from . import yamlio

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
            located.append(replace(problem, line=line))
        else:
            located.append(problem)
    # file by file, top to bottom (problems without a line first: they concern the whole file)
    order = {file: n for n, file in enumerate(dict.fromkeys(p.file for p in located))}
    return sorted(located, key=lambda p: (order[p.file], p.line or 0))


def _load_cached(paths: tuple[Path, ...]) -> Dataset:
    """`_load`, with what the cache holds for these folders (see `cache`)."""
    files = [file for folder in paths for file in _layer_files(folder)]
    digests = cache.file_digests(files)
    if digests is None:  # caching is off
        return _load(paths, _Files())
    whole = cache.folder_digest(paths, files, digests)
    stored = cache.read(paths)
    # the folders are listed on every run: a stray `toolkit/` or a dangling link changes
    # none of the files the cache is keyed by
    if stored.folder == whole and not any(layout_problems(folder) for folder in paths):
        found = _cached_dataset(stored.dataset)
        if found is not None:
            return found
    read = _Files(
        known={
            name: _unpacked(entry)
            for name, (digest, entry) in stored.files.items()
            if digests.get(name) == digest
        }
    )
    dataset = None
    try:
        try:
            dataset = _load(paths, read)
        except DataError:
            if not read.known:
                raise
            # A problem is reported only as the files themselves show it: a cached model
            # could be damaged or forged, so every file is read afresh before saying so.
            read = _Files()
            dataset = _load(paths, read)
    finally:
        _store(
            paths,
            files,
            digests=digests,
            validated=read.validated,
            stored=stored,
            dataset=dataset,
            whole=whole,
        )
    return dataset


def _store(
    paths: tuple[Path, ...],
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
    # it was being read is left out, and so is the loaded data.
    now = cache.file_digests(files) or {}
    entries = {
        name: (digests[name], _packed(model))
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
        parts = {f.name: getattr(dataset, f.name) for f in fields(Dataset)}
    cache.write(paths, whole if parts else b"", parts, None if same_files else entries)


_PACKED_TOOLKIT = "toolkit file"


def _packed(model: Any) -> Any:
    """A validated file as the cache keeps it. A toolkit file as plain values: pickling its
    assessment models costs five times as much (half a second for 50,000 of them, on every
    first run). Other files, small, as they are."""
    if not isinstance(model, ToolkitFile):
        return model
    return (
        _PACKED_TOOLKIT,
        tuple(model.model_fields_set),
        {name: getattr(model, name) for name in DESCRIPTION},
        {
            path: {
                day: (a.score, a.withdrawn, a.summary, a.sources, a.notes, a.version)
                for day, a in entries.items()
            }
            for path, entries in model.ratings.items()
        },
    )


def _unpacked(entry: Any) -> Any:
    """The model of a cache entry that `_packed` made, or None when it is not one (a forged or
    damaged entry: then the file is read again). Values are checked for their types before
    they are used; `_sane` checks the scores."""
    if not (type(entry) is tuple and len(entry) == 4 and entry[0] == _PACKED_TOOLKIT):
        return entry
    _, given, described, ratings = entry
    if not (
        type(given) is tuple
        and _types(given) <= {str}
        and type(described) is dict
        and set(described) == set(DESCRIPTION)
        and type(described["id"]) is str
        and _types([described["name"], described["homepage"], described["repository"]])
        <= {str, type(None)}
        and type(described["aliases"]) is tuple
        and _types(described["aliases"]) <= {str}
        and type(described["packages"]) is tuple
        and _types(described["packages"]) <= {str}
        and (described["status"] is None or type(described["status"]) is ProjectStatus)
        and type(described["official"]) is tuple
        and _types(described["official"]) <= {str}
        and type(ratings) is dict
        and _types(ratings) <= {str}
        and _types(ratings.values()) <= {dict}
    ):
        return None
    built: dict[str, dict[dt.date, Assessment]] = {}
    for path, entries in ratings.items():
        own = built[path] = {}
        for day, values in entries.items():
            if not (type(day) is dt.date and type(values) is tuple and len(values) == 6):
                return None
            score, withdrawn, summary, sources, notes, version = values
            if not (
                type(score) in (float, type(None))
                and type(withdrawn) is bool
                and type(summary) is str
                and type(sources) is tuple
                and type(notes) is tuple
                and _types(sources + notes) <= {str}
                and type(version) in (str, type(None))
            ):
                return None
            own[day] = trusted_assessment(
                score, withdrawn, summary, sources, notes, version=version
            )
    return ToolkitFile.model_construct(set(given), **described, ratings=built)


_PART_TYPES: dict[str, type] = {
    "scale": Scale,
    "criteria": tuple,
    "editions": tuple,
    "toolkits": tuple,
    "ratings": Ratings,
    "origins": dict,
    "layers": tuple,
    "conflicts": tuple,
    "evidence_hosts": tuple,
}


def _cached_dataset(found: Any) -> Dataset | None:
    """The Dataset from what the cache held, or None if it is not what `_store` stores."""
    if not isinstance(found, dict) or set(found) != {f.name for f in fields(Dataset)}:
        return None
    if not all(isinstance(found[name], kind) for name, kind in _PART_TYPES.items()):
        return None
    members = {"criteria": Criterion, "editions": Edition, "toolkits": Toolkit}
    if not all(type(x) is kind for name, kind in members.items() for x in found[name]):
        return None
    scale = found["scale"]
    if not (_finite(scale.min) and _finite(scale.max) and scale.min < scale.max):
        return None
    ids = {toolkit.id for toolkit in found["toolkits"]}
    try:
        if not _sane_ratings(found["ratings"], ids, scale.min, scale.max):
            return None
    except AttributeError:  # a Ratings without one of its columns
        return None
    return Dataset(**found)


def _types(values: Iterable[Any]) -> set[type]:
    return set(map(type, values))


def _sane_ratings(ratings: Ratings, ids: set[str], low: float, high: float) -> bool:
    """Whether the columns of assessments from the cache are what `Ratings.of` builds from
    validated files, as far as a view could be misled or fail: every column as long as the
    others and of its type, every score a finite float within [low, high], the cells of known
    toolkits tiling the rows in order, each cell used once, and the dates of each cell rising.
    A pickle builds objects without validating them, so a forged cache could hold 99.0 or nan,
    or a cell pointing anywhere; then it is a miss. Checked with whole-column operations: a
    few milliseconds for 50,000 assessments."""
    columns = (ratings.dates, ratings.scores, ratings.withdrawn, ratings.origins)
    texts = (
        ratings.summary_text,
        ratings.source_text,
        ratings.note_text,
        ratings.version_text,
        ratings.row,
        ratings.item,
    )
    if _types((*columns, ratings.starts)) != {tuple} or _types(texts) != {str}:
        return False
    if type(ratings.cells) is not dict:
        return False
    rows = len(ratings.dates)
    if any(len(column) != rows for column in columns) or not ratings.separated():
        return False
    cells = list(ratings.cells.values())
    if not (set(ratings.cells) <= ids and _types(cells) <= {dict}):
        return False
    numbers = list(chain.from_iterable(map(dict.values, cells)))
    starts, dates = ratings.starts, ratings.dates
    scores = [score for score in ratings.scores if score is not None]
    if not (
        starts
        and _types(chain.from_iterable(cells)) <= {str}
        and _types(chain(numbers, starts)) <= {int}
        and _types(dates) <= {dt.date}
        and _types(scores) <= {float}
        and _types(ratings.withdrawn) <= {bool}
        and _types(ratings.origins) <= {str}
    ):
        return False  # a column, or an entry of one, of the wrong type
    if sorted(numbers) != list(range(len(starts) - 1)):
        return False  # each cell belongs to one toolkit and leaf
    if starts[0] != 0 or starts[-1] != rows or not all(map(lt, starts, starts[1:])):
        return False  # the cells tile the rows, in order, none empty
    first = bytearray(rows + 1)  # 1 where a cell begins
    for start in starts:
        first[start] = 1
    if not all(map(first.__getitem__, compress(range(1, rows), map(ge, dates, dates[1:])))):
        return False  # a date not after the one before it, within one cell
    return not any(map(math.isnan, scores)) and (
        not scores or (min(scores) >= low and max(scores) <= high)
    )


def _finite(value: Any) -> bool:
    return type(value) is float and math.isfinite(value)


def _sane(model: Any, low: float = -math.inf, high: float = math.inf) -> bool:
    """Whether a model from the cache holds what validation lets through, as far as a view
    could be misled: every score a finite float (within [low, high] when the scale is known),
    every rating keyed by a criterion path and a date. A pickle builds models without
    validating them, so a forged or damaged cache could hold 99.0 or nan; then it is a miss."""
    if not isinstance(model, RatedToolkit):
        return True  # criteria and editions hold no number a ranking uses
    if not isinstance(model.ratings, dict):
        return False
    for path, entries in model.ratings.items():
        if not isinstance(path, str) or not isinstance(entries, dict):
            return False
        for day, assessment in entries.items():
            if type(day) is not dt.date or not isinstance(assessment, Assessment):
                return False
            score = assessment.score
            if score is not None and not (_finite(score) and low <= score <= high):
                return False
    return True


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Loading builds a great many objects and no reference cycles. The cyclic garbage
    collector, triggered by every few hundred new objects, would walk them all again and
    again: on a large folder that costs more than the validation itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class _Merged:
    scale: Scale
    criteria: dict[str, tuple[Criterion, str]]  # id -> (criterion, file label)
    editions: dict[dt.date, tuple[Edition, str]]
    toolkits: dict[str, tuple[RatedToolkit, str]]  # id -> (merged toolkit, label of its metadata)
    rating_origins: dict[tuple[str, str, dt.date], str]
    conflicts: list[Conflict]
    evidence_hosts: tuple[str, ...] = ()
    declared: set[dt.date] = field(default_factory=set)
    """Every edition date a data folder declares, including those of an editions file that
    does not validate (so that its other mistakes do not hide undeclared dates)."""
    broken: list[tuple[dict[Any, Any], str]] = field(default_factory=list)
    """Toolkit files that do not validate, as parsed, for the checks across files."""

    def dataset(self, layers: tuple[str, ...]) -> Dataset:
        return Dataset.of(
            scale=self.scale,
            criteria=tuple(c for c, _ in self.criteria.values()),
            editions=tuple(e for _, (e, _) in sorted(self.editions.items())),
            toolkits=(t for t, _ in self.toolkits.values()),
            origins={i: label for i, (_, label) in self.toolkits.items()},
            rating_origins=self.rating_origins,
            layers=layers,
            conflicts=tuple(self.conflicts),
            evidence_hosts=self.evidence_hosts,
        )


def _merge(layers: list[_Layer], problems: list[Problem]) -> _Merged | None:
    scale: tuple[Scale, str] | None = None
    criteria: dict[str, tuple[Criterion, str]] = {}
    editions: dict[dt.date, tuple[Edition, str]] = {}
    evidence_hosts: dict[str, None] = {}
    conflicts: list[Conflict] = []
    for layer in layers:
        if layer.criteria is not None:
            label = _label(layer.folder, CRITERIA_FILE)
            if layer.criteria.scale is not None:
                if scale is not None and scale[0] != layer.criteria.scale:
                    problems.append(
                        Problem(label, "scale", f"differs from the scale defined in {scale[1]}")
                    )
                else:
                    scale = (layer.criteria.scale, label)
            for criterion in layer.criteria.criteria:
                if criterion.id in criteria:
                    earlier, earlier_label = criteria[criterion.id]
                    if not _keeps_parts(earlier, criterion):
                        problems.append(
                            Problem(
                                label,
                                f"criteria › {criterion.id}",
                                f"redefines '{criterion.id}' with other parts than {earlier_label}"
                                f" ({_parts(criterion)} here, {_parts(earlier)} there); a later "
                                "folder may add parts, or give a criterion rated whole parts "
                                "from an edition on (parts_from), never drop one",
                            )
                        )
                        continue
                    conflicts.append(Conflict(f"criterion {criterion.id}", earlier_label, label))
                criteria[criterion.id] = (criterion, label)
        if layer.editions is not None:
            label = _label(layer.folder, EDITIONS_FILE)
            evidence_hosts.update(dict.fromkeys(layer.editions.evidence_hosts))
            for edition in layer.editions.editions:
                if edition.date in editions and editions[edition.date][1] != label:
                    taken, taken_label = editions[edition.date]
                    if taken.evaluator != edition.evaluator:
                        # one edition per date: taking the date over would put this
                        # evaluator's name on every rating the earlier edition gave that day
                        problems.append(
                            Problem(
                                label,
                                f"editions › {edition.date}",
                                f"{edition.date} is already an edition by {taken.evaluator} "
                                f"({taken_label}); one edition per date: date yours another day",
                            )
                        )
                        continue
                    conflicts.append(Conflict(f"edition {edition.date}", taken_label, label))
                editions[edition.date] = (edition, label)
    declared = set(editions)
    for layer in layers:
        for document, _ in layer.broken_editions:
            entries = document.get("editions")
            for entry in entries if isinstance(entries, list) else ():
                if isinstance(entry, dict) and isinstance(entry.get("date"), dt.date):
                    declared.add(entry["date"])
    has_editions_file = any(layer.broken_editions for layer in layers)
    if not criteria:
        problems.append(Problem(_first(layers), "", f"no {CRITERIA_FILE} in any data folder"))
    if not editions and not has_editions_file:
        problems.append(Problem(_first(layers), "", f"no {EDITIONS_FILE} in any data folder"))
    if not criteria or not (editions or declared):
        return None

    toolkits: dict[str, tuple[RatedToolkit, str]] = {}
    rating_origins: dict[tuple[str, str, dt.date], str] = {}
    for layer in layers:
        for toolkit, label in layer.toolkits:
            ratings: dict[str, dict[dt.date, Assessment]] = {}
            merged: RatedToolkit = toolkit
            if toolkit.id in toolkits:
                # keys the later file sets replace the earlier ones; the rest are inherited
                base, base_label = toolkits[toolkit.id]
                conflicts.append(Conflict(f"toolkit {toolkit.id}", base_label, label))
                ratings = {path: dict(entries) for path, entries in base.ratings.items()}
                given = toolkit.model_fields_set - {"id", "ratings"}
                merged = base.model_copy(update={key: getattr(toolkit, key) for key in given})
            elif toolkit.name is None:
                problems.append(
                    Problem(
                        label,
                        "name",
                        "required key is missing: a new toolkit needs a name (only a file that "
                        "overrides a toolkit of an earlier data folder may give just its id and "
                        "what it changes)",
                    )
                )
                continue
            for path, entries in toolkit.ratings.items():
                for day, assessment in entries.items():
                    key = (toolkit.id, path, day)
                    if key in rating_origins:
                        conflicts.append(
                            Conflict(
                                f"rating {toolkit.id} › {path} › {day}", rating_origins[key], label
                            )
                        )
                    ratings.setdefault(path, {})[day] = assessment
                    rating_origins[key] = label
            toolkits[toolkit.id] = (merged.model_copy(update={"ratings": ratings}), label)
    return _Merged(
        scale=scale[0] if scale else Scale(),
        criteria=criteria,
        editions=editions,
        toolkits=toolkits,
        rating_origins=rating_origins,
        conflicts=conflicts,
        evidence_hosts=tuple(evidence_hosts),
        declared=declared,
        broken=[entry for layer in layers for entry in layer.broken],
    )


def _keeps_parts(earlier: Criterion, later: Criterion) -> bool:
    """A later definition may add parts to a criterion that has parts (a team's own
    `performance.cpu`, say), since every earlier rating stays valid; it may give parts to a
    criterion rated as a whole from an edition on (`parts_from`: the whole ratings before it
    keep their meaning); it may not drop a part, move the date a criterion gained its parts,
    nor give parts to a criterion rated as a whole from the start."""
    before = [p.id for p in earlier.parts]
    after = [p.id for p in later.parts]
    if not before:
        return not after or later.parts_from is not None
    if earlier.parts_from != later.parts_from:
        return False
    return set(before) <= set(after)


def _parts(criterion: Criterion) -> str:
    parts = ", ".join(p.id for p in criterion.parts) or "no parts"
    return parts if criterion.parts_from is None else f"{parts} from {criterion.parts_from}"


def _first(layers: list[_Layer]) -> str:
    return str(layers[0].folder) if len(layers) == 1 else ", ".join(str(x.folder) for x in layers)


def _label(folder: Path, name: str) -> str:
    return str(folder / name)


def _as_written(number: float) -> str:
    """The shortest text that reads back as `number`: 5.0000001 stays 5.0000001, 7.0 is 7."""
    text = repr(number)
    return text[:-2] if text.endswith(".0") else text


def _lookalike_names(merged: _Merged) -> list[Problem]:
    """No two toolkits may share a display name, or names that look alike (same skeleton:
    `TensorFlow`, `tensorflow`, `Tensor Flow`, `T\u0435nsorFlow`): a ranking would show two
    rows that read the same."""
    from .lookalike import skeleton, unambiguous

    problems = []
    shapes: dict[str, Toolkit] = {}
    for toolkit, label in merged.toolkits.values():
        other = shapes.setdefault(skeleton(toolkit.name), toolkit)
        if other is toolkit:
            continue
        how = "is also" if other.name == toolkit.name else "looks like"
        problems.append(
            Problem(
                label,
                "name",
                f"'{unambiguous(toolkit.name)}' {how} the name of toolkit {other.id} "
                f"('{unambiguous(other.name)}'); give it a name of its own",
            )
        )
    return problems


@dataclass(frozen=True)
class _RatingCheck:
    """The checks of a toolkit's ratings that need the other files: a known leaf criterion,
    a declared edition date, a score on the scale. It reads validated ratings and, as far as
    their shape allows, the ratings of a file that did not validate."""

    leaves: frozenset[str]
    parents: dict[str, Criterion]
    declared: set[dt.date]
    scale: Scale
    splits: dict[str, Criterion] = field(default_factory=dict)
    """The leaves of each criterion that gains parts at an edition (`parts_from`): its whole
    path and its parts' paths."""

    def _era(self, path: str, day: Any) -> str | None:
        """Why a rating of `path` cannot be dated `day`: the whole of a criterion from the day
        it gained parts on, or a part before it; None when it can."""
        criterion = self.splits.get(path)
        if criterion is None or criterion.parts_from is None or not isinstance(day, dt.date):
            return None
        start = criterion.parts_from
        parts = ", ".join(f"{criterion.id}.{p.id}" for p in criterion.parts)
        if path == criterion.id and day >= start:
            return (
                f"'{criterion.id}' is rated per part from the edition of {start} on; "
                f"rate {parts} instead"
            )
        if path != criterion.id and day < start:
            return (
                f"'{path}' is a part only from the edition of {start} on; an edition "
                f"before it rates '{criterion.id}' as a whole"
            )
        return None

    def __call__(self, ratings: Any, label_of: Any) -> list[Problem]:
        problems: list[Problem] = []
        known_dates = ", ".join(str(d) for d in sorted(self.declared))
        for path, entries in ratings.items():
            if not isinstance(entries, dict) or not entries:
                continue
            days = sorted(entries, key=str)
            if str(path) not in self.leaves:
                where = _format_loc(("ratings", path))
                if path in self.parents:
                    parts = ", ".join(f"{path}.{p.id}" for p in self.parents[path].parts)
                    message = f"'{path}' has parts; rate {parts}"
                else:
                    message = (
                        f"unknown criterion {shown(str(path))}{suggest(str(path), sorted(self.leaves))} "
                        "(`dlcompare list` shows every criterion)"
                    )
                problems.append(Problem(label_of(path, days[0]), where, message))
                continue  # one message per criterion is enough
            low, high = self.scale.min, self.scale.max
            for n, day in enumerate(days):
                withdrawn, score = _withdrawn_and_score(entries[day])
                undeclared = isinstance(day, dt.date) and day not in self.declared
                first_withdrawn = n == 0 and withdrawn
                off_scale = score is not None and not low <= score <= high
                era = self._era(str(path), day) if self.splits else None
                if not (undeclared or first_withdrawn or off_scale or era):
                    continue  # the common case: nothing to say, nothing to format
                label = label_of(path, day)
                where = _format_loc(("ratings", path, day))
                if era:
                    problems.append(Problem(label, where, era))
                if undeclared:
                    problems.append(
                        Problem(label, where, f"no edition on {day} (editions: {known_dates})")
                    )
                if first_withdrawn:
                    problems.append(Problem(label, where, "withdrawn before it was ever assessed"))
                if off_scale and score is not None:
                    problems.append(
                        Problem(
                            label,
                            f"{where} › score",
                            f"{_as_written(score)} is outside the scale {low:g} to {high:g}",
                        )
                    )
        return problems


def _withdrawn_and_score(assessment: Any) -> tuple[bool, float | None]:
    """`withdrawn` and a usable numeric score of an assessment, validated or as parsed."""
    if isinstance(assessment, Assessment):
        return assessment.withdrawn, assessment.score
    if not isinstance(assessment, dict):
        return False, None
    score = assessment.get("score")
    withdrawn = assessment.get("withdrawn") is True
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        return withdrawn, None
    return withdrawn, float(score)


def cross_check(merged: _Merged) -> list[Problem]:
    """Rules that span files: unique names, known criteria and editions, scores on the scale.
    Each problem names the file that brought the offending value."""
    problems: list[Problem] = []
    names: dict[str, str] = {}  # name -> what owns it, so a name never means two things

    def claim(name: str, owner: str, file: str, where: str) -> None:
        if name in names and names[name] != owner:
            problems.append(Problem(file, where, f"'{name}' already names {names[name]}"))
        else:
            names[name] = owner

    for criterion, label in merged.criteria.values():
        claim(criterion.id, f"criterion {criterion.id}", label, f"criteria › {criterion.id}")
        part_ids = [p.id for p in criterion.parts]
        for j, part_id in enumerate(part_ids):
            if part_ids.index(part_id) != j:
                problems.append(
                    Problem(
                        label, f"criteria › {criterion.id} › parts", f"duplicate part '{part_id}'"
                    )
                )
    for toolkit, label in merged.toolkits.values():
        for where, name in [("id", toolkit.id), *(("aliases", a) for a in toolkit.aliases)]:
            claim(name, f"toolkit {toolkit.id}", label, where)
        for criterion, _ in merged.criteria.values():
            if any(p.id == toolkit.id for p in criterion.parts):
                problems.append(
                    Problem(label, "id", f"'{toolkit.id}' already names a part of {criterion.id}")
                )

    problems += _lookalike_names(merged)

    commits: dict[str, str] = {}
    for edition, label in merged.editions.values():
        for commit in (edition.commit, *edition.also):
            if commit is None:
                continue
            if commit in commits:
                problems.append(
                    Problem(label, f"editions › {edition.date}", f"commit {commit} listed twice")
                )
            commits[commit] = label

    criteria = [c for c, _ in merged.criteria.values()]
    check = _RatingCheck(
        leaves=frozenset(leaf.path for c in criteria for leaf in leaves_of(c)),
        parents={c.id: c for c in criteria if c.parts and c.parts_from is None},
        declared=merged.declared,
        scale=merged.scale,
        splits={
            leaf.path: c for c in criteria if c.parts_from is not None for leaf in leaves_of(c)
        },
    )
    origins = merged.rating_origins
    for toolkit, _ in merged.toolkits.values():
        problems += check(toolkit.ratings, lambda path, day, t=toolkit.id: origins[t, path, day])
    for document, label in merged.broken:
        ratings = document.get("ratings")
        if isinstance(ratings, dict):
            problems += check(ratings, lambda path, day, label=label: label)
    return problems
