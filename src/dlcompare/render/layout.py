"""Human-facing layout of each result object, shared by the terminal table and Markdown.

Rounding happens here and only here (JSON and CSV carry exact numbers).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..results import (
    Catalog,
    ChangeKind,
    EditionChanges,
    EditionInfo,
    EditionList,
    EditionNote,
    EvaluatorSpan,
    Freshness,
    HistoryEntry,
    Named,
    NotRated,
    Ranking,
    Rating,
    RatingsView,
    Report,
    Sensitivity,
    Status,
    ToolkitDiff,
    ToolkitHistory,
    ValidationReport,
    format_score,
)
from ..schema import ProjectStatus
from .blocks import Block, Cell, Column, Document, Heading, Links, Paragraph, Table

SCALE_MAX = 5.0


def stars(score: float, scale_max: float = SCALE_MAX) -> str:
    """Five stars at half-star resolution: 4.5 -> ★★★★½, 4.9 -> ★★★★★."""
    halves = round(max(0.0, min(score / scale_max, 1.0)) * 10)
    full, half = divmod(halves, 2)
    return "★" * full + ("½" if half else "") + "☆" * (5 - full - half)


def score_style(score: float | None, scale_max: float = SCALE_MAX) -> str:
    if score is None:
        return "dim"
    share = score / scale_max
    return "green" if share >= 0.8 else "yellow" if share >= 0.6 else "red"


def short_reason(rating: Rating) -> str:
    if rating.status is Status.WITHDRAWN:
        was = f" (was {format_score(rating.last_rated.score)})" if rating.last_rated else ""
        return f"dropped{was}"
    if rating.status is Status.UNRATED:
        return "no score"
    return "not covered"


STALE_MARK = "†"


def _stale(text: str, stale: bool) -> str:
    return f"{text} {STALE_MARK}" if stale else text


def score_cell(rating: Rating, with_stars: bool = True) -> Cell:
    if rating.score is None:
        return Cell(short_reason(rating), "dim")
    text = format_score(rating.score)
    if with_stars:
        text = f"{stars(rating.score)} {text}"
    return Cell(_stale(text, rating.stale), score_style(rating.score))


def age_text(days: int, years: float) -> str:
    """3642 days -> '10.0 years'; under a year, in days."""
    return f"{years:.1f} years" if abs(years) >= 1 else f"{days} days"


def _age_sentence(edition: EditionInfo, freshness: Freshness) -> str:
    if edition.age_days is None or edition.age_years is None:
        return ""
    age = age_text(edition.age_days, edition.age_years)
    return f"Information from {edition.date}: {age} old on {freshness.today}."


def _legend(freshness: Freshness) -> str:
    return f"{STALE_MARK} marks ratings older than {freshness.stale_after_years:g} years."


def freshness_line(edition: EditionInfo, freshness: Freshness | None) -> Paragraph | None:
    """How old the edition is on today's date, and what the stale mark means."""
    if freshness is None or edition.age_days is None:
        return None
    return Paragraph(
        f"{_age_sentence(edition, freshness)} {_legend(freshness)}",
        "yellow" if edition.stale else "dim",
    )


def _span_text(span: EvaluatorSpan) -> str:
    when = (
        f"from {span.oldest}"
        if span.oldest == span.newest
        else f"from {span.oldest} to {span.newest}"
    )
    age = ""
    if span.newest_age_days is not None and span.newest_age_days < 0:
        age = " (dated after today)"
    elif span.oldest_age_days is not None and span.oldest_age_years is not None:
        oldest = age_text(span.oldest_age_days, span.oldest_age_years)
        age = f" ({oldest} old)"
        if span.newest_age_days is not None and span.newest_age_years is not None:
            newest = age_text(span.newest_age_days, span.newest_age_years)
            if newest != oldest:
                unit = oldest.split()[-1]
                if newest.endswith(f" {unit}"):
                    newest = newest.removesuffix(f" {unit}")
                age = f" ({newest} to {oldest} old)"
    return f"{span.ratings} by {span.evaluator} {when}{age}"


