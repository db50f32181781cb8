"""Layout of `diff`: two toolkits (or one toolkit at two dates) criterion by criterion."""

from __future__ import annotations

from ..results.base import NotRated, Rating, format_score
from ..results.views import CriterionSplit, ToolkitDiff
from .blocks import Cell, Column, Document, Heading, Paragraph, Table
from .common import (
    References,
    add_header,
    edition_line,
    labelled,
    names_of,
    not_rated_cell,
    not_rated_line,
    part_names,
    reasoning_text,
    score_cell,
    shown_lines,
    status_table,
)


def _delta(value: float | None) -> str:
    """A difference at the data's precision, signed: +2.0, -0.4, 0."""
    if value is None:
        return ""
    if value == 0:
        return "0"
    return f"{'+' if value > 0 else '-'}{format_score(abs(value))}"


def _delta_line(result: ToolkitDiff, names: dict[str, str]) -> Paragraph:
    """What Δ is, in the words of this diff."""
    left, right = result.left_edition.date, result.right_edition.date
    left_by, right_by = result.left_edition.evaluator, result.right_edition.evaluator
    if left_by != right_by:
        text = (
            f"Δ = right minus left: {right_by}'s score ({right}) minus {left_by}'s ({left}); "
            "two evaluators' views, not one score that moved."
        )
    elif result.left != result.right:
        a, b = names[result.left], names[result.right]
        text = f"Δ = right minus left: {b}'s score minus {a}'s (+ means {b} is ahead)."
    elif left < right:
        text = (
            f"Δ = right minus left: how {names[result.left]}'s score moved from {left} to "
            f"{right} (+ means it rose)."
        )
    elif left > right:
        text = (
            f"Δ = right minus left: {names[result.left]}'s score on {right} minus its score on "
            f"{left}; the right side is the earlier one, so + means it fell since."
        )
    else:
        text = "Δ = right minus left (the same edition on both sides)."
    return Paragraph(text, "dim")


def _split_line(split: CriterionSplit, criteria: dict[str, str]) -> str:
    parts = part_names(split, criteria)
    return (
        f"{criteria[split.criterion]} is rated whole before the edition of "
        f"{split.parts_from} and per part from it on ({parts}): one side has the whole, the "
        "other the parts, and a part's score is no move from the whole's."
    )


def _not_in_edition(whole: bool) -> str:
    return "per part (below)" if whole else "rated whole (above)"


def toolkit_diff(result: ToolkitDiff, *, verbose: bool = False) -> Document:
    """The scores side by side with Δ; with `verbose`, each criterion's two reasonings
    together, then both toolkits' project status and the sources."""
    doc = Document()
    names = names_of(result.toolkits)
    criteria = names_of(result.criteria)
    status = result.toolkit_status
    left = labelled(names[result.left], status.get(result.left), "\n")
    right = labelled(names[result.right], status.get(result.right), "\n")
    sides = {result.left_label: names[result.left], result.right_label: names[result.right]}
    shown = shown_lines(result.shown, result.notes, result.freshness)
    two_evaluators = result.left_edition.evaluator != result.right_edition.evaluator
    if result.left_edition.date != result.right_edition.date:
        if result.left == result.right:
            heading = f"{left}: {result.left_edition.date} vs {result.right_edition.date}"
            left, right = str(result.left_edition.date), str(result.right_edition.date)
            sides = {result.left_label: left, result.right_label: right}
        else:
            left = f"{left}\n@ {result.left_edition.date}"
            right = f"{right}\n@ {result.right_edition.date}"
            heading = " vs ".join(side.replace("\n", " ") for side in (left, right))
        if two_evaluators:  # two people's ratings side by side: each column says whose
            left = f"{left}\n({result.left_edition.evaluator})"
            right = f"{right}\n({result.right_edition.evaluator})"
        add_header(
            doc,
            Heading(heading.replace("\n", " ")),
            edition_line(result.left_as_of, result.left_edition, "Left: "),
            edition_line(result.right_as_of, result.right_edition, "Right: "),
            *shown,
        )
    else:
        add_header(
            doc,
            Heading(f"{left} vs {right}".replace("\n", " ")),
            edition_line(result.left_as_of, result.left_edition),
            *shown,
        )
    doc.add(_delta_line(result, names))
    doc.add(*(Paragraph(_split_line(split, criteria), "yellow") for split in result.splits))
    unrated: dict[str, NotRated] = {e.side: e for e in result.not_rated if e.side}
    wholes = {split.criterion for split in result.splits}
    elsewhere = {(row.criterion, side) for row in result.rows for side in row.not_in_edition}

    def cell(rating: Rating, side: str) -> Cell:
        if (rating.criterion, side) in elsewhere:
            return Cell(_not_in_edition(rating.criterion in wholes), "dim")
        entry = unrated.get(side)
        if entry is not None and rating.score is None:
            return not_rated_cell(entry)
        return score_cell(rating, False)

    rows = []
    sides["tie"] = "tie"
    for row in result.rows:
        ahead = sides.get(row.ahead or "", "")
        rows.append(
            (
                Cell(criteria[row.criterion]),
                cell(row.left_rating, "left"),
                cell(row.right_rating, "right"),
                Cell(_delta(row.delta), "dim" if row.delta is None else ""),
                Cell(ahead),
            )
        )
    doc.add(
        Table(
            (
                Column("Criterion", ratio=3),
                Column(left, ratio=2),
                Column(right, ratio=2),
                Column("Δ", justify="right", no_wrap=True),
                Column("Ahead", ratio=1),
            ),
            tuple(rows),
        )
    )
    doc.add(*(not_rated_line(entry) for entry in result.not_rated))
    if not verbose:
        doc.add(Paragraph("-v adds each criterion's reasoning on both sides, together.", "dim"))
        return doc
    refs = References()
    doc.add(Heading("Reasoning"))
    shown_sides = (sides[result.left_label], sides[result.right_label])
    for row in result.rows:
        doc.add(Heading(criteria[row.criterion], 3))
        pairs = zip(
            shown_sides, ("left", "right"), (row.left_rating, row.right_rating), strict=True
        )
        for shown_side, side, rating in pairs:
            if (rating.criterion, side) in elsewhere:
                text = _not_in_edition(rating.criterion in wholes)
            else:
                text = reasoning_text(rating, refs)
            score = f" ({format_score(rating.score)})" if rating.score is not None else ""
            doc.add(Paragraph(f"{shown_side}{score}: {text}"))
    doc.add(*status_table(names, status, refs))
    doc.add(refs.block())
    return doc
