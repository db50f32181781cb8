"""Layout of `show`: one criterion across toolkits, one toolkit across criteria, or the
whole matrix."""

from __future__ import annotations

from collections.abc import Sequence

from ..results.base import Rating
from ..results.views import RatingsView
from .blocks import Cell, Column, Document, Heading, Paragraph, Table
from .common import (
    References,
    add_header,
    edition_line,
    labelled,
    legend,
    names_of,
    not_rated_cell,
    not_rated_line,
    not_rated_summary,
    only_line,
    rated_by,
    reasoning_text,
    score_cell,
    shown_lines,
    status_table,
)


def _ratings_by(ratings: Sequence[Rating]) -> Paragraph | None:
    return rated_by([(r.toolkit, r.criterion, r.evaluator) for r in ratings if r.score is not None])


def ratings_view(view: RatingsView, *, verbose: bool = False) -> Document:
    """The scores first; with `verbose`, every toolkit's project status and the sources.
    A criterion or a toolkit is shown with its reasoning (what it is asked for); the matrix
    names the toolkits it does not rate on one line."""
    doc = Document()
    toolkits = names_of(view.toolkits) | {a.toolkit: a.name for a in view.not_rated}
    criteria = names_of(view.criteria)
    by_key = {(r.toolkit, r.criterion): r for r in view.ratings}
    refs = References()

    status = view.toolkit_status
    freshness = [
        *shown_lines(view.shown, view.notes, view.freshness),
        *filter(None, [only_line(view.only_toolkits, toolkits)]),
    ]
    absent = [not_rated_line(entry) for entry in view.not_rated]

    if view.kind == "matrix":
        add_header(doc, Heading("All ratings"), edition_line(view.as_of, view.edition), *freshness)
        columns = (
            Column("Criterion", no_wrap=True),
            *(Column(labelled(t.name, status.get(t.id), "\n"), ratio=1) for t in view.toolkits),
        )
        rows = tuple(
            (Cell(c.name), *(score_cell(by_key[t.id, c.id], False) for t in view.toolkits))
            for c in view.criteria
        )
        doc.add(Table(columns, rows), *legend(view.ratings))
        summary = not_rated_summary(view.not_rated, verbose)
        if summary is not None:
            doc.add(summary)
        provenance = _ratings_by(view.ratings)
        if provenance:
            doc.add(provenance)
        if verbose:
            doc.add(*status_table(toolkits, status, refs))
            doc.add(refs.block())
        return doc

    if view.kind == "toolkit":
        toolkit = view.toolkits[0]
        add_header(
            doc,
            Heading(labelled(toolkit.name, status.get(toolkit.id))),
            edition_line(view.as_of, view.edition),
            *freshness,
            *absent,
        )
        unrated = {a.toolkit: a for a in view.not_rated}
        rows = tuple(
            (
                Cell(c.name),
                not_rated_cell(unrated[toolkit.id])
                if toolkit.id in unrated
                else score_cell(by_key[toolkit.id, c.id]),
                Cell(reasoning_text(by_key[toolkit.id, c.id], refs)),
            )
            for c in view.criteria
        )
        doc.add(
            Table(
                (
                    Column("Criterion", ratio=2),
                    Column("Score", no_wrap=True),
                    Column("Reasoning", ratio=5),
                ),
                rows,
            )
        )
        if verbose:
            doc.add(*status_table(toolkits, status, refs))
        doc.add(refs.block())
        return doc

    title = view.criteria[0].name.split(":")[0] if len(view.criteria) > 1 else view.criteria[0].name
    add_header(doc, Heading(title), edition_line(view.as_of, view.edition), *freshness)
    if len(view.criteria) > 1:
        columns = (
            Column("Toolkit"),
            *(Column(c.name.split(": ")[-1], no_wrap=True) for c in view.criteria),
        )
        rows = tuple(
            (
                Cell(labelled(toolkits[t.id], status.get(t.id))),
                *(score_cell(by_key[t.id, c.id]) for c in view.criteria),
            )
            for t in view.toolkits
        )
        doc.add(Table(columns, rows))
    for criterion in view.criteria:
        if len(view.criteria) > 1:
            doc.add(Heading(criteria[criterion.id]))
        rows = tuple(
            (
                Cell(labelled(t.name, status.get(t.id))),
                score_cell(by_key[t.id, criterion.id]),
                Cell(reasoning_text(by_key[t.id, criterion.id], refs)),
            )
            for t in view.toolkits
        )
        doc.add(
            Table(
                (Column("Toolkit"), Column("Score", no_wrap=True), Column("Reasoning", ratio=1)),
                rows,
            )
        )
    # the toolkits it does not rate: one line for all (the toolkit view above says more)
    summary = not_rated_summary(view.not_rated, verbose)
    if summary is not None:
        doc.add(summary)
    if verbose:
        doc.add(*status_table(toolkits, status, refs))
    doc.add(refs.block())
    return doc
