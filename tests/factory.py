"""Building small datasets in memory for scoring tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from dlcompare.dataset import Dataset, Evaluation
from dlcompare.schema import Assessment, Criterion, Edition, Scale, Toolkit

DAY = dt.date(2020, 1, 1)
EDITION = Edition(date=DAY, url="https://example.org/ed", evaluator="tests", summary="test edition")


def make_evaluation(matrix: Mapping[str, Mapping[str, float | None]]) -> Evaluation:
    """`{toolkit: {criterion: score or None}}`; None means discussed but unrated."""
    criteria_ids = sorted({c for row in matrix.values() for c in row})
    criteria = tuple(
        Criterion(id=c, name=c.title(), description=f"{c} criterion") for c in criteria_ids
    )
    toolkits = tuple(
        Toolkit(
            id=t,
            name=t.title(),
            ratings={c: {DAY: Assessment(score=s, summary="test")} for c, s in row.items()},
        )
        for t, row in sorted(matrix.items())
    )
    dataset = Dataset(scale=Scale(), criteria=criteria, editions=(EDITION,), toolkits=toolkits)
    return dataset.evaluation(EDITION)
