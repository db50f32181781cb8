"""Layout of `history` (one toolkit's ratings across editions) and `changes` (what one
edition changed)."""

from __future__ import annotations

from collections.abc import Sequence

from ..results.base import Status, format_score
from ..results.history import ChangeKind, EditionChanges, HistoryEntry, ToolkitHistory
from ..results.views import CriterionSplit
from .blocks import Block, Cell, Column, Document, Heading, Paragraph, Table
from .common import (
    References,
    add_header,
    edition_line,
    freshness_line,
    labelled,
    names_of,
    note_lines,
    only_line,
    part_names,
    score_style,
    shown_lines,
    stale_marked,
    status_table,
)


def _entry_score(entry: HistoryEntry, first: bool) -> Cell:
    """The score at this edition, and what it was before when the score changed."""
    if entry.score is None:
        text = {Status.WITHDRAWN: "dropped", Status.UNRATED: "no score"}.get(entry.status, "")
    else:
        text = stale_marked(format_score(entry.score), entry.stale)
    before = None
    if entry.previous_evaluator is not None and entry.previous_evaluator != entry.evaluator:
        pass  # another evaluator's view, not a revision: no "was"; the row names whose it is
    elif (
        entry.change in (ChangeKind.MOVED, ChangeKind.WITHDRAWN)
        and entry.previous_score is not None
    ):
        before = f"was {format_score(entry.previous_score)}"
    elif entry.change is ChangeKind.ADDED and not first:
        before = "newly rated"
    elif entry.change is ChangeKind.REVISED and entry.status is not Status.WITHDRAWN:
        before = "text revised"
    if before:
        text = f"{text} ({before})"
    return Cell(text, score_style(entry.score))


def timeline(entries: Sequence[HistoryEntry]) -> str:
    """The steps of one rating, each evaluator's run of editions on its own:
    '4.9 (2015-11-20) → 4.5 from 2015-12-02 to 2016-12-06, by zer0n/deepframeworks; then 4.0
    (2026-12-03), by dlcompare'. Two evaluators' scores read as two views, never as one moving
    score; a score an evaluator kept over several editions is one span, never "4.5 → 4.5"."""
    runs: list[tuple[str | None, list[tuple[str, list[str]]]]] = []
    for entry in entries:
        if entry.score is not None:
            value = format_score(entry.score)
        else:
            value = {Status.WITHDRAWN: "dropped", Status.UNRATED: "no score"}.get(entry.status, "")
        if not runs or runs[-1][0] != entry.evaluator:
            runs.append((entry.evaluator, []))
        steps = runs[-1][1]
        if steps and steps[-1][0] == value:
            steps[-1][1].append(str(entry.edition))
        else:
            steps.append((value, [str(entry.edition)]))

    def step(value: str, dates: list[str]) -> str:
        if len(dates) == 1:
            return f"{value} ({dates[0]})"
        return f"{value} from {dates[0]} to {dates[-1]}"

    parts = [
        " → ".join(step(value, dates) for value, dates in steps) + (f", by {who}" if who else "")
        for who, steps in runs
    ]
    return "; then ".join(parts)


def _split_line(path: str, split: CriterionSplit, criteria: dict[str, str]) -> str:
    """What a leaf of a criterion that gained parts at an edition covers in this history."""
    whole = criteria.get(split.criterion, split.criterion)
    if path == split.criterion:
        parts = part_names(split, criteria)
        return (
            f"Rated whole up to the edition of {split.parts_from}; from it on rated per part "
            f"({parts})."
        )
    return (
        f"A part from the edition of {split.parts_from} on; the editions before it rated "
        f"{whole} whole, and a part's score is no move from the whole's."
    )


