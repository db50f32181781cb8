"""Layout of the `report` document, shared by Markdown and HTML: the matrix with its chart,
the ranking (only under the user's weights), the toolkits and their projects, every criterion
with every toolkit's reasoning, the edition and the sources. Nothing here adds ratings up."""

from __future__ import annotations

from ..results.base import EditionInfo, Freshness, Rating, format_score
from ..results.catalog import CriterionInfo
from ..results.ranking import Ranking
from ..results.report import Report
from ..results.views import RatingsView
from .blocks import (
    Bar,
    BarGroup,
    Block,
    Cell,
    Chart,
    Column,
    Contents,
    Document,
    Heading,
    Paragraph,
    Prose,
    Table,
)
from .common import (
    STALE_MARK,
    References,
    age_text,
    labelled,
    legend,
    names_of,
    not_rated_summary,
    only_line,
    score_cell,
    short_reason,
    shown_lines,
    state_text,
)
from .ranking import (
    acceptability,
    contributions,
    partial_shares,
    share_text,
    stability,
    verdict,
)

GLANCE = "Ratings at a glance"
RANKING = "Ranking under your weights"


def layout(result: Report) -> Document:
    doc = Document()
    view = result.ratings
    refs = References()
    low, high = result.catalog.scale
    edition = result.edition
    doc.add(Heading(f"Evaluation of deep-learning toolkits, edition of {edition.date}", 1))
    weighted = (
        "The ranking below uses only the weights given for this report, and lists them."
        if result.ranking is not None
        else "A ranking needs someone's weights, and none were given for this report."
    )
    doc.add(
        Paragraph(
            f"Every rating in force in the edition of {edition.date} by {edition.evaluator}"
            f"{'' if str(result.as_of) == str(edition.date) else f' (as of {result.as_of})'}, "
            f"on a scale of {low:g} to {high:g}, with a summary of the reasoning behind it and "
            f"its sources. The ratings are never added up without weights. {weighted}"
        )
    )
    doc.add(*shown_lines(view.shown, view.notes, result.freshness))
    narrowed = only_line(view.only_toolkits, names_of(view.toolkits))
    if narrowed is not None:
        doc.add(narrowed)
    doc.add(Heading("Contents", 2), Contents(depth=3))
    # what a reader came for first; the details and the edition's particulars after it
    doc.add(*_glance(view, (low, high)))
    if result.ranking is not None:
        doc.add(*_ranking(result.ranking, (low, high)))
    doc.add(*_toolkits(result, refs))
    doc.add(*_criteria(result, refs))
    doc.add(Heading("About this edition", 2), _edition_table(result, edition, result.freshness))
    if result.method is not None:
        doc.add(Heading("Method", 2), Prose(result.method, shift=2))
    doc.add(Heading("Sources", 2), refs.block())
    return doc


def _edition_table(result: Report, edition: EditionInfo, freshness: Freshness | None) -> Table:
    low, high = result.catalog.scale
    rows = [("Edition", str(edition.date))]
    if str(result.as_of) != str(edition.date):
        rows.append(("Asked for", f"as of {result.as_of}: the edition in force then"))
    if edition.commit:
        rows.append(("Commit", edition.commit))
    rows.append(("Evaluator", edition.evaluator))
    if edition.url:
        rows.append(("Source", edition.url))
    if freshness is not None and edition.age_days is not None and edition.age_years is not None:
        stale = f", older than {freshness.stale_after_years:g} years" if edition.stale else ""
        rows.append(
            ("Age", f"{age_text(edition.age_days, edition.age_years)} on {freshness.today}{stale}")
        )
        rows.append(
            (STALE_MARK, f"marks a rating older than {freshness.stale_after_years:g} years")
        )
    rows.append(("Scale", f"{low:g} (worst) to {high:g} (best){_steps(result.resolution)}"))
    return Table(
        (Column("Item", no_wrap=True), Column("Value", ratio=1)),
        tuple((Cell(key), Cell(value)) for key, value in rows),
    )


def _steps(resolution: float | None) -> str:
    """How finely the scores shown are given, read off the scores themselves."""
    if resolution is None:
        return ""
    words = {1.0: "a whole point", 0.5: "half a point", 0.25: "a quarter point"}
    return f"; the scores shown are in steps of {words.get(resolution, f'{resolution:g}')}"


