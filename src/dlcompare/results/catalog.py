"""`list`, `editions`, `validate` and `method`: what the data holds, and whether it holds up."""

from __future__ import annotations

import datetime as dt

from ..schema import ProjectStatus
from ..schema_version import SCHEMA_VERSION
from .base import EditionInfo, EditionNote, Freshness, Result


class CriterionInfo(Result):
    id: str
    name: str
    description: str
    parts: tuple[CriterionInfo, ...] = ()
    """The parts the edition rates (none for a criterion it rates whole)."""
    parts_from: dt.date | None = None
    """The edition date from which the criterion is rated per part (whole before it)."""


class ToolkitInfo(Result):
    id: str
    name: str
    aliases: tuple[str, ...]
    homepage: str | None
    repository: str | None
    first_edition: dt.date | None
    origin: str | None = None
    """The data file the toolkit was read from."""
    status: ProjectStatus | None = None
    rated: bool = True
    """False: the data holds no rating of it yet (e.g. just written by `new toolkit`)."""


class Catalog(Result):
    """`list`: the criteria tree and the toolkits present in an edition."""

    schema_version: int = SCHEMA_VERSION
    as_of: dt.date
    edition: EditionInfo
    scale: tuple[float, float]
    criteria: tuple[CriterionInfo, ...]
    toolkits: tuple[ToolkitInfo, ...]
    freshness: Freshness | None = None
    layers: tuple[str, ...] = ()
    """With --verbose: the data folders in use, in layering order."""
    conflicts: tuple[ConflictInfo, ...] = ()
    """With --verbose: definitions a later data folder replaced."""
    notes: tuple[EditionNote, ...] = ()
    """The edition notes in force: its evaluator's, up to this edition."""


class ConflictInfo(Result):
    what: str
    """e.g. "toolkit tensorflow", "rating tensorflow › interfaces › 2026-11-26"."""
    replaced: str
    """The file whose definition was replaced."""
    used: str
    """The file whose definition is used."""


class EditionRow(Result):
    date: dt.date
    commit: str | None
    also: tuple[str, ...]
    url: str | None
    evaluator: str
    summary: str
    notes: tuple[str, ...] = ()
    ratings_changed: int
    """Scores that moved, appeared or were withdrawn against the previous edition."""
    method: str | None = None
    """The edition's method page, a file of this repository (`docs/method.md`)."""


class EditionList(Result):
    """`editions`: every edition, oldest first."""

    schema_version: int = SCHEMA_VERSION
    editions: tuple[EditionRow, ...]


class ProblemInfo(Result):
    file: str
    where: str
    """The key path in the file: `ratings › interfaces › 2015-12-07 › score`."""
    message: str
    line: int | None = None
    """The line of `where` in the file (1-based); null where not known."""


class ValidationReport(Result):
    """`validate`: every problem found in a data folder (none when it is clean)."""

    schema_version: int = SCHEMA_VERSION
    folder: str
    ok: bool
    problems: tuple[ProblemInfo, ...]
    warnings: tuple[ProblemInfo, ...] = ()
    """Findings that do not fail the check: sources that are not primary evidence (unless
    `--strict` made them problems), and things that load but are probably not meant (the
    template's placeholder evaluator left in place); they do not make `ok` false."""


class MethodDocument(Result):
    """`method`: how dlcompare's own editions are rated, as the repository keeps it."""

    schema_version: int = SCHEMA_VERSION
    path: str
    """The file in the repository (`docs/method.md`); it is shipped inside the package."""
    text: str
    """The document, in Markdown."""
