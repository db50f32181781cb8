"""`history` and `changes`: ratings across editions."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from ..schema import ProjectStatus
from ..schema_version import SCHEMA_VERSION
from .base import (
    EditionInfo,
    EditionNote,
    EvaluatorSpan,
    Freshness,
    Named,
    Result,
    Status,
)
from .views import CriterionSplit


class ChangeKind(StrEnum):
    """How one toolkit's standing on one leaf differs from the edition before."""

    MOVED = "moved"
    """A score replaced by a different score."""
    ADDED = "added"
    """A score where there was none (new toolkit, newly rated, or rated again)."""
    WITHDRAWN = "withdrawn"
    """A score that is no longer given (dropped, or discussed without a rating)."""
    REVISED = "revised"
    """A new assessment that keeps the score (or the lack of one): new reasoning or status."""
    UNRATED = "unrated"
    """First assessed, but without a score."""


SCORE_CHANGES = frozenset({ChangeKind.MOVED, ChangeKind.ADDED, ChangeKind.WITHDRAWN})


class HistoryEntry(Result):
    """One assessment in a toolkit's timeline on one leaf, in force from `edition` on."""

    edition: dt.date
    change: ChangeKind
    status: Status
    score: float | None
    previous_score: float | None
    """The score in force just before this edition, if any."""
    summary: str
    """Our summary of the source's reasoning at this edition: the reason for the change,
    as far as the source gives one."""
    sources: tuple[str, ...]
    notes: tuple[str, ...]
    age_days: int | None = None
    age_years: float | None = None
    stale: bool = False
    evaluator: str | None = None
    """Whose assessment this is: the evaluator of its edition."""
    previous_evaluator: str | None = None
    """Whose assessment was in force before; when it differs from `evaluator`, this entry is
    another evaluator's view, not a revision."""
    version: str | None = None
    """The toolkit version the assessment was judged on, when its data names one."""


class CriterionHistory(Result):
    criterion: str
    entries: tuple[HistoryEntry, ...]
    """Oldest first; empty when the source never covers this toolkit on this criterion."""
    split: CriterionSplit | None = None
    """When this leaf is the whole or a part of a criterion that gained parts at an edition
    up to the history's: the whole's entries end there, the parts' begin there."""


class ToolkitHistory(Result):
    """`history`: how each rating of one toolkit changed across editions."""

    schema_version: int = SCHEMA_VERSION
    toolkit: str
    as_of: dt.date
    edition: EditionInfo
    """The latest edition the history runs up to."""
    first_edition: dt.date | None
    toolkits: tuple[Named, ...]
    criteria: tuple[Named, ...]
    history: tuple[CriterionHistory, ...]
    freshness: Freshness | None = None
    toolkit_status: dict[str, ProjectStatus | None] = {}
    shown: tuple[EvaluatorSpan, ...] = ()
    notes: tuple[EditionNote, ...] = ()


class RatingChange(Result):
    toolkit: str
    criterion: str
    change: ChangeKind
    old_score: float | None
    new_score: float | None
    old_status: Status
    new_status: Status
    summary: str | None
    """Our summary of the reasoning in force after the change."""
    sources: tuple[str, ...]


class EditionChanges(Result):
    """`changes`: what one edition changed against the previous one."""

    schema_version: int = SCHEMA_VERSION
    edition: EditionInfo
    previous: EditionInfo | None
    """Null for the first edition: everything in it is new."""
    toolkits_added: tuple[str, ...]
    score_changes: int
    """How many changes moved, added or withdrawn a score (the `editions` count)."""
    changes: tuple[RatingChange, ...]
    """Ordered by toolkit, then criterion in the criteria's order."""
    toolkits: tuple[Named, ...]
    criteria: tuple[Named, ...]
    freshness: Freshness | None = None
    toolkit_status: dict[str, ProjectStatus | None] = {}
    notes: tuple[EditionNote, ...] = ()
    """The notes in force at this edition (its evaluator's, up to it). Those dated this
    edition are what it added: a notice changes no rating, but it is a change."""
    splits: tuple[CriterionSplit, ...] = ()
    """Criteria rated per part from this edition on (whole before): their parts' scores are
    `added`, never a move from the whole criterion's score."""
    only_toolkits: tuple[str, ...] | None = None
    """The toolkits the changes were narrowed to with `--toolkits` (null: every toolkit);
    `changes`, `toolkits_added` and `score_changes` then hold for those only."""
    only_criteria: tuple[str, ...] | None = None
    """The leaf criteria the changes were narrowed to with `--criteria` (null: all)."""
