"""Result objects: one per command. Every output format renders the same object, and JSON is
a dump of it. Names are ids (`tensorflow`, `performance.single-gpu`); numbers are unrounded."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from .schema import Edition, ProjectStatus
from .schema_version import SCHEMA_VERSION

if TYPE_CHECKING:
    from .freshness import Ages


class Result(BaseModel):
    # defer_build: each command builds only the result models it uses, on first use.
    model_config = ConfigDict(frozen=True, defer_build=True)


class Status(StrEnum):
    RATED = "rated"
    UNRATED = "unrated"
    """Discussed by the edition, but without a score."""
    WITHDRAWN = "withdrawn"
    """An earlier edition assessed it; this one dropped the assessment."""
    NOT_COVERED = "not-covered"


class Freshness(Result):
    """What ages in a result are measured against."""

    today: dt.date
    stale_after_years: float
    """Ratings older than this many years are marked stale."""

    @classmethod
    def of(cls, ages: Ages) -> Freshness:
        return cls(today=ages.today, stale_after_years=ages.stale_after_years)


class EditionInfo(Result):
    date: dt.date
    commit: str | None
    url: str | None
    evaluator: str
    age_days: int | None = None
    """Days from the edition's date to today; null when no age was asked for."""
    age_years: float | None = None
    stale: bool | None = None
    """The edition is older than the staleness threshold."""
    method: str | None = None
    """The edition's method page, a file of this repository (`docs/method.md`)."""

    @classmethod
    def of(cls, edition: Edition, ages: Ages | None = None) -> EditionInfo:
        info = cls(
            date=edition.date,
            commit=edition.commit,
            url=edition.url,
            evaluator=edition.evaluator,
            method=edition.method,
        )
        return info.with_age(ages) if ages is not None else info

    def with_age(self, ages: Ages) -> EditionInfo:
        return self.model_copy(
            update={
                "age_days": ages.days(self.date),
                "age_years": ages.years(self.date),
                "stale": ages.stale(self.date),
            }
        )


class Named(Result):
    id: str
    name: str


class EditionNote(Result):
    """A note an evaluator attached to one of its editions (such as the source's 2016-11-13
    notice that the toolkits had moved on). It holds for that edition and the same
    evaluator's later ones."""

    evaluator: str
    edition: dt.date
    text: str


class EvaluatorSpan(Result):
    """Whose scores a view shows and how old they are: one evaluator's scores in the view,
    from the oldest assessment's edition to the newest."""

    evaluator: str
    ratings: int
    """How many scores shown come from this evaluator."""
    oldest: dt.date
    newest: dt.date
    oldest_age_days: int | None = None
    newest_age_days: int | None = None
    oldest_age_years: float | None = None
    newest_age_years: float | None = None
    stale: bool | None = None
    """The oldest of them is older than the staleness threshold."""


class Hint(Result):
    """A command to run instead, exactly as printed, and what it shows."""

    command: str
    shows: Literal["successor", "last-rated", "first-rated"]
    """successor: the same view of the toolkit's successor in this edition; last-rated: the
    view as of the latest edition that rated the toolkit; first-rated: as of the first edition
    that rates a toolkit which enters the evaluation after this one."""


class NotRated(Result):
    """A toolkit the view names but does not score on any criterion: the project ended (or
    went inactive) before the edition, which says so instead of rating it. It is never
    replaced by another toolkit; `successor` and `hints` say where to look instead."""

    toolkit: str
    name: str
    reason: str
    """In words: 'ended 2017-09-28', 'inactive since 2017-04-18', 'not rated'."""
    state: Literal["active", "inactive", "ended"] | None = None
    """The project's state, from its status block (null: the data does not say)."""
    evaluator: str | None
    """Whose edition leaves it unrated (null: no edition mentions it)."""
    since: dt.date | None
    """The edition of the unscored assessments in force."""
    summary: str | None
    """That edition's words on why it is not rated."""
    successor: str | None
    """The successor's name: the toolkit's, when it is in the data; else the status block's."""
    successor_url: str | None
    successor_id: str | None
    """The successor, when it is a toolkit in the data (so it can be shown or compared)."""
    last_rated: dt.date | None
    """The latest edition up to the view's that scores the toolkit (null: none)."""
    last_evaluator: str | None
    first_rated: dt.date | None = None
    """Set when the toolkit enters the evaluation only after the view's edition: the first
    edition that rates it."""
    first_evaluator: str | None = None
    hints: tuple[Hint, ...] = ()
    """Commands to run instead, exactly as printed."""
    side: Literal["left", "right"] | None = None
    """In a diff: the side this toolkit is on."""


