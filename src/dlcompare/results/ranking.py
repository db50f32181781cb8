"""`rank`: the toolkits under the user's weights, and how robust first place is."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ..schema import ProjectStatus
from ..schema_version import SCHEMA_VERSION
from .base import EditionInfo, EditionNote, EvaluatorSpan, Freshness, Named, NotRated, Result


class RankRow(Result):
    rank: int
    toolkit: str
    score: float
    """Weighted mean Σ w·s / Σ w over the weighted criteria this toolkit is rated on."""
    contributions: dict[str, float]
    """w·s / Σ w per criterion; they add up to the score."""
    coverage: float
    """Share of the total weight this toolkit is rated on (1.0 unless --missing partial)."""
    rated_by: dict[str, str] = {}
    """Whose rating each contribution rests on: criterion -> "evaluator, edition date"."""
    missing: tuple[str, ...]
    rated_on: dict[str, dt.date] = {}
    """The edition each rating used comes from."""
    shares: dict[str, float] = {}
    """The weight share each contribution was computed with: w / Σ w over the criteria this
    toolkit is rated on. Equal to the ranking's `shares` unless --missing partial left some
    out, in which case the others are re-weighted to add up to 1."""
    stale: tuple[str, ...] = ()
    """Criteria whose rating used is older than the staleness threshold."""


class Dropped(Result):
    toolkit: str
    missing: tuple[str, ...]


class SpreadWeight(Result):
    """A weight given to a criterion that has parts, spread equally over the parts the
    edition rates (those with a score for at least one toolkit)."""

    weight: float
    """The user's raw weight on the whole criterion."""
    share: float
    """The criterion's share of the total weight: the sum of its parts' shares."""
    parts: tuple[str, ...]
    """The leaf paths it was spread over (each holds share / len(parts) in `weights`)."""


class WeightStability(Result):
    """How far one weight may move, the others held fixed, before first place changes.

    Raw weights are on the user's own scale; shares are weight / (weight + the other weights).
    Ties at single isolated weights are ignored: the interval is where `first` leads.
    """

    criterion: str
    weight: float
    """The user's raw weight."""
    share: float
    low: float
    """Lowest raw weight at which first place holds; 0 when it holds however small it gets."""
    high: float | None
    """Highest raw weight at which first place holds; null when it holds however large."""
    low_share: float
    high_share: float | None
    below: tuple[str, ...]
    """The toolkits that take first place when the weight falls below `low`: one, several
    tied, or none (empty) when first place holds however small the weight gets."""
    above: tuple[str, ...]
    """The toolkits that take first place when the weight rises above `high` (empty: none)."""
    change_down: float | None
    """(low - weight) / weight: the relative cut that hands first place to `below`."""
    change_up: float | None
    """(high - weight) / weight: the relative rise that hands first place to `above`."""


class CriticalWeight(Result):
    """The weight whose smallest relative change hands first place to another toolkit."""

    criterion: str
    change: float
    """Relative change of its raw weight: -0.2 is a cut of 20 %, 0.5 a rise of 50 %."""
    weight: float
    """The raw weight at which first place changes."""
    share: float
    """Its share of the total weight at that point."""
    first: tuple[str, ...]
    """The toolkits that take first place beyond that point (several when they tie there)."""


class RankOdds(Result):
    """How often one toolkit held each place among the samples. A place is the toolkit's
    competition rank in the sample (1, 1, 3): toolkits whose scores tie in a sample all hold
    the same place, jointly, and the place after them is skipped."""

    toolkit: str
    counts: tuple[int, ...]
    """counts[i]: samples in which the toolkit held place i + 1, alone or tied, for the first
    ten places."""
    probabilities: tuple[float, ...]
    """counts[i] / samples."""
    tied: tuple[int, ...]
    """tied[i]: of counts[i], the samples in which it shared place i + 1 with another toolkit."""
    tied_probabilities: tuple[float, ...]
    """tied[i] / samples."""


class Acceptability(Result):
    """Rank acceptability: places under randomly perturbed weights (and ratings).

    Each weight is multiplied by its own factor drawn uniformly from [1 - uncertainty,
    1 + uncertainty]; with rating noise, each rating moves by an amount drawn uniformly from
    [-rating_noise, +rating_noise] and is clipped to the scale. A sample's places follow the
    ranking's tie rule (scores within 1e-9 tie, competition ranking): toolkits tied in a
    sample share the place, none of them is put ahead by its id. Each toolkit's probabilities
    add up to 1 (it holds one place per sample, counting the first ten); a place's may add up
    to more than 1 (two toolkits jointly first) or less (the place skipped after a tie).
    """

    samples: int
    seed: int
    uncertainty: float
    rating_noise: float
    toolkits: tuple[RankOdds, ...]
    """In the order of the ranking."""
    first_together: int
    """Samples in which every toolkit of `first` held first place (jointly when several): for
    one toolkit, its count of first places."""


class Sensitivity(Result):
    """`rank --sensitivity` (the `sensitivity` of a ranking): how far each weight may move
    before first place changes, and rank odds."""

    first: tuple[str, ...]
    """The toolkits in first place under the user's weights: one, or all of those tied for
    it (in id order; the order between them is a tie, not a result)."""
    stability: tuple[WeightStability, ...]
    """One entry per weighted criterion, in criteria order."""
    critical: CriticalWeight | None
    """Null when no single weight, however changed, moves first place away from `first`."""
    acceptability: Acceptability


class Ranking(Result):
    """`rank`: the toolkits under the user's own weights, and the weights used. With
    `--sensitivity`, `sensitivity` adds how robust first place is; nothing else moves."""

    schema_version: int = SCHEMA_VERSION
    as_of: dt.date
    edition: EditionInfo
    weights: dict[str, float]
    """The user's weights as given (any positive scale: 3 and 1, or 0.75 and 0.25)."""
    shares: dict[str, float]
    """Each weighted criterion's share of the total weight: weight / Σ weights (they add up
    to 1). Criteria the user gave weight 0 have no share."""
    missing: Literal["error", "drop", "partial"]
    not_considered: tuple[str, ...]
    dropped: tuple[Dropped, ...]
    toolkits: tuple[Named, ...]
    criteria: tuple[Named, ...]
    rows: tuple[RankRow, ...]
    freshness: Freshness | None = None
    toolkit_status: dict[str, ProjectStatus | None] = {}
    not_in_edition: tuple[NotRated, ...] = ()
    """Toolkits the edition names but does not score at all: not candidates, and never a
    reason for the missing-rating policy."""
    shown: tuple[EvaluatorSpan, ...] = ()
    """Whose scores the ranking rests on and how old they are."""
    notes: tuple[EditionNote, ...] = ()
    sensitivity: Sensitivity | None = None
    """With `--sensitivity`: how robust first place is (null without it)."""
    spread: dict[str, SpreadWeight] = {}
    """Weights given to a criterion with parts, by criterion id, and the parts each was
    spread over; `weights` and `shares` hold the parts' own raw weights and shares."""
    only_toolkits: tuple[str, ...] | None = None
    """The toolkits the ranking was narrowed to with `--toolkits` (ids, in the order given);
    null: every toolkit."""

    @property
    def first(self) -> tuple[str, ...]:
        """The toolkits ranked first: one, or several tied (in id order)."""
        return tuple(row.toolkit for row in self.rows if row.rank == 1)
