"""How robust a ranking is: exact weight intervals, and rank odds under uncertainty. Pure.

Weight stability. Hold every weight but w (criterion c) fixed. Toolkit t's score is

    S_t(w) = (a_t + b_t·w) / (c_t + d_t·w)

with a_t = Σ w_k·s_tk and c_t = Σ w_k over the other criteria t is rated on, and b_t = s_tc,
d_t = 1 when t is rated on c (b_t = d_t = 0 when it is not, which only `--missing partial`
allows). Both denominators are positive for w > 0, so the sign of S_t − S_u is the sign of

    N(w) = (a_t + b_t·w)(c_u + d_u·w) − (a_u + b_u·w)(c_t + d_t·w).

When both are rated on every weighted criterion, c_t = c_u and N(w) = (c + w)·((a_t − a_u) +
w·(b_t − b_u)): the lead is linear in w and crosses zero once at most. Under `--missing
partial` the denominators differ and N is a quadratic. Its roots over all pairs of toolkits
cut (0, ∞) into segments on which the order of the toolkits cannot change; the stability
interval is the run of segments around the user's weight in which the current first place
leads. Nothing is searched: the roots are solved for.

The toolkits are those of the ranking (after `--missing drop`). At exactly weight 0 the
criterion leaves the ranking, and `--missing` might then rank other toolkits; the interval's
lower end 0 means "however small, while positive".
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from operator import mul

from .dataset import Evaluation
from .results import (
    Acceptability,
    CriticalWeight,
    Ranking,
    RankOdds,
    Sensitivity,
    WeightStability,
)
from .scoring import MissingPolicy
from .scoring import rank as rank_toolkits
from .views import TIE_TOLERANCE

DEFAULT_SEED = 2016
DEFAULT_SAMPLES = 10_000
PLACES = 10
"""Places counted in rank acceptability: the first ten. Counting every place of n toolkits
would take n² numbers (10,000 toolkits: 10⁸, gigabytes) for places nobody reads."""
DEFAULT_UNCERTAINTY = 0.25
HALF_STAR = 0.5
"""The rating noise of `--rating-noise`: ratings move by up to half a star either way."""

SAME_POINT = 1e-9
"""Roots closer than this (relative) are one point; float roots may differ in the last bits."""


@dataclass(frozen=True)
class Matrix:
    """What the analysis needs: the ranked toolkits (in id order), the weighted criteria (in
    criteria order), their raw weights and the ratings (None: not rated there)."""

    toolkits: tuple[str, ...]
    criteria: tuple[str, ...]
    weights: tuple[float, ...]
    ratings: tuple[tuple[float | None, ...], ...]
    """ratings[toolkit][criterion]"""
    scale: tuple[float, float]
    exponent: int = 0
    """`weights` are the raw weights times 2**exponent (see `weight_exponent`)."""


SAFE_EXPONENT = 400
"""Weights are scaled by a power of two (exact: ratios kept) so that the largest lies within
2**±SAFE_EXPONENT: sums and the quadratic of `_roots` never overflow, whatever the input."""


def weight_exponent(weights: Sequence[float]) -> int:
    """The power of two by which the weights are scaled for the analysis (0: as given)."""
    exponent = math.frexp(max(weights, default=1.0))[1]
    if abs(exponent) <= SAFE_EXPONENT:
        return 0
    return -exponent


def _unscaled(value: float, exponent: int) -> float | None:
    """A scaled weight in the user's units; None beyond the float range (no limit)."""
    try:
        return math.ldexp(value, -exponent)
    except OverflowError:
        return None


def matrix_of(evaluation: Evaluation, ranking: Ranking) -> Matrix:
    criteria = tuple(ranking.weights)
    toolkits = tuple(sorted(row.toolkit for row in ranking.rows))
    scores = evaluation.scores(criteria)
    scale = evaluation.dataset.scale
    raw = [ranking.raw_weights[c] for c in criteria]
    exponent = weight_exponent(raw)
    return Matrix(
        toolkits=toolkits,
        criteria=criteria,
        weights=tuple(math.ldexp(w, exponent) for w in raw),
        ratings=tuple(tuple(scores[t][c] for c in criteria) for t in toolkits),
        scale=(scale.min, scale.max),
        exponent=exponent,
    )


