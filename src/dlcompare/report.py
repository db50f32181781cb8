"""Building the `report` result: the whole evaluation as one document. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping

from .catalog import catalog
from .dataset import Evaluation
from .freshness import Ages
from .provenance import annotate_ranking, resolution
from .results.base import EditionInfo, Freshness
from .results.report import Report
from .schema import METHOD_PATH
from .scoring import MissingPolicy
from .views import show


def report(
    evaluation: Evaluation,
    ages: Ages,
    weights: Mapping[str, float] | None = None,
    missing: MissingPolicy = "drop",
    method: str | None = None,
) -> Report:
    """The catalog, the whole matrix of ratings and, only when `weights` are given, the
    ranking under them with its sensitivity analysis (the defaults of `rank --sensitivity`:
    weights ±25 %, 10,000 samples, seed 2016). `method`: the text of dlcompare's method
    (docs/method.md), carried when the edition is rated under it. Same errors as `rank`."""
    ranking = None
    if weights is not None:
        from . import sensitivity

        ranking = annotate_ranking(
            sensitivity.analyse(evaluation, weights, missing), evaluation, ages
        )
    ratings = show(evaluation, None, ages)
    return Report(
        as_of=evaluation.as_of,
        edition=EditionInfo.of(evaluation.edition, ages),
        freshness=Freshness.of(ages),
        catalog=catalog(evaluation, ages),
        ratings=ratings,
        ranking=ranking,
        resolution=resolution(r.score for r in ratings.ratings if r.score is not None),
        method=method if evaluation.edition.method == METHOD_PATH else None,
    )