def shown_lines(
    shown: Sequence[EvaluatorSpan], notes: Sequence[EditionNote], freshness: Freshness | None
) -> list[Paragraph]:
    """Whose scores the view shows and how old they are (per evaluator, the oldest and newest
    rating's date), what the stale mark means, and the edition notes that hold for them."""
    ages = f" Ages on {freshness.today}." if freshness is not None else ""
    legend = f" {_legend(freshness)}" if freshness is not None else ""
    if shown:
        text = f"Ratings shown: {'; '.join(map(_span_text, shown))}.{ages}{legend}"
    else:
        text = f"No scores shown.{legend}"
    return [Paragraph(text, "yellow" if any(s.stale for s in shown) else "dim"), *note_lines(notes)]


def note_lines(notes: Sequence[EditionNote]) -> list[Paragraph]:
    """The edition notes that hold for a view, each with its edition and evaluator."""
    return [
        Paragraph(f"Edition note ({note.edition}, {note.evaluator}): {note.text}", "yellow")
        for note in notes
    ]


def not_rated_cell(entry: NotRated) -> Cell:
    """The cell of a toolkit the edition does not rate: why, and who carries its work on (the
    dates are in the line that goes with it)."""
    successor = entry.successor
    why = f": {entry.state}" if entry.state and entry.state != "active" else ""
    text = f"not rated{why}" + (f";\nsuccessor {successor}" if successor else "")
    return Cell(text, "dim")


def not_rated_line(entry: NotRated, lead: str = "") -> Paragraph:
    """One line for a toolkit the view names but does not rate: why, by whom, its successor,
    and the commands to use instead (exactly as they run)."""
    if entry.first_rated is not None:
        by = f" in this edition: first rated on {entry.first_rated} by {entry.first_evaluator}"
    elif entry.evaluator and entry.since:
        by = f" by {entry.evaluator} ({entry.since})"
    else:
        by = " in any edition"
    successor = entry.successor
    text = f"{lead}{entry.name} is not rated{by}"
    if entry.first_rated is None:
        text += f": {entry.reason}"
    if successor:
        text += f"; successor {successor}"
    text += "."
    who = f", by {entry.last_evaluator}" if entry.last_evaluator else ""
    meaning = {
        "successor": " (its successor)",
        "last-rated": f" (its latest ratings{who})",
        "first-rated": " (its first ratings)",
    }
    labelled_hints = [f"{hint.command}{meaning[hint.shows]}" for hint in entry.hints]
    if labelled_hints:
        text += f" Use: {'; '.join(labelled_hints)}."
    return Paragraph(text, "yellow")


def state_text(status: ProjectStatus | None) -> str:
    """'active', 'ended 2017-09-28', 'inactive since 2017-04-18', or 'status unknown'."""
    if status is None:
        return "status unknown"
    if status.state == "ended":
        return f"ended {status.date}" if status.date else "ended"
    if status.state == "inactive":
        return f"inactive since {status.date}"
    return "active"


def labelled(name: str, status: ProjectStatus | None, sep: str = " ") -> str:
    """A toolkit's name, with its state when the project is not active: 'Theano (ended)'."""
    if status is None or status.state == "active":
        return name
    return f"{name}{sep}({status.state})"


def edition_line(as_of: object, edition: EditionInfo, label: str = "") -> Paragraph:
    commit = f" ({edition.commit})" if edition.commit else ""
    asked = f"as of {as_of}, " if str(as_of) != str(edition.date) else ""
    return Paragraph(
        f"{label}Edition {edition.date}{commit}, {asked}by {edition.evaluator}"
        + (f": {edition.url or edition.method}" if edition.url or edition.method else ""),
        "dim",
    )


_LEGEND = Paragraph(
    "dropped: an earlier edition rated it, this one does not; no score: discussed without a "
    "rating; not covered: the source says nothing about it.",
    "dim",
)


def legend(ratings: Sequence[Rating]) -> list[Paragraph]:
    """The key to the words that stand for a missing score, only where one is shown."""
    return [_LEGEND] if any(r.status is not Status.RATED for r in ratings) else []


