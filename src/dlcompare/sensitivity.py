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

Ties. Scores within TIE_TOLERANCE (1e-9) tie, as in `scoring.rank`. When several toolkits tie
for first under the user's weights, "first place" is that set: a weight's interval is where
first place stays among them, and a sample's places are competition ranks, so toolkits tied
in a sample hold the same place jointly. Nothing is decided by id; renaming the toolkits
changes no number and no verdict.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from operator import mul

from .dataset import Evaluation
from .results.base import TIE_TOLERANCE
from .results.ranking import (
    Acceptability,
    CriticalWeight,
    Ranking,
    RankOdds,
    Sensitivity,
    WeightStability,
)
from .sampling import DEFAULT_SAMPLES, DEFAULT_SEED, DEFAULT_UNCERTAINTY
from .scoring import MissingPolicy
from .scoring import rank as rank_toolkits

PLACES = 10
"""Places counted in rank acceptability: the first ten. Counting every place of n toolkits
would take n² numbers (10,000 toolkits: 10⁸, gigabytes) for places nobody reads."""

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
    criteria = tuple(ranking.shares)
    toolkits = tuple(sorted(row.toolkit for row in ranking.rows))
    scores = evaluation.scores(criteria)
    scale = evaluation.dataset.scale
    raw = [ranking.weights[c] for c in criteria]
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


def groups(scores: Sequence[float]) -> list[list[int]]:
    """Indices of `scores` (toolkits listed by id) best first, in groups of tied toolkits, as
    `scoring.rank` ranks them: score descending; a score within TIE_TOLERANCE of the one
    before it is tied with it. Each group is in index (id) order, which is only a printing
    order: the toolkits of a group share their place."""
    order = sorted(range(len(scores)), key=scores.__getitem__, reverse=True)
    if all(scores[a] - scores[b] > TIE_TOLERANCE for a, b in pairwise(order)):
        return [[index] for index in order]
    grouped = [[order[0]]] if order else []
    for before, index in pairwise(order):
        if scores[before] - scores[index] > TIE_TOLERANCE:
            grouped.append([])
        grouped[-1].append(index)
    return [sorted(group) for group in grouped]


def _leaders(pieces: Sequence[Piece], w: float) -> frozenset[int]:
    """Indices of the toolkits first at weight w: one, or several tied."""
    return frozenset(groups([(a + b * w) / (c + d * w) for a, b, c, d in pieces])[0])


def _share(w: float, others: float) -> float:
    return w / (w + others) if w + others > 0 else 0.0


Leaders = frozenset[int]


def _interval(
    pieces: Sequence[Piece], w0: float, winners: Leaders
) -> tuple[float, float | None, Leaders, Leaders]:
    """(low, high, leaders below low, leaders above high) of the run of segments around w0
    in which first place stays among `winners` (one toolkit, or several tied at w0); high
    None: no upper end; leaders empty: nobody takes over.

    Linear in the toolkits: first place can only leave the winners where another toolkit's
    score crosses one of theirs, so only the roots of (winner, other) pairs are edges; the
    leaders just beyond an end are found among the toolkits that cross there."""
    crossing: dict[float, list[int]] = {}
    for winner in sorted(winners):
        own = pieces[winner]
        for j, piece in enumerate(pieces):
            if j not in winners:
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
        return _leaders(pieces, middle(k)) <= winners

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
        _beyond(pieces, edges, who, down, below=True) if down >= 0 else frozenset(),
        _beyond(pieces, edges, who, up, below=False) if up < count else frozenset(),
    )


def _beyond(
    pieces: Sequence[Piece], edges: list[float], who: list[list[int]], k: int, *, below: bool
) -> Leaders:
    """Who leads right beyond an end of the interval: segment k, next to the edge where the
    toolkits in `who` cross a winner. Only they can lead there (each of the others stays
    below a winner it never crosses), so the point taken is before any of them cross each
    other."""
    edge = edges[k + 1] if below else edges[k]
    near = who[k + 1] if below else who[k]
    far = edges[k] if below else edges[k + 1] if k + 1 < len(edges) else math.inf
    for i, a in enumerate(near):
        for b in near[i + 1 :]:
            for root in _roots(pieces[a], pieces[b]):
                if (below and far < root < edge) or (not below and edge < root < far):
                    far = root
    point = (edge + far) / 2 if math.isfinite(far) else 2 * edge + 1
    return _leaders(pieces, point)


