"""Ranking toolkits under the user's weights. Pure: no I/O, no printing, no rounding."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from operator import mul
from typing import Literal

from .dataset import Evaluation
from .errors import WeightsError
from .provenance import not_rated
from .results.base import TIE_TOLERANCE, EditionInfo, Named, trusted
from .results.ranking import Dropped, Ranking, RankRow, SpreadWeight

MissingPolicy = Literal["error", "drop", "partial"]


def _exact(values: Sequence[float]) -> tuple[list[int], int]:
    """Finite floats as integers over one power-of-two denominator: v_i = n_i / d, exactly."""
    ratios = [value.as_integer_ratio() for value in values]
    d = max((den for _, den in ratios), default=1)
    return [num * (d // den) for num, den in ratios], d


def weighted_mean(weights: Sequence[float], scores: Sequence[float]) -> float:
    """Σ w·s / Σ w computed exactly (in integers) and rounded once, so that any finite
    positive weights (1e308, 5e-324) give the correctly rounded weighted mean: it depends on
    the ratios of the weights only, never overflows, and loses nothing to subnormals."""
    w, _ = _exact(weights)
    return _mean(w, sum(w), scores)


def _mean(weights: list[int], total: int, scores: Sequence[float]) -> float:
    """`weighted_mean` with the weights already exact integers (`total` their sum)."""
    s, d = _exact(scores)
    numerator: int = sum(map(mul, weights, s))
    return numerator / (total * d)


def shares(weights: Sequence[float]) -> list[float]:
    """Each weight's share of their sum, w / Σ w, correctly rounded (no overflow)."""
    w, _ = _exact(weights)
    total = sum(w)
    return [n / total for n in w]


