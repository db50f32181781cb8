"""The Python API, for notebooks and scripts: the same result objects the CLI renders.

    import dlcompare

    evaluation = dlcompare.load()                       # bundled data, latest edition
    view = dlcompare.show(evaluation, "performance")    # a RatingsView
    ranking = dlcompare.rank(evaluation, {"interfaces": 1, "performance.single-gpu": 3})

Names are read as on the command line (ids, aliases, dotted paths or display names, any case),
dates as with `--as-of`. Every mistake raises a `DlcompareError` subclass. Ages are counted to
`today` (default: `clock.today()`, which `DLCOMPARE_TODAY` pins), with ratings older than
`stale_after` years marked stale.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, overload

from .dataset import Dataset, Evaluation, Leaf
from .errors import NotFoundError, WeightsError
from .freshness import DEFAULT_STALE_AFTER_YEARS, Ages
from .results import (
    EditionChanges,
    Ranking,
    Rating,
    RatingsView,
    Sensitivity,
    ToolkitDiff,
    ToolkitHistory,
)
from .schema import Criterion, RatedToolkit
from .scoring import MissingPolicy
from .sensitivity import DEFAULT_SAMPLES, DEFAULT_SEED, DEFAULT_UNCERTAINTY

PathLike = str | os.PathLike[str]
When = str | dt.date
"""An edition's date, any later date (the edition then in force) or an edition's commit."""

__all__ = [
    "at",
    "changes",
    "criterion",
    "diff",
    "history_of",
    "load",
    "rank",
    "rating",
    "show",
    "toolkit",
]


def load(
    data: PathLike | Iterable[PathLike] = (),
    *,
    bundled: bool = True,
    as_of: When | None = None,
) -> Evaluation:
    """The evaluation as of `as_of` (default: the latest edition), from the bundled data, the
    folders in DLCOMPARE_DATA and then `data` (one folder or several; later ones win), as the
    CLI's `--data` layers them. `bundled=False` is `--no-bundled`. Raises DataError listing
    every problem in the data."""
    from .loading import load_layers

    folders = [data] if isinstance(data, str | os.PathLike) else list(data)
    return at(load_layers([Path(f) for f in folders], bundled=bundled), as_of)


def at(source: Dataset | Evaluation, as_of: When | None = None) -> Evaluation:
    """The same data as of another edition: the one in force on a date, or with that commit.
    None means the latest edition."""
    from .names import as_date, find_edition

    dataset = source.dataset if isinstance(source, Evaluation) else source
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    text = as_of.isoformat() if isinstance(as_of, dt.date) else as_of
    edition = find_edition(dataset, text)
    requested = as_date(text) if text is not None else None  # None: a commit hash
    return dataset.evaluation(edition, requested)


def toolkit(evaluation: Evaluation, name: str) -> RatedToolkit:
    """A toolkit by id, alias or name (any case), with every assessment of it in the data
    (`ratings[criterion path][edition date]`), whatever the evaluation's edition."""
    from .names import find_toolkit

    dataset = evaluation.dataset
    return dataset.rated_toolkit(find_toolkit(dataset, name))


def criterion(evaluation: Evaluation, name: str) -> Criterion | Leaf:
    """A criterion by id, dotted path or name: a `Leaf` when it is rated as a whole (or is one
    part), the `Criterion` when it has parts."""
    from .names import find_criterion

    return find_criterion(evaluation.dataset, name)


def _ages(stale_after: float, today: dt.date | None) -> Ages:
    from .clock import today as clock_today

    return Ages(today or clock_today(), stale_after)


def rating(
    evaluation: Evaluation,
    toolkit_name: str,
    criterion_name: str,
    *,
    stale_after: float = DEFAULT_STALE_AFTER_YEARS,
    today: dt.date | None = None,
) -> Rating:
    """One toolkit's rating on one rateable criterion (a part, for a criterion with parts):
    score (None when not rated), summary, sources, edition, evaluator, age."""
    from .views import rating as build

    found = criterion(evaluation, criterion_name)
    if isinstance(found, Criterion):
        parts = ", ".join(f"{found.id}.{p.id}" for p in found.parts)
        raise NotFoundError(f"'{found.id}' is rated part by part; name one of: {parts}")
    return build(
        evaluation, toolkit(evaluation, toolkit_name).id, found.path, _ages(stale_after, today)
    )


def show(
    evaluation: Evaluation,
    subject: str | None = None,
    *,
    stale_after: float = DEFAULT_STALE_AFTER_YEARS,
    today: dt.date | None = None,
) -> RatingsView:
    """What `dlcompare show SUBJECT` prints: one criterion across the toolkits, one toolkit
    across the criteria, or (subject None) the whole matrix."""
    from .names import find_subject
    from .views import show as build

    target = find_subject(evaluation.dataset, subject) if subject is not None else None
    return build(evaluation, target, _ages(stale_after, today))


def diff(
    evaluation: Evaluation,
    left: str,
    right: str,
    *,
    stale_after: float = DEFAULT_STALE_AFTER_YEARS,
    today: dt.date | None = None,
) -> ToolkitDiff:
    """What `dlcompare diff LEFT RIGHT` prints. Each side is `TOOLKIT` (as of `evaluation`'s
    edition) or `TOOLKIT@DATE` (a date or commit, read as `as_of` is)."""
    from .names import split_at
    from .views import diff as build

    left_name, left_when = split_at(left)
    right_name, right_when = split_at(right)
    left_eval = at(evaluation, left_when) if left_when else evaluation
    right_eval = at(evaluation, right_when) if right_when else evaluation
    return build(
        left_eval,
        toolkit(evaluation, left_name),
        toolkit(evaluation, right_name),
        _ages(stale_after, today),
        right_eval,
    )