class LastRated(Result):
    score: float
    edition: dt.date
    evaluator: str | None = None
    """Whose score it was (it may be another evaluator's than the assessment in force)."""


class Rating(Result):
    """One toolkit on one leaf criterion, as of the view's edition."""

    toolkit: str
    criterion: str
    status: Status
    score: float | None
    edition: dt.date | None
    """Date of the edition this assessment comes from (it stays in force until replaced)."""
    summary: str | None
    sources: tuple[str, ...]
    notes: tuple[str, ...]
    last_rated: LastRated | None
    evaluator: str | None = None
    """Whose rating this is: the evaluator of the edition it comes from."""
    origin: str | None = None
    """The data file the assessment was read from."""
    age_days: int | None = None
    """Days from `edition` (the assessment's own date) to today."""
    age_years: float | None = None
    stale: bool = False
    """A score older than the staleness threshold (never set when there is no score)."""
    version: str | None = None
    """The toolkit version the assessment was judged on, when its data names one."""

    @property
    def reason(self) -> str:
        """Why there is no score, in words; empty when there is one."""
        last = ""
        if self.last_rated:
            by = self.last_rated.evaluator
            whose = f" by {by}" if by and by != self.evaluator else ""
            last = (
                f"; last rated {format_score(self.last_rated.score)} on "
                f"{self.last_rated.edition}{whose}"
            )
        if self.status is Status.UNRATED:
            return f"discussed but not rated{last}"
        if self.status is Status.WITHDRAWN:
            return f"not rated in this edition{last}"
        if self.status is Status.NOT_COVERED:
            return "not covered by the source"
        return ""


class RatingsView(Result):
    """`show`: one criterion, one toolkit, or the whole matrix."""

    schema_version: int = SCHEMA_VERSION
    kind: Literal["criterion", "toolkit", "matrix"]
    subject: str | None
    as_of: dt.date
    edition: EditionInfo
    toolkits: tuple[Named, ...]
    criteria: tuple[Named, ...]
    ratings: tuple[Rating, ...]
    freshness: Freshness | None = None
    toolkit_status: dict[str, ProjectStatus | None] = {}
    """Whether each toolkit's project still lives (null: the data does not say)."""
    shown: tuple[EvaluatorSpan, ...] = ()
    """Whose scores are shown and how old they are, one entry per evaluator, oldest first."""
    notes: tuple[EditionNote, ...] = ()
    """Edition notes that hold for the ratings shown."""
    not_rated: tuple[NotRated, ...] = ()
    """Toolkits this edition names without scoring them; they are not in `ratings` of a
    criterion or the matrix (a toolkit view lists its unscored cells)."""
    only_toolkits: tuple[str, ...] | None = None
    """The toolkits the view was narrowed to with `--toolkits` (ids, in the order given);
    null: every toolkit."""


class CriterionSplit(Result):
    """A criterion rated whole in the editions before `parts_from` and per part from it on:
    a part's score is never a move from the whole criterion's score."""

    criterion: str
    parts: tuple[str, ...]
    """The parts' leaf paths (`model-deployment.server`)."""
    parts_from: dt.date


class DiffRow(Result):
    criterion: str
    left: float | None
    right: float | None
    delta: float | None
    """right minus left, exact at the data's precision (4.9 and 4.5 give 0.4, not
    0.40000000000000036): how far the right side is above the left; for one toolkit at two
    dates in time order, how its score moved. Null when either side has no score."""
    ahead: str | None
    """Label of the side with the higher score (`left_label` or `right_label`), "tie", or null
    when one side has no score."""
    left_rating: Rating
    right_rating: Rating
    not_in_edition: tuple[Literal["left", "right"], ...] = ()
    """Sides whose edition does not rate this leaf: it rates the criterion whole (a part) or
    per part (the whole criterion); see `ToolkitDiff.splits`."""


class ToolkitDiff(Result):
    """`diff`: two toolkits (or one toolkit at two dates), leaf criterion by leaf criterion.
    Each side has its own edition. Nothing is totalled."""

    schema_version: int = SCHEMA_VERSION
    left: str
    right: str
    left_label: str
    right_label: str
    """The toolkit id, or `id@edition-date` when both sides are the same toolkit."""
    left_as_of: dt.date
    right_as_of: dt.date
    left_edition: EditionInfo
    right_edition: EditionInfo
    toolkits: tuple[Named, ...]
    criteria: tuple[Named, ...]
    rows: tuple[DiffRow, ...]
    freshness: Freshness | None = None
    toolkit_status: dict[str, ProjectStatus | None] = {}
    delta_means: Literal["right - left"] = "right - left"
    """What `delta` is: the right side's score minus the left side's."""
    shown: tuple[EvaluatorSpan, ...] = ()
    notes: tuple[EditionNote, ...] = ()
    not_rated: tuple[NotRated, ...] = ()
    """Sides that their edition names without scoring, with commands to run instead."""
    splits: tuple[CriterionSplit, ...] = ()
    """Criteria one side's edition rates whole and the other's per part: their rows are the
    whole and the parts, each scored on one side only."""
    only_criteria: tuple[str, ...] | None = None
    """The leaf criteria the diff was narrowed to (criteria given after the toolkits), in
    the criteria's order; null: every criterion."""


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