def _toolkits(result: Report, refs: References) -> list[Block]:
    """The toolkits and whether their projects still live, with the source of each fact."""
    rows = []
    for toolkit in result.catalog.toolkits:
        status = toolkit.status
        first = str(toolkit.first_edition) if toolkit.first_edition else ""
        home = toolkit.repository or toolkit.homepage
        name = Cell(toolkit.name, links=(("repository", home),) if home else ())
        if status is None:
            rows.append((name, Cell(first), Cell(state_text(None), "dim"), Cell("")))
            continue
        text = status.note
        if status.successor is not None:
            text += f"\nSuccessor: {status.successor.name}, {status.successor.url}"
        text += "\nSource:"
        rows.append(
            (
                name,
                Cell(first),
                Cell(state_text(status), "" if status.state == "active" else "yellow"),
                Cell(text, links=refs.links([status.source])),
            )
        )
    columns = (
        Column("Toolkit", ratio=1),
        Column("Rated since", no_wrap=True),
        Column("Project", ratio=1),
        Column("What the source says", ratio=3),
    )
    return [Heading("Toolkits", 2), Table(columns, tuple(rows))]


def _bar(rating: Rating, label: str) -> Bar:
    if rating.score is None:
        return Bar(label, None, short_reason(rating), rating.toolkit)
    text = format_score(rating.score) + (f" {STALE_MARK}" if rating.stale else "")
    return Bar(label, rating.score, text, rating.toolkit)


def _glance(view: RatingsView, scale: tuple[float, float]) -> list[Block]:
    """The matrix as a chart and as a table."""
    status = view.toolkit_status
    by_key = {(r.toolkit, r.criterion): r for r in view.ratings}
    chart = Chart(
        title="Ratings per criterion",
        description=(
            f"One bar per toolkit on the scale of {scale[0]:g} to {scale[1]:g}. A toolkit "
            "without a score has no bar, only the reason (dropped, no score, not covered); "
            "it is never drawn as zero. The table below gives the same numbers."
        ),
        groups=tuple(
            BarGroup(
                criterion.name,
                tuple(_bar(by_key[t.id, criterion.id], t.name) for t in view.toolkits),
            )
            for criterion in view.criteria
        ),
        scale=scale,
    )
    columns = (
        Column("Criterion", no_wrap=True),
        *(Column(labelled(t.name, status.get(t.id), "\n"), ratio=1) for t in view.toolkits),
    )
    rows = tuple(
        (Cell(c.name), *(score_cell(by_key[t.id, c.id], False) for t in view.toolkits))
        for c in view.criteria
    )
    return [
        Heading(GLANCE, 2),
        Paragraph(
            f"Scores from {scale[0]:g} to {scale[1]:g}, higher is better. Nothing is totalled: "
            "the source rates each criterion on its own."
        ),
        chart,
        Table(columns, rows),
        *legend(view.ratings),
        # one line: why they are not rated, and their successors, is under Toolkits
        *filter(None, [not_rated_summary(view.not_rated, verbose=True)]),
    ]