Progress = Callable[[int, int], None]
"""Told (done, total) as the sampling goes on; the caller decides whether to show it."""

Piece = tuple[float, float, float, float]
"""(a, b, c, d) of S(w) = (a + b·w) / (c + d·w)."""


def _pieces(m: Matrix, index: int) -> list[Piece]:
    pieces = []
    for row in m.ratings:
        others = [(w, s) for k, (w, s) in enumerate(zip(m.weights, row, strict=True)) if k != index]
        a = math.fsum(w * s for w, s in others if s is not None)
        c = math.fsum(w for w, s in others if s is not None)
        own = row[index]
        pieces.append((a, own, c, 1.0) if own is not None else (a, 0.0, c, 0.0))
    return pieces


def _roots(p: Piece, q: Piece) -> list[float]:
    """The w > 0 at which two toolkits' scores are equal (none when they never or always are)."""
    a1, b1, c1, d1 = p
    a2, b2, c2, d2 = q
    if d1 == d2 == 1.0 and c1 == c2:
        # N(w) = (c + w)·((a1 - a2) + w·(b1 - b2)); the first factor is positive
        found = [(a2 - a1) / (b1 - b2)] if b1 != b2 else []
    else:
        q2 = b1 * d2 - b2 * d1
        q1 = a1 * d2 + b1 * c2 - a2 * d1 - b2 * c1
        q0 = a1 * c2 - a2 * c1
        if q2 == 0.0:
            found = [-q0 / q1] if q1 != 0.0 else []
        else:
            disc = q1 * q1 - 4.0 * q2 * q0
            if disc < 0.0:
                found = []
            else:
                # the stable pair of formulas: no cancellation between q1 and the square root
                half = -0.5 * (q1 + math.copysign(math.sqrt(disc), q1))
                found = [half / q2] + ([q0 / half] if half != 0.0 else [])
    return [r for r in found if r > 0.0 and math.isfinite(r)]


def placing(scores: Sequence[float]) -> list[int]:
    """Indices of `scores` (toolkits listed by id) best first, in the order of `scoring.rank`:
    score descending; a score within TIE_TOLERANCE of the one before it is tied with it, and
    tied toolkits go in id order."""
    order = sorted(range(len(scores)), key=scores.__getitem__, reverse=True)
    if all(scores[a] - scores[b] > TIE_TOLERANCE for a, b in pairwise(order)):
        return order
    placed: list[int] = []
    group = [order[0]]
    for before, index in pairwise(order):
        if scores[before] - scores[index] > TIE_TOLERANCE:
            placed += sorted(group)
            group = []
        group.append(index)
    return placed + sorted(group)


def _leader(pieces: Sequence[Piece], w: float) -> int:
    """Index of the first toolkit at weight w."""
    return placing([(a + b * w) / (c + d * w) for a, b, c, d in pieces])[0]


def _share(w: float, others: float) -> float:
    return w / (w + others) if w + others > 0 else 0.0


def _interval(
    pieces: Sequence[Piece], w0: float, winner: int
) -> tuple[float, float | None, int | None, int | None]:
    """(low, high, leader below low, leader above high) of the run of segments around w0 in
    which `winner` leads; high None: no upper end; a leader None: nobody takes over.

    Linear in the toolkits: first place can only change where another toolkit's score
    crosses the winner's, so only the roots of (winner, other) pairs are edges; the leader
    just beyond an end is found among the toolkits that cross there."""
    own = pieces[winner]
    crossing: dict[float, list[int]] = {}
    for j, piece in enumerate(pieces):
        if j != winner:
            for root in _roots(own, piece):
                crossing.setdefault(root, []).append(j)
    edges = [0.0]
    who: list[list[int]] = [[]]  # the toolkits that cross the winner at each edge
    for root in sorted(crossing):
        point = w0 if abs(root - w0) <= SAME_POINT * w0 else root
        if point - edges[-1] > SAME_POINT * point:
            edges.append(point)
            who.append([])
        who[-1].extend(crossing[root])
    count = len(edges)

    def middle(k: int) -> float:
        """A point inside segment k (from edges[k] to edges[k + 1], the last one unbounded)."""
        return (edges[k] + edges[k + 1]) / 2 if k + 1 < count else 2 * edges[k] + 1 if k else w0

    def leads(k: int) -> bool:
        return _leader(pieces, middle(k)) == winner

    if w0 in edges:
        up = edges.index(w0)
        down = up - 1
    else:
        at = max(k for k in range(count) if edges[k] < w0)
        up, down = at + 1, at - 1
    while up < count and leads(up):
        up += 1
    while down >= 0 and leads(down):
        down -= 1
    return (
        edges[down + 1] if down >= 0 else 0.0,
        edges[up] if up < count else None,
        _beyond(pieces, edges, who, down, below=True) if down >= 0 else None,
        _beyond(pieces, edges, who, up, below=False) if up < count else None,
    )