def format_score(score: float) -> str:
    """4 -> '4.0', 4.5 -> '4.5', 4.75 -> '4.75': exact, never rounded away."""
    return f"{score:.1f}" if round(score, 1) == score else f"{score:g}"


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


class CriterionInfo(Result):
    id: str
    name: str
    description: str
    parts: tuple[CriterionInfo, ...] = ()
    """The parts the edition rates (none for a criterion it rates whole)."""
    parts_from: dt.date | None = None
    """The edition date from which the criterion is rated per part (whole before it)."""


class ToolkitInfo(Result):
    id: str
    name: str
    aliases: tuple[str, ...]
    homepage: str | None
    repository: str | None
    first_edition: dt.date | None
    origin: str | None = None
    """The data file the toolkit was read from."""
    status: ProjectStatus | None = None
    rated: bool = True
    """False: the data holds no rating of it yet (e.g. just written by `new toolkit`)."""


class Catalog(Result):
    """`list`: the criteria tree and the toolkits present in an edition."""

    schema_version: int = SCHEMA_VERSION
    as_of: dt.date
    edition: EditionInfo
    scale: tuple[float, float]
    criteria: tuple[CriterionInfo, ...]
    toolkits: tuple[ToolkitInfo, ...]
    freshness: Freshness | None = None
    layers: tuple[str, ...] = ()
    """With --verbose: the data folders in use, in layering order."""
    conflicts: tuple[ConflictInfo, ...] = ()
    """With --verbose: definitions a later data folder replaced."""
    notes: tuple[EditionNote, ...] = ()
    """The edition notes in force: its evaluator's, up to this edition."""


class ConflictInfo(Result):
    what: str
    """e.g. "toolkit tensorflow", "rating tensorflow › interfaces › 2026-11-26"."""
    replaced: str
    """The file whose definition was replaced."""
    used: str
    """The file whose definition is used."""


class EditionRow(Result):
    date: dt.date
    commit: str | None
    also: tuple[str, ...]
    url: str | None
    evaluator: str
    summary: str
    notes: tuple[str, ...] = ()
    ratings_changed: int
    """Scores that moved, appeared or were withdrawn against the previous edition."""
    method: str | None = None
    """The edition's method page, a file of this repository (`docs/method.md`)."""


class EditionList(Result):
    """`editions`: every edition, oldest first."""

    schema_version: int = SCHEMA_VERSION
    editions: tuple[EditionRow, ...]


class ProblemInfo(Result):
    file: str
    where: str
    """The key path in the file: `ratings › interfaces › 2015-12-07 › score`."""
    message: str
    line: int | None = None
    """The line of `where` in the file (1-based); null where not known."""


class ValidationReport(Result):
    """`validate`: every problem found in a data folder (none when it is clean)."""

    schema_version: int = SCHEMA_VERSION
    folder: str
    ok: bool
    problems: tuple[ProblemInfo, ...]
    warnings: tuple[ProblemInfo, ...] = ()
    """Findings that do not fail the check: sources that are not primary evidence (unless
    `--strict` made them problems), and things that load but are probably not meant (the
    template's placeholder evaluator left in place); they do not make `ok` false."""


class MethodDocument(Result):
    """`method`: how dlcompare's own editions are rated, as the repository keeps it."""

    schema_version: int = SCHEMA_VERSION
    path: str
    """The file in the repository (`docs/method.md`); it is shipped inside the package."""
    text: str
    """The document, in Markdown."""


class ChangeKind(StrEnum):
    """How one toolkit's standing on one leaf differs from the edition before."""

    MOVED = "moved"
    """A score replaced by a different score."""
    ADDED = "added"
    """A score where there was none (new toolkit, newly rated, or rated again)."""
    WITHDRAWN = "withdrawn"
    """A score that is no longer given (dropped, or discussed without a rating)."""
    REVISED = "revised"
    """A new assessment that keeps the score (or the lack of one): new reasoning or status."""
    UNRATED = "unrated"
    """First assessed, but without a score."""