def weight_stability(m: Matrix, first: Sequence[str]) -> tuple[WeightStability, ...]:
    """For each weighted criterion, the others held fixed: the interval of its raw weight in
    which first place stays with `first` (one toolkit, or all of those tied for it: whichever
    of them leads), and who takes first place beyond each end. Exact: solved from the closed
    form in the module docstring, not searched. Ties follow `groups`; a tie at a single
    isolated weight does not cut the interval."""
    winners = frozenset(m.toolkits.index(t) for t in first)
    total = math.fsum(m.weights)
    result = []
    for index, criterion in enumerate(m.criteria):
        w0 = m.weights[index]
        others = math.fsum(w for k, w in enumerate(m.weights) if k != index)
        low, high, below, above = _interval(_pieces(m, index), w0, winners)
        if high is not None and _unscaled(high, m.exponent) is None:
            high, above = None, frozenset()  # beyond the largest float: no limit
        result.append(
            WeightStability(
                criterion=criterion,
                weight=_unscaled(w0, m.exponent) or 0.0,
                share=w0 / total,
                low=_unscaled(low, m.exponent) or 0.0,
                high=None if high is None else _unscaled(high, m.exponent),
                low_share=_share(low, others),
                high_share=None if high is None else _share(high, others),
                below=tuple(sorted(m.toolkits[t] for t in below)),
                above=tuple(sorted(m.toolkits[t] for t in above)),
                change_down=None if not below or not w0 else (low - w0) / w0,
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
        if entry.change_down is not None and entry.below:
            options.append((entry.change_down, entry.low, entry.low_share, entry.below))
        if (
            entry.change_up is not None
            and entry.high is not None
            and entry.high_share is not None
            and entry.above
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


@dataclass(frozen=True)
class PlaceCounts:
    """What the sampling counted, by toolkit index into `Matrix.toolkits`."""

    held: list[list[int]]
    """held[t][p]: samples in which toolkit t held place p + 1 (0: first), alone or tied."""
    tied: list[list[int]]
    """tied[t][p]: of those, the samples in which it shared the place with another toolkit."""
    together: int
    """Samples in which every toolkit of the group asked about held first place."""


def place_counts(
    m: Matrix,
    *,
    uncertainty: float,
    rating_noise: float,
    samples: int,
    seed: int,
    first: Sequence[str] = (),
    progress: Progress | None = None,
) -> PlaceCounts:
    """How often each toolkit (index into m.toolkits) holds each of the first PLACES places,
    and how often every toolkit of `first` holds first place in the same sample.
    Memory: the counts only (never the orders sampled); time: linear in samples × toolkits ×
    criteria, plus a sort per sample. `progress(done, samples)` is called every so often.

    Per sample: weight_k × U[1 - uncertainty, 1 + uncertainty] independently; with
    rating_noise > 0 each rating + U[-rating_noise, rating_noise], clipped to the scale. Scores
    use the formula of `scoring.rank` (math.fsum) and its places (`groups`: competition
    ranking, ties within TIE_TOLERANCE share a place), so with no uncertainty the places are
    the ranking's. The draws go to criteria in criteria order and, with rating noise, to
    toolkits in id order: renaming toolkits changes no count of a run without rating noise.
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
    held = [[0] * places for _ in rows]
    tied = [[0] * places for _ in rows]
    group = frozenset(m.toolkits.index(t) for t in first)
    together = 0
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
        grouped = groups(scores)
        if group and group.issubset(grouped[0]):
            together += 1
        place = 0
        for members in grouped:
            if place >= places:
                break
            for toolkit in members:
                held[toolkit][place] += 1
            if len(members) > 1:
                for toolkit in members:
                    tied[toolkit][place] += 1
            place += len(members)
    if progress is not None:
        progress(samples, samples)
    return PlaceCounts(held=held, tied=tied, together=together)


def acceptability(
    m: Matrix,
    order: Sequence[str],
    *,
    first: Sequence[str] = (),
    uncertainty: float = DEFAULT_UNCERTAINTY,
    rating_noise: float = 0.0,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> Acceptability:
    """Rank acceptability: for each toolkit, the share of samples in which it held each place
    (alone or tied, with the tied part apart), and how often all of `first` were first
    together. `order` lists the toolkits as the ranking does; the result follows it."""
    counts = place_counts(
        m,
        uncertainty=uncertainty,
        rating_noise=rating_noise,
        samples=samples,
        seed=seed,
        first=first,
        progress=progress,
    )
    held = dict(zip(m.toolkits, counts.held, strict=True))
    tied = dict(zip(m.toolkits, counts.tied, strict=True))
    return Acceptability(
        samples=samples,
        seed=seed,
        uncertainty=uncertainty,
        rating_noise=rating_noise,
        toolkits=tuple(
            RankOdds(
                toolkit=t,
                counts=tuple(held[t]),
                probabilities=tuple(n / samples for n in held[t]),
                tied=tuple(tied[t]),
                tied_probabilities=tuple(n / samples for n in tied[t]),
            )
            for t in order
        ),
        first_together=counts.together,
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
) -> Ranking:
    """The ranking under `weights` (as `scoring.rank`, same errors) with its `sensitivity`:
    how far each weight may move before first place changes, the most critical weight, and
    rank acceptability."""
    ranking = rank_toolkits(evaluation, weights, missing)
    m = matrix_of(evaluation, ranking)
    first = ranking.first
    stability = weight_stability(m, first)
    analysis = Sensitivity(
        first=first,
        stability=stability,
        critical=critical_weight(stability),
        acceptability=acceptability(
            m,
            [row.toolkit for row in ranking.rows],
            first=first,
            uncertainty=uncertainty,
            rating_noise=rating_noise,
            samples=samples,
            seed=seed,
            progress=progress,
        ),
    )
    return ranking.model_copy(update={"sensitivity": analysis})
