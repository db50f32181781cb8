"""Building the `show` and `diff` result objects from an evaluation. Pure: no I/O."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from .dataset import Evaluation, InForce, Leaf
from .errors import NotFoundError
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

if TYPE_CHECKING:
    from .freshness import Ages

TIE_TOLERANCE = 1e-9
"""Scores closer than this are equal: float sums may differ in the last bit."""


def status_of(found: InForce) -> Status:
    assessment = found.assessment
    if assessment is None:
        return Status.NOT_COVERED
    if assessment.withdrawn:
        return Status.WITHDRAWN
    if assessment.score is None:
        return Status.UNRATED
    return Status.RATED


def rating(evaluation: Evaluation, toolkit_id: str, path: str, ages: Ages | None = None) -> Rating:
    """One toolkit on one leaf as of the evaluation's edition; with `ages`, how old the
    assessment is and whether its score is stale."""
    found = evaluation.in_force(toolkit_id, path)
    assessment = found.assessment
    since = found.since
    age_days = age_years = None
    stale = False
    if ages is not None and since is not None:
        age_days, age_years = ages.days(since), ages.years(since)
        stale = found.score is not None and ages.stale(since)
    return Rating(
        toolkit=toolkit_id,
        criterion=path,
        status=status_of(found),
        score=found.score,
        edition=found.since,
        summary=assessment.summary if assessment else None,
        sources=assessment.sources if assessment else (),
        notes=assessment.notes if assessment else (),
        last_rated=LastRated(score=found.last_rated[0], edition=found.last_rated[1])
        if found.last_rated
        else None,
        evaluator=evaluation.dataset.edition_by_date[since].evaluator if since else None,
        origin=evaluation.dataset.rating_origins.get((toolkit_id, path, since)) if since else None,
        age_days=age_days,
        age_years=age_years,
        stale=stale,
    )


def _named_toolkits(toolkits: tuple[Toolkit, ...]) -> tuple[Named, ...]:
    return tuple(Named(id=t.id, name=t.name) for t in toolkits)


def _named_leaves(leaves: tuple[Leaf, ...]) -> tuple[Named, ...]:
    return tuple(Named(id=leaf.path, name=leaf.name) for leaf in leaves)


def show(
    evaluation: Evaluation,
    subject: Toolkit | Criterion | Leaf | None,
    ages: Ages | None = None,
) -> RatingsView:
    """Every toolkit on one criterion (its parts side by side), one toolkit on every criterion,
    or (subject None) the whole matrix. Ratings are ordered toolkit-major. With `ages`, the
    edition's and every rating's age, and which scores are stale."""
    from .freshness import statuses

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
        edition=EditionInfo.of(evaluation.edition, ages),
        toolkits=_named_toolkits(toolkits),
        criteria=_named_leaves(leaves),
        ratings=tuple(
            rating(evaluation, t.id, leaf.path, ages) for t in toolkits for leaf in leaves
        ),
        freshness=ages.info() if ages else None,
        toolkit_status=statuses(evaluation, tuple(t.id for t in toolkits)),
    )


def _require_present(evaluation: Evaluation, toolkit: Toolkit) -> None:
    if toolkit.id not in {t.id for t in evaluation.toolkits}:
        first = evaluation.dataset.first_seen.get(toolkit.id)
        since = f"it enters the evaluation on {first}" if first else "the source never rates it"
        raise NotFoundError(
            f"{toolkit.id} is not in the edition of {evaluation.edition.date}: {since}"
        )


def diff(
    evaluation: Evaluation,
    left: Toolkit,
    right: Toolkit,
    ages: Ages | None = None,
    right_evaluation: Evaluation | None = None,
) -> ToolkitDiff:
    """Two toolkits side by side, one row per leaf criterion; no totals or tallies.

    `evaluation` is the left side's edition; `right_evaluation` the right side's (default: the
    same), so one toolkit can be compared with itself at another date. A side whose toolkit is
    not yet in its edition is an error. When both sides are the same toolkit, the labels are
    `id@edition-date` so that `ahead` still names a side.
    """
    from .freshness import statuses

    other = right_evaluation or evaluation
    _require_present(evaluation, left)
    _require_present(other, right)
    left_label, right_label = left.id, right.id
    if left.id == right.id:
        left_label = f"{left.id}@{evaluation.edition.date}"
        right_label = f"{right.id}@{other.edition.date}"
    rows = []
    for leaf in evaluation.leaves:
        a = rating(evaluation, left.id, leaf.path, ages)
        b = rating(other, right.id, leaf.path, ages)
        delta = ahead = None
        if a.score is not None and b.score is not None:
            delta = a.score - b.score
            if abs(delta) <= TIE_TOLERANCE:
                delta, ahead = 0.0, "tie"
            else:
                ahead = left_label if delta > 0 else right_label
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
    ids = tuple(dict.fromkeys((left.id, right.id)))
    return ToolkitDiff(
        left=left.id,
        right=right.id,
        left_label=left_label,
        right_label=right_label,
        left_as_of=evaluation.as_of,
        right_as_of=other.as_of,
        left_edition=EditionInfo.of(evaluation.edition, ages),
        right_edition=EditionInfo.of(other.edition, ages),
        toolkits=_named_toolkits((left, right) if left.id != right.id else (left,)),
        criteria=_named_leaves(evaluation.leaves),
        rows=tuple(rows),
        freshness=ages.info() if ages else None,
        toolkit_status=statuses(evaluation, ids),
    )
