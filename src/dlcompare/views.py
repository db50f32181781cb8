"""Building the `show` and `diff` result objects from an evaluation. Pure: no I/O."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from .dataset import Evaluation, InForce, Leaf
from .errors import NotFoundError
from .provenance import difference, not_rated, notes, spans, statuses
from .results.base import (
    TIE_TOLERANCE,
    EditionInfo,
    Freshness,
    Hint,
    LastRated,
    Named,
    NotRated,
    Rating,
    Status,
)
from .results.views import CriterionSplit, DiffRow, RatingsView, ToolkitDiff
from .schema import Criterion, Toolkit

if TYPE_CHECKING:
    from .freshness import Ages


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
    return Rating.model_construct(
        toolkit=toolkit_id,
        criterion=path,
        status=status_of(found),
        score=found.score,
        edition=found.since,
        summary=assessment.summary if assessment else None,
        sources=assessment.sources if assessment else (),
        notes=assessment.notes if assessment else (),
        last_rated=LastRated.model_construct(
            score=found.last_rated[0],
            edition=found.last_rated[1],
            evaluator=evaluation.dataset.edition_by_date[found.last_rated[1]].evaluator,
        )
        if found.last_rated
        else None,
        evaluator=evaluation.dataset.edition_by_date[since].evaluator if since else None,
        origin=evaluation.dataset.origin(toolkit_id, path, since) if since else None,
        age_days=age_days,
        age_years=age_years,
        stale=stale,
        version=assessment.version if assessment else None,
    )


def split_of(criterion: Criterion) -> CriterionSplit:
    """How a criterion that gains parts at an edition (`parts_from`) is split."""
    assert criterion.parts_from is not None
    return CriterionSplit.model_construct(
        criterion=criterion.id,
        parts=tuple(f"{criterion.id}.{p.id}" for p in criterion.parts),
        parts_from=criterion.parts_from,
    )


def _named_toolkits(toolkits: tuple[Toolkit, ...]) -> tuple[Named, ...]:
    return tuple(Named.model_construct(id=t.id, name=t.name) for t in toolkits)


def _named_leaves(leaves: tuple[Leaf, ...]) -> tuple[Named, ...]:
    return tuple(Named.model_construct(id=leaf.path, name=leaf.name) for leaf in leaves)


def _hint(command: str, shows: Literal["successor", "last-rated", "first-rated"]) -> Hint:
    return Hint.model_construct(command=command, shows=shows)


def _as_of(day: object) -> str:
    return f" --as-of {day}"


def _show_hints(evaluation: Evaluation, absent: NotRated) -> tuple[Hint, ...]:
    """Where to look instead of a toolkit the edition does not rate: its successor in this
    edition, and its own latest ratings."""
    hints = []
    successor = absent.successor_id
    if successor is not None and evaluation.rates(successor):
        hints.append(_hint(f"dlcompare show {successor}{_as_when(evaluation)}", "successor"))
    if absent.last_rated is not None:
        command = f"dlcompare show {absent.toolkit}{_as_of(absent.last_rated)}"
        hints.append(_hint(command, "last-rated"))
    return tuple(hints)


def _as_when(evaluation: Evaluation) -> str:
    """`--as-of` for the view's edition, unless it is the latest (the default)."""
    latest = evaluation.dataset.latest
    return "" if evaluation.edition == latest else _as_of(evaluation.edition.date)


def unrated(evaluation: Evaluation) -> tuple[NotRated, ...]:
    """Every toolkit the edition names without scoring it, in id order."""
    return tuple(not_rated(evaluation, t) for t in evaluation.unrated_toolkits)


def _scored(ratings: tuple[Rating, ...]) -> list[tuple[str | None, dt.date | None]]:
    return [(r.evaluator, r.edition) for r in ratings if r.score is not None]