SCORE_CHANGES = frozenset({ChangeKind.MOVED, ChangeKind.ADDED, ChangeKind.WITHDRAWN})


class HistoryEntry(Result):
    """One assessment in a toolkit's timeline on one leaf, in force from `edition` on."""

    edition: dt.date
    change: ChangeKind
    status: Status
    score: float | None
    previous_score: float | None
    """The score in force just before this edition, if any."""
    summary: str
    """Our summary of the source's reasoning at this edition: the reason for the change,
    as far as the source gives one."""
    sources: tuple[str, ...]
    notes: tuple[str, ...]
    age_days: int | None = None
    age_years: float | None = None
    stale: bool = False
    evaluator: str | None = None
    """Whose assessment this is: the evaluator of its edition."""
    previous_evaluator: str | None = None
    """Whose assessment was in force before; when it differs from `evaluator`, this entry is
    another evaluator's view, not a revision."""
    version: str | None = None
    """The toolkit version the assessment was judged on, when its data names one."""


class CriterionHistory(Result):
    criterion: str
    entries: tuple[HistoryEntry, ...]
    """Oldest first; empty when the source never covers this toolkit on this criterion."""
    split: CriterionSplit | None = None
    """When this leaf is the whole or a part of a criterion that gained parts at an edition
    up to the history's: the whole's entries end there, the parts' begin there."""


class ToolkitHistory(Result):
    """`history`: how each rating of one toolkit changed across editions."""

    schema_version: int = SCHEMA_VERSION
    toolkit: str
    as_of: dt.date
    edition: EditionInfo
    """The latest edition the history runs up to."""
    first_edition: dt.date | None
    toolkits: tuple[Named, ...]
    criteria: tuple[Named, ...]
    history: tuple[CriterionHistory, ...]
    freshness: Freshness | None = None
    toolkit_status: dict[str, ProjectStatus | None] = {}
    shown: tuple[EvaluatorSpan, ...] = ()
    notes: tuple[EditionNote, ...] = ()


class RatingChange(Result):
    toolkit: str
    criterion: str
    change: ChangeKind
    old_score: float | None
    new_score: float | None
    old_status: Status
    new_status: Status
    summary: str | None
    """Our summary of the reasoning in force after the change."""
    sources: tuple[str, ...]


class EditionChanges(Result):
    """`changes`: what one edition changed against the previous one."""

    schema_version: int = SCHEMA_VERSION
    edition: EditionInfo
    previous: EditionInfo | None
    """Null for the first edition: everything in it is new."""
    toolkits_added: tuple[str, ...]
    score_changes: int
    """How many changes moved, added or withdrawn a score (the `editions` count)."""
    changes: tuple[RatingChange, ...]
    """Ordered by toolkit, then criterion in the criteria's order."""
    toolkits: tuple[Named, ...]
    criteria: tuple[Named, ...]
    freshness: Freshness | None = None
    toolkit_status: dict[str, ProjectStatus | None] = {}
    notes: tuple[EditionNote, ...] = ()
    """The notes in force at this edition (its evaluator's, up to it). Those dated this
    edition are what it added: a notice changes no rating, but it is a change."""
    splits: tuple[CriterionSplit, ...] = ()
    """Criteria rated per part from this edition on (whole before): their parts' scores are
    `added`, never a move from the whole criterion's score."""
    only_toolkits: tuple[str, ...] | None = None
    """The toolkits the changes were narrowed to with `--toolkits` (null: every toolkit);
    `changes`, `toolkits_added` and `score_changes` then hold for those only."""
    only_criteria: tuple[str, ...] | None = None
    """The leaf criteria the changes were narrowed to with `--criteria` (null: all)."""


class Report(Result):
    """`report`: the whole evaluation as one document, composed of the other results.

    Nothing is totalled: the ranking is there only when the user gave weights."""

    schema_version: int = SCHEMA_VERSION
    as_of: dt.date
    edition: EditionInfo
    freshness: Freshness | None = None
    catalog: Catalog
    """The criteria with their descriptions, the scale, and the toolkits with their status."""
    ratings: RatingsView
    """The whole matrix: every toolkit on every leaf criterion, with summaries and sources."""
    ranking: Ranking | None = None
    """The ranking under the user's weights, with how robust its first place is
    (`ranking.sensitivity`); null when no weights were given."""
    resolution: float | None = None
    """The finest step of the scores shown (0.5 when all are half points, 0.1 when one is
    4.9); null when no score is shown."""
    method: str | None = None
    """The edition's method (Markdown) when it is dlcompare's own, shipped with the package
    (`dlcompare method`); null for an edition without one."""
