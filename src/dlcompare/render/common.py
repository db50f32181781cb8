"""Pieces every layout uses: score cells, the lines that say whose ratings a view shows and
how old they are, what a view says about a toolkit it does not rate, project status and
numbered references.

Rounding happens in the layouts and only there (JSON and CSV carry exact numbers)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..results.base import (
    EditionInfo,
    EditionNote,
    EvaluatorSpan,
    Freshness,
    Named,
    NotRated,
    Rating,
    Status,
    format_score,
)
from ..schema import METHOD_PATH, ProjectStatus
from .blocks import Cell, Column, Document, Heading, Links, Paragraph, Table

if TYPE_CHECKING:
    from ..results.views import CriterionSplit

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


def stale_marked(text: str, stale: bool) -> str:
    """`text` with the stale mark when the rating it shows is stale."""
    return f"{text} {STALE_MARK}" if stale else text


def score_cell(rating: Rating, with_stars: bool = True) -> Cell:
    if rating.score is None:
        return Cell(short_reason(rating), "dim")
    text = format_score(rating.score)
    if with_stars:
        text = f"{stars(rating.score)} {text}"
    return Cell(stale_marked(text, rating.stale), score_style(rating.score))


def age_text(days: int, years: float) -> str:
    """3642 days -> '10.0 years'; under a year, in days ('1 day', '0 days')."""
    if abs(years) >= 1:
        return f"{years:.1f} years"
    return f"{days} day" if abs(days) == 1 else f"{days} days"


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
    # the stale mark is explained only where a view can show one
    marked = freshness is not None and (not shown or any(s.stale for s in shown))
    legend = f" {_legend(freshness)}" if marked and freshness is not None else ""
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


def only_line(only: Sequence[str] | None, names: dict[str, str]) -> Paragraph | None:
    """Say that the view was narrowed to some toolkits (`--toolkits`), and to which."""
    if only is None:
        return None
    chosen = ", ".join(names.get(toolkit, toolkit) for toolkit in only)
    return Paragraph(f"Only the toolkits asked for (--toolkits): {chosen}.", "dim")


MORE_ON_STATUS = "dlcompare list"
"""The command that shows every toolkit's project status, successor and source."""


def not_rated_summary(entries: Sequence[NotRated], verbose: bool = False) -> Paragraph | None:
    """The toolkits a view names without rating them, all on one line, grouped by why (their
    project ended, went inactive); with the command that says more, unless `verbose` shows
    their status below anyway."""
    if not entries:
        return None
    groups: dict[str, list[str]] = {}
    for entry in entries:
        state = entry.state if entry.state in ("ended", "inactive") else ""
        groups.setdefault(state or "", []).append(entry.name)
    parts = [", ".join(names) + (f" ({state})" if state else "") for state, names in groups.items()]
    text = f"Not rated in this edition: {'; '.join(parts)}."
    if not verbose:
        text += f" Why, and successors: {MORE_ON_STATUS}"
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
        + (f": {edition.url}" if edition.url else "")
        + (f"; method: {method_pointer(edition.method)}" if edition.method else ""),
        "dim",
    )


def method_pointer(path: str) -> str:
    """Where a reader finds an edition's method: the command that shows dlcompare's own
    (shipped inside the package), or the repository file another data folder names."""
    return "dlcompare method" if path == METHOD_PATH else path


_LEGEND = Paragraph(
    "dropped: an earlier edition rated it, this one does not; no score: discussed without a "
    "rating; not covered: the source says nothing about it.",
    "dim",
)


def legend(ratings: Sequence[Rating]) -> list[Paragraph]:
    """The key to the words that stand for a missing score, only where one is shown."""
    return [_LEGEND] if any(r.status is not Status.RATED for r in ratings) else []


class References:
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


def reasoning_text(rating: Rating, refs: References) -> str:
    """A rating's summary, notes, cited sources and since when it holds (or why it has no
    summary)."""
    if rating.summary is None:
        return rating.reason
    parts = [rating.summary]
    parts += [f"Note: {note}" for note in rating.notes]
    tail = []
    if rating.sources:
        tail.append(refs.cite(rating.sources))
    if rating.edition is not None:
        by = f", {rating.evaluator}" if rating.evaluator else ""
        on = f", judged on version {rating.version}" if rating.version else ""
        tail.append(f"(since {rating.edition}{by}{on})")
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


def names_of(items: Sequence[Named]) -> dict[str, str]:
    """Display names by id."""
    return {item.id: item.name for item in items}


def status_table(
    names: dict[str, str], statuses: dict[str, ProjectStatus | None], refs: References
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


def add_header(doc: Document, *blocks: Paragraph | Heading | None) -> None:
    """Add a view's heading lines; a line a view does not have is None and left out."""
    doc.add(*(b for b in blocks if b is not None))


def part_names(split: CriterionSplit, criteria: dict[str, str]) -> str:
    """The parts of a split criterion by their own names: `Server, Mobile and edge, Browser`
    (a leaf's name is `Model deployment: Server`)."""
    whole = f"{criteria.get(split.criterion, split.criterion)}: "
    names = (criteria.get(p, p) for p in split.parts)
    return ", ".join(name.removeprefix(whole) for name in names)