def show(
    evaluation: Evaluation,
    subject: Toolkit | Criterion | Leaf | None,
    ages: Ages | None = None,
) -> RatingsView:
    """Every toolkit on one criterion (its parts side by side), one toolkit on every criterion,
    or (subject None) the whole matrix. Ratings are ordered toolkit-major. With `ages`, the
    edition's and every rating's age, and which scores are stale.

    A criterion or the matrix shows the toolkits the edition scores; those it names without
    scoring are listed in `not_rated` (why, successor, where to look), never left out in
    silence. A toolkit view of such a toolkit lists its unscored cells with the same entry."""
    toolkits = evaluation.rated_toolkits
    leaves = evaluation.leaves
    kind: Literal["criterion", "toolkit", "matrix"] = "matrix"
    subject_id = None
    absent = tuple(
        a.model_copy(update={"hints": _show_hints(evaluation, a)}) for a in unrated(evaluation)
    )
    if isinstance(subject, Toolkit):
        kind, subject_id, toolkits = "toolkit", subject.id, (subject,)
        absent = tuple(a for a in absent if a.toolkit == subject.id)
        if not absent and subject not in evaluation.toolkits:
            absent = _not_yet(evaluation, subject)
    elif isinstance(subject, Criterion):
        kind, subject_id = "criterion", subject.id
        leaves = tuple(leaf for leaf in leaves if leaf.criterion.id == subject.id)
    elif isinstance(subject, Leaf):
        kind, subject_id, leaves = "criterion", subject.path, (subject,)
    ratings = tuple(rating(evaluation, t.id, leaf.path, ages) for t in toolkits for leaf in leaves)
    shown = spans(_scored(ratings), ages)
    by_id = evaluation.dataset.toolkit_by_id
    named = (*toolkits, *(by_id[a.toolkit] for a in absent if a.toolkit != subject_id))
    return RatingsView.model_construct(
        kind=kind,
        subject=subject_id,
        as_of=evaluation.as_of,
        edition=EditionInfo.of(evaluation.edition, ages),
        toolkits=_named_toolkits(tuple(toolkits)),
        criteria=_named_leaves(leaves),
        ratings=ratings,
        freshness=Freshness.of(ages) if ages else None,
        toolkit_status=statuses(evaluation, tuple(t.id for t in named)),
        shown=shown,
        notes=notes(evaluation.dataset, evaluation.edition, (s.evaluator for s in shown)),
        not_rated=absent,
        only_toolkits=evaluation.only,
    )


def _not_yet(evaluation: Evaluation, toolkit: Toolkit) -> tuple[NotRated, ...]:
    """A toolkit that enters the evaluation only after this edition: when, by whom, and the
    command that shows its first ratings."""
    dataset = evaluation.dataset
    first = dataset.first_seen.get(toolkit.id)
    if first is None or first <= evaluation.edition.date:
        return ()
    edition = dataset.edition_by_date[first]
    when = "" if edition == dataset.latest else _as_of(first)
    entry = not_rated(evaluation, toolkit).model_copy(
        update={
            "reason": "not yet in the evaluation",
            "first_rated": first,
            "first_evaluator": edition.evaluator,
            "hints": (_hint(f"dlcompare show {toolkit.id}{when}", "first-rated"),),
        }
    )
    return (entry,)


def require_present(evaluation: Evaluation, toolkit: Toolkit) -> None:
    present = {t.id for t in evaluation.toolkits} | {t.id for t in evaluation.unrated_toolkits}
    if toolkit.id not in present:
        first = evaluation.dataset.first_seen.get(toolkit.id)
        since = f"it enters the evaluation on {first}" if first else "no edition rates it"
        raise NotFoundError(
            f"{toolkit.id} is not in the edition of {evaluation.edition.date}: {since}"
        )


def _diff_hints(
    absent: NotRated,
    index: int,
    sides: tuple[Toolkit, Toolkit],
    evaluations: tuple[Evaluation, Evaluation],
    same_edition: bool,
) -> tuple[Hint, ...]:
    """For a side (`index` 0: left, 1: right) its edition does not rate: the same comparison
    with its successor, and the comparison of the latest edition that rated it (both sides
    there, when both are)."""
    left, right = sides
    hints = []
    evaluation = evaluations[index]
    other = (right, left)[index]
    successor = absent.successor_id
    if successor is not None and successor != other.id and evaluation.rates(successor):
        if same_edition:
            pair = [left.id, right.id]
            pair[index] = successor
            command = f"dlcompare diff {pair[0]} {pair[1]}{_as_when(evaluation)}"
            hints.append(_hint(command, "successor"))
        else:  # each side keeps its own edition
            pair = [f"{t.id}@{e.edition.date}" for t, e in zip(sides, evaluations, strict=True)]
            pair[index] = f"{successor}@{evaluation.edition.date}"
            hints.append(_hint(f"dlcompare diff {pair[0]} {pair[1]}", "successor"))
    if absent.last_rated is not None and other.id != absent.toolkit:
        then = evaluation.dataset.evaluation(evaluation.dataset.edition_by_date[absent.last_rated])
        if then.rates(other.id):
            command = f"dlcompare diff {left.id} {right.id}{_as_of(absent.last_rated)}"
        else:
            command = f"dlcompare show {absent.toolkit}{_as_of(absent.last_rated)}"
        hints.append(_hint(command, "last-rated"))
    return tuple(hints)


