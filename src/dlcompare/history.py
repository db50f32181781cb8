"""How ratings moved between editions: one toolkit's timeline (`history`), and what one edition
changed against the one before (`changes`). Both classify a change with `classify`, so they
cannot disagree. Pure: no I/O."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .dataset import Dataset, Evaluation, InForce, Leaf
from .errors import NotFoundError
from .freshness import Ages
from .provenance import notes, spans, statuses
from .results.base import EditionInfo, Freshness, Named, Status
from .results.history import (
    SCORE_CHANGES,
    ChangeKind,
    CriterionHistory,
    EditionChanges,
    HistoryEntry,
    RatingChange,
    ToolkitHistory,
)
from .schema import Assessment, Edition, Toolkit
from .views import split_of, status_of


def classify(
    old_score: float | None, new_score: float | None, *, new_assessment: bool, assessed_before: bool
) -> ChangeKind | None:
    """The kind of change from one edition to the next on one (toolkit, leaf), or None.

    A score that differs is `moved`; a score where there was none is `added`; a score that is
    gone is `withdrawn`. Otherwise, an assessment that starts at this edition is `revised`
    (something was assessed before) or `unrated` (first assessed, without a score); with no
    new assessment nothing changed. Scores compare exactly: they are the source's numbers.
    """
    if old_score is not None and new_score is not None and old_score != new_score:
        return ChangeKind.MOVED
    if old_score is None and new_score is not None:
        return ChangeKind.ADDED
    if old_score is not None and new_score is None:
        return ChangeKind.WITHDRAWN
    if not new_assessment:
        return None
    return ChangeKind.REVISED if assessed_before else ChangeKind.UNRATED


def _score(assessment: Assessment) -> float | None:
    return None if assessment.withdrawn else assessment.score


def _named_leaves(leaves: Sequence[Leaf]) -> tuple[Named, ...]:
    return tuple(Named(id=leaf.path, name=leaf.name) for leaf in leaves)


def _named_toolkits(toolkits: Sequence[Toolkit]) -> tuple[Named, ...]:
    return tuple(Named(id=t.id, name=t.name) for t in toolkits)


def edition_changes(
    dataset: Dataset,
    edition: Edition,
    ages: Ages | None = None,
    toolkits: Sequence[str] | None = None,
    leaves: Sequence[Leaf] | None = None,
) -> EditionChanges:
    """Every (toolkit, leaf) whose standing differs from the previous edition, classified by
    `classify`; for the first edition, everything it assesses. Ordered by toolkit id, then
    criterion in the criteria's order. `toolkits` (ids) and `leaves` narrow it: only their
    changes are listed and counted."""
    index = dataset.editions.index(edition)
    now = dataset.evaluation(edition, None)
    if toolkits is not None:
        now = dataclasses.replace(now, only=tuple(toolkits))
    chosen = tuple(leaves) if leaves is not None else dataset.leaves
    before = dataset.evaluation(dataset.editions[index - 1]) if index > 0 else None
    present_before = {t.id for t in before.toolkits} if before else set()
    nothing = InForce(None, None, None)
    changes = []
    rated_now = {leaf.path for leaf in now.leaves}
    for toolkit in now.toolkits:
        for leaf in chosen:
            if leaf.path not in rated_now:
                continue  # split into parts here (`splits`), or a part of a later edition
            new = now.in_force(toolkit.id, leaf.path)
            old = before.in_force(toolkit.id, leaf.path) if before else nothing
            kind = classify(
                old.score,
                new.score,
                new_assessment=new.since == edition.date,
                assessed_before=old.assessment is not None,
            )
            if kind is None:
                continue
            changes.append(
                RatingChange(
                    toolkit=toolkit.id,
                    criterion=leaf.path,
                    change=kind,
                    old_score=old.score,
                    new_score=new.score,
                    old_status=status_of(old),
                    new_status=status_of(new),
                    summary=new.assessment.summary if new.assessment else None,
                    sources=new.assessment.sources if new.assessment else (),
                )
            )
    ids = tuple(t.id for t in now.toolkits)
    return EditionChanges(
        edition=EditionInfo.of(edition, ages),
        previous=EditionInfo.of(before.edition, ages) if before else None,
        toolkits_added=tuple(i for i in ids if i not in present_before),
        score_changes=sum(1 for c in changes if c.change in SCORE_CHANGES),
        changes=tuple(changes),
        toolkits=_named_toolkits(now.toolkits),
        criteria=_named_leaves(
            [leaf for leaf in dataset.leaves_until(edition.date) if leaf in chosen]
        ),
        freshness=Freshness.of(ages) if ages else None,
        toolkit_status=statuses(now, ids),
        notes=notes(dataset, edition),
        splits=tuple(
            split_of(c)
            for c in dataset.splits
            if before is not None
            and c.parts_from is not None
            and before.edition.date < c.parts_from <= edition.date
        ),
        only_toolkits=now.only,
        only_criteria=None if leaves is None else tuple(leaf.path for leaf in chosen),
    )


def ratings_changed(dataset: Dataset, edition: Edition) -> int:
    """How many (toolkit, leaf) scores differ from the previous edition: moved, newly given or
    withdrawn. For the first edition, every score it gives."""
    return edition_changes(dataset, edition).score_changes


def toolkit_history(
    evaluation: Evaluation,
    toolkit: Toolkit,
    leaves: Sequence[Leaf] | None = None,
    ages: Ages | None = None,
) -> ToolkitHistory:
    """Each assessment of `toolkit` on each leaf (default: every leaf), oldest first, up to the
    evaluation's edition, with the kind of change each one made (see `classify`) and whose it
    is: the history runs across evaluators (the source's editions, then ours), and an entry
    whose evaluator differs from the one before is that evaluator's own view."""
    dataset = evaluation.dataset
    edition = evaluation.edition
    first = dataset.first_seen.get(toolkit.id)
    if first is None or first > edition.date:
        since = f"it enters the evaluation on {first}" if first else "no edition rates it"
        raise NotFoundError(f"{toolkit.id} has no history as of {edition.date}: {since}")
    # the leaves some edition up to this one rates: a criterion that gained parts by then has
    # its whole (up to the split) and its parts (from it), each with a timeline of its own
    ever = {leaf.path for leaf in dataset.leaves_until(edition.date)}
    chosen = tuple(leaf for leaf in (leaves or dataset.leaves) if leaf.path in ever)
    split_paths = {leaf.path for leaf in chosen if _split_here(leaf, edition)}
    history = []
    for leaf in chosen:
        timeline = dataset.timeline(toolkit.id, leaf.path)
        entries: list[HistoryEntry] = []
        if timeline is not None:
            previous: Assessment | None = None
            previous_by: str | None = None
            for day, assessment in zip(timeline.dates, timeline.assessments, strict=True):
                if day > edition.date:
                    break
                old_score = _score(previous) if previous else None
                score = _score(assessment)
                kind = classify(
                    old_score, score, new_assessment=True, assessed_before=previous is not None
                )
                assert kind is not None  # a new assessment always classifies
                evaluator = dataset.edition_by_date[day].evaluator
                entries.append(
                    HistoryEntry(
                        edition=day,
                        change=kind,
                        status=_status(assessment),
                        score=score,
                        previous_score=old_score,
                        summary=assessment.summary,
                        sources=assessment.sources,
                        notes=assessment.notes,
                        age_days=ages.days(day) if ages else None,
                        age_years=ages.years(day) if ages else None,
                        stale=bool(ages and score is not None and ages.stale(day)),
                        evaluator=evaluator,
                        previous_evaluator=previous_by,
                        version=assessment.version,
                    )
                )
                previous, previous_by = assessment, evaluator
        history.append(
            CriterionHistory(
                criterion=leaf.path,
                entries=tuple(entries),
                split=split_of(leaf.criterion) if leaf.path in split_paths else None,
            )
        )
    shown = spans(
        ((e.evaluator, e.edition) for item in history for e in item.entries if e.score is not None),
        ages,
    )
    return ToolkitHistory(
        toolkit=toolkit.id,
        as_of=evaluation.as_of,
        edition=EditionInfo.of(edition, ages),
        first_edition=first,
        toolkits=_named_toolkits((toolkit,)),
        criteria=_named_leaves(chosen),
        history=tuple(history),
        freshness=Freshness.of(ages) if ages else None,
        toolkit_status=statuses(evaluation, (toolkit.id,)),
        shown=shown,
        notes=notes(dataset, edition, (s.evaluator for s in shown)),
    )


def _split_here(leaf: Leaf, edition: Edition) -> bool:
    """Whether the leaf's criterion gained parts at an edition up to `edition`."""
    start = leaf.criterion.parts_from
    return start is not None and start <= edition.date


def _status(assessment: Assessment) -> Status:
    return status_of(InForce(assessment, None, None))
