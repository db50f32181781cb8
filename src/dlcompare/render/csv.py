"""The `csv` format: a header row and plain values, things named by id, numbers unrounded."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..results import (
    Catalog,
    EditionList,
    Ranking,
    RatingsView,
    Sensitivity,
    ToolkitDiff,
    ValidationReport,
)

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


def _sensitivity(result: Sensitivity) -> Iterable[Row]:
    """One table, a `kind` per row: `toolkit` (rank, score and the probability of each place),
    `criterion` (the weight interval in which first place holds) and one `sampling` row."""
    odds = result.acceptability
    places = [f"p_place_{i}" for i in range(1, len(odds.toolkits) + 1)]
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
    yield ("kind", "id", "rank", "score", *places, *interval, *sampling)
    blank_places = [""] * len(places)
    blank_interval = [""] * len(interval)
    blank_sampling = [""] * len(sampling)
    by_id = {o.toolkit: o for o in odds.toolkits}
    for row in result.ranking.rows:
        yield (
            "toolkit",
            row.toolkit,
            row.rank,
            _number(row.score),
            *(_number(p) for p in by_id[row.toolkit].probabilities),
            *blank_interval,
            *blank_sampling,
        )
    critical = result.critical.criterion if result.critical else None
    for s in result.stability:
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
            s.below or "",
            s.above or "",
            _number(s.change_down),
            _number(s.change_up),
            "true" if s.criterion == critical else "false",
            *blank_sampling,
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
    Sensitivity: _sensitivity,
    Catalog: _catalog,
    EditionList: _editions,
    ValidationReport: _validation,
}


def render(result: object) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(_ROWS[type(result)](result))
    return buffer.getvalue()