def diff(
    evaluation: Evaluation,
    left: Toolkit,
    right: Toolkit,
    ages: Ages | None = None,
    right_evaluation: Evaluation | None = None,
    *,
    leaves: tuple[Leaf, ...] | None = None,
) -> ToolkitDiff:
    """Two toolkits side by side, one row per leaf criterion; no totals or tallies.

    `evaluation` is the left side's edition; `right_evaluation` the right side's (default: the
    same), so one toolkit can be compared with itself at another date. A side whose toolkit is
    not yet in its edition is an error; a side its edition names without scoring (the project
    ended) is shown unscored, with an entry in `not_rated` whose hints compare the successor
    instead and show the latest edition that rated both. When both sides are the same
    toolkit, the labels are `id@edition-date` so that `ahead` still names a side.

    delta = right - left, in decimal arithmetic (exact at the data's precision); scores within
    TIE_TOLERANCE are a tie. `leaves` narrows it to those criteria (default: every leaf).
    """
    other = right_evaluation or evaluation
    require_present(evaluation, left)
    require_present(other, right)
    left_label, right_label = left.id, right.id
    if left.id == right.id:
        left_label = f"{left.id}@{evaluation.edition.date}"
        right_label = f"{right.id}@{other.edition.date}"
    rows = []
    sides = ({leaf.path for leaf in evaluation.leaves}, {leaf.path for leaf in other.leaves})
    # a criterion rated whole on one side and per part on the other: the whole and the parts
    # each get a row, scored on the side that rates them, so no part is set against the whole
    everything = tuple(
        leaf for leaf in evaluation.dataset.leaves if leaf.path in sides[0] | sides[1]
    )
    chosen = everything
    if leaves is not None:
        paths = {leaf.path for leaf in leaves}
        split = {leaf.criterion.id for leaf in leaves if leaf.criterion.parts_from is not None}
        chosen = tuple(
            leaf for leaf in everything if leaf.path in paths or leaf.criterion.id in split
        )
    for leaf in chosen:
        a = rating(evaluation, left.id, leaf.path, ages)
        b = rating(other, right.id, leaf.path, ages)
        missing: list[Literal["left", "right"]] = []
        if leaf.path not in sides[0]:
            missing.append("left")
        if leaf.path not in sides[1]:
            missing.append("right")
        delta = ahead = None
        if a.score is not None and b.score is not None:
            delta = difference(b.score, a.score)
            if abs(delta) <= TIE_TOLERANCE:
                delta, ahead = 0.0, "tie"
            else:
                ahead = right_label if delta > 0 else left_label
        rows.append(
            DiffRow.model_construct(
                criterion=leaf.path,
                left=a.score,
                right=b.score,
                delta=delta,
                ahead=ahead,
                left_rating=a,
                right_rating=b,
                not_in_edition=tuple(missing),
            )
        )
    ids = tuple(dict.fromkeys((left.id, right.id)))
    same_edition = right_evaluation is None or other.edition == evaluation.edition
    absent = []
    for index, (name, side, side_evaluation) in enumerate(
        (("left", left, evaluation), ("right", right, other))
    ):
        if not side_evaluation.rates(side.id):
            entry = not_rated(side_evaluation, side)
            hints = _diff_hints(entry, index, (left, right), (evaluation, other), same_edition)
            absent.append(entry.model_copy(update={"hints": hints, "side": name}))
    ratings = [r for row in rows for r in (row.left_rating, row.right_rating)]
    shown = spans(_scored(tuple(ratings)), ages)
    evaluators = [s.evaluator for s in shown]
    edition_notes = {
        note: None
        for e in dict.fromkeys((evaluation.edition, other.edition))
        for note in notes(evaluation.dataset, e, evaluators)
    }
    return ToolkitDiff.model_construct(
        left=left.id,
        right=right.id,
        left_label=left_label,
        right_label=right_label,
        left_as_of=evaluation.as_of,
        right_as_of=other.as_of,
        left_edition=EditionInfo.of(evaluation.edition, ages),
        right_edition=EditionInfo.of(other.edition, ages),
        toolkits=_named_toolkits((left, right) if left.id != right.id else (left,)),
        criteria=_named_leaves(chosen),
        rows=tuple(rows),
        freshness=Freshness.of(ages) if ages else None,
        toolkit_status=statuses(evaluation, ids),
        shown=shown,
        notes=tuple(sorted(edition_notes, key=lambda n: (n.edition, n.evaluator))),
        not_rated=tuple(absent),
        splits=tuple(
            split_of(leaf.criterion)
            for leaf in chosen
            if leaf.criterion.parts_from is not None
            and not leaf.is_part
            and (leaf.path in sides[0]) != (leaf.path in sides[1])
        ),
        only_criteria=None if leaves is None else tuple(leaf.path for leaf in chosen),
    )
