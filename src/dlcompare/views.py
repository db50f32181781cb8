"""Building the `show` and `diff` result objects from an evaluation. Pure: no I/O."""

from __future__ import annotations

from typing import Literal

from .dataset import Evaluation, Leaf
from .results import (
    DiffRow,
    EditionInfo,
    LastRated,
    Named,
    Rating,
    RatingsView,
    Status,
    ToolkitDiff,
)
from .schema import Criterion, Toolkit

TIE_TOLERANCE = 1e-9
"""Scores closer than this are equal: float sums may differ in the last bit."""


def rating(evaluation: Evaluation, toolkit_id: str, path: str) -> Rating:
    found = evaluation.in_force(toolkit_id, path)
    assessment = found.assessment
    if assessment is None:
        status = Status.NOT_COVERED
    elif assessment.withdrawn:
        status = Status.WITHDRAWN
    elif assessment.score is None:
        status = Status.UNRATED
    else:
        status = Status.RATED
    return Rating(
        toolkit=toolkit_id,
        criterion=path,
        status=status,
        score=found.score,
        edition=found.since,
        summary=assessment.summary if assessment else None,
        sources=assessment.sources if assessment else (),
        notes=assessment.notes if assessment else (),
        last_rated=LastRated(score=found.last_rated[0], edition=found.last_rated[1])
        if found.last_rated
        else None,
    )


def _named_toolkits(toolkits: tuple[Toolkit, ...]) -> tuple[Named, ...]:
    return tuple(Named(id=t.id, name=t.name) for t in toolkits)


def _named_leaves(leaves: tuple[Leaf, ...]) -> tuple[Named, ...]:
    return tuple(Named(id=leaf.path, name=leaf.name) for leaf in leaves)


def show(evaluation: Evaluation, subject: Toolkit | Criterion | Leaf | None) -> RatingsView:
    """Every toolkit on one criterion (its parts side by side), one toolkit on every criterion,
    or (subject None) the whole matrix. Ratings are ordered toolkit-major."""
    toolkits = evaluation.toolkits
    leaves = evaluation.leaves
    kind: Literal["criterion", "toolkit", "matrix"] = "matrix"
    subject_id = None
    if isinstance(subject, Toolkit):
        kind, subject_id, toolkits = "toolkit", subject.id, (subject,)
    elif isinstance(subject, Criterion):
        kind, subject_id = "criterion", subject.id
        leaves = tuple(leaf for leaf in leaves if leaf.criterion.id == subject.id)
    elif isinstance(subject, Leaf):
        kind, subject_id, leaves = "criterion", subject.path, (subject,)
    return RatingsView(
        kind=kind,
        subject=subject_id,
        as_of=evaluation.as_of,
        edition=EditionInfo.of(evaluation.edition),
        toolkits=_named_toolkits(toolkits),
        criteria=_named_leaves(leaves),
        ratings=tuple(rating(evaluation, t.id, leaf.path) for t in toolkits for leaf in leaves),
    )


def diff(evaluation: Evaluation, left: Toolkit, right: Toolkit) -> ToolkitDiff:
    """Two toolkits side by side, one row per leaf criterion; no totals or tallies."""
    rows = []
    for leaf in evaluation.leaves:
        a = rating(evaluation, left.id, leaf.path)
        b = rating(evaluation, right.id, leaf.path)
        delta = ahead = None
        if a.score is not None and b.score is not None:
            delta = a.score - b.score
            if abs(delta) <= TIE_TOLERANCE:
                delta, ahead = 0.0, "tie"
            else:
                ahead = left.id if delta > 0 else right.id
        rows.append(
            DiffRow(
                criterion=leaf.path,
                left=a.score,
                right=b.score,
                delta=delta,
                ahead=ahead,
                left_rating=a,
                right_rating=b,
            )
        )
    return ToolkitDiff(
        as_of=evaluation.as_of,
        edition=EditionInfo.of(evaluation.edition),
        left=left.id,
        right=right.id,
        toolkits=_named_toolkits((left, right)),
        criteria=_named_leaves(evaluation.leaves),
        rows=tuple(rows),
    )