class _References:
    """Numbers each distinct source address once per document."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def cite(self, urls: Sequence[str]) -> str:
        marks = []
        for url in urls:
            number = self.numbers.setdefault(url, len(self.numbers) + 1)
            marks.append(f"[{number}]")
        return " ".join(marks)

    def links(self, urls: Sequence[str]) -> tuple[tuple[str, str], ...]:
        """The citation marks of `urls` as (label, url) pairs, for formats with links."""
        return tuple(zip(self.cite(urls).split(), urls, strict=True))

    def block(self) -> Links:
        return Links(tuple((f"[{n}]", url) for url, n in self.numbers.items()))


def _reasoning(rating: Rating, refs: _References) -> str:
    if rating.summary is None:
        return rating.reason
    parts = [rating.summary]
    parts += [f"Note: {note}" for note in rating.notes]
    tail = []
    if rating.sources:
        tail.append(refs.cite(rating.sources))
    if rating.edition is not None:
        by = f", {rating.evaluator}" if rating.evaluator else ""
        tail.append(f"(since {rating.edition}{by})")
    if rating.score is None:
        tail.append(f"[{rating.reason}]")
    if tail:
        parts.append(" ".join(tail))
    return "\n".join(parts)


def rated_by(entries: Sequence[tuple[str, str, str | None]]) -> Paragraph | None:
    """Who rated what, when the ratings shown come from more than one evaluator.

    `entries` are (toolkit id, criterion path, evaluator); the evaluator with the most ratings
    is named first, the others with what they rated."""
    by_evaluator: dict[str, dict[str, list[str]]] = {}
    for toolkit, criterion, evaluator in entries:
        if evaluator:
            by_evaluator.setdefault(evaluator, {}).setdefault(toolkit, []).append(criterion)
    if len(by_evaluator) < 2:
        return None
    main, *others = sorted(by_evaluator, key=lambda e: -sum(map(len, by_evaluator[e].values())))
    parts = [
        f"{other}: "
        + "; ".join(f"{t} on {', '.join(paths)}" for t, paths in by_evaluator[other].items())
        for other in others
    ]
    return Paragraph(f"Rated by {main}, except {' | '.join(parts)}", "yellow")


def _ratings_by(ratings: Sequence[Rating]) -> Paragraph | None:
    return rated_by([(r.toolkit, r.criterion, r.evaluator) for r in ratings if r.score is not None])


def _names(items: Sequence[Named]) -> dict[str, str]:
    return {item.id: item.name for item in items}


def _status_table(
    names: dict[str, str], statuses: dict[str, ProjectStatus | None], refs: _References
) -> list[Heading | Table]:
    """Whether each toolkit's project still lives, with its source cited."""
    if not statuses:
        return []
    rows = []
    for toolkit_id, status in statuses.items():
        if status is None:
            rows.append((Cell(names[toolkit_id]), Cell(state_text(None), "dim"), Cell("")))
            continue
        text = status.note
        if status.successor is not None:
            text += f"\nSuccessor: {status.successor.name} {refs.cite([status.successor.url])}"
        checked = f", checked {status.checked}" if status.checked else ""
        text += f"\nSource: {refs.cite([status.source])}{checked}"
        style = "" if status.state == "active" else "yellow"
        rows.append((Cell(names[toolkit_id]), Cell(state_text(status), style), Cell(text)))
    columns = (
        Column("Toolkit"),
        Column("Project", ratio=1),
        Column("What the source says", ratio=3),
    )
    return [Heading("Project status"), Table(columns, tuple(rows))]


def _head(doc: Document, *blocks: Paragraph | Heading | None) -> None:
    doc.add(*(b for b in blocks if b is not None))


def ratings_view(view: RatingsView) -> Document:
    doc = Document()
    toolkits = _names(view.toolkits) | {a.toolkit: a.name for a in view.not_rated}
    criteria = _names(view.criteria)
    by_key = {(r.toolkit, r.criterion): r for r in view.ratings}
    refs = _References()

    status = view.toolkit_status
    freshness = shown_lines(view.shown, view.notes, view.freshness)
    absent = [not_rated_line(entry) for entry in view.not_rated]

    if view.kind == "matrix":
        _head(doc, Heading("All ratings"), edition_line(view.as_of, view.edition), *freshness)
        columns = (
            Column("Criterion", no_wrap=True),
            *(Column(labelled(t.name, status.get(t.id), "\n"), ratio=1) for t in view.toolkits),
        )
        rows = tuple(
            (Cell(c.name), *(score_cell(by_key[t.id, c.id], False) for t in view.toolkits))
            for c in view.criteria
        )
        doc.add(Table(columns, rows), *legend(view.ratings), *absent)
        provenance = _ratings_by(view.ratings)
        if provenance:
            doc.add(provenance)
        doc.add(*_status_table(toolkits, status, refs))
        doc.add(refs.block())
        return doc

    if view.kind == "toolkit":
        toolkit = view.toolkits[0]
        _head(
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
                Cell(_reasoning(by_key[toolkit.id, c.id], refs)),
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
        doc.add(*_status_table(toolkits, status, refs))
        doc.add(refs.block())
        return doc

    title = view.criteria[0].name.split(":")[0] if len(view.criteria) > 1 else view.criteria[0].name
    _head(doc, Heading(title), edition_line(view.as_of, view.edition), *freshness)
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
                Cell(_reasoning(by_key[t.id, criterion.id], refs)),
            )
            for t in view.toolkits
        )
        doc.add(
            Table(
                (Column("Toolkit"), Column("Score", no_wrap=True), Column("Reasoning", ratio=1)),
                rows,
            )
        )
    doc.add(*absent)
    doc.add(*_status_table(toolkits, status, refs))
    doc.add(refs.block())
    return doc


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