def _beyond(
    pieces: Sequence[Piece], edges: list[float], who: list[list[int]], k: int, *, below: bool
) -> int:
    """Who leads right beyond an end of the interval: segment k, next to the edge where the
    toolkits in `who` cross the winner. Only they can lead there (the others are still below
    the winner), so the point taken is before any of them cross each other."""
    edge = edges[k + 1] if below else edges[k]
    near = who[k + 1] if below else who[k]
    far = edges[k] if below else edges[k + 1] if k + 1 < len(edges) else math.inf
    for i, a in enumerate(near):
        for b in near[i + 1 :]:
            for root in _roots(pieces[a], pieces[b]):
                if (below and far < root < edge) or (not below and edge < root < far):
                    far = root
    point = (edge + far) / 2 if math.isfinite(far) else 2 * edge + 1
    return _leader(pieces, point)


def weight_stability(m: Matrix, first: str) -> tuple[WeightStability, ...]:
    """For each weighted criterion, the others held fixed: the interval of its raw weight in
    which `first` stays first, and who takes first place beyond each end. Exact: solved from
    the closed form in the module docstring, not searched. Ties follow `placing`; a tie at a
    single isolated weight does not cut the interval."""
    winner = m.toolkits.index(first)
    total = math.fsum(m.weights)
    result = []
    for index, criterion in enumerate(m.criteria):
        w0 = m.weights[index]
        others = math.fsum(w for k, w in enumerate(m.weights) if k != index)
        low, high, below, above = _interval(_pieces(m, index), w0, winner)
        if high is not None and _unscaled(high, m.exponent) is None:
            high, above = None, None  # beyond the largest float: no limit
        result.append(
            WeightStability(
                criterion=criterion,
                weight=_unscaled(w0, m.exponent) or 0.0,
                share=w0 / total,
                low=_unscaled(low, m.exponent) or 0.0,
                high=None if high is None else _unscaled(high, m.exponent),
                low_share=_share(low, others),
                high_share=None if high is None else _share(high, others),
                below=None if below is None else m.toolkits[below],
                above=None if above is None else m.toolkits[above],
                change_down=None if below is None or not w0 else (low - w0) / w0,
                change_up=None if high is None or not w0 else (high - w0) / w0,
            )
        )
    return tuple(result)


def critical_weight(stability: Sequence[WeightStability]) -> CriticalWeight | None:
    """The criterion whose smallest relative weight change moves first place (ties: the
    earlier criterion, a cut before a rise); None when no single weight can."""
    best: CriticalWeight | None = None
    for entry in stability:
        options = []
        if entry.change_down is not None and entry.below is not None:
            options.append((entry.change_down, entry.low, entry.low_share, entry.below))
        if (
            entry.change_up is not None
            and entry.high is not None
            and entry.high_share is not None
            and entry.above is not None
        ):
            options.append((entry.change_up, entry.high, entry.high_share, entry.above))
        for change, weight, share, first in options:
            if best is None or abs(change) < abs(best.change):
                best = CriticalWeight(
                    criterion=entry.criterion,
                    change=change,
                    weight=weight,
                    share=share,
                    first=first,
                )
    return best


