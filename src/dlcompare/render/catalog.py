"""Layout of `list` (criteria and toolkits), `editions` and `validate`."""

from __future__ import annotations

from ..results.catalog import Catalog, EditionList, ProblemInfo, ValidationReport
from .blocks import Cell, Column, Document, Heading, Links, Paragraph, Table
from .common import (
    References,
    add_header,
    edition_line,
    freshness_line,
    note_lines,
    state_text,
    status_table,
)


def catalog(result: Catalog) -> Document:
    doc = Document()
    add_header(
        doc,
        Heading("Criteria"),
        edition_line(result.as_of, result.edition),
        freshness_line(result.edition, result.freshness),
        *note_lines(result.notes),
    )
    low, high = result.scale
    doc.add(
        Paragraph(f"Scores run from {low:g} to {high:g}; a criterion with parts is rated per part.")
    )
    rows = []
    for criterion in result.criteria:
        description = criterion.description
        if criterion.parts_from is not None:
            rated = "per part" if criterion.parts else "whole in this edition"
            description += (
                f" (Rated whole before the edition of {criterion.parts_from}, per part from "
                f"it on: {rated}.)"
            )
        rows.append((Cell(criterion.id), Cell(criterion.name), Cell(description)))
        rows += [
            (Cell(f"{criterion.id}.{part.id}"), Cell(f"  {part.name}"), Cell(part.description))
            for part in criterion.parts
        ]
    doc.add(
        Table(
            (Column("Id", no_wrap=True), Column("Name", ratio=1), Column("Measures", ratio=3)),
            tuple(rows),
        )
    )
    doc.add(Heading("Toolkits"))
    # addresses as numbered references, listed in full below: a table cell would break them
    refs = References()
    toolkit_rows = tuple(
        (
            Cell(t.id),
            Cell(t.name),
            Cell(", ".join(t.aliases)),
            Cell(str(t.first_edition or "")) if t.rated else Cell("no ratings yet", "yellow"),
            Cell(state_text(t.status), "" if t.status and t.status.state == "active" else "yellow"),
            Cell(refs.cite([url]) if (url := t.repository or t.homepage) else ""),
        )
        for t in result.toolkits
    )
    doc.add(
        Table(
            (
                Column("Id", no_wrap=True),
                Column("Name"),
                Column("Aliases", ratio=1),
                Column("Since", no_wrap=True),
                Column("Project", ratio=1),
                Column("Repository", no_wrap=True),
            ),
            toolkit_rows,
        )
    )
    doc.add(
        *status_table(
            {t.id: t.name for t in result.toolkits}, {t.id: t.status for t in result.toolkits}, refs
        )
    )
    doc.add(refs.block())
    if result.layers:
        doc.add(Heading("Data folders (later ones win)"))
        doc.add(*(Paragraph(f"{n}. {folder}") for n, folder in enumerate(result.layers, 1)))
    if result.layers and not result.conflicts:
        doc.add(Paragraph("No definition is overridden.", "dim"))
    if result.conflicts:
        doc.add(Heading("Overridden definitions"))
        doc.add(
            Table(
                (
                    Column("What", ratio=2),
                    Column("Used from", ratio=3),
                    Column("Replaces", ratio=3),
                ),
                tuple((Cell(c.what), Cell(c.used), Cell(c.replaced)) for c in result.conflicts),
            )
        )
    return doc


def editions(result: EditionList) -> Document:
    doc = Document()
    doc.add(Heading("Editions"))
    rows = tuple(
        (
            Cell(str(e.date)),
            Cell(" ".join(c for c in (e.commit, *e.also) if c)),
            Cell(str(e.ratings_changed), ""),
            Cell("\n".join((e.summary, *(f"Note: {note}" for note in e.notes)))),
        )
        for e in result.editions
    )
    doc.add(
        Table(
            (
                Column("Date", no_wrap=True),
                Column("Commit", ratio=1),
                Column("Changed", justify="right", no_wrap=True),
                Column("What changed", ratio=5),
            ),
            rows,
        )
    )
    doc.add(
        Paragraph("Changed: ratings moved, added or withdrawn against the previous edition.", "dim")
    )
    doc.add(Links(tuple((str(e.date), e.url) for e in result.editions if e.url)))
    return doc


def validation(result: ValidationReport) -> Document:
    doc = Document()
    if not result.ok:
        doc.add(
            Paragraph(f"{len(result.problems)} problem(s) in {result.folder}", "bold", wrap=False)
        )
    for problem in result.problems:
        doc.add(Paragraph(f"{_where(problem)}: {problem.message}", wrap=False))
    for warning in result.warnings:  # they load: said, but they fail nothing
        doc.add(Paragraph(f"warning: {_where(warning)}: {warning.message}", "yellow", wrap=False))
    return doc  # quiet on success; the exit code says it


def _where(problem: ProblemInfo) -> str:
    where = f"{problem.file}:{problem.line}" if problem.line else problem.file
    return f"{where} › {problem.where}" if problem.where else where