def toolkit_diff(result: ToolkitDiff) -> Document:
    doc = Document()
    names = _names(result.toolkits)
    criteria = _names(result.criteria)
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
        _head(
            doc,
            Heading(heading.replace("\n", " ")),
            edition_line(result.left_as_of, result.left_edition, "Left: "),
            edition_line(result.right_as_of, result.right_edition, "Right: "),
            *shown,
        )
    else:
        _head(
            doc,
            Heading(f"{left} vs {right}".replace("\n", " ")),
            edition_line(result.left_as_of, result.left_edition),
            *shown,
        )
    doc.add(_delta_line(result, names))
    unrated: dict[str, NotRated] = {e.side: e for e in result.not_rated if e.side}

    def cell(rating: Rating, side: str) -> Cell:
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
    refs = _References()
    reasons = tuple(
        (
            Cell(criteria[row.criterion]),
            Cell(_reasoning(row.left_rating, refs)),
            Cell(_reasoning(row.right_rating, refs)),
        )
        for row in result.rows
    )
    doc.add(Heading("Reasoning"))
    doc.add(
        Table(
            (Column("Criterion", ratio=2), Column(left, ratio=4), Column(right, ratio=4)), reasons
        )
    )
    doc.add(*_status_table(names, status, refs))
    doc.add(refs.block())
    return doc


