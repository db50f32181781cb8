"""Reading one data folder into its validated files (from the cache where it holds a file's
bytes), every problem of every file collected."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import Problem, shown_path
from ..schema import CriteriaFile, EditionsFile, ToolkitFile
from .folders import (
    CRITERIA_FILE,
    EDITIONS_FILE,
    TOOLKITS_DIR,
    file_label,
    link_problem,
    outside_folder,
    toolkit_files,
    unreadable,
)
from .messages import validate_document
from .packing import sane


@dataclass
class Files:
    """Validated files: `known` from the cache (path -> model), `validated` for it."""

    known: dict[str, Any] = field(default_factory=dict)
    validated: dict[str, Any] = field(default_factory=dict)


def _read(
    path: Path,
    model: type[BaseModel],
    label: str,
    files: Files,
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
    outside = outside_folder(path, folder)
    if outside is not None:
        return None, [Problem(label, "", outside)]
    name = str(path)
    found = files.known.get(name)
    if not (isinstance(found, model) and sane(found)):
        from .. import yamlio  # here: a run that finds every file in the cache never loads YAML

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


@dataclass
class Layer:
    """The parsed files of one data folder; None where a file is absent or broken."""

    folder: Path
    criteria: CriteriaFile | None = None
    editions: EditionsFile | None = None
    toolkits: list[tuple[ToolkitFile, str]] = field(default_factory=list)  # (toolkit, file label)
    broken: list[tuple[dict[Any, Any], str]] = field(default_factory=list)
    """Toolkit files that parse but do not validate, as parsed: (document, file label)."""
    broken_editions: list[tuple[dict[Any, Any], str]] = field(default_factory=list)


def read_layer(folder: Path, problems: list[Problem], files: Files) -> Layer:
    problem = unreadable(folder, "data folder")
    if problem is not None:
        problems.append(Problem(shown_path(folder), "", problem))
        return Layer(folder)
    layer = Layer(folder)
    if os.path.lexists(folder / CRITERIA_FILE) and not link_problem(folder / CRITERIA_FILE):
        layer.criteria, found = _read(
            folder / CRITERIA_FILE,
            CriteriaFile,
            file_label(folder, CRITERIA_FILE),
            files,
            folder=folder,
        )
        problems += found
    if os.path.lexists(folder / EDITIONS_FILE) and not link_problem(folder / EDITIONS_FILE):
        layer.editions, found = _read(
            folder / EDITIONS_FILE,
            EditionsFile,
            file_label(folder, EDITIONS_FILE),
            files,
            layer.broken_editions,
            folder=folder,
        )
        problems += found
    toolkit_dir = folder / TOOLKITS_DIR
    problem = unreadable(toolkit_dir, "folder")
    if problem is not None and not problem.startswith("no such"):
        problems.append(Problem(file_label(folder, TOOLKITS_DIR), "", problem))
        return layer
    seen: dict[str, str] = {}
    for path in toolkit_files(folder):
        label = file_label(folder, f"{TOOLKITS_DIR}/{path.name}")
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
