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
from typing import TYPE_CHECKING, Any

from .dataset import Dataset, Evaluation, Leaf, leaves_of
from .errors import NotFoundError, WeightsError
from .freshness import DEFAULT_STALE_AFTER_YEARS, Ages
from .sampling import DEFAULT_SAMPLES, DEFAULT_SEED, DEFAULT_UNCERTAINTY
from .schema import Criterion, RatedToolkit

if TYPE_CHECKING:  # each function imports what it builds: a command loads only its own results
    from .results.base import Rating
    from .results.history import EditionChanges, ToolkitHistory
    from .results.ranking import Ranking
    from .results.views import RatingsView, ToolkitDiff
    from .scoring import MissingPolicy

PathLike = str | os.PathLike[str]
When = str | dt.date
"""An edition's date, any later date (the edition then in force) or an edition's commit."""

__all__ = [
    "at",
    "changes",
    "criterion",
    "diff",
    "history_of",
    "leaves_named",
    "load",
    "narrow",
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


def narrow(evaluation: Evaluation, names: str | Iterable[str]) -> Evaluation:
    """The same evaluation with only the toolkits named (ids, aliases or names, any case;
    a string is split at commas), as `--toolkits a,b` does for `show`, `rank` and `report`.
    Raises NotFoundError for an unknown name (with a suggestion) or a toolkit that is not in
    the evaluation's edition."""
    import dataclasses

    from .names import find_toolkit
    from .views import require_present

    dataset = evaluation.dataset
    given = names.split(",") if isinstance(names, str) else list(names)
    wanted = [name.strip() for name in given if name.strip()]
    if not wanted:
        raise NotFoundError("name at least one toolkit (e.g. pytorch,jax)")
    chosen: dict[str, None] = {}
    for name in wanted:
        found = find_toolkit(dataset, name)
        require_present(evaluation, found)
        chosen[found.id] = None
    return dataclasses.replace(evaluation, only=tuple(chosen))


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
        rated = [leaf for leaf in evaluation.leaves if leaf.criterion.id == found.id]
        if len(rated) != 1 or rated[0].is_part:  # rated whole in an edition before its parts
            parts = ", ".join(leaf.path for leaf in rated)
            raise NotFoundError(f"'{found.id}' is rated part by part; name one of: {parts}")
        found = rated[0]
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
    if isinstance(target, Leaf):
        _require_part_in_force(evaluation, target, "show", target.criterion.id)
    return build(evaluation, target, _ages(stale_after, today))


def _require_part_in_force(evaluation: Evaluation, leaf: Leaf, command: str, args: str) -> None:
    """A part of a criterion that gained its parts after the evaluation's edition has no
    ratings there: say so, and which command shows the whole criterion instead."""
    start = leaf.criterion.parts_from
    if leaf.is_part and start is not None and evaluation.edition.date < start:
        raise NotFoundError(
            f"{leaf.path} is a part only from the edition of {start} on; the edition of "
            f"{evaluation.edition.date} rates {leaf.criterion.id} as a whole: "
            f"dlcompare {command} {args}{_as_of_option(evaluation)}"
        )


def leaves_named(evaluation: Evaluation, names: str | Iterable[str]) -> tuple[Leaf, ...]:
    """The leaf criteria named (ids, dotted paths or names; a criterion with parts stands for
    all its parts; a string is split at commas), in the criteria's order."""
    given = names.split(",") if isinstance(names, str) else list(names)
    wanted: set[str] = set()
    for name in (n.strip() for n in given):
        if not name:
            continue
        found = criterion(evaluation, name)
        if isinstance(found, Leaf):
            wanted.add(found.path)
        else:
            wanted.update(leaf.path for leaf in evaluation.leaves if leaf.criterion.id == found.id)
    if not wanted:
        raise NotFoundError("name at least one criterion (e.g. interfaces)")
    return tuple(leaf for leaf in evaluation.leaves if leaf.path in wanted)


def diff(
    evaluation: Evaluation,
    left: str,
    right: str,
    criteria: str | Iterable[str] | None = None,
    *,
    stale_after: float = DEFAULT_STALE_AFTER_YEARS,
    today: dt.date | None = None,
) -> ToolkitDiff:
    """What `dlcompare diff LEFT RIGHT [CRITERION...]` prints. Each side is `TOOLKIT` (as of
    `evaluation`'s edition) or `TOOLKIT@DATE` (a date or commit, read as `as_of` is);
    `criteria` narrows it (see `leaves_named`)."""
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
        leaves=None if criteria is None else leaves_named(evaluation, criteria),
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
) -> Ranking:
    """What `dlcompare rank` prints: the toolkits by the weighted mean of their ratings.

    `weights` is a mapping in the form of a weights file (`{"interfaces": 1, "performance":
    {"single-gpu": 3}}` or dotted `{"performance.single-gpu": 3}`) or the path of one; a
    number on a criterion with parts (`{"model-deployment": 2}`) is spread equally over the
    parts the edition rates. There are no default weights. `missing` is `--missing`. With
    `sensitivity=True`, the ranking's `.sensitivity` holds first place (`first`, all toolkits
    tied for it), weight stability and rank odds:
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
    return annotate_ranking(result, evaluation, ages)


def _as_of_option(evaluation: Evaluation) -> str:
    """`--as-of` for the evaluation's date, unless it is the latest edition (the default)."""
    return "" if evaluation.edition == evaluation.dataset.latest else f" --as-of {evaluation.as_of}"


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
            _require_part_in_force(
                evaluation, target, "history", f"{found.id} {target.criterion.id}"
            )
            leaves = (target,)
        else:
            leaves = leaves_of(target)
    return toolkit_history(evaluation, found, leaves, _ages(stale_after, today))


def changes(
    source: Dataset | Evaluation,
    edition: When | None = None,
    *,
    toolkits: str | Iterable[str] | None = None,
    criteria: str | Iterable[str] | None = None,
    stale_after: float = DEFAULT_STALE_AFTER_YEARS,
    today: dt.date | None = None,
) -> EditionChanges:
    """What `dlcompare changes [EDITION]` prints: what an edition (default: the evaluation's
    own, or the latest for a dataset) changed against the previous one; `toolkits` and
    `criteria` (names as on the command line, or comma-separated strings) narrow it."""
    from .history import edition_changes

    if edition is None and isinstance(source, Evaluation):
        chosen = source.edition
    else:
        chosen = at(source, edition).edition
    dataset = source.dataset if isinstance(source, Evaluation) else source
    latest = dataset.evaluation(dataset.latest)
    ids = None
    if toolkits is not None:
        from .names import find_toolkit

        given = toolkits.split(",") if isinstance(toolkits, str) else list(toolkits)
        ids = tuple(dict.fromkeys(find_toolkit(dataset, n.strip()).id for n in given if n.strip()))
        if not ids:
            raise NotFoundError("name at least one toolkit (e.g. tensorflow)")
    leaves = None if criteria is None else leaves_named(latest, criteria)
    return edition_changes(dataset, chosen, _ages(stale_after, today), ids, leaves)
