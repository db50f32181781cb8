"""Layout of `check` and `check --links`, and their CSV rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..results.check import CheckReport, CitingCell, LinkOutcome, LinkReport
from .blocks import Cell, Column, Document, Heading, Paragraph, Table
from .common import edition_line


def check_report(result: CheckReport) -> Document:
    doc = Document()
    doc.add(
        Heading("What moved since the ratings"),
        edition_line(result.edition.date, result.edition),
        Paragraph(
            f"Read on {result.today}; a status block checked more than "
            f"{result.stale_after_days} days before is stale. Package index: {result.index}",
            "dim",
        ),
    )
    rows = []
    for toolkit in result.toolkits:
        packages = (
            "\n".join(
                f"{p.name} {p.latest_version or '?'}"
                + (f" ({p.latest_date})" if p.latest_date else "")
                for p in toolkit.packages
            )
            or "none listed"
        )
        findings = "\n".join(f"{f.kind.value}: {f.message}" for f in toolkit.findings)
        rows.append(
            (
                Cell(toolkit.name),
                Cell(toolkit.state or "?"),
                Cell(toolkit.rated_version or "-"),
                Cell(packages),
                Cell(findings or "nothing moved", "" if findings else "dim"),
            )
        )
    doc.add(
        Table(
            (
                Column("Toolkit", no_wrap=True),
                Column("Status", no_wrap=True),
                Column("Rated on"),
                Column("Latest on the index", ratio=2),
                Column("Findings", ratio=5),
            ),
            tuple(rows),
        )
    )
    moved = sum(1 for t in result.toolkits if t.findings)
    doc.add(
        Paragraph(
            f"{moved} of {len(result.toolkits)} toolkit(s) moved or could not be checked."
            if moved
            else "Nothing moved.",
            "yellow" if moved else "green",
        )
    )
    return doc


def link_report(result: LinkReport) -> Document:
    doc = Document()
    problems = [link for link in result.links if link.outcome is not LinkOutcome.OK]
    doc.add(Heading("Sources of the ratings"), edition_line(result.edition.date, result.edition))
    counts = {o: sum(1 for link in result.links if link.outcome is o) for o in LinkOutcome}
    summary = ", ".join(f"{n} {o.value}" for o, n in counts.items() if n)
    doc.add(
        Paragraph(
            f"{len(result.links)} address(es) checked on {result.today} (timeout "
            f"{result.timeout:g} s; slow: over half of it): {summary or 'none'}.",
            "dim",
        )
    )
    if problems:
        doc.add(
            Table(
                (
                    Column("Outcome", no_wrap=True),
                    Column("Address", ratio=3),
                    Column("What happened", ratio=2),
                    Column("Cited by", ratio=2),
                ),
                tuple(
                    (
                        Cell(
                            link.outcome.value,
                            "red" if link.outcome is LinkOutcome.BROKEN else "yellow",
                        ),
                        Cell(link.url),
                        Cell(link.message + (f"\n→ {link.final_url}" if link.final_url else "")),
                        Cell(_cells(link.cited_by)),
                    )
                    for link in problems
                ),
            )
        )
    else:
        doc.add(Paragraph("Every source answered.", "green"))
    return doc


def _cells(cells: Sequence[CitingCell]) -> str:
    return ", ".join(f"{c.toolkit} {c.criterion}" for c in cells)


Row = Sequence[object]


def check_rows(result: CheckReport) -> Iterable[Row]:
    """One row per finding (a toolkit with none: one row with an empty kind)."""
    yield ("toolkit", "state", "rated_version", "packages", "kind", "message")
    for toolkit in result.toolkits:
        packages = " ".join(
            f"{p.name}=={p.latest_version}" if p.latest_version else p.name
            for p in toolkit.packages
        )
        base = (toolkit.id, toolkit.state or "", toolkit.rated_version or "", packages)
        if not toolkit.findings:
            yield (*base, "", "")
        for finding in toolkit.findings:
            yield (*base, finding.kind.value, finding.message)


def link_rows(result: LinkReport) -> Iterable[Row]:
    yield ("url", "outcome", "status", "final_url", "seconds", "message", "cited_by")
    for link in result.links:
        yield (
            link.url,
            link.outcome.value,
            "" if link.status is None else link.status,
            link.final_url or "",
            "" if link.seconds is None else repr(link.seconds),
            link.message,
            " ".join(f"{c.toolkit}:{c.criterion}" for c in link.cited_by),
        )