def place_counts(
    m: Matrix,
    *,
    uncertainty: float,
    rating_noise: float,
    samples: int,
    seed: int,
    progress: Progress | None = None,
) -> list[list[int]]:
    """How often each toolkit (index into m.toolkits) holds each of the first PLACES places
    (0 first): counts[t][p].
    Memory: the counts only (never the orders sampled); time: linear in samples × toolkits ×
    criteria, plus a sort per sample. `progress(done, samples)` is called every so often.

    Per sample: weight_k × U[1 - uncertainty, 1 + uncertainty] independently; with
    rating_noise > 0 each rating + U[-rating_noise, rating_noise], clipped to the scale. Scores
    use the formula of `scoring.rank` (math.fsum) and its order (`placing`), so with no
    uncertainty the order is the ranking's.
    """
    rng = random.Random(seed)
    draw = rng.random
    base = m.weights
    start, span = 1.0 - uncertainty, 2.0 * uncertainty
    bottom, top = m.scale
    clean = [[0.0 if s is None else s for s in row] for row in m.ratings]
    rows = [list(row) for row in clean]
    masks = [[0.0 if s is None else 1.0 for s in row] for row in m.ratings]
    complete = all(s is not None for row in m.ratings for s in row)
    rated = [[k for k, s in enumerate(row) if s is not None] for row in m.ratings]
    toolkits = range(len(rows))
    fsum = math.fsum
    places = min(len(rows), PLACES)
    counts = [[0] * places for _ in rows]
    every = max(1, samples // 100)
    for sample in range(samples):
        if progress is not None and sample % every == 0:
            progress(sample, samples)
        weights = [w * (start + span * draw()) for w in base]
        if rating_noise > 0:
            for t in toolkits:
                row, source = rows[t], clean[t]
                for k in rated[t]:
                    moved = source[k] + rating_noise * (2.0 * draw() - 1.0)
                    row[k] = bottom if moved < bottom else top if moved > top else moved
        if complete:
            total = fsum(weights)
            scores = [fsum(map(mul, weights, row)) / total for row in rows]
        else:
            scores = [
                fsum(map(mul, weights, row)) / fsum(map(mul, weights, mask))
                for row, mask in zip(rows, masks, strict=True)
            ]
        for place, toolkit in enumerate(placing(scores)[:places]):
            counts[toolkit][place] += 1
    if progress is not None:
        progress(samples, samples)
    return counts


def acceptability(
    m: Matrix,
    order: Sequence[str],
    *,
    uncertainty: float = DEFAULT_UNCERTAINTY,
    rating_noise: float = 0.0,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> Acceptability:
    """Rank acceptability: for each toolkit, the share of samples in which it held each place.
    `order` lists the toolkits as the ranking does; the result follows it."""
    counts = place_counts(
        m,
        uncertainty=uncertainty,
        rating_noise=rating_noise,
        samples=samples,
        seed=seed,
        progress=progress,
    )
    by_id = dict(zip(m.toolkits, counts, strict=True))
    return Acceptability(
        samples=samples,
        seed=seed,
        uncertainty=uncertainty,
        rating_noise=rating_noise,
        toolkits=tuple(
            RankOdds(
                toolkit=t,
                counts=tuple(by_id[t]),
                probabilities=tuple(n / samples for n in by_id[t]),
            )
            for t in order
        ),
    )


def analyse(
    evaluation: Evaluation,
    weights: Mapping[str, float],
    missing: MissingPolicy = "drop",
    *,
    uncertainty: float = DEFAULT_UNCERTAINTY,
    rating_noise: float = 0.0,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> Sensitivity:
    """The ranking under `weights` (as `scoring.rank`, same errors), how far each weight may
    move before first place changes, the most critical weight, and rank acceptability."""
    ranking = rank_toolkits(evaluation, weights, missing)
    m = matrix_of(evaluation, ranking)
    first = ranking.rows[0].toolkit
    stability = weight_stability(m, first)
    return Sensitivity(
        ranking=ranking,
        first=first,
        stability=stability,
        critical=critical_weight(stability),
        acceptability=acceptability(
            m,
            [row.toolkit for row in ranking.rows],
            uncertainty=uncertainty,
            rating_noise=rating_noise,
            samples=samples,
            seed=seed,
            progress=progress,
        ),
    )
