"""`show` and `diff`: ratings side by side."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ..schema import ProjectStatus
from ..schema_version import SCHEMA_VERSION
from .base import (
    EditionInfo,
    EditionNote,
    EvaluatorSpan,
    Freshness,
    Named,
    NotRated,
    Rating,
    Result,
)


class RatingsView(Result):
    """`show`: one criterion, one toolkit, or the whole matrix."""

    schema_version: int = SCHEMA_VERSION
    kind: Literal["criterion", "toolkit", "matrix"]
    subject: str | None
    as_of: dt.date
    edition: EditionInfo
    toolkits: tuple[Named, ...]
    criteria: tuple[Named, ...]
    ratings: tuple[Rating, ...]
    freshness: Freshness | None = None
    toolkit_status: dict[str, ProjectStatus | None] = {}
    """Whether each toolkit's project still lives (null: the data does not say)."""
    shown: tuple[EvaluatorSpan, ...] = ()
    """Whose scores are shown and how old they are, one entry per evaluator, oldest first."""
    notes: tuple[EditionNote, ...] = ()
    """Edition notes that hold for the ratings shown."""
    not_rated: tuple[NotRated, ...] = ()
    """Toolkits this edition names without scoring them; they are not in `ratings` of a
    criterion or the matrix (a toolkit view lists its unscored cells)."""
    only_toolkits: tuple[str, ...] | None = None
    """The toolkits the view was narrowed to with `--toolkits` (ids, in the order given);
    null: every toolkit."""


class CriterionSplit(Result):
    """A criterion rated whole in the editions before `parts_from` and per part from it on:
    a part's score is never a move from the whole criterion's score."""

    criterion: str
    parts: tuple[str, ...]
    """The parts' leaf paths (`model-deployment.server`)."""
    parts_from: dt.date


class DiffRow(Result):
    criterion: str
    left: float | None
    right: float | None
    delta: float | None
    """right minus left, exact at the data's precision (4.9 and 4.5 give 0.4, not
    0.40000000000000036): how far the right side is above the left; for one toolkit at two
    dates in time order, how its score moved. Null when either side has no score."""
    ahead: str | None
    """Label of the side with the higher score (`left_label` or `right_label`), "tie", or null
    when one side has no score."""
    left_rating: Rating
    right_rating: Rating
    not_in_edition: tuple[Literal["left", "right"], ...] = ()
    """Sides whose edition does not rate this leaf: it rates the criterion whole (a part) or
    per part (the whole criterion); see `ToolkitDiff.splits`."""


class ToolkitDiff(Result):
    """`diff`: two toolkits (or one toolkit at two dates), leaf criterion by leaf criterion.
    Each side has its own edition. Nothing is totalled."""

    schema_version: int = SCHEMA_VERSION
    left: str
    right: str
    left_label: str
    right_label: str
    """The toolkit id, or `id@edition-date` when both sides are the same toolkit."""
    left_as_of: dt.date
    right_as_of: dt.date
    left_edition: EditionInfo
    right_edition: EditionInfo
    toolkits: tuple[Named, ...]
    criteria: tuple[Named, ...]
    rows: tuple[DiffRow, ...]
    freshness: Freshness | None = None
    toolkit_status: dict[str, ProjectStatus | None] = {}
    delta_means: Literal["right - left"] = "right - left"
    """What `delta` is: the right side's score minus the left side's."""
    shown: tuple[EvaluatorSpan, ...] = ()
    notes: tuple[EditionNote, ...] = ()
    not_rated: tuple[NotRated, ...] = ()
    """Sides that their edition names without scoring, with commands to run instead."""
    splits: tuple[CriterionSplit, ...] = ()
    """Criteria one side's edition rates whole and the other's per part: their rows are the
    whole and the parts, each scored on one side only."""
    only_criteria: tuple[str, ...] | None = None
    """The leaf criteria the diff was narrowed to (criteria given after the toolkits), in
    the criteria's order; null: every criterion."""