def bar(score: float, width: int = 20, scale_max: float = SCALE_MAX) -> str:
    eighths = round(max(0.0, min(score / scale_max, 1.0)) * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + ("▏▎▍▌▋▊▉"[rest - 1] if rest else "")


def percent(share: float) -> str:
    return f"{share * 100:.0f} %"


def _contributions(result: Ranking) -> Table:
    """Each weighted criterion's share of each toolkit's score."""
    names = _names(result.toolkits)
    criteria = _names(result.criteria)
    rows = tuple(
        (
            Cell(f"{criteria[path]} ({percent(share)})"),
            *(
                Cell(
                    _stale(f"{row.contributions[path]:.2f}", path in row.stale)
                    if path in row.contributions
                    else "no score",
                    "" if path in row.contributions else "dim",
                )
                for row in result.rows
            ),
        )
        for path, share in result.weights.items()
    )
    return Table(
        (
            Column("Criterion (weight)", ratio=3),
            *(Column(names[r.toolkit], justify="right", ratio=1) for r in result.rows),
        ),
        rows,
    )


def ranking(result: Ranking) -> Document:
    doc = Document()
    names = _names(result.toolkits)
    status = result.toolkit_status
    _head(
        doc,
        Heading("Ranking under your weights"),
        edition_line(result.as_of, result.edition),
        *shown_lines(result.shown, result.notes, result.freshness),
    )
    weights = ", ".join(f"{path} {percent(share)}" for path, share in result.weights.items())
    doc.add(Paragraph(f"Weights: {weights}"))
    if result.not_considered:
        doc.add(Paragraph(f"Not considered: {', '.join(result.not_considered)}", "dim"))
    partial = result.missing == "partial"
    columns = [
        Column("Rank", justify="right", no_wrap=True),
        Column("Toolkit", ratio=2),
        Column("Score", justify="right", no_wrap=True),
        Column("", no_wrap=True),
    ]
    if partial:
        columns.append(Column("Coverage", justify="right", no_wrap=True))
    rows = []
    for row in result.rows:
        cells = [
            Cell(str(row.rank)),
            Cell(labelled(names[row.toolkit], status.get(row.toolkit))),
            Cell(f"{row.score:.2f}", score_style(row.score)),
            Cell(bar(row.score), score_style(row.score)),
        ]
        if partial:
            cells.append(Cell(percent(row.coverage)))
        rows.append(tuple(cells))
    doc.add(Table(tuple(columns), tuple(rows)))
    # who is not in the ranking, and why, right below it (never only further down the screen)
    for dropped in result.dropped:
        doc.add(
            Paragraph(
                f"Left out: {labelled(names[dropped.toolkit], status.get(dropped.toolkit))}, "
                f"not rated on {', '.join(dropped.missing)}",
                "yellow",
            )
        )
    doc.add(*not_in_edition(result))

    provenance = rated_by(
        [
            (row.toolkit, path, by.rsplit(", ", 1)[0])
            for row in result.rows
            for path, by in row.rated_by.items()
        ]
    )
    if provenance:
        doc.add(provenance)
    doc.add(Heading("Contributions to each score"), _contributions(result))
    reweighted = partial_shares(result)
    if reweighted is not None:
        doc.add(reweighted)
    refs = _References()
    doc.add(*_status_table(names, status, refs))
    doc.add(refs.block())
    return doc


def not_in_edition(result: Ranking) -> list[Paragraph]:
    """The toolkits the edition names but does not score: listed once, below the ranking,
    with the reason; they are not candidates."""
    lines = []
    for entry in result.not_in_edition:
        by = (
            f"not rated by {entry.evaluator} ({entry.since})"
            if entry.evaluator and entry.since
            else "never rated"
        )
        successor = f"; successor {entry.successor}" if entry.successor else ""
        lines.append(
            Paragraph(
                f"Not in this edition: {entry.name}, {by}: {entry.reason}{successor}.",
                "yellow",
            )
        )
    return lines


def partial_shares(result: Ranking) -> Paragraph | None:
    """With --missing partial, the shares a partly rated toolkit's contributions were computed
    with: its weights re-scaled over the criteria it is rated on, so the row headers' shares
    do not hold for it."""
    names = _names(result.toolkits)
    parts = []
    for row in result.rows:
        if row.coverage >= 1 or not row.shares:
            continue
        shares = ", ".join(f"{path} {percent(share)}" for path, share in row.shares.items())
        lacks = ", ".join(row.missing)
        parts.append(f"{names[row.toolkit]} (not rated on {lacks}): {shares}")
    if not parts:
        return None
    return Paragraph(
        "Re-weighted over the criteria each toolkit is rated on (the shares in the first "
        f"column hold for fully rated toolkits): {'; '.join(parts)}.",
        "dim",
    )


def _share(share: float) -> str:
    """A share as a percentage; small ones keep a digit so that they never read as 0 %."""
    value = share * 100
    return f"{value:.0f} %" if value >= 9.5 or value == 0 else f"{value:.1g} %"


def _chance(probability: float) -> str:
    """A probability as a percentage that never rounds a possibility to 0 % or 100 %."""
    value = probability * 100
    if 0 < value < 0.5:
        return "<1 %"
    if 99.5 <= value < 100:
        return ">99 %"
    return f"{value:.0f} %"


def _weight(weight: float, share: float) -> str:
    return f"{weight:.3g} ({_share(share)})"


def _end(weight: float | None, share: float | None, then: str | None) -> str:
    """One end of a weight interval and who comes first beyond it."""
    if weight is None or share is None or then is None:
        return "no limit"
    return f"{_weight(weight, share)}\nthen {then}"


def verdict(result: Sensitivity) -> str:
    """One sentence: who is first, what single weight change would end that, and how often it
    stays first among the samples."""
    names = _names(result.ranking.toolkits)
    first = names[result.first]
    rows = result.ranking.rows
    tied = [names[r.toolkit] for r in rows[1:] if r.rank == 1]
    head = f"{first} (tied with {', '.join(tied)}, first by id)" if tied else first
    critical = result.critical
    if len(rows) == 1:
        text = f"{first} is the only toolkit ranked"
    elif critical is None:
        text = f"{head} stays first however far any single weight moves"
    else:
        moved = next(s for s in result.stability if s.criterion == critical.criterion)
        how = "falls below" if critical.change < 0 else "rises above"
        text = (
            f"{head} stays first unless the weight of {critical.criterion} {how} "
            f"{_share(critical.share)} of the total (now {_share(moved.share)}), "
            f"when {names[critical.first]} takes over"
        )
    odds = result.acceptability
    if odds.uncertainty == 0 and odds.rating_noise == 0:
        return f"{text}."
    spread = [f"weights ±{_share(odds.uncertainty)}"] if odds.uncertainty else []
    if odds.rating_noise:
        spread.append(f"ratings ±{odds.rating_noise:g} star")
    chance = odds.toolkits[0].probabilities[0]
    return f"{text}; with {' and '.join(spread)} it is first in {_chance(chance)} of samples."


def sensitivity(result: Sensitivity) -> Document:
    doc = Document()
    doc.add(Paragraph(verdict(result), "bold"))
    doc.blocks.extend(ranking(result.ranking).blocks)
    doc.add(*_stability(result))
    doc.add(*_acceptability(result))
    return doc


def _stability(result: Sensitivity, level: int = 0) -> list[Block]:
    """How far each weight may move, one at a time, before first place changes."""
    names = _names(result.ranking.toolkits)
    first = names[result.first]
    doc = Document()
    doc.add(Heading(f"How far each weight may move with {first} still first", level))
    doc.add(
        Paragraph("One weight at a time, the others fixed; raw weight (share of the total).", "dim")
    )
    rows = []
    for entry in result.stability:
        mark = " *" if result.critical and result.critical.criterion == entry.criterion else ""
        below = names[entry.below] if entry.below else None
        above = names[entry.above] if entry.above else None
        rows.append(
            (
                Cell(f"{entry.criterion}{mark}"),
                Cell(_weight(entry.weight, entry.share)),
                Cell(_end(entry.low, entry.low_share, below), "" if below else "dim"),
                Cell(_end(entry.high, entry.high_share, above), "" if above else "dim"),
            )
        )
    doc.add(
        Table(
            (
                Column("Criterion", no_wrap=True),
                Column("Now", no_wrap=True),
                Column("Lowest", ratio=1),
                Column("Highest", ratio=1),
            ),
            tuple(rows),
        )
    )
    critical = result.critical
    if critical is not None:
        change = f"a {'cut' if critical.change < 0 else 'rise'} of {_share(abs(critical.change))}"
        doc.add(
            Paragraph(
                f"Most critical (*): {critical.criterion}; {change} in its weight (to "
                f"{critical.weight:.3g}) puts {names[critical.first]} first."
            )
        )
    else:
        doc.add(Paragraph("No single weight, however far it moves, changes first place."))
    return doc.blocks


def _acceptability(result: Sensitivity, level: int = 0) -> list[Block]:
    """How often each toolkit holds each place under random weights (and ratings)."""
    names = _names(result.ranking.toolkits)
    doc = Document()
    odds = result.acceptability
    doc.add(Heading("Rank acceptability", level))
    noise = (
        f"; each rating moved by up to ±{odds.rating_noise:g} (uniform), clipped to the scale"
        if odds.rating_noise
        else ""
    )
    doc.add(
        Paragraph(
            f"{odds.samples} samples (seed {odds.seed}): each weight times a random factor in "
            f"[{1 - odds.uncertainty:g}, {1 + odds.uncertainty:g}]{noise}. Equal scores are "
            "placed in id order.",
            "dim",
        )
    )
    places = range(1, len(odds.toolkits[0].probabilities) + 1 if odds.toolkits else 1)
    doc.add(
        Table(
            (
                Column("Toolkit", ratio=1),
                *(Column(f"#{place}", justify="right", no_wrap=True) for place in places),
            ),
            tuple(
                (
                    Cell(names[entry.toolkit]),
                    *(Cell(_chance(p), "" if p else "dim") for p in entry.probabilities),
                )
                for entry in odds.toolkits
            ),
        )
    )
    return doc.blocks


def catalog(result: Catalog) -> Document:
    doc = Document()
    _head(
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
        rows.append((Cell(criterion.id), Cell(criterion.name), Cell(criterion.description)))
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
    refs = _References()
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
        *_status_table(
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


def _entry_score(entry: HistoryEntry, first: bool) -> Cell:
    """The score at this edition, and what it was before when the score changed."""
    if entry.score is None:
        text = {Status.WITHDRAWN: "dropped", Status.UNRATED: "no score"}.get(entry.status, "")
    else:
        text = _stale(format_score(entry.score), entry.stale)
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
    '4.9 (2015-11-20) → 4.5 (2015-12-02), by zer0n/deepframeworks; then 4.0 (2026-12-03), by
    dlcompare'. Two evaluators' scores read as two views, never as one moving score."""
    runs: list[tuple[str | None, list[str]]] = []
    for entry in entries:
        if entry.score is not None:
            step = f"{format_score(entry.score)} ({entry.edition})"
        else:
            word = {Status.WITHDRAWN: "dropped", Status.UNRATED: "no score"}.get(entry.status, "")
            step = f"{word} ({entry.edition})"
        if runs and runs[-1][0] == entry.evaluator:
            runs[-1][1].append(step)
        else:
            runs.append((entry.evaluator, [step]))
    parts = [" → ".join(steps) + (f", by {who}" if who else "") for who, steps in runs]
    return "; then ".join(parts)


def toolkit_history(result: ToolkitHistory) -> Document:
    doc = Document()
    names = _names(result.toolkits)
    criteria = _names(result.criteria)
    status = result.toolkit_status
    name = labelled(names[result.toolkit], status.get(result.toolkit))
    _head(
        doc,
        Heading(f"{name}: rating history"),
        edition_line(result.as_of, result.edition),
        *shown_lines(result.shown, result.notes, result.freshness),
    )
    evaluators = {e.evaluator for item in result.history for e in item.entries}
    refs = _References()
    for item in result.history:
        doc.add(Heading(criteria[item.criterion]))
        if not item.entries:
            doc.add(Paragraph("Not covered by the source in any edition.", "dim"))
            continue
        doc.add(Paragraph(timeline(item.entries)))
        rows = []
        for n, entry in enumerate(item.entries):
            reason = entry.summary
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
    doc.add(*_status_table(names, status, refs))
    doc.add(refs.block())
    return doc


def _score_or(score: float | None, status: Status) -> str:
    if score is not None:
        return format_score(score)
    return {Status.WITHDRAWN: "dropped", Status.UNRATED: "no score"}.get(status, "none")


def edition_changes(result: EditionChanges) -> Document:
    doc = Document()
    names = _names(result.toolkits)
    criteria = _names(result.criteria)
    previous = f" against {result.previous.date}" if result.previous else " (the first edition)"
    _head(
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
    if result.toolkits_added:
        new = ", ".join(names[t] for t in result.toolkits_added)
        doc.add(Paragraph(f"Toolkits added: {new}"))
    refs = _References()
    groups = (
        ("Scores moved", (ChangeKind.MOVED,)),
        ("Scores added", (ChangeKind.ADDED,)),
        ("Scores withdrawn", (ChangeKind.WITHDRAWN,)),
        (
            "Reasoning revised or newly discussed, score unchanged",
            (ChangeKind.REVISED, ChangeKind.UNRATED),
        ),
    )
    for title, kinds in groups:
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
    doc.add(*_status_table(names, result.toolkit_status, refs))
    doc.add(refs.block())
    return doc


def validation(result: ValidationReport) -> Document:
    doc = Document()
    if result.ok:
        return doc  # quiet on success; the exit code says it
    doc.add(Paragraph(f"{len(result.problems)} problem(s) in {result.folder}", "bold", wrap=False))
    for problem in result.problems:
        where = f"{problem.file}:{problem.line}" if problem.line else problem.file
        if problem.where:
            where += f" › {problem.where}"
        doc.add(Paragraph(f"{where}: {problem.message}", wrap=False))
    return doc


def document(result: object) -> Document:
    """The layout of any result object."""
    builders: dict[type, object] = {
        RatingsView: ratings_view,
        ToolkitDiff: toolkit_diff,
        Ranking: ranking,
        Sensitivity: sensitivity,
        Catalog: catalog,
        EditionList: editions,
        ValidationReport: validation,
        ToolkitHistory: toolkit_history,
        EditionChanges: edition_changes,
    }
    if isinstance(result, Report):
        from .report import layout

        return layout(result)
    builder = builders.get(type(result))
    if builder is not None:
        return builder(result)  # type: ignore[operator, no-any-return]
    # `dlcompare measure` has its own render module, imported only for its result
    from ..measure.results import Measurement

    if isinstance(result, Measurement):
        from . import measure

        return measure.layout(result)
    raise TypeError(f"no layout for {type(result).__name__}")
