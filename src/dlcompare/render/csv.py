"""The `csv` format: a header row and plain values, things named by id, numbers unrounded.
Every text field goes out through `escape.csv` (control characters made visible, a cell that
a spreadsheet would run as a formula made text)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..results.base import EditionNote, NotRated
from ..results.catalog import Catalog, EditionList, ValidationReport
from ..results.history import EditionChanges, ToolkitHistory
from ..results.ranking import Ranking
from ..results.views import RatingsView, ToolkitDiff
from ..schema import ProjectStatus
from .escape import csv as escape

Row = Sequence[object]


def _number(value: float | None) -> str:
    return "" if value is None else repr(value)


def _flag(value: bool | None) -> str:
    return "" if value is None else str(value).lower()


def _state(status: ProjectStatus | None) -> str:
    return status.state if status else ""


def _state_date(status: ProjectStatus | None) -> object:
    return status.date or "" if status else ""


def _notes(notes: Sequence[EditionNote]) -> str:
    """The edition notes that hold for the rows: 'evaluator, date: text', joined by ' | '."""
    return " | ".join(f"{n.evaluator}, {n.edition}: {n.text}" for n in notes)


def _not_rated(entries: Sequence[NotRated]) -> dict[str, NotRated]:
    return {e.toolkit: e for e in entries}


def _why_not(entry: NotRated | None) -> str:
    if entry is None:
        return ""
    successor = f"; successor {entry.successor}" if entry.successor else ""
    return f"{entry.reason}{successor}"


def _ratings(result: RatingsView) -> Iterable[Row]:
    yield (
        "toolkit",
        "criterion",
        "status",
        "score",
        "edition",
        "last_rated_score",
        "last_rated_edition",
        "summary",
        "sources",
        "age_days",
        "stale",
        "view_edition",
        "view_edition_age_days",
        "toolkit_state",
        "toolkit_state_date",
        "evaluator",
        "not_rated",
        "edition_notes",
    )
    edition = result.edition
    notes = _notes(result.notes)
    absent = _not_rated(result.not_rated)
    for r in result.ratings:
        last = r.last_rated
        status = result.toolkit_status.get(r.toolkit)
        yield (
            r.toolkit,
            r.criterion,
            r.status.value,
            _number(r.score),
            r.edition or "",
            _number(last.score if last else None),
            last.edition if last else "",
            r.summary or "",
            " ".join(r.sources),
            _number(r.age_days),
            _flag(r.stale),
            edition.date,
            _number(edition.age_days),
            _state(status),
            _state_date(status),
            r.evaluator or "",
            _why_not(absent.get(r.toolkit)),
            notes,
        )
    # toolkits the view names without scoring, one row each (the matrix has no cells for them)
    for entry in result.not_rated:
        if any(r.toolkit == entry.toolkit for r in result.ratings):
            continue
        status = result.toolkit_status.get(entry.toolkit)
        yield (
            entry.toolkit,
            "",
            "not-rated",
            "",
            entry.since or "",
            "",
            entry.last_rated or "",
            entry.summary or "",
            "",
            "",
            "",
            edition.date,
            _number(edition.age_days),
            _state(status),
            _state_date(status),
            entry.evaluator or "",
            _why_not(entry),
            notes,
        )


def _diff(result: ToolkitDiff) -> Iterable[Row]:
    yield (
        "criterion",
        "left_toolkit",
        "left",
        "right_toolkit",
        "right",
        "delta",
        "ahead",
        "left_status",
        "right_status",
        "left_label",
        "right_label",
        "left_edition",
        "right_edition",
        "left_edition_age_days",
        "right_edition_age_days",
        "left_rating_edition",
        "right_rating_edition",
        "left_stale",
        "right_stale",
        "left_state",
        "right_state",
        "left_evaluator",
        "right_evaluator",
        "delta_means",
        "left_not_rated",
        "right_not_rated",
        "edition_notes",
        "not_in_edition",
    )
    left_status = result.toolkit_status.get(result.left)
    right_status = result.toolkit_status.get(result.right)
    absent = {e.side: e for e in result.not_rated}
    notes = _notes(result.notes)
    for row in result.rows:
        yield (
            row.criterion,
            result.left,
            _number(row.left),
            result.right,
            _number(row.right),
            _number(row.delta),
            row.ahead or "",
            row.left_rating.status.value,
            row.right_rating.status.value,
            result.left_label,
            result.right_label,
            result.left_edition.date,
            result.right_edition.date,
            _number(result.left_edition.age_days),
            _number(result.right_edition.age_days),
            row.left_rating.edition or "",
            row.right_rating.edition or "",
            _flag(row.left_rating.stale),
            _flag(row.right_rating.stale),
            _state(left_status),
            _state(right_status),
            row.left_rating.evaluator or "",
            row.right_rating.evaluator or "",
            result.delta_means,
            _why_not(absent.get("left")),
            _why_not(absent.get("right")),
            notes,
            " ".join(row.not_in_edition),
        )


def _ranking(result: Ranking) -> Iterable[Row]:
    paths = list(result.shares)
    yield (
        "rank",
        "toolkit",
        "score",
        "coverage",
        *(f"contribution:{p}" for p in paths),
        "oldest_rating",
        "stale",
        "edition",
        "edition_age_days",
        "toolkit_state",
        "toolkit_state_date",
        "rated_by",
        "missing",
        "not_in_edition",
        "edition_notes",
    )
    notes = _notes(result.notes)

    def unranked(toolkit: str, missing: str, why: str) -> Row:
        status = result.toolkit_status.get(toolkit)
        return (
            "",
            toolkit,
            "",
            "",
            *("" for _ in paths),
            "",
            "",
            result.edition.date,
            _number(result.edition.age_days),
            _state(status),
            _state_date(status),
            "",
            missing,
            why,
            notes,
        )

    for row in result.rows:
        status = result.toolkit_status.get(row.toolkit)
        yield (
            row.rank,
            row.toolkit,
            _number(row.score),
            _number(row.coverage),
            *(_number(row.contributions.get(p)) for p in paths),
            min(row.rated_on.values(), default=""),
            " ".join(row.stale),
            result.edition.date,
            _number(result.edition.age_days),
            _state(status),
            _state_date(status),
            "; ".join(f"{path}={by}" for path, by in row.rated_by.items()),
            " ".join(row.missing),
            "",
            notes,
        )
    # left out of the ranking: no rank, no score, and the weighted criteria each one lacks
    for dropped in result.dropped:
        yield unranked(dropped.toolkit, " ".join(dropped.missing), "")
    # not candidates: named by the edition, scored nowhere in it
    for entry in result.not_in_edition:
        yield unranked(entry.toolkit, "", _why_not(entry))


def _rank(result: Ranking) -> Iterable[Row]:
    return _ranking(result) if result.sensitivity is None else _sensitivity(result)


def _sensitivity(result: Ranking) -> Iterable[Row]:
    """One table, a `kind` per row: `toolkit` (rank, score and the probability of each place,
    alone or tied, then the probability of holding it tied), `left-out` (a toolkit not ranked,
    with the weighted criteria it lacks in `missing`), `criterion` (the weight interval in
    which first place holds; `below`/`above` list every toolkit tied beyond an end) and one
    `sampling` row."""
    analysis = result.sensitivity
    assert analysis is not None
    odds = analysis.acceptability
    shown = len(odds.toolkits[0].probabilities) if odds.toolkits else 0
    places = [f"p_place_{i}" for i in range(1, shown + 1)]
    places += [f"p_tied_place_{i}" for i in range(1, shown + 1)]
    interval = [
        "weight",
        "share",
        "low",
        "high",
        "low_share",
        "high_share",
        "below",
        "above",
        "change_down",
        "change_up",
        "critical",
    ]
    sampling = ["samples", "seed", "uncertainty", "rating_noise"]
    yield ("kind", "id", "rank", "score", *places, *interval, *sampling, "missing")
    blank_places = [""] * len(places)
    blank_interval = [""] * len(interval)
    blank_sampling = [""] * len(sampling)
    by_id = {o.toolkit: o for o in odds.toolkits}
    for row in result.rows:
        yield (
            "toolkit",
            row.toolkit,
            row.rank,
            _number(row.score),
            *(_number(p) for p in by_id[row.toolkit].probabilities),
            *(_number(p) for p in by_id[row.toolkit].tied_probabilities),
            *blank_interval,
            *blank_sampling,
            " ".join(row.missing),
        )
    for dropped in result.dropped:
        yield (
            "left-out",
            dropped.toolkit,
            "",
            "",
            *blank_places,
            *blank_interval,
            *blank_sampling,
            " ".join(dropped.missing),
        )
    critical = analysis.critical.criterion if analysis.critical else None
    for s in analysis.stability:
        yield (
            "criterion",
            s.criterion,
            "",
            "",
            *blank_places,
            _number(s.weight),
            _number(s.share),
            _number(s.low),
            _number(s.high),
            _number(s.low_share),
            _number(s.high_share),
            " ".join(s.below),
            " ".join(s.above),
            _number(s.change_down),
            _number(s.change_up),
            "true" if s.criterion == critical else "false",
            *blank_sampling,
            "",
        )
    yield (
        "sampling",
        "",
        "",
        "",
        *blank_places,
        *blank_interval,
        odds.samples,
        odds.seed,
        _number(odds.uncertainty),
        _number(odds.rating_noise),
        "",
    )


def _catalog(result: Catalog) -> Iterable[Row]:
    yield (
        "kind",
        "id",
        "name",
        "parent",
        "aliases",
        "first_edition",
        "url",
        "state",
        "state_date",
        "state_source",
        "successor",
    )
    for criterion in result.criteria:
        yield ("criterion", criterion.id, criterion.name, "", "", "", "", "", "", "", "")
        for part in criterion.parts:
            yield (
                "criterion",
                f"{criterion.id}.{part.id}",
                part.name,
                criterion.id,
                *("",) * 7,
            )
    for t in result.toolkits:
        status = t.status
        yield (
            "toolkit",
            t.id,
            t.name,
            "",
            " ".join(t.aliases),
            t.first_edition or "",
            t.repository or t.homepage or "",
            _state(status),
            _state_date(status),
            status.source if status else "",
            status.successor.name if status and status.successor else "",
        )


def _editions(result: EditionList) -> Iterable[Row]:
    yield ("date", "commit", "also", "ratings_changed", "evaluator", "url", "notes")
    for e in result.editions:
        yield (
            e.date,
            e.commit or "",
            " ".join(e.also),
            e.ratings_changed,
            e.evaluator,
            e.url or "",
            " | ".join(e.notes),
        )


def _history(result: ToolkitHistory) -> Iterable[Row]:
    yield (
        "toolkit",
        "criterion",
        "edition",
        "change",
        "status",
        "score",
        "previous_score",
        "age_days",
        "stale",
        "summary",
        "sources",
        "evaluator",
        "previous_evaluator",
        "edition_notes",
    )
    notes = _notes(result.notes)
    for item in result.history:
        for e in item.entries:
            yield (
                result.toolkit,
                item.criterion,
                e.edition,
                e.change.value,
                e.status.value,
                _number(e.score),
                _number(e.previous_score),
                _number(e.age_days),
                _flag(e.stale),
                e.summary,
                " ".join(e.sources),
                e.evaluator or "",
                e.previous_evaluator or "",
                notes,
            )


def _changes(result: EditionChanges) -> Iterable[Row]:
    yield (
        "edition",
        "edition_age_days",
        "previous_edition",
        "toolkit",
        "criterion",
        "change",
        "old_score",
        "new_score",
        "old_status",
        "new_status",
        "toolkit_added",
        "summary",
        "sources",
    )
    previous = result.previous.date if result.previous else ""
    for c in result.changes:
        yield (
            result.edition.date,
            _number(result.edition.age_days),
            previous,
            c.toolkit,
            c.criterion,
            c.change.value,
            _number(c.old_score),
            _number(c.new_score),
            c.old_status.value,
            c.new_status.value,
            _flag(c.toolkit in result.toolkits_added),
            c.summary or "",
            " ".join(c.sources),
        )
    # a note the edition added is a change too (the source's 2016-11-13 notice changed no score)
    for note in result.notes:
        if note.edition != result.edition.date:
            continue
        yield (
            result.edition.date,
            _number(result.edition.age_days),
            previous,
            "",
            "",
            "note",
            "",
            "",
            "",
            "",
            "",
            note.text,
            "",
        )


def _validation(result: ValidationReport) -> Iterable[Row]:
    yield ("file", "line", "where", "problem", "severity")
    for p in result.problems:
        yield (p.file, p.line or "", p.where, p.message, "error")
    for p in result.warnings:
        yield (p.file, p.line or "", p.where, p.message, "warning")


_ROWS: dict[type, Callable[[Any], Iterable[Row]]] = {
    RatingsView: _ratings,
    ToolkitDiff: _diff,
    Ranking: _rank,
    Catalog: _catalog,
    EditionList: _editions,
    ValidationReport: _validation,
    ToolkitHistory: _history,
    EditionChanges: _changes,
}


def _rows_elsewhere(result: object) -> Iterable[Row]:
    from ..measure.results import Measurement
    from ..results.check import CheckReport, LinkReport
    from . import check, measure

    if isinstance(result, CheckReport):
        return check.check_rows(result)
    if isinstance(result, LinkReport):
        return check.link_rows(result)
    if not isinstance(result, Measurement):
        raise TypeError(f"no CSV rows for {type(result).__name__}")
    return measure.rows(result)


def render(result: object) -> str:
    # `check` and `measure` have their own render modules, imported only for their results
    rows_of = _ROWS.get(type(result))
    rows = rows_of(result) if rows_of is not None else _rows_elsewhere(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def _cell(value: object) -> object:
    """Every cell leaves through here: numbers as they are, anything else as escaped text
    (never a formula a spreadsheet would run)."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return escape(value if isinstance(value, str) else str(value))