def _ranking(ranking: Ranking, scale: tuple[float, float]) -> list[Block]:
    names = names_of(ranking.toolkits)
    criteria = names_of(ranking.criteria)
    status = ranking.toolkit_status
    blocks: list[Block] = [
        Heading(RANKING, 2),
        Paragraph(verdict(ranking), "bold"),
        Paragraph(
            "Each score is the weighted mean of a toolkit's ratings, Σ w·s / Σ w over the "
            "weighted criteria, so it stays on the rating scale; only the ratios of the "
            "weights matter."
        ),
        Heading("Weights used", 3),
    ]
    spread_over = {
        part: f"{spread.weight:g} / {len(spread.parts)}"
        for spread in ranking.spread.values()
        for part in spread.parts
    }
    weight_rows = tuple(
        (
            Cell(criteria[path]),
            Cell(spread_over.get(path, f"{weight:g}")),
            Cell(share_text(ranking.shares[path]) if path in ranking.shares else "not considered"),
        )
        for path, weight in ranking.weights.items()
    )
    blocks.append(
        Table(
            (
                Column("Criterion", ratio=1),
                Column("Weight", justify="right", no_wrap=True),
                Column("Share", justify="right", no_wrap=True),
            ),
            weight_rows,
        )
    )
    missing = {
        "error": "every ranked toolkit is rated on every weighted criterion",
        "drop": "toolkits without a rating on a weighted criterion are left out",
        "partial": "a toolkit without a rating on a weighted criterion is scored over the "
        "criteria it has (see Coverage)",
    }[ranking.missing]
    blocks.append(Paragraph(f"Missing ratings: {missing}.", "dim"))

    partial = ranking.missing == "partial"
    blocks.append(Heading("Scores", 3))
    blocks.append(
        Chart(
            title="Scores under your weights",
            description=f"One bar per ranked toolkit: its weighted mean score, "
            f"{scale[0]:g} to {scale[1]:g}. The table below gives the same numbers.",
            groups=(
                BarGroup(
                    "Scores under your weights",
                    tuple(
                        Bar(names[row.toolkit], row.score, f"{row.score:.2f}", row.toolkit)
                        for row in ranking.rows
                    ),
                ),
            ),
            scale=scale,
        )
    )
    columns = [
        Column("Rank", justify="right", no_wrap=True),
        Column("Toolkit", ratio=1),
        Column("Score", justify="right", no_wrap=True),
    ]
    if partial:
        columns.append(Column("Coverage", justify="right", no_wrap=True))
    rows = []
    for row in ranking.rows:
        cells = [
            Cell(str(row.rank)),
            Cell(labelled(names[row.toolkit], status.get(row.toolkit))),
            Cell(f"{row.score:.2f}"),
        ]
        if partial:
            cells.append(Cell(f"{row.coverage * 100:.0f} %"))
        rows.append(tuple(cells))
    blocks.append(Table(tuple(columns), tuple(rows), row_header=1))
    # their status is in the document's list of toolkits: named here once, not told again
    absent = not_rated_summary(ranking.not_in_edition, verbose=True)
    if absent is not None:
        blocks.append(absent)
    blocks += [
        Paragraph(f"Left out: {names[d.toolkit]}, not rated on {', '.join(d.missing)}", "yellow")
        for d in ranking.dropped
    ]
    blocks += [Heading("Contributions to each score", 3), contributions(ranking)]
    reweighted = partial_shares(ranking)
    if reweighted is not None:
        blocks.append(reweighted)
    blocks += stability(ranking, 3)
    blocks += acceptability(ranking, 3)
    return blocks


def _description(criterion: CriterionInfo, part: CriterionInfo | None) -> str:
    if part is None:
        return criterion.description
    return f"{criterion.name}: {criterion.description} {part.name}: {part.description}"


def _reasoning(rating: Rating, refs: References) -> Cell:
    """Our summary of the source's reasoning, its notes, since when it holds, and links to
    its sources."""
    if rating.summary is None:
        return Cell(rating.reason, "dim")
    lines = [rating.summary, *(f"Note: {note}" for note in rating.notes)]
    tail = f"In force since {rating.edition}" if rating.edition else ""
    if rating.score is None:
        tail += f" ({rating.reason})"
    if rating.sources:
        tail += "; sources:" if tail else "Sources:"
    elif tail:
        tail += "."
    if tail:
        lines.append(tail)
    return Cell("\n".join(lines), links=refs.links(rating.sources))


def _criteria(result: Report, refs: References) -> list[Block]:
    view = result.ratings
    status = view.toolkit_status
    by_key = {(r.toolkit, r.criterion): r for r in view.ratings}
    names = names_of(view.criteria)
    blocks: list[Block] = [Heading("Ratings by criterion", 2)]
    for criterion in result.catalog.criteria:
        for part in criterion.parts or (None,):
            path = criterion.id if part is None else f"{criterion.id}.{part.id}"
            if path not in names:
                continue
            blocks += [
                Heading(names[path], 3),
                Paragraph(_description(criterion, part), "dim"),
                Table(
                    (
                        Column("Toolkit"),
                        Column("Score", no_wrap=True),
                        Column("Reasoning", ratio=1),
                    ),
                    tuple(
                        (
                            Cell(labelled(t.name, status.get(t.id))),
                            score_cell(by_key[t.id, path]),
                            _reasoning(by_key[t.id, path], refs),
                        )
                        for t in view.toolkits
                    ),
                ),
            ]
    return blocks