def toolkit_history(result: ToolkitHistory, *, verbose: bool = False) -> Document:
    """One line per criterion, its timeline; with `verbose`, the reasoning at every step, the
    project status and the sources."""
    doc = Document()
    names = names_of(result.toolkits)
    criteria = names_of(result.criteria)
    status = result.toolkit_status
    name = labelled(names[result.toolkit], status.get(result.toolkit))
    add_header(
        doc,
        Heading(f"{name}: rating history"),
        edition_line(result.as_of, result.edition),
        *shown_lines(result.shown, result.notes, result.freshness),
    )
    if not verbose:
        for item in result.history:
            steps = timeline(item.entries) if item.entries else "not covered in any edition"
            if item.split is not None:
                steps += (
                    f" (rated per part from {item.split.parts_from} on)"
                    if item.criterion == item.split.criterion
                    else f" (a part from {item.split.parts_from} on)"
                )
            doc.add(Paragraph(f"{criteria[item.criterion]}: {steps}"))
        doc.add(Paragraph("-v adds the reasoning at every step.", "dim"))
        return doc
    evaluators = {e.evaluator for item in result.history for e in item.entries}
    refs = References()
    for item in result.history:
        doc.add(Heading(criteria[item.criterion]))
        if item.split is not None:
            doc.add(Paragraph(_split_line(item.criterion, item.split, criteria), "yellow"))
        if not item.entries:
            doc.add(Paragraph("Not covered by the source in any edition.", "dim"))
            continue
        doc.add(Paragraph(timeline(item.entries)))
        rows = []
        for n, entry in enumerate(item.entries):
            reason = entry.summary
            if entry.version:
                reason += f" (judged on version {entry.version})"
            if entry.sources:
                reason += f" {refs.cite(entry.sources)}"
            when = str(entry.edition)
            if len(evaluators) > 1 and entry.evaluator:
                when += f"\n{entry.evaluator}"
            rows.append((Cell(when), _entry_score(entry, n == 0), Cell(reason)))
        doc.add(
            Table(
                (
                    Column("Edition", no_wrap=True),
                    Column("Score", no_wrap=True),
                    Column("Reasoning at that edition", ratio=1),
                ),
                tuple(rows),
            )
        )
    doc.add(*status_table(names, status, refs))
    doc.add(refs.block())
    return doc


_GROUPS = (
    ("Scores moved", (ChangeKind.MOVED,)),
    ("Scores added", (ChangeKind.ADDED,)),
    ("Scores withdrawn", (ChangeKind.WITHDRAWN,)),
    (
        "Reasoning revised or newly discussed, score unchanged",
        (ChangeKind.REVISED, ChangeKind.UNRATED),
    ),
)


def _compact_changes(result: EditionChanges) -> list[Block]:
    """Each kind of change as one row per toolkit, listing its criteria with the scores: the
    whole edition at a glance, the reasoning left to -v."""
    names = names_of(result.toolkits)
    criteria = names_of(result.criteria)
    blocks: list[Block] = []
    for title, kinds in _GROUPS:
        by_toolkit: dict[str, list[str]] = {}
        for c in result.changes:
            if c.change not in kinds:
                continue
            old = _score_or(c.old_score, c.old_status)
            new = _score_or(c.new_score, c.new_status)
            what = criteria[c.criterion]
            if c.change is ChangeKind.MOVED:
                text = f"{what} {old} → {new}"
            elif c.change is ChangeKind.ADDED:
                text = f"{what} {new}"
            elif c.change is ChangeKind.WITHDRAWN:
                text = f"{what} (was {old})"
            else:
                text = what
            by_toolkit.setdefault(c.toolkit, []).append(text)
        if not by_toolkit:
            continue
        rows = []
        for toolkit, items in by_toolkit.items():
            every = kinds == (ChangeKind.WITHDRAWN,) and len(items) == len(result.criteria) > 1
            if every:
                text = f"every criterion ({len(items)})"
            elif kinds == (ChangeKind.ADDED,) and toolkit in result.toolkits_added:
                # a toolkit new in this edition: its scores are a view of their own
                text = f"{len(items)} scores, its first: dlcompare show {toolkit}"
            else:
                text = "; ".join(items)
            rows.append((Cell(names[toolkit]), Cell(text)))
        count = sum(len(items) for items in by_toolkit.values())
        blocks += [
            Heading(f"{title} ({count})"),
            Table((Column("Toolkit"), Column("Criteria", ratio=1)), tuple(rows)),
        ]
    if not result.changes:
        added = any(note.edition == result.edition.date for note in result.notes)
        blocks.append(
            Paragraph(
                "No rating or reasoning changed; the edition added the note above."
                if added
                else "Nothing changed.",
                "dim",
            )
        )
    return blocks