def rank(
    evaluation: Evaluation, weights: Mapping[str, float], missing: MissingPolicy = "drop"
) -> Ranking:
    """Rank the toolkits of `evaluation` by their weighted mean score.

    score(t) = Σ w_c · s_tc / Σ w_c over the criteria c with w_c > 0 (on the rating scale).
    contribution(t, c) = w_c · s_tc / Σ w_c, so a toolkit's contributions add up to its score.
    A zero weight is the same as leaving the criterion out. Sums are exact, so the
    result does not depend on the order of the input.

    `weights` are keyed by the leaves of the edition (`interfaces`, `performance.single-gpu`)
    or by a criterion the edition rates per part (`performance`, `model-deployment` from
    2026-12-03 on): a weight w on such a criterion is spread equally over the n parts that at
    least one toolkit is rated on in the edition, w / n each, exactly (listed in `spread`).
    A positive weight on a part the edition does not rate (its criterion is rated whole
    there) is an error naming the criterion to weigh instead; a zero weight on it is ignored.

    Candidates are the toolkits the edition scores on at least one criterion. A toolkit it
    names without scoring anywhere (the project ended before it) is no candidate: it is
    listed in `not_in_edition` and never counts as missing a rating.

    A toolkit without a score on a weighted criterion is, by `missing`:
    "drop" (the default) - left out and listed in `dropped`, with the criteria it lacks;
    "error" - an error listing every gap;
    "partial" - scored over the criteria it has, Σ w taken over those, with `coverage` the
    share of the total weight it is rated on.

    Only ratios of weights matter: the mean is computed exactly and rounded once (see
    `weighted_mean`), so any finite positive weights, 1e308 or 5e-324, give the weighted mean
    of their ratios, with no overflow and no precision lost to subnormal numbers.

    Order: score descending, then id. Ties (scores within 1e-9) share a rank and the next
    rank skips (competition ranking: 1, 1, 3).
    """
    leaves = evaluation.leaves
    order = {leaf.path: i for i, leaf in enumerate(leaves)}
    day = evaluation.edition.date
    for path, weight in weights.items():
        if not (math.isfinite(weight) and weight >= 0):
            raise WeightsError(f"{path}: weight must be a finite number, zero or more")
    wholes = _wholes(evaluation, weights)
    known = set(order) | set(wholes) | set(evaluation.dataset.leaf_by_path)
    unknown = sorted(set(weights) - known)
    if unknown:
        raise WeightsError(f"unknown criteria: {', '.join(unknown)}")
    # the parts of a weighted whole that somebody is rated on: the weight is spread over those
    candidates = [p for p in order if weights.get(p, 0) > 0] + [
        p for whole, parts in wholes.items() if weights[whole] > 0 for p in parts
    ]
    if not candidates:
        raise WeightsError("every weight is zero; give at least one criterion a positive weight")
    in_force = evaluation.in_force_table((t.id for t in evaluation.rated_toolkits), candidates)
    scores = {t: {p: found.score for p, found in row.items()} for t, row in in_force.items()}
    if not scores:
        raise WeightsError(f"no toolkit is present in the edition of {day}")

    def rated(path: str) -> bool:
        return any(row[path] is not None for row in scores.values())

    spread: dict[str, tuple[str, ...]] = {}
    for whole, parts in wholes.items():
        found = tuple(p for p in parts if weights[whole] == 0 or rated(p))
        if not found:
            raise WeightsError(
                f"no toolkit is rated on any part of {whole} in the edition of {day}; "
                "give it weight 0 or pick another --as-of"
            )
        spread[whole] = found
    usable = {k: w for k, w in weights.items() if k in order or k in spread}
    exact, leaf_raw = _leaf_weights(usable, spread)
    considered = sorted((p for p, w in exact.items() if w > 0), key=order.__getitem__)
    nobody = [p for p in considered if not rated(p)]
    if nobody:
        raise WeightsError(
            f"no toolkit is rated on {', '.join(nobody)} in the edition of {day}; "
            "give it weight 0 or pick another --as-of"
        )
    gaps = {
        toolkit: tuple(p for p in considered if row[p] is None) for toolkit, row in scores.items()
    }
    gaps = {toolkit: paths for toolkit, paths in gaps.items() if paths}
    if gaps and missing == "error":
        listing = "; ".join(f"{t} lacks {', '.join(paths)}" for t, paths in sorted(gaps.items()))
        raise WeightsError(
            f"some toolkits are not rated on a weighted criterion in the edition of {day}: "
            f"{listing}. Use --missing drop (the default) to leave them out, or --missing "
            "partial to score each over the criteria it has"
        )

    exact_total = sum(exact[p] for p in considered)
    all_shares = {p: exact[p] / exact_total for p in considered}
    # Most toolkits are rated on the same set of criteria: its shares and exact weights once.
    shares_of: dict[tuple[str, ...], tuple[list[float], list[int], int, float]] = {}
    dropped: list[Dropped] = []
    unranked: list[
        tuple[
            float,
            str,
            dict[str, float],
            dict[str, str],
            dict[str, dt.date],
            float,
            dict[str, float],
        ]
    ] = []
    whose: dict[dt.date, str] = {}  # "evaluator, edition date", for each edition date met
    for toolkit, toolkit_scores in scores.items():
        if toolkit in gaps and (missing == "drop" or len(gaps[toolkit]) == len(considered)):
            dropped.append(Dropped.model_construct(toolkit=toolkit, missing=gaps[toolkit]))
            continue
        rated_here = {p: s for p in considered if (s := toolkit_scores[p]) is not None}
        key = tuple(rated_here)
        if key not in shares_of:
            w = [exact[p] for p in key]
            total = sum(w)
            shares_of[key] = ([n / total for n in w], w, total, total / exact_total)
        rated_shares, rated_weights, rated_total, coverage = shares_of[key]
        contributions = {
            p: share * s for (p, s), share in zip(rated_here.items(), rated_shares, strict=True)
        }
        rated_on: dict[str, dt.date] = {}
        rated_by: dict[str, str] = {}
        for p in rated_here:
            since = in_force[toolkit][p].since
            if since is not None:
                rated_on[p] = since
                if since not in whose:
                    whose[since] = f"{evaluation.dataset.edition_by_date[since].evaluator}, {since}"
                rated_by[p] = whose[since]
        score = _mean(rated_weights, rated_total, list(rated_here.values()))
        reweighted = dict(zip(rated_here, rated_shares, strict=True))
        unranked.append((score, toolkit, contributions, rated_by, rated_on, coverage, reweighted))
    if not unranked:
        raise WeightsError("every toolkit was dropped for missing ratings; nothing left to rank")

    unranked.sort(key=lambda item: (-item[0], item[1]))
    rows: list[RankRow] = []
    for position, (
        score,
        toolkit,
        contributions,
        rated_by,
        rated_on,
        coverage,
        reweighted,
    ) in enumerate(unranked):
        tied = bool(rows) and abs(rows[-1].score - score) <= TIE_TOLERANCE
        rows.append(
            rank_row(
                rank=rows[-1].rank if tied else position + 1,
                toolkit=toolkit,
                score=score,
                contributions=contributions,
                coverage=coverage,
                rated_by=rated_by,
                missing=gaps.get(toolkit, ()),
                rated_on=rated_on,
                shares=reweighted,
            )
        )
    # scores tied within the tolerance may differ in the last bits: keep them in id order
    rows.sort(key=lambda row: (row.rank, row.toolkit))

    by_id = evaluation.dataset.toolkit_by_id
    absent = tuple(not_rated(evaluation, t) for t in evaluation.unrated_toolkits)
    shown = (
        [by_id[r.toolkit] for r in rows]
        + [by_id[d.toolkit] for d in dropped]
        + [by_id[a.toolkit] for a in absent]
    )
    return Ranking.model_construct(
        as_of=evaluation.as_of,
        edition=EditionInfo.of(evaluation.edition),
        weights={p: leaf_raw[p] for p in sorted(leaf_raw, key=order.__getitem__)},
        shares=all_shares,
        missing=missing,
        not_considered=tuple(leaf.path for leaf in leaves if leaf.path not in considered),
        dropped=tuple(sorted(dropped, key=lambda d: d.toolkit)),
        toolkits=tuple(trusted(Named, {"id": t.id, "name": t.name}) for t in shown),
        criteria=tuple(Named.model_construct(id=leaf.path, name=leaf.name) for leaf in leaves),
        rows=tuple(rows),
        not_in_edition=absent,
        spread={
            whole: SpreadWeight.model_construct(
                weight=float(weights[whole]),
                share=sum(exact[p] for p in parts if p in all_shares) / exact_total,
                parts=parts,
            )
            for whole, parts in spread.items()
            if weights[whole] > 0
        },
        only_toolkits=evaluation.only,
    )