def _weights(evaluation: Evaluation, weights: Mapping[Any, Any] | PathLike) -> dict[str, float]:
    from . import weights as reading

    if isinstance(weights, str | os.PathLike):
        return reading.read_file(evaluation.dataset, Path(weights))
    if not isinstance(weights, Mapping):
        raise WeightsError(
            "weights must be a mapping of criterion to weight, or a weights file's path"
        )
    return reading.flatten(evaluation.dataset, weights, "weights")


@overload
def rank(
    evaluation: Evaluation,
    weights: Mapping[Any, Any] | PathLike,
    *,
    missing: MissingPolicy = ...,
    sensitivity: Literal[False] = ...,
    stale_after: float = ...,
    today: dt.date | None = ...,
) -> Ranking: ...


@overload
def rank(
    evaluation: Evaluation,
    weights: Mapping[Any, Any] | PathLike,
    *,
    missing: MissingPolicy = ...,
    sensitivity: Literal[True],
    uncertainty: float = ...,
    rating_noise: float = ...,
    samples: int = ...,
    seed: int = ...,
    stale_after: float = ...,
    today: dt.date | None = ...,
    progress: Callable[[int, int], None] | None = ...,
) -> Sensitivity: ...


@overload
def rank(
    evaluation: Evaluation,
    weights: Mapping[Any, Any] | PathLike,
    *,
    missing: MissingPolicy = ...,
    sensitivity: bool,
    uncertainty: float = ...,
    rating_noise: float = ...,
    samples: int = ...,
    seed: int = ...,
    stale_after: float = ...,
    today: dt.date | None = ...,
    progress: Callable[[int, int], None] | None = ...,
) -> Ranking | Sensitivity: ...


def rank(
    evaluation: Evaluation,
    weights: Mapping[Any, Any] | PathLike,
    *,
    missing: MissingPolicy = "drop",
    sensitivity: bool = False,
    uncertainty: float = DEFAULT_UNCERTAINTY,
    rating_noise: float = 0.0,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    stale_after: float = DEFAULT_STALE_AFTER_YEARS,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Ranking | Sensitivity:
    """What `dlcompare rank` prints: the toolkits by the weighted mean of their ratings.

    `weights` is a mapping in the form of a weights file (`{"interfaces": 1, "performance":
    {"single-gpu": 3}}` or dotted `{"performance.single-gpu": 3}`) or the path of one. There
    are no default weights. `missing` is `--missing`. With `sensitivity=True`, the result is a
    `Sensitivity` (its `.ranking` is the ranking) with weight stability and rank odds:
    `uncertainty` multiplies each weight by a random factor in [1-U, 1+U], `rating_noise`
    moves each rating by up to that many stars (the CLI's `--rating-noise` is 0.5);
    `progress(done, samples)` is told how the sampling goes."""
    from .provenance import annotate_ranking
    from .scoring import rank as build

    if missing not in ("error", "drop", "partial"):
        raise WeightsError(f"missing must be error, drop or partial, not {missing!r}")
    chosen = _weights(evaluation, weights)
    ages = _ages(stale_after, today)
    if not sensitivity:
        return annotate_ranking(build(evaluation, chosen, missing), evaluation, ages)
    from .sensitivity import analyse

    result = analyse(
        evaluation,
        chosen,
        missing,
        uncertainty=uncertainty,
        rating_noise=rating_noise,
        samples=samples,
        seed=seed,
        progress=progress,
    )
    annotated = annotate_ranking(result.ranking, evaluation, ages)
    return result.model_copy(update={"ranking": annotated})


def history_of(
    evaluation: Evaluation,
    toolkit_name: str,
    criterion_name: str | None = None,
    *,
    stale_after: float = DEFAULT_STALE_AFTER_YEARS,
    today: dt.date | None = None,
) -> ToolkitHistory:
    """What `dlcompare history TOOLKIT [CRITERION]` prints: each assessment of the toolkit up
    to `evaluation`'s edition, oldest first, with the kind of change each made."""
    from .history import toolkit_history

    found = toolkit(evaluation, toolkit_name)
    leaves: tuple[Leaf, ...] | None = None
    if criterion_name is not None:
        target = criterion(evaluation, criterion_name)
        if isinstance(target, Leaf):
            leaves = (target,)
        else:
            leaves = tuple(leaf for leaf in evaluation.leaves if leaf.criterion.id == target.id)
    return toolkit_history(evaluation, found, leaves, _ages(stale_after, today))


def changes(
    source: Dataset | Evaluation,
    edition: When | None = None,
    *,
    stale_after: float = DEFAULT_STALE_AFTER_YEARS,
    today: dt.date | None = None,
) -> EditionChanges:
    """What `dlcompare changes [EDITION]` prints: what an edition (default: the evaluation's
    own, or the latest for a dataset) changed against the previous one."""
    from .history import edition_changes

    if edition is None and isinstance(source, Evaluation):
        chosen = source.edition
    else:
        chosen = at(source, edition).edition
    dataset = source.dataset if isinstance(source, Evaluation) else source
    return edition_changes(dataset, chosen, _ages(stale_after, today))
