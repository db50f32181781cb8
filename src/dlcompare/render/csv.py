"""The `csv` format: a header row and plain values, things named by id, numbers unrounded."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..results import Catalog, EditionList, Ranking, RatingsView, ToolkitDiff, ValidationReport

Row = Sequence[object]


def _number(value: float | None) -> str:
    return "" if value is None else repr(value)


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
    )
    for r in result.ratings:
        last = r.last_rated
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
    )
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
        )


def _ranking(result: Ranking) -> Iterable[Row]:
    paths = list(result.weights)
    yield ("rank", "toolkit", "score", "coverage", *(f"contribution:{p}" for p in paths))
    for row in result.rows:
        yield (
            row.rank,
            row.toolkit,
            _number(row.score),
            _number(row.coverage),
            *(_number(row.contributions.get(p)) for p in paths),
        )


def _catalog(result: Catalog) -> Iterable[Row]:
    yield ("kind", "id", "name", "parent", "aliases", "first_edition", "url")
    for criterion in result.criteria:
        yield ("criterion", criterion.id, criterion.name, "", "", "", "")
        for part in criterion.parts:
            yield ("criterion", f"{criterion.id}.{part.id}", part.name, criterion.id, "", "", "")
    for t in result.toolkits:
        yield (
            "toolkit",
            t.id,
            t.name,
            "",
            " ".join(t.aliases),
            t.first_edition or "",
            t.repository or t.homepage or "",
        )


def _editions(result: EditionList) -> Iterable[Row]:
    yield ("date", "commit", "also", "ratings_changed", "evaluator", "url")
    for e in result.editions:
        yield (e.date, e.commit or "", " ".join(e.also), e.ratings_changed, e.evaluator, e.url)


def _validation(result: ValidationReport) -> Iterable[Row]:
    yield ("file", "where", "problem")
    for p in result.problems:
        yield (p.file, p.where, p.message)


_ROWS: dict[type, Callable[[Any], Iterable[Row]]] = {
    RatingsView: _ratings,
    ToolkitDiff: _diff,
    Ranking: _ranking,
    Catalog: _catalog,
    EditionList: _editions,
    ValidationReport: _validation,
}


def render(result: object) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(_ROWS[type(result)](result))
    return buffer.getvalue()