def rank_row(
    *,
    rank: int,
    toolkit: str,
    score: float,
    contributions: dict[str, float],
    coverage: float,
    rated_by: dict[str, str],
    missing: tuple[str, ...],
    rated_on: dict[str, dt.date],
    shares: dict[str, float],
    stale: tuple[str, ...] = (),
) -> RankRow:
    """A row from values computed here, of the declared types: built without validating them
    again (validation costs 30 ms per 1,000 rows; tests check that a row validates the same)."""
    return trusted(
        RankRow,
        {
            "rank": rank,
            "toolkit": toolkit,
            "score": score,
            "contributions": contributions,
            "coverage": coverage,
            "rated_by": rated_by,
            "missing": missing,
            "rated_on": rated_on,
            "shares": shares,
            "stale": stale,
        },
    )


def _wholes(evaluation: Evaluation, weights: Mapping[str, float]) -> dict[str, tuple[str, ...]]:
    """The weighted criteria that this edition rates by parts, with those parts; a weight on
    one of them is spread over its parts. A weighted part that this edition does not rate (the
    criterion gained its parts later) is an error when its weight is positive: the edition
    rates the whole criterion instead."""
    in_force = {leaf.path for leaf in evaluation.leaves}
    found: dict[str, tuple[str, ...]] = {}
    by_id = {c.id: c for c in evaluation.dataset.criteria}
    day = evaluation.edition.date
    for key, weight in weights.items():
        if key in in_force:
            continue
        criterion = by_id.get(key)
        if criterion is not None and criterion.parts:
            parts = tuple(leaf.path for leaf in evaluation.leaves if leaf.criterion is criterion)
            both = [p for p in parts if p in weights]
            if both:
                raise WeightsError(
                    f"{key} is weighted as a whole and by its parts ({', '.join(both)}); "
                    "give one or the other"
                )
            found[key] = parts
            continue
        leaf = evaluation.dataset.leaf_by_path.get(key)
        if leaf is None or weight == 0:
            continue  # unknown (reported by the caller), or a zero weight: no effect
        start = leaf.criterion.parts_from
        raise WeightsError(
            f"{key}: the edition of {day} rates {leaf.criterion.id} as a whole (its parts are "
            f"rated from the edition of {start} on); weight {leaf.criterion.id} instead, or "
            "pick a later --as-of"
        )
    return found


def _leaf_weights(
    weights: Mapping[str, float], spread: Mapping[str, tuple[str, ...]]
) -> tuple[dict[str, int], dict[str, float]]:
    """Each leaf's weight as an exact integer (all over one common denominator), and its raw
    weight: a weight w on a criterion spread over n parts gives each part w / n, exactly (the
    integers are scaled by the least common multiple of the numbers of parts)."""
    keys = list(weights)
    numerators, _ = _exact([weights[k] for k in keys])
    scale = math.lcm(*(len(parts) for parts in spread.values()))
    exact: dict[str, int] = {}
    raw: dict[str, float] = {}
    for key, numerator in zip(keys, numerators, strict=True):
        parts = spread.get(key)
        if parts is None:
            exact[key] = numerator * scale
            raw[key] = float(weights[key])
            continue
        for part in parts:
            exact[part] = numerator * (scale // len(parts))
            raw[part] = weights[key] / len(parts)
    return exact, raw