def _score_or(score: float | None, status: Status) -> str:
    if score is not None:
        return format_score(score)
    return {Status.WITHDRAWN: "dropped", Status.UNRATED: "no score"}.get(status, "none")


def edition_changes(result: EditionChanges, *, verbose: bool = False) -> Document:
    """One line per toolkit and kind of change; with `verbose`, one row per change with the
    reasoning now, the project status and the sources."""
    doc = Document()
    names = names_of(result.toolkits)
    criteria = names_of(result.criteria)
    previous = f" against {result.previous.date}" if result.previous else " (the first edition)"
    add_header(
        doc,
        Heading(f"Changes in the edition of {result.edition.date}{previous}"),
        edition_line(result.edition.date, result.edition),
        freshness_line(result.edition, result.freshness),
        Paragraph(f"{result.score_changes} score(s) moved, added or withdrawn."),
    )
    added = [note for note in result.notes if note.edition == result.edition.date]
    doc.add(
        *note_lines([note for note in result.notes if note not in added]),
        *(
            Paragraph(f"Note added in this edition by {note.evaluator}: {note.text}", "yellow")
            for note in added
        ),
    )
    before = result.previous
    if before is not None and before.evaluator != result.edition.evaluator:
        doc.add(
            Paragraph(
                f"This edition is by {result.edition.evaluator}, the one before by "
                f"{before.evaluator}: a score 'moved' below is another evaluator's view "
                "set beside the earlier one, not a revision of it.",
                "yellow",
            )
        )
    narrowed = only_line(result.only_toolkits, names)
    if narrowed is not None:
        doc.add(narrowed)
    if result.only_criteria is not None:
        chosen = ", ".join(criteria[c] for c in result.only_criteria)
        doc.add(Paragraph(f"Only the criteria asked for (--criteria): {chosen}.", "dim"))
    if result.toolkits_added:
        new = ", ".join(names[t] for t in result.toolkits_added)
        doc.add(Paragraph(f"Toolkits added: {new}"))
    for split in result.splits:
        parts = part_names(split, criteria)
        doc.add(
            Paragraph(
                f"{criteria[split.criterion]} is rated per part from this edition on ({parts}); "
                "the editions before rated it whole. Its parts' scores are listed as added, "
                "not as moves from the whole criterion's score.",
                "yellow",
            )
        )
    if not verbose:
        doc.add(*_compact_changes(result))
        if result.changes:
            doc.add(
                Paragraph(
                    "-v adds the reasoning behind each change; --toolkits and --criteria "
                    "narrow the list.",
                    "dim",
                )
            )
        return doc
    refs = References()
    for title, kinds in _GROUPS:
        rows = tuple(
            (
                Cell(names[c.toolkit]),
                Cell(criteria[c.criterion]),
                Cell(
                    _score_or(c.old_score, c.old_status)
                    if c.change is not ChangeKind.UNRATED
                    else ""
                ),
                Cell(_score_or(c.new_score, c.new_status)),
                Cell((c.summary or "") + (f" {refs.cite(c.sources)}" if c.sources else "")),
            )
            for c in result.changes
            if c.change in kinds
        )
        if not rows:
            continue
        doc.add(Heading(title))
        doc.add(
            Table(
                (
                    Column("Toolkit"),
                    Column("Criterion", ratio=2),
                    Column("Was", no_wrap=True),
                    Column("Now", no_wrap=True),
                    Column("Reasoning now", ratio=5),
                ),
                rows,
            )
        )
    if not result.changes:
        doc.add(
            Paragraph(
                "No rating or reasoning changed; the edition added the note above."
                if added
                else "Nothing changed.",
                "dim",
            )
        )
    doc.add(*status_table(names, result.toolkit_status, refs))
    doc.add(refs.block())
    return doc
