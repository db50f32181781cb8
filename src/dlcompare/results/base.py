"""The pieces every result is made of: a rating, an edition, whose scores a view shows and how
old they are, a toolkit the edition names without scoring it."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

from ..schema import Edition

if TYPE_CHECKING:
    from ..freshness import Ages


class Result(BaseModel):
    # defer_build: each command builds only the result models it uses, on first use.
    model_config = ConfigDict(frozen=True, defer_build=True)


R = TypeVar("R", bound=Result)


def trusted(model: type[R], values: dict[str, Any]) -> R:
    """The `model` holding `values`: every one of its fields, each of its declared type,
    computed by this program from validated data. What `model_construct` builds, without
    its per-call work (it looks up every field's default): for the thousands of rows of a
    large ranking. Callers wrap it in a typed function; tests/test_trusted_results.py checks
    that validating the result gives back the same values and types."""
    instance = _new(model)
    _set(instance, "__dict__", values)
    _set(instance, "__pydantic_fields_set__", set(values))
    _set(instance, "__pydantic_extra__", None)
    _set(instance, "__pydantic_private__", None)
    return instance


_new = object.__new__
_set = object.__setattr__


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
        return cls.model_construct(
            today=ages.today, stale_after_years=float(ages.stale_after_years)
        )


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
        info = cls.model_construct(
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


TIE_TOLERANCE = 1e-9
"""Scores closer than this are equal: float sums may differ in the last bit."""


def format_score(score: float) -> str:
    """4 -> '4.0', 4.5 -> '4.5', 4.75 -> '4.75': exact, never rounded away."""
    return f"{score:.1f}" if round(score, 1) == score else f"{score:g}"
